"""Every write of the selection area (house style: permission, validate, save, audit, notify on commit)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from community_insights.portal.core import audit
from community_insights.portal.core.exceptions import ApplicationError, NotPermitted
from community_insights.portal.core.notifications import Message, notify
from community_insights.portal.ideas import services as ideas_services
from community_insights.portal.ideas.models import Idea
from community_insights.portal.programme.current import current_programme_id
from community_insights.portal.projects import services as projects_services
from community_insights.portal.projects.models import Project
from community_insights.portal.selection import guide, permissions, selectors
from community_insights.portal.selection.models import (
    Decision,
    Evaluation,
    NextStepTick,
    PanelMember,
    ProjectDataType,
    Score,
    SkillCover,
)


def _require(allowed: bool, message: str = "You do not have permission to do that.") -> None:
    if not allowed:
        raise NotPermitted(message)


def _require_candidate(project: Project) -> None:
    if not selectors.is_candidate(project):
        raise ApplicationError(
            "This project is not a candidate for selection yet: its idea is not ready for evaluation."
        )


@transaction.atomic
def panel_member_add(*, actor: Any, user: Any) -> PanelMember:
    _require(permissions.can_manage_panel(actor))
    if PanelMember.objects.filter(user=user, programme_id=current_programme_id()).exists():
        raise ApplicationError("This person is already on the panel.", field="user")
    member = PanelMember.objects.create(user=user, added_by=actor, programme_id=current_programme_id())
    audit.record(actor=actor, action="selection.panel_member_add", target=member, changes={"user": user.pk})
    return member


@transaction.atomic
def panel_member_remove(*, actor: Any, member: PanelMember) -> None:
    _require(permissions.can_manage_panel(actor))
    user_id = member.user_id
    audit.record(actor=actor, action="selection.panel_member_remove", target=member, changes={"user": user_id})
    member.delete()


@transaction.atomic
def project_data_types_set(*, actor: Any, project: Project, keys: Iterable[str]) -> list[str]:
    """Record which types of data (the guide's skills table) the project would use."""
    _require(permissions.can_edit_evaluation(actor))
    wanted = list(dict.fromkeys(keys))
    valid = {d.key for d in guide.data_types()}
    chosen = [k for k in wanted if k in valid]
    if len(chosen) != len(wanted):
        raise ApplicationError("Choose types of data from the list.", field="data_types")
    ProjectDataType.objects.filter(project=project).exclude(data_type_key__in=chosen).delete()
    for key in chosen:
        ProjectDataType.objects.get_or_create(project=project, data_type_key=key)
    audit.record(actor=actor, action="selection.data_types_set", target=project, changes={"data_types": chosen})
    return chosen


@transaction.atomic
def skill_cover_add(
    *, actor: Any, project: Project, skill_key: str, user: Any = None, name: str = "", note: str = ""
) -> SkillCover:
    """Name who brings a skill the project needs (someone on the team, or a team or organisation)."""
    _require(permissions.can_edit_evaluation(actor))
    try:
        guide.skill(skill_key)
    except KeyError:
        raise ApplicationError("Choose a skill from the list.", field="skill_key") from None
    label = (name.strip() or (user.get_full_name() if user else "")).strip()
    if not label:
        raise ApplicationError("Choose a person or enter a name.", field="user")
    cover = SkillCover(project=project, skill_key=skill_key, user=user, name=label, note=note.strip())
    cover.full_clean()
    cover.save()
    audit.record(actor=actor, action="selection.skill_cover_add", target=project, changes={"skill": skill_key})
    return cover


@transaction.atomic
def skill_cover_remove(*, actor: Any, cover: SkillCover) -> None:
    _require(permissions.can_edit_evaluation(actor))
    project, skill = cover.project, cover.skill_key
    cover.delete()
    audit.record(actor=actor, action="selection.skill_cover_remove", target=project, changes={"skill": skill})


@transaction.atomic
def evaluation_save(
    *,
    actor: Any,
    project: Project,
    existing_work: str,
    data_safety_findings: str,
    skills_notes: str,
    risks: str,
    share: bool,
    base_url: str | None = None,
) -> Evaluation:
    """The facilitator collates the summary; sharing emails the panel and the project team a link."""
    _require(permissions.can_edit_evaluation(actor))
    _require_candidate(project)
    evaluation, _ = Evaluation.objects.get_or_create(project=project)
    evaluation.existing_work = existing_work.strip()
    evaluation.data_safety_findings = data_safety_findings.strip()
    evaluation.skills_notes = skills_notes.strip()
    evaluation.risks = risks.strip()
    evaluation.updated_by = actor
    if share:
        evaluation.shared_at = timezone.now()
    evaluation.save()
    audit.record(actor=actor, action="selection.evaluation_save", target=evaluation, changes={"shared": share})
    if share:
        team = {r.user.email for r in project.roles.select_related("user")}
        panel = {u.email for u in selectors.panel_members()}
        url = ideas_services.absolute_url(reverse("selection:evaluation", args=[project.slug]), base_url)
        notify(
            Message(
                to=sorted(team | panel),
                subject=f"Evaluation to read: {project.title}",
                template="selection/emails/evaluation_shared",
                context={
                    "project": project,
                    "url": url,
                    "pdf_url": ideas_services.absolute_url(
                        reverse("selection:evaluation_pdf", args=[project.slug]), base_url
                    ),
                },
            )
        )
    return evaluation


@transaction.atomic
def scores_save(*, actor: Any, project: Project, scores: Mapping[str, tuple[int, str]]) -> list[Score]:
    """One panel member's scores (1–5) with comments on every criterion for one candidate."""
    _require(permissions.can_score(actor), "Only panel members score projects.")
    _require_candidate(project)
    if Decision.objects.filter(project=project).exists():
        raise ApplicationError("The decision on this project has been made; scores can no longer change.")
    low, high = guide.scale()
    keys = [c.key for c in guide.criteria()]
    missing = [k for k in keys if k not in scores]
    if missing:
        raise ApplicationError("Score every criterion.", field=f"score_{missing[0]}")
    saved = []
    for key in keys:
        value, comment = scores[key]
        if not low <= int(value) <= high:
            raise ApplicationError(f"Scores go from {low} to {high}.", field=f"score_{key}")
        score, _ = Score.objects.update_or_create(
            project=project,
            panel_member=actor,
            criterion_key=key,
            defaults={"score": int(value), "comment": comment.strip()},
        )
        saved.append(score)
    audit.record(
        actor=actor,
        action="selection.scores_save",
        target=project,
        changes={"scores": {k: int(scores[k][0]) for k in keys}},
    )
    return saved


@transaction.atomic
def decision_record(
    *,
    actor: Any,
    project: Project,
    outcome: str,
    reasons: str,
    show_on_landing_page: bool = True,
    base_url: str | None = None,
) -> Decision:
    """Record the core team's decision with reasons; tell the proposer; show selected projects publicly."""
    _require(permissions.can_decide(actor))
    _require_candidate(project)
    if outcome not in Decision.Outcome.values:
        raise ApplicationError("Choose selected or not taken forward.", field="outcome")
    if not reasons.strip():
        raise ApplicationError("Enter the reasons for the decision.", field="reasons")
    if Decision.objects.filter(project=project).exists():
        raise ApplicationError("The decision on this project has already been recorded.")
    selected = outcome == Decision.Outcome.SELECTED
    decision = Decision.objects.create(project=project, outcome=outcome, reasons=reasons.strip(), decided_by=actor)
    projects_services.project_set_selection(
        actor=actor, project=project, selected=selected, public=selected and show_on_landing_page, reason=reasons
    )
    audit.record(
        actor=actor,
        action="selection.decision_record",
        target=project,
        changes={"outcome": outcome, "public": project.is_public},
    )
    idea = Idea.objects.filter(project=project).select_related("proposer").first()
    if idea is not None:
        ideas_services.idea_record_outcome(actor=actor, idea=idea, selected=selected, reason=reasons)
        notify(
            Message(
                to=[idea.proposer.email],
                subject=(
                    f"Your idea has been selected: {project.title}"
                    if selected
                    else f"Decision on your idea: {project.title}"
                ),
                template="selection/emails/outcome",
                context={
                    "idea": idea,
                    "project": project,
                    "decision": decision,
                    "selected": selected,
                    "url": ideas_services.absolute_url(reverse("ideas:idea_detail", args=[idea.pk]), base_url),
                    "landing_url": ideas_services.absolute_url(reverse("programme:landing"), base_url),
                },
            )
        )
    return decision


@transaction.atomic
def next_step_set(*, actor: Any, project: Project, item_key: str, done: bool, note: str = "") -> NextStepTick | None:
    """Tick (or untick) a mobilise or communicate step for a selected project."""
    _require(permissions.can_manage_next_steps(actor, project))
    if not project.is_selected:
        raise ApplicationError("Next steps are for selected projects.")
    if item_key not in guide.checklist_item_keys():
        raise ApplicationError("That is not a step of the checklist.")
    tick = NextStepTick.objects.filter(project=project, item_key=item_key).first()
    if done and tick is None:
        tick = NextStepTick.objects.create(project=project, item_key=item_key, ticked_by=actor, note=note.strip())
    elif not done and tick is not None:
        tick.delete()
        tick = None
    audit.record(
        actor=actor, action="selection.next_step_set", target=project, changes={"item": item_key, "done": done}
    )
    return tick
