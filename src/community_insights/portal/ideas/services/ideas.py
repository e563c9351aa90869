"""Ideas from VCS colleagues: heard in office hours (Phase 1, Step 3), scoped and shaped into a question
(Phase 2, Part 1), then handed to the selection app for evaluation and the decision.

Each service checks permission, validates, saves, records one audit entry in the same transaction
and queues its emails on commit. Audit entries never carry the text people typed.
"""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.urls import reverse

from community_insights.portal.core import audit
from community_insights.portal.core.exceptions import ApplicationError
from community_insights.portal.core.notifications import Message, notify
from community_insights.portal.ideas import permissions
from community_insights.portal.ideas.models import Idea, OfficeHourBooking
from community_insights.portal.ideas.services.common import absolute_url, facilitator_emails, require, unique_slug


def _notify_proposer(idea: Idea, *, subject: str, template: str, base_url: str | None = None) -> None:
    notify(
        Message(
            to=[idea.proposer.email],
            subject=subject,
            template=template,
            context={"idea": idea, "url": absolute_url(reverse("ideas:idea_detail", args=[idea.pk]), base_url)},
        )
    )


@transaction.atomic
def idea_submit(
    *,
    actor: Any,
    title: str,
    problem: str,
    who_is_affected: str,
    decision_informed: str,
    booking: OfficeHourBooking | None = None,
    base_url: str | None = None,
) -> Idea:
    """A VCS colleague puts forward an idea; the facilitator hears about it."""
    require(permissions.can_submit_idea(actor), "Sign in to put forward an idea.")
    idea = Idea(
        title=title.strip(),
        problem=problem.strip(),
        who_is_affected=who_is_affected.strip(),
        decision_informed=decision_informed.strip(),
        proposer=actor,
        organisation=actor.organisation,
        booking=booking,
    )
    idea.full_clean()
    idea.save()
    audit.record(actor=actor, action="ideas.idea_submit", target=idea)
    notify(
        Message(
            to=facilitator_emails(),
            subject=f"New idea: {idea.title}",
            template="ideas/emails/idea_for_facilitator",
            context={"idea": idea, "url": absolute_url(reverse("ideas:idea_detail", args=[idea.pk]), base_url)},
        )
    )
    return idea


@transaction.atomic
def idea_shape(*, actor: Any, idea: Idea, title: str, question: str) -> Idea:
    """The facilitator helps turn the problem into a question a project could answer."""
    require(permissions.can_shape_idea(actor))
    idea.title, idea.question = title.strip(), question.strip()
    idea.full_clean()
    idea.save(update_fields=["title", "question", "updated_at"])
    if idea.project_id:
        project = idea.project
        assert project is not None
        project.title, project.question = idea.title, idea.question or project.question
        project.save(update_fields=["title", "question", "updated_at"])
    audit.record(actor=actor, action="ideas.idea_shape", target=idea, changes={"question_set": bool(idea.question)})
    return idea


# Which statuses the facilitator may move an idea to from each status; "selected" is
# recorded by the selection area when the core team decides.
STATUS_MOVES: dict[str, tuple[str, ...]] = {
    Idea.Status.SUBMITTED: (Idea.Status.IN_SCOPING, Idea.Status.NOT_TAKEN_FORWARD),
    Idea.Status.IN_SCOPING: (Idea.Status.READY_FOR_EVALUATION, Idea.Status.NOT_TAKEN_FORWARD),
    Idea.Status.READY_FOR_EVALUATION: (Idea.Status.IN_SCOPING, Idea.Status.NOT_TAKEN_FORWARD),
    Idea.Status.NOT_TAKEN_FORWARD: (Idea.Status.IN_SCOPING,),
    Idea.Status.SELECTED: (),
}


def ensure_candidate_project(idea: Idea, actor: Any) -> None:
    """Scoping starts a candidate project, so its data inventory and team have a home."""
    from community_insights.portal.projects import services as projects_services
    from community_insights.portal.projects.models import Project

    if idea.project_id is None:
        new_project = Project.objects.create(
            programme_id=idea.programme_id,
            title=idea.title,
            slug=unique_slug(Project, idea.title),
            question=idea.question or idea.problem,
            summary=idea.problem,
            phase=2,
            lead_organisation=idea.organisation,
            created_by=actor,
        )
        idea.project = new_project
        idea.save(update_fields=["project", "updated_at"])
        audit.record(
            actor=actor, action="ideas.candidate_project_create", target=new_project, changes={"idea": idea.pk}
        )
    project = idea.project
    assert project is not None
    if not getattr(actor, "is_authenticated", False):
        return
    # The facilitator first: once on the team they run it and may add the proposer. The
    # proposer hears about scoping in this area's own email, so no second one about the role.
    projects_services.project_role_ensure(actor=actor, project=project, user=actor, role="facilitator")
    if idea.proposer.is_active:
        projects_services.project_role_ensure(
            actor=actor, project=project, user=idea.proposer, role="vcs_member_lead", notify_user=False
        )


@transaction.atomic
def idea_change_status(*, actor: Any, idea: Idea, status: str, reason: str = "", base_url: str | None = None) -> Idea:
    """Move an idea on (or stop it, with the reason); the proposer sees it and gets an email."""
    require(permissions.can_change_idea_status(actor))
    old = idea.status
    if status not in STATUS_MOVES.get(old, ()):
        raise ApplicationError(
            f"An idea that is {idea.get_status_display().lower()} cannot move to {Idea.Status(status).label.lower()}.",
            field="status",
        )
    if status == Idea.Status.NOT_TAKEN_FORWARD and not reason.strip():
        raise ApplicationError("Enter the reason the idea is not being taken forward.", field="reason")
    if status == Idea.Status.READY_FOR_EVALUATION and not idea.question.strip():
        raise ApplicationError("Shape the idea into a question before it is ready for evaluation.", field="status")
    idea.status = status
    idea.status_reason = reason.strip() if status == Idea.Status.NOT_TAKEN_FORWARD else ""
    idea.save(update_fields=["status", "status_reason", "updated_at"])
    if status == Idea.Status.IN_SCOPING:
        ensure_candidate_project(idea, actor)
    audit.record(actor=actor, action="ideas.idea_status", target=idea, changes={"status": [old, status]})
    _notify_proposer(
        idea,
        subject=f"Your idea is now: {idea.get_status_display().lower()}",
        template="ideas/emails/idea_status",
        base_url=base_url,
    )
    return idea


@transaction.atomic
def idea_record_outcome(*, actor: Any, idea: Idea, selected: bool, reason: str) -> Idea:
    """Called by the selection area when the core team decides (it emails the proposer itself)."""
    old = idea.status
    idea.status = Idea.Status.SELECTED if selected else Idea.Status.NOT_TAKEN_FORWARD
    idea.status_reason = "" if selected else reason.strip()
    idea.save(update_fields=["status", "status_reason", "updated_at"])
    audit.record(actor=actor, action="ideas.idea_status", target=idea, changes={"status": [old, idea.status]})
    return idea
