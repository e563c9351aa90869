"""Writes of Part 2, Steps 1 and 2: testing workshops, their feedback, and the safety check of Step 2.

The guide listens for two kinds of feedback, substantive and accessibility;
each item is closed by a change (a new version of the output) or a reason.
Feedback may quote the people testing, so its words are redacted by the engine
before they are stored. When feedback shows the output will be used
differently than planned, the guide says to update the information rights
team "so that they can raise any concerns": they are emailed and must
acknowledge it, and the item stays open until they do.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime, timedelta
from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from community_insights.portal.core import audit
from community_insights.portal.core.exceptions import ApplicationError, require
from community_insights.portal.core.notifications import Attachment, Message, notify
from community_insights.portal.ideas.calendar import meeting_calendar
from community_insights.portal.ideas.services import absolute_url
from community_insights.portal.outputs.models import OutputVersion
from community_insights.portal.projects.models import Project
from community_insights.portal.solutions import permissions
from community_insights.portal.solutions.models import TestingWorkshop, WorkshopFeedback
from community_insights.portal.solutions.redaction import redact

LONGEST_WORKSHOP = timedelta(hours=8)
SHOWABLE = (OutputVersion.Status.AWAITING_SIGN_OFF, OutputVersion.Status.APPROVED, OutputVersion.Status.REJECTED)


def _guests(text: str) -> list[str]:
    emails = list(dict.fromkeys(line.strip().lower() for line in (text or "").splitlines() if line.strip()))
    for email in emails:
        try:
            validate_email(email)
        except ValidationError:
            raise ApplicationError(
                "Enter each guest's email address on its own line, like name@example.org.", field="guests"
            ) from None
    return emails


@transaction.atomic
def workshop_schedule(
    *,
    actor: Any,
    project: Project,
    title: str,
    starts_at: datetime,
    ends_at: datetime,
    location: str,
    versions: Iterable[OutputVersion] = (),
    attendees: Iterable[Any] = (),
    guests: str = "",
    base_url: str | None = None,
) -> TestingWorkshop:
    """Schedule a testing workshop and email each attendee an invitation with its calendar file (.ics)."""
    require(permissions.can_run_testing(actor, project), "Only the facilitator or the delivery lead can schedule it.")
    if project.phase < permissions.PHASE:
        raise ApplicationError("This project is not in Phase 3 (Develop and test) yet: it starts once selected.")
    if not title.strip():
        raise ApplicationError("Enter the workshop's title.", field="title")
    if not location.strip():
        raise ApplicationError("Enter where the workshop is: a room, or a link to the call.", field="location")
    if starts_at <= timezone.now():
        raise ApplicationError("The workshop must start in the future.", field="starts_at")
    if not starts_at < ends_at <= starts_at + LONGEST_WORKSHOP:
        raise ApplicationError("The workshop must end after it starts, on the same day.", field="ends_at")
    shown = list(versions)
    if any(v.output.project_id != project.pk or v.status not in SHOWABLE for v in shown):
        raise ApplicationError("Choose built versions of this project's outputs.", field="versions")
    people = list(attendees)
    if any(not project.roles.filter(user=p).exists() for p in people):
        raise ApplicationError("Attendees from the portal must be on the project's team.", field="attendees")
    emails = _guests(guests)
    if not people and not emails:
        raise ApplicationError("Invite at least one person.", field="attendees")
    workshop = TestingWorkshop.objects.create(
        project=project, title=title.strip(), starts_at=starts_at, ends_at=ends_at, location=location.strip(),
        guest_emails=emails, created_by=actor,
    )  # fmt: skip
    workshop.versions.set(shown)
    workshop.attendees.set(people)
    audit.record(
        actor=actor,
        action="solutions.workshop_schedule",
        target=workshop,
        project_id=project.pk,
        changes={"versions": [v.pk for v in shown], "attendees": len(people), "guests": len(emails)},
    )
    _invite(workshop, actor, base_url)
    return workshop


def _invite(workshop: TestingWorkshop, organiser: Any, base_url: str | None) -> None:
    """One email per attendee, each with their own invitation to the same event (one ``uid``)."""
    url = absolute_url(reverse("solutions:workshop_detail", args=[workshop.project.slug, workshop.pk]), base_url)
    invited = [(u.email, u.get_full_name()) for u in workshop.attendees.all() if u.email]
    invited += [(email, email) for email in workshop.guest_emails]
    for email, name in invited:
        ics = meeting_calendar(
            uid=f"testing-workshop-{workshop.pk}",
            starts_at=workshop.starts_at,
            ends_at=workshop.ends_at,
            summary=f"Testing workshop: {workshop.title}",
            location=workshop.location,
            description=f"A testing workshop for {workshop.project.title}: we show what we have made and listen.",
            url=url,
            organiser=(organiser.email, organiser.get_full_name()) if getattr(organiser, "email", "") else None,
            attendee=(email, name),
        )
        notify(
            Message(
                to=[email],
                subject=f"Testing workshop: {workshop.title}",
                template="solutions/emails/workshop_invite",
                context={"workshop": workshop, "project": workshop.project, "url": url},
                attachments=[Attachment("testing-workshop.ics", ics, "text/calendar; method=REQUEST")],
            )
        )


@transaction.atomic
def feedback_record(
    *,
    actor: Any,
    workshop: TestingWorkshop,
    version: OutputVersion,
    kind: str,
    text: str,
    used_differently: bool = False,
    base_url: str | None = None,
) -> WorkshopFeedback:
    """One item of feedback on a version shown, redacted before it is stored; Step 2 when used differently."""
    require(permissions.can_record_feedback(actor, workshop.project), "Only the core team can record feedback.")
    if kind not in WorkshopFeedback.Kind.values:
        raise ApplicationError("Choose substantive or accessibility.", field="kind")
    if not workshop.versions.filter(pk=version.pk).exists():
        raise ApplicationError("Choose an output version shown at this workshop.", field="version")
    if not text.strip():
        raise ApplicationError("Enter the feedback.", field="text")
    safe = redact(text.strip())
    item = WorkshopFeedback.objects.create(
        workshop=workshop, version=version, kind=kind, text=safe.text, used_differently=used_differently,
        recorded_by=actor,
    )  # fmt: skip
    audit.record(
        actor=actor,
        action="solutions.feedback_record",
        target=item,
        project_id=workshop.project_id,
        changes={"kind": kind, "used_differently": used_differently, "redactions": safe.removed},
    )
    if used_differently:
        _tell_information_rights(item, base_url)
    return item


def _tell_information_rights(item: WorkshopFeedback, base_url: str | None) -> None:
    project = item.workshop.project
    emails = sorted({r.user.email for r in project.roles.filter(role="information_rights").select_related("user")})
    url = absolute_url(reverse("solutions:workshop_detail", args=[project.slug, item.workshop_id]), base_url)
    notify(
        Message(
            to=emails,
            subject=f"{project.title}: an output may be used differently than planned",
            template="solutions/emails/used_differently",
            context={"project": project, "item": item, "url": url},
        )
    )


@transaction.atomic
def feedback_close(
    *, actor: Any, item: WorkshopFeedback, new_version: OutputVersion | None = None, reason: str = ""
) -> WorkshopFeedback:
    """Close an item by a change (a newer version of the same output) or by a reason, never neither."""
    require(permissions.can_close_feedback(actor, item.workshop.project), "Only the project's makers can close it.")
    if item.is_closed:
        raise ApplicationError("This feedback is already closed.")
    if item.awaits_acknowledgement:
        raise ApplicationError("Information rights must acknowledge this feedback before it is closed.")
    if (new_version is None) == (not reason.strip()):
        raise ApplicationError("Choose the new version that answers it, or give a reason, not both.", field="reason")
    if new_version is not None and (
        new_version.output_id != item.version.output_id or new_version.number <= item.version.number
    ):
        raise ApplicationError("Choose a newer version of the same output.", field="new_version")
    item.closed_by_version, item.closed_reason = new_version, reason.strip()
    item.closed_by, item.closed_at = actor, timezone.now()
    item.save()
    audit.record(
        actor=actor,
        action="solutions.feedback_close",
        target=item,
        project_id=item.workshop.project_id,
        changes={"by_version": new_version.pk if new_version else None, "reason_given": bool(reason.strip())},
    )
    return item


@transaction.atomic
def feedback_acknowledge(*, actor: Any, item: WorkshopFeedback, acknowledgement: str) -> WorkshopFeedback:
    """Information rights acknowledge that an output will be used differently, and say what they will do."""
    require(
        permissions.is_information_rights(actor, item.workshop.project),
        "Only the project's information rights expert can acknowledge this.",
    )
    if not item.used_differently:
        raise ApplicationError("This feedback does not say the output will be used differently.")
    if item.acknowledged_at is not None:
        raise ApplicationError("This feedback has already been acknowledged.")
    if not acknowledgement.strip():
        raise ApplicationError("Say what you will do about it, or why it is fine.", field="acknowledgement")
    item.acknowledged_by, item.acknowledged_at = actor, timezone.now()
    item.acknowledgement = acknowledgement.strip()
    item.save()
    audit.record(actor=actor, action="solutions.feedback_acknowledge", target=item, project_id=item.workshop.project_id)
    return item
