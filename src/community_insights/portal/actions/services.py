"""Writes of the insights to actions area: plan the meeting, invite people, write and download the packet.

Each checks the named rule, validates, saves, records an audit entry, and (for an invitation) sends
email only once the change is committed.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction
from django.urls import reverse

from community_insights.portal.actions.models import ActionsMeeting, ActionsPacket, MeetingAttendee
from community_insights.portal.actions.permissions import can_host_actions, can_view_actions
from community_insights.portal.actions.selectors import packet
from community_insights.portal.core import audit
from community_insights.portal.core.exceptions import ApplicationError, NotPermitted
from community_insights.portal.core.notifications import Attachment, Message, notify
from community_insights.portal.governance.documents import to_pdf
from community_insights.portal.ideas.calendar import meeting_calendar
from community_insights.portal.ideas.services.common import absolute_url
from community_insights.portal.projects.models import Project

HOSTS_ONLY = "Only the facilitator, the delivery lead and programme staff run the insights to actions step."


def _host(actor: Any, project: Project) -> None:
    if not can_host_actions(actor, project):
        raise NotPermitted(HOSTS_ONLY)


@transaction.atomic
def meeting_plan(
    *,
    actor: Any,
    project: Project,
    starts_at: dt.datetime,
    ends_at: dt.datetime,
    place: str = "",
    link: str = "",
    agenda: str = "",
) -> ActionsMeeting:
    """Plan the meeting for the organisations that want to act on the insights."""
    _host(actor, project)
    if ends_at <= starts_at:
        raise ApplicationError("The end time must be after the start time.", field="ends_at")
    if not place.strip() and not link.strip():
        raise ApplicationError("Enter a place or a link to join.", field="place")
    meeting = ActionsMeeting(
        project=project,
        starts_at=starts_at,
        ends_at=ends_at,
        place=place.strip(),
        link=link.strip(),
        agenda=agenda.strip(),
        created_by=actor,
    )
    meeting.full_clean()
    meeting.save()
    audit.record(actor=actor, action="actions.meeting_plan", target=meeting, project_id=project.pk)
    return meeting


def attendee_calendar(attendee: MeetingAttendee, *, url: str) -> str:
    """The attendee's own invitation (.ics): the one meeting, with them as the attendee."""
    meeting = attendee.meeting
    host = meeting.created_by
    return meeting_calendar(
        uid=f"actions-meeting-{meeting.pk}",
        starts_at=meeting.starts_at,
        ends_at=meeting.ends_at,
        summary=f"Insights to actions: {meeting.project.title}",
        location=meeting.location,
        description=meeting.agenda or "A meeting to plan what to do with the insights of this project.",
        url=url,
        organiser=(host.email, host.get_full_name()) if host is not None else None,
        attendee=(attendee.email, attendee.name),
    )


@transaction.atomic
def attendee_invite(
    *,
    actor: Any,
    meeting: ActionsMeeting,
    name: str,
    email: str,
    organisation: str,
    intended_use: str = "",
    base_url: str | None = None,
) -> MeetingAttendee:
    """Invite one person for their organisation; they are emailed their calendar invitation on commit."""
    _host(actor, meeting.project)
    email = email.strip().lower()
    if MeetingAttendee.objects.filter(meeting=meeting, email=email).exists():
        raise ApplicationError("This person is already invited to the meeting.", field="email")
    attendee = MeetingAttendee(
        meeting=meeting,
        name=name.strip(),
        email=email,
        organisation=organisation.strip(),
        intended_use=intended_use.strip(),
    )
    attendee.full_clean()
    attendee.save()
    audit.record(
        actor=actor,
        action="actions.attendee_invite",
        target=meeting,
        project_id=meeting.project_id,
        changes={"attendee": attendee.pk},
    )
    url = absolute_url(reverse("actions:project", args=[meeting.project.slug]), base_url)
    notify(
        Message(
            to=[email],
            subject=f"Invitation: insights to actions for {meeting.project.title}",
            template="actions/emails/invite",
            context={"name": attendee.name, "meeting": meeting, "project": meeting.project},
            attachments=[Attachment("invite.ics", attendee_calendar(attendee, url=url), "text/calendar")],
        )
    )
    return attendee


@transaction.atomic
def packet_save(*, actor: Any, project: Project, insight: str, caveats: str) -> ActionsPacket:
    """Write the project's part of the packet: the insight in plain words and its caveats."""
    _host(actor, project)
    words, _ = ActionsPacket.objects.get_or_create(
        project=project, defaults={"insight": insight.strip(), "caveats": caveats.strip(), "updated_by": actor}
    )
    words.insight, words.caveats, words.updated_by = insight.strip(), caveats.strip(), actor
    words.full_clean()
    words.save()
    audit.record(actor=actor, action="actions.packet_save", target=words, project_id=project.pk)
    return words


@transaction.atomic
def packet_download(*, actor: Any, project: Project) -> bytes:
    """The packet as a PDF, recorded in the audit log like every download of a project's findings."""
    if not can_view_actions(actor, project):
        raise NotPermitted("Only the project team and programme staff download the packet.")
    document = packet(project)
    if document is None:
        raise ApplicationError("The packet has no insight written yet.")
    audit.record(actor=actor, action="actions.packet_download", target=project)
    return to_pdf(document)
