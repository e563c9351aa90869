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
