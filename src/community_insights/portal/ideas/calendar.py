"""Calendar invitations (.ics) for office hours, scoping sessions and other meetings, added in one click.

One event per booking, identified by the booking's UID: the cancellation uses
the same UID with a higher SEQUENCE and ``METHOD:CANCEL``, so calendar programs
remove the event they added. A scoping session is one event too (its UID comes
from the session), so every attendee's calendar holds the same meeting, from its
start to its end. When the session is cancelled, or someone is taken off it, the
people concerned get the same UID with ``METHOD:CANCEL`` and the session's
``calendar_sequence``, raised first, so their calendar removes the entry.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, datetime
from typing import Any

from django.conf import settings
from django.utils import timezone
from icalendar import Calendar, Event, vCalAddress, vText

from community_insights.portal.ideas.models import OfficeHourBooking, ScopingSession


def _address(email: str, name: str, role: str | None = None) -> vCalAddress:
    address = vCalAddress(f"mailto:{email}")
    address.params["cn"] = vText(name)
    if role:
        address.params["role"] = vText(role)
    return address


def _calendar(method: str) -> Calendar:
    service = settings.INSIGHTS_BRANDING["service_name"]
    cal = Calendar()
    cal.add("prodid", f"-//{settings.INSIGHTS_BRANDING['council_name']}//{service}//EN")
    cal.add("version", "2.0")
    cal.add("method", method)
    return cal


def session_calendar(session: ScopingSession, *, url: str, stamp: datetime | None = None) -> str:
    """A scoping session as an iCalendar invitation, with every attendee who has an email address."""
    cal = _calendar("REQUEST")
    event = _session_event(session, url=url, stamp=stamp, status="CONFIRMED")
    for attendee in session.attendees.select_related("user"):
        if attendee.user is not None and attendee.user.email:
            event.add("attendee", _address(attendee.user.email, attendee.name, "REQ-PARTICIPANT"))
    cal.add_component(event)
    return cal.to_ical().decode("utf-8")


def session_cancellation(
    session: ScopingSession, people: Iterable[Any], *, url: str, stamp: datetime | None = None
) -> str:
    """``METHOD:CANCEL`` for *people*: the whole session when it is cancelled, else their place in it."""
    cal = _calendar("CANCEL")
    whole = session.cancelled_at is not None
    event = _session_event(session, url=url, stamp=stamp, status="CANCELLED" if whole else "CONFIRMED")
    for person in people:
        event.add("attendee", _address(person.email, person.get_full_name(), "REQ-PARTICIPANT"))
    cal.add_component(event)
    return cal.to_ical().decode("utf-8")


def _session_event(session: ScopingSession, *, url: str, stamp: datetime | None, status: str) -> Event:
    """The session's one event: same UID in every invitation and cancellation, SEQUENCE from the session."""
    service = settings.INSIGHTS_BRANDING["service_name"]
    event = Event()
    event.add("uid", f"scoping-session-{session.pk}@community-insights")
    event.add("dtstamp", (stamp or timezone.now()).astimezone(UTC))
    event.add("dtstart", session.starts_at.astimezone(UTC))
    event.add("dtend", session.ends_at.astimezone(UTC))
    event.add("summary", f"{service} scoping session: {session.idea.title}")
    event.add("location", session.location)
    event.add("description", f'A scoping session for the idea "{session.idea.title}".\n\nAgenda: {url}')
    event.add("url", url)
    event.add("sequence", session.calendar_sequence)
    event.add("status", status)
    if session.created_by is not None:
        event["organizer"] = _address(session.created_by.email, session.created_by.get_full_name())
    return event


def booking_calendar(booking: OfficeHourBooking, *, cancelled: bool = False, stamp: datetime | None = None) -> str:
    """The booking as an iCalendar document (``METHOD:REQUEST``, or ``METHOD:CANCEL``)."""
    slot = booking.slot
    facilitator = slot.facilitator
    service = settings.INSIGHTS_BRANDING["service_name"]
    cal = _calendar("CANCEL" if cancelled else "REQUEST")
    event = Event()
    event.add("uid", f"{booking.uid}@community-insights")
    event.add("dtstamp", (stamp or timezone.now()).astimezone(UTC))
    event.add("dtstart", slot.starts_at.astimezone(UTC))
    event.add("dtend", slot.ends_at.astimezone(UTC))
    event.add("summary", f"{service} office hours: {booking.organisation_name}")
    event.add("location", slot.location)
    event.add(
        "description",
        f"An office hours conversation about {service} ({slot.get_mode_display().lower()}).\n\nIdea: {booking.idea}",
    )
    event.add("sequence", 1 if cancelled else 0)
    event.add("status", "CANCELLED" if cancelled else "CONFIRMED")
    event["organizer"] = _address(facilitator.email, facilitator.get_full_name())
    event.add("attendee", _address(booking.email, booking.name, "REQ-PARTICIPANT"))
    cal.add_component(event)
    return cal.to_ical().decode("utf-8")


def meeting_calendar(
    *,
    uid: str,
    starts_at: datetime,
    ends_at: datetime,
    summary: str,
    location: str,
    description: str,
    url: str,
    organiser: tuple[str, str] | None,
    attendee: tuple[str, str],
    stamp: datetime | None = None,
    sequence: int = 0,
) -> str:
    """Any other meeting of the programme (the Phase 4 plenary) as one person's invitation.

    The same event (``uid``) in every invitation, so each attendee's calendar
    holds the one meeting; ``organiser`` and ``attendee`` are (email, name).
    A changed meeting is sent again with a higher ``sequence``, so calendars
    replace the event instead of adding a second one.
    """
    cal = _calendar("REQUEST")
    event = Event()
    event.add("uid", f"{uid}@community-insights")
    event.add("dtstamp", (stamp or timezone.now()).astimezone(UTC))
    event.add("dtstart", starts_at.astimezone(UTC))
    event.add("dtend", ends_at.astimezone(UTC))
    event.add("summary", summary)
    event.add("location", location)
    event.add("description", f"{description}\n\n{url}")
    event.add("url", url)
    event.add("sequence", sequence)
    event.add("status", "CONFIRMED")
    if organiser is not None:
        event["organizer"] = _address(*organiser)
    event.add("attendee", _address(attendee[0], attendee[1], "REQ-PARTICIPANT"))
    cal.add_component(event)
    return cal.to_ical().decode("utf-8")
