"""Every change to a project: check permission, validate, save, audit, notify on commit."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify

from community_insights.portal.core import audit
from community_insights.portal.core.exceptions import ApplicationError, NotPermitted
from community_insights.portal.core.notifications import Message, notify
from community_insights.portal.core.permissions import is_programme_staff
from community_insights.portal.guide import selectors as guide_selectors
from community_insights.portal.guide import services as guide_services
from community_insights.portal.people.models import Organisation, User
from community_insights.portal.people.roles import role_definitions
from community_insights.portal.programme.current import people_of
from community_insights.portal.projects import gates
from community_insights.portal.projects import phases as phase_data
from community_insights.portal.projects.models import ChecklistTick, Project, ProjectRole
from community_insights.portal.projects.permissions import (
    can_advance_phase,
    can_create_project,
    can_edit_project,
    can_manage_team,
    can_set_selection,
    can_staff_project,
    can_tick_checklist,
)
from community_insights.portal.projects.selectors import unticked_items

MAX_PLANNED_DAYS = Decimal(365)
RESERVED_SLUGS = frozenset({"new"})  # addresses the projects area uses itself
#: Why a closed project's phase and checklist stay as they were: "projects finished" counts it publicly.
CLOSED = "This project is closed: its phase and checklist stay as they were when it finished."
SELECTED_PHASE = 3  # the guide's Phase 3, "Develop and test", starts once the core team selects a project


def _unique_slug(title: str) -> str:
    base = slugify(title)[:180] or "project"
    slug, n = base, 2
    while slug in RESERVED_SLUGS or Project.objects.filter(slug=slug).exists():
        slug, n = f"{base}-{n}", n + 1
    return slug


def _forget_roles(project: Project) -> None:
    project.__dict__.pop("_roles_by_user", None)


@transaction.atomic
def project_create(
    *,
    actor: Any,
    title: str,
    question: str,
    summary: str = "",
    lead_organisation: Organisation | None = None,
    creator_role: str | None = "delivery_lead",
    creator_days: Decimal | None = None,
) -> Project:
    """Start a project in phase 1; the person who creates it takes ``creator_role`` on it (if any).

    Without a role the creator (unless staff) could not see the project they made.
    """
    if not can_create_project(actor):
        raise NotPermitted("Only programme staff and council colleagues can start a project.")
    title, question = title.strip(), question.strip()
    if not title or not question:
        raise ApplicationError("A project needs a title and the question it is trying to answer.")
    if creator_role is None and not is_programme_staff(actor):
        raise ApplicationError("Choose your role on the project, so you can see it once it is created.")
    project = Project(
        title=title,
        slug=_unique_slug(title),
        question=question,
        summary=summary.strip(),
        lead_organisation=lead_organisation,
        created_by=actor,
        phase=1,
        guide_version=guide_selectors.published_version() or guide_services.guide_version_seed(),
    )
    project.full_clean()
    project.save()
    audit.record(
        actor=actor,
        action="projects.project_create",
        target=project,
        changes={
            "phase": 1,
            "lead_organisation_id": lead_organisation.pk if lead_organisation else None,
            "guide_version": project.guide_version.number if project.guide_version else None,
        },
    )
    if creator_role:
        _assign(actor=actor, project=project, user=actor, role=creator_role, planned_days=creator_days)
    return project


@transaction.atomic
def project_update(
    *,
    actor: Any,
    project: Project,
    title: str,
    question: str,
    summary: str,
    lead_organisation: Organisation | None,
    is_public: bool,
    is_selected: bool,
) -> Project:
    """Change a project's details; the slug (its address) stays so links keep working."""
    if not can_edit_project(actor, project):
        raise NotPermitted("Only the project's facilitator, delivery lead or programme staff can change it.")
    new = {
        "title": title.strip(),
        "question": question.strip(),
        "summary": summary.strip(),
        "lead_organisation": lead_organisation,
        "is_public": is_public,
        "is_selected": is_selected,
    }
    changed = [name for name, value in new.items() if getattr(project, name) != value]
    if not changed:
        return project
    for name in changed:
        setattr(project, name, new[name])
    project.full_clean()
    project.save(update_fields=[*changed, "updated_at"])
    audit.record(actor=actor, action="projects.project_update", target=project, changes={"fields": changed})
    return project


@transaction.atomic
def project_set_selection(*, actor: Any, project: Project, selected: bool, public: bool, reason: str = "") -> Project:
    """Record whether the project was selected (phase 2, part 3) and whether the public may see it.

    The selection area calls this when the core team decides; it is the one place these
    two flags change outside the project's own edit page. Only a selected project can be
    public: the landing page shows selected projects, never candidates that were turned down.
    """
    if not can_set_selection(actor, project):
        raise NotPermitted("Only the programme's facilitators or staff can record whether a project is selected.")
    if public and not selected:
        raise ApplicationError("Only a selected project can be shown on the landing page.")
    old = {"is_selected": project.is_selected, "is_public": project.is_public}
    project.is_selected, project.is_public = selected, public
    changed = [name for name, value in old.items() if getattr(project, name) != value]
    if changed:
        project.save(update_fields=[*changed, "updated_at"])
    audit.record(
        actor=actor,
        action="projects.project_set_selection",
        target=project,
        changes={"selected": selected, "public": public, "reason_given": bool(reason.strip()), "fields": changed},
    )
    if selected and project.phase < SELECTED_PHASE:
        # Selection ends the guide's Phase 2: the chosen project goes on to "Develop and test".
        _move_phase(actor=actor, project=project, to=SELECTED_PHASE, changes={"by": "selection"})
    return project


@transaction.atomic
def project_advance_phase(*, actor: Any, project: Project, confirm_incomplete: bool = False) -> Project:
    """Move the project on to its next phase.

    The guide's "What we have achieved" list is the test of being ready: moving
    on with items unticked needs ``confirm_incomplete``, and the audit entry
    keeps how many were left. A phase's gates (``projects.gates``) cannot be
    confirmed away: Phase 3 ends only once what will be shared passed its final checks.
    """
    if not can_advance_phase(actor, project):
        raise NotPermitted("Only the project's facilitator, delivery lead or programme staff can move it on.")
    project = Project.objects.select_for_update().get(pk=project.pk)
    last = phase_data.phases()[-1].number
    if project.phase >= last:
        raise ApplicationError("This project is already in its last phase.")
    blocked = gates.reasons_to_stay(project)
    if blocked:
        raise ApplicationError(" ".join(blocked))
    left = unticked_items(project=project, phase=project.phase)
    if left and not confirm_incomplete:
        raise ApplicationError(
            f"{len(left)} of the phase's “What we have achieved” items are not ticked yet. "
            "Tick them, or confirm you want to move on anyway."
        )
    return _move_phase(
        actor=actor, project=project, to=project.phase + 1, changes={"unticked_items": [i.key for i in left]}
    )


@transaction.atomic
def project_loop_back(*, actor: Any, project: Project, reason: str) -> Project:
    """Take the project back to its previous phase, with the reason on the record.

    The guide: "We may conclude that the solutions we've considered don't help
    answer the question we identified for our project. If that's the case, we
    loop back to the previous stage." The team is told why; recording the
    selection again later moves the project back into Phase 3.
    """
    if not can_advance_phase(actor, project):
        raise NotPermitted("Only the project's facilitator, delivery lead or programme staff can move it back.")
    project = Project.objects.select_for_update().get(pk=project.pk)
    if project.closed_at is not None:
        raise ApplicationError(CLOSED)
    if project.phase <= 1:
        raise ApplicationError("This project is in its first phase, so there is no earlier one to go back to.")
    if not reason.strip():
        raise ApplicationError("Say why the project is going back to the previous phase.", field="reason")
    return _move_phase(
        actor=actor, project=project, to=project.phase - 1, changes={"loop_back": True, "reason": reason.strip()}
    )


@transaction.atomic
def project_close(*, actor: Any, project: Project) -> Project:
    """Close a project whose last phase is done: the programme counts it as finished.

    The guide's Phase 4 ends when the insights are delivered, the team has
    reflected and the relationships are built, so closing asks for every one of
    Phase 4's "What we have achieved" items to be ticked. Unlike moving on a
    phase, this cannot be confirmed away: "projects finished" is a public figure
    and must mean what it says.
    """
    if not can_advance_phase(actor, project):
        raise NotPermitted("Only the project's facilitator, delivery lead or programme staff can close it.")
    project = Project.objects.select_for_update().get(pk=project.pk)
    last = phase_data.phases()[-1].number
    if project.closed_at is not None:
        raise ApplicationError("This project is already closed.")
    if project.phase != last:
        raise ApplicationError(f"A project closes at the end of phase {last}; this one is in phase {project.phase}.")
    left = unticked_items(project=project, phase=last)
    if left:
        raise ApplicationError(
            f"{len(left)} of phase {last}'s “What we have achieved” items "
            f"{'is' if len(left) == 1 else 'are'} not ticked yet. Tick them before closing the project."
        )
    project.closed_at = timezone.now()
    project.closed_by = actor
    project.save(update_fields=["closed_at", "closed_by", "updated_at"])
    audit.record(actor=actor, action="projects.project_close", target=project, changes={"phase": last})
    team = sorted({r.user.email for r in project.roles.select_related("user") if r.user.is_active})
    notify(
        Message(
            to=team,
            subject=f"{project.title} is finished",
            template="projects/email/project_closed",
            context={"project": project, "project_title": project.title, "closed_by": actor.get_full_name()},
        )
    )
    return project


def _move_phase(*, actor: Any, project: Project, to: int, changes: dict[str, Any]) -> Project:
    """Save the new phase, audit it, and tell the team where the project is and its first step."""
    old = project.phase
    project.phase = to
    project.save(update_fields=["phase", "updated_at"])
    audit.record(
        actor=actor,
        action="projects.project_advance_phase",
        target=project,
        changes={"from": old, "to": to, **changes},
    )
    team = sorted({r.user.email for r in project.roles.select_related("user") if r.user.is_active})
    phase = phase_data.phase(to)
    notify(
        Message(
            to=team,
            subject=f"{project.title} has {'gone back' if to < old else 'moved'} to phase {to}",
            template="projects/email/phase_advanced",
            context={
                "project": project,
                "project_title": project.title,
                "phase": phase.label,
                "first_step": phase.parts[0].steps[0],
                "back": to < old,
                "reason": changes.get("reason", ""),
            },
        )
    )
    return project


def _validate_days(planned_days: Decimal | None) -> None:
    if planned_days is not None and not Decimal(0) <= planned_days <= MAX_PLANNED_DAYS:
        raise ApplicationError("Planned days must be between 0 and 365.")


def _assign(
    *, actor: Any, project: Project, user: User, role: str, planned_days: Decimal | None, notify_user: bool = True
) -> ProjectRole:
    if role not in role_definitions():
        raise ApplicationError("Choose one of the guide's roles.")
    if not user.is_active:
        raise ApplicationError("This person's account is deactivated.")
    _validate_days(planned_days)
    if ProjectRole.objects.filter(project=project, user=user, role=role).exists():
        raise ApplicationError(f"{user.get_full_name()} already has this role on the project.")
    project_role = ProjectRole.objects.create(project=project, user=user, role=role, planned_days=planned_days)
    _forget_roles(project)
    audit.record(
        actor=actor,
        action="projects.project_role_assign",
        target=project_role,
        project_id=project.pk,
        changes={
            "user_id": user.pk,
            "role": role,
            "planned_days": str(planned_days) if planned_days is not None else None,
        },
    )
    if notify_user and user != actor:
        notify(
            Message(
                to=[user.email],
                subject=f"You have a role on {project.title}",
                template="projects/email/role_assigned",
                context={
                    "name": user.get_short_name(),
                    "project": project,
                    "project_title": project.title,
                    "role": role_definitions()[role].name,
                    "planned_days": planned_days,
                },
            )
        )
    return project_role


@transaction.atomic
def project_role_assign(
    *, actor: Any, project: Project, user: User, role: str, planned_days: Decimal | None = None
) -> ProjectRole:
    """Give ``user`` one of the guide's roles on the project, with the days planned.

    The team is chosen from the programme's people: someone of another programme
    only, or of none, is added to the programme (or invited) first, so a team page
    never reaches a person the programme's staff cannot see.
    """
    if not can_manage_team(actor, project):
        raise NotPermitted("Only the project's facilitator, delivery lead or programme staff can change the team.")
    if not User.objects.filter(people_of(project.programme_id), pk=user.pk).exists():
        raise ApplicationError(
            "Choose someone who belongs to the programme: programme staff can add them to it, or invite them.",
            field="user",
        )
    return _assign(actor=actor, project=project, user=user, role=role, planned_days=planned_days)


@transaction.atomic
def project_role_ensure(
    *,
    actor: Any,
    project: Project,
    user: User,
    role: str,
    planned_days: Decimal | None = None,
    notify_user: bool = True,
) -> ProjectRole:
    """Make sure ``user`` holds ``role`` on the project, adding it (audited) only when missing.

    For other areas that bring people onto a team as a side effect (scoping a candidate
    project, adding someone to a scoping session): doing it twice changes nothing.
    ``notify_user`` is off when the caller already sends that person an email about it.
    """
    if not can_staff_project(actor, project):
        raise NotPermitted("Only the project's facilitator, delivery lead or programme staff can change the team.")
    existing = ProjectRole.objects.filter(project=project, user=user, role=role).first()
    if existing is not None:
        return existing
    return _assign(
        actor=actor, project=project, user=user, role=role, planned_days=planned_days, notify_user=notify_user
    )


@transaction.atomic
def project_role_update(*, actor: Any, project_role: ProjectRole, planned_days: Decimal | None) -> ProjectRole:
    if not can_manage_team(actor, project_role.project):
        raise NotPermitted("Only the project's facilitator, delivery lead or programme staff can change the team.")
    _validate_days(planned_days)
    old = project_role.planned_days
    if old == planned_days:
        return project_role
    project_role.planned_days = planned_days
    project_role.save(update_fields=["planned_days", "updated_at"])
    audit.record(
        actor=actor,
        action="projects.project_role_update",
        target=project_role,
        project_id=project_role.project_id,
        changes={"planned_days": [str(old) if old is not None else None, str(planned_days) if planned_days else None]},
    )
    return project_role


@transaction.atomic
def project_role_remove(*, actor: Any, project_role: ProjectRole) -> None:
    project = project_role.project
    if not can_manage_team(actor, project):
        raise NotPermitted("Only the project's facilitator, delivery lead or programme staff can change the team.")
    audit.record(
        actor=actor,
        action="projects.project_role_remove",
        target=project_role,
        project_id=project.pk,
        changes={"user_id": project_role.user_id, "role": project_role.role},
    )
    project_role.delete()
    _forget_roles(project)


@transaction.atomic
def checklist_item_tick(*, actor: Any, project: Project, item_key: str, note: str = "") -> ChecklistTick:
    """Record that the team has achieved one item of a phase's checklist (who and when)."""
    if not can_tick_checklist(actor, project):
        raise NotPermitted("Only members of the project's core team can tick its checklist.")
    try:
        item = phase_data.checklist_item(item_key)
    except KeyError:
        raise ApplicationError("There is no such checklist item.") from None
    if item.phase > project.phase:
        raise ApplicationError("This item belongs to a later phase than the project is in.")
    existing = ChecklistTick.objects.filter(project=project, item_key=item_key).first()
    if existing is not None:
        return existing
    tick = ChecklistTick.objects.create(project=project, item_key=item_key, ticked_by=actor, note=note.strip())
    audit.record(
        actor=actor,
        action="projects.checklist_item_tick",
        target=tick,
        project_id=project.pk,
        changes={"item": item_key, "phase": item.phase, "note_given": bool(note.strip())},
    )
    return tick


@transaction.atomic
def checklist_item_untick(*, actor: Any, project: Project, item_key: str) -> None:
    if not can_tick_checklist(actor, project):
        raise NotPermitted("Only members of the project's core team can change its checklist.")
    if project.closed_at is not None:
        raise ApplicationError(CLOSED)
    tick = ChecklistTick.objects.filter(project=project, item_key=item_key).first()
    if tick is None:
        return
    audit.record(
        actor=actor,
        action="projects.checklist_item_untick",
        target=tick,
        project_id=project.pk,
        changes={"item": item_key, "ticked_by_id": tick.ticked_by_id},
    )
    tick.delete()
