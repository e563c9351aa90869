"""Reads of the insights to actions area: the meetings, their attendees, and the packet as one shape.

The packet is built here once (:func:`packet`) and drawn by both the page and the PDF, so the two
always say the same thing.
"""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.http import Http404

from community_insights.portal.actions.interest import intended_uses
from community_insights.portal.actions.models import ActionsMeeting, ActionsPacket, MeetingAttendee
from community_insights.portal.actions.permissions import can_view_actions
from community_insights.portal.governance.documents import Block, Document
from community_insights.portal.guide import read
from community_insights.portal.projects.membership import project_get_for_user
from community_insights.portal.projects.models import Project


def project_get(*, user: Any, slug: str) -> Project:
    return project_get_for_user(user=user, slug=slug, rule=can_view_actions)


def meetings(*, project: Project) -> QuerySet[ActionsMeeting]:
    return ActionsMeeting.objects.filter(project=project).prefetch_related("attendees")


def meeting_get(*, user: Any, pk: int) -> ActionsMeeting:
    """The meeting, or 404 for anyone who may not see its project (its existence is not revealed)."""
    meeting = ActionsMeeting.objects.select_related("project").filter(pk=pk).first()
    if meeting is None or not can_view_actions(user, meeting.project):
        raise Http404("No such meeting.")
    return meeting


def attendee_get(*, user: Any, pk: int) -> MeetingAttendee:
    attendee = MeetingAttendee.objects.select_related("meeting__project", "meeting__created_by").filter(pk=pk).first()
    if attendee is None or not can_view_actions(user, attendee.meeting.project):
        raise Http404("No such attendee.")
    return attendee


def packet_words(project: Project) -> ActionsPacket | None:
    return ActionsPacket.objects.filter(project=project).first()


def packet(project: Project) -> Document | None:
    """The packet: the insight, its caveats, prompts, funding and partnerships, and intended uses.

    ``None`` until the team has written the insight and its caveats: a packet without them would
    invite people to act on numbers they cannot read correctly.
    """
    words = packet_words(project)
    if words is None:
        return None
    guide = read("insights_to_actions")
    uses = intended_uses(project)
    next_meeting = meetings(project=project).first()
    facts = [("Project", project.title), ("The question", project.question)]
    if next_meeting is not None:
        facts.append(("Meeting", f"{next_meeting.starts_at:%d %B %Y, %H:%M}, {next_meeting.location}"))
    blocks = [
        Block("The insight", [words.insight]),
        Block("Caveats: what the insight can and cannot be used for", [words.caveats]),
        Block("Turning the insight into action", list(guide["prompts"])),
        Block("Funding and partnerships", list(guide["funding_and_partnerships"])),
        Block(
            "What the interested organisations want to do",
            [] if uses else ["No organisation has said how it wants to use the insights yet."],
            table=[["Organisation", "Intended use"]] + [[u.organisation, u.intended_use] for u in uses] if uses else [],
        ),
    ]
    return Document(f"Insights to actions: {project.title}", facts, blocks)
