"""Who may open each URL of the insights to actions area (format: tests/portal/access.py)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils import timezone

from community_insights.portal.actions.models import ActionsMeeting, ActionsPacket, MeetingAttendee
from tests.portal.access import LOGIN, MEMBERS, Case, expect

HOSTS = ("facilitator", "delivery_lead", "staff")


def _slug(w: Any) -> dict[str, Any]:
    return {"slug": w.project.slug}


def _meeting(w: Any) -> ActionsMeeting:
    starts = timezone.now() + dt.timedelta(days=7)
    return ActionsMeeting.objects.create(
        project=w.project, starts_at=starts, ends_at=starts + dt.timedelta(hours=1), place="Civic Centre"
    )


def _meeting_pk(w: Any) -> dict[str, Any]:
    return {"pk": _meeting(w).pk}


def _attendee(w: Any) -> dict[str, Any]:
    attendee = MeetingAttendee.objects.create(
        meeting=_meeting(w), name="Asha Patel", email="asha@example.org", organisation="Northmoor Food Bank"
    )
    return {"pk": attendee.pk}


def _written(w: Any) -> dict[str, Any]:
    ActionsPacket.objects.create(project=w.project, insight="An insight.", caveats="Its caveats.")
    return {"slug": w.project.slug}


def _hosts(ok: int) -> dict[str, Any]:
    return expect(LOGIN, default=403, outsider=404, **dict.fromkeys(HOSTS, ok))


CASES = [
    Case("actions:project", kwargs=_slug, expect=MEMBERS),
    Case("actions:meeting_plan", kwargs=_slug, expect=_hosts(200)),
    Case(
        "actions:meeting_plan",
        kwargs=_slug,
        method="post",
        data=lambda w: {
            "date_0": "3",
            "date_1": "3",
            "date_2": "2027",
            "start_time": "2pm",
            "end_time": "4pm",
            "place": "Hall",
        },
        expect=_hosts(302),
    ),
    Case("actions:attendee_invite", kwargs=_meeting_pk, expect=_hosts(200)),
    Case(
        "actions:attendee_invite",
        kwargs=_meeting_pk,
        method="post",
        data=lambda w: {"name": "Ben Okafor", "email": "ben@example.org", "organisation": "Council"},
        expect=_hosts(302),
    ),
    Case("actions:attendee_calendar", kwargs=_attendee, expect=MEMBERS),
    Case("actions:packet_edit", kwargs=_slug, expect=_hosts(200)),
    Case(
        "actions:packet_edit",
        kwargs=_slug,
        method="post",
        data=lambda w: {"insight": "An insight.", "caveats": "Its caveats."},
        expect=_hosts(302),
    ),
    Case("actions:packet", kwargs=_written, expect=MEMBERS),
    Case("actions:packet", kwargs=_slug, expect=expect(LOGIN, default=404), note="not written"),
    Case("actions:packet_pdf", kwargs=_written, expect=MEMBERS),
]
