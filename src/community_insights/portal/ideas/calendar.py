"""Calendar invitations (.ics) for office hours, so both sides can add the conversation in one click.

One event per booking, identified by the booking's UID: the cancellation uses
the same UID with a higher SEQUENCE and ``METHOD:CANCEL``, so calendar programs
remove the event they added.
"""

from __future__ import annotations

from datetime import UTC, datetime

from django.conf import settings
from django.utils import timezone
from icalendar import Calendar, Event, vCalAddress, vText

from community_insights.portal.ideas.models import OfficeHourBooking


def _address(email: str, name: str, role: str | None = None) -> vCalAddress:
    address = vCalAddress(f"mailto:{email}")
    address.params["cn"] = vText(name)
    if role:
        address.params["role"] = vText(role)
    return address


def booking_calendar(booking: OfficeHourBooking, *, cancelled: bool = False, stamp: datetime | None = None) -> str:
    """The booking as an iCalendar document (``METHOD:REQUEST``, or ``METHOD:CANCEL``)."""
    slot = booking.slot
    facilitator = slot.facilitator
    service = settings.INSIGHTS_BRANDING["service_name"]
    cal = Calendar()
    cal.add("prodid", f"-//{settings.INSIGHTS_BRANDING['council_name']}//{service}//EN")
    cal.add("version", "2.0")
    cal.add("method", "CANCEL" if cancelled else "REQUEST")
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
