"""Demo insights to actions on the digital exclusion project (Phase 4): a meeting, three organisations, a packet."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils import timezone

from community_insights.portal.actions import services
from community_insights.portal.actions.models import ActionsMeeting, ActionsPacket

INSIGHT = (
    "Residents over 75 in the three northern wards are the least likely to use online council services, "
    "and most of those who do get help from a library or a friend. Help that is close to home, repeated "
    "and face to face works best."
)
CAVEATS = (
    "The figures come from one year of library and council records and are rounded; small areas are merged. "
    "Use them to plan services across the borough, not to judge a single library or street."
)
ATTENDEES = [
    (
        "Priya Shah",
        "priya.shah@northmoorlibraries.example",
        "Northmoor Libraries",
        "Add drop-in digital help sessions in the three northern libraries.",
    ),
    (
        "Tom Reid",
        "tom.reid@agewellnorthmoor.example",
        "Age Well Northmoor",
        "Train volunteers to visit residents at home and help them get online.",
    ),
    (
        "Grace Lee",
        "grace.lee@northmoor-council.example",
        "Northmoor Borough Council",
        "Keep a telephone route for every service moving online.",
    ),
]


def load(context: Any) -> None:
    project = context.projects["digital_exclusion"]
    host = context.users["facilitator"]
    if not ActionsMeeting.objects.filter(project=project).exists():
        starts = timezone.localtime().replace(hour=14, minute=0, second=0, microsecond=0) + dt.timedelta(days=21)
        meeting = services.meeting_plan(
            actor=host,
            project=project,
            starts_at=starts,
            ends_at=starts + dt.timedelta(hours=2),
            place="Northmoor Central Library, Meeting Room 1",
            agenda="The insight and its caveats\nWhat each organisation plans to do\nFunding and partnerships",
        )
        for name, email, organisation, use in ATTENDEES:
            services.attendee_invite(
                actor=host, meeting=meeting, name=name, email=email, organisation=organisation, intended_use=use
            )
    if not ActionsPacket.objects.filter(project=project).exists():
        services.packet_save(actor=host, project=project, insight=INSIGHT, caveats=CAVEATS)
    _finish(context, project)


#: Phase 4's items no event proves, ticked by the facilitator with what showed them done.
FINISH_NOTES = {
    "model_evolved": (
        "The reflections survey and the retrospective board are done; the guide changes they asked for are proposed."
    ),
    "relationships_built": "Three organisations registered interest and came to the insights to actions meeting.",
}


def _finish(context: Any, project: Any) -> None:
    """Tick the rest of Phase 4's checklist and close the project: the demo's one finished project.

    This area's demo runs last, so the insights, reflections and packet that the
    checklist speaks of are all there before the project closes.
    """
    from community_insights.portal.projects import services as project_services
    from community_insights.portal.projects.selectors import unticked_items

    if project.closed_at is not None:
        return
    facilitator = context.users["facilitator"]
    for item in unticked_items(project=project, phase=project.phase):
        note = FINISH_NOTES.get(item.key, "Done, as the team agreed at its retrospective.")
        project_services.checklist_item_tick(actor=facilitator, project=project, item_key=item.key, note=note)
    project_services.project_close(actor=facilitator, project=project)
    context.log("Projects: the digital exclusion project is closed (Phase 4 done).")
