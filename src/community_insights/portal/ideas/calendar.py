"""Calendar invitations (.ics) for office hours and scoping sessions, added to a calendar in one click.

One event per booking, identified by the booking's UID: the cancellation uses
the same UID with a higher SEQUENCE and ``METHOD:CANCEL``, so calendar programs
remove the event they added. A scoping session is one event too (its UID comes
from the session), so every attendee's calendar holds the same meeting; a
session has a start but no end, so the entry lasts :data:`SCOPING_SESSION_LENGTH`.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from django.conf import settings
from django.utils import timezone
from icalendar import Calendar, Event, vCalAddress, vText

from community_insights.portal.ideas.models import OfficeHourBooking, ScopingSession

SCOPING_SESSION_LENGTH = timedelta(minutes=90)


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
    service = settings.INSIGHTS_BRANDING["service_name"]
    cal = _calendar("REQUEST")
    event = Event()
    event.add("uid", f"scoping-session-{session.pk}@community-insights")
    event.add("dtstamp", (stamp or timezone.now()).astimezone(UTC))
    event.add("dtstart", session.starts_at.astimezone(UTC))
    event.add("dtend", (session.starts_at + SCOPING_SESSION_LENGTH).astimezone(UTC))
    event.add("summary", f"{service} scoping session: {session.idea.title}")
    event.add("location", session.location)
    event.add("description", f'A scoping session for the idea "{session.idea.title}".\n\nAgenda: {url}')
    event.add("url", url)
    event.add("sequence", 0)
    event.add("status", "CONFIRMED")
    if session.created_by is not None:
        event["organizer"] = _address(session.created_by.email, session.created_by.get_full_name())
    for attendee in session.attendees.select_related("user"):
        if attendee.user is not None and attendee.user.email:
            event.add("attendee", _address(attendee.user.email, attendee.name, "REQ-PARTICIPANT"))
    cal.add_component(event)
    return cal.to_ical().decode("utf-8")


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
