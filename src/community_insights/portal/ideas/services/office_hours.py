"""Phase 1, Step 3 of the guide, "Office hours": times the facilitator offers and bookings without an account.

Each service checks permission, validates, saves, records one audit entry in the same transaction
and queues its emails (with a calendar file) on commit. Audit entries never carry names or emails.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from django.core import signing
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from community_insights.portal.core import audit
from community_insights.portal.core.exceptions import ApplicationError
from community_insights.portal.core.notifications import Attachment, Message, notify
from community_insights.portal.ideas import permissions, spam
from community_insights.portal.ideas.calendar import booking_calendar
from community_insights.portal.ideas.models import OfficeHourBooking, OfficeHourSlot
from community_insights.portal.ideas.services.common import absolute_url, require, submission_admit
from community_insights.portal.programme.current import current_programme_id, using
from community_insights.portal.programme.models import Programme

CANCEL_SALT = "community-insights.office-hours.cancel"
REMINDER_WINDOW = timedelta(hours=24)


@transaction.atomic
def slot_create(
    *, actor: Any, starts_at: datetime, ends_at: datetime, mode: str, location: str, facilitator: Any = None
) -> OfficeHourSlot:
    """Publish a time for office hours; the acting facilitator hosts unless another is named."""
    require(permissions.can_manage_office_hours(actor))
    if ends_at <= starts_at:
        raise ApplicationError("The end time must be after the start time.", field="ends_at")
    if starts_at <= timezone.now():
        raise ApplicationError("The start time must be in the future.", field="starts_at")
    slot = OfficeHourSlot(
        starts_at=starts_at, ends_at=ends_at, mode=mode, location=location.strip(), facilitator=facilitator or actor
    )
    slot.full_clean()
    slot.save()
    audit.record(actor=actor, action="ideas.slot_create", target=slot, changes={"mode": mode})
    return slot


@transaction.atomic
def slot_withdraw(*, actor: Any, slot: OfficeHourSlot, base_url: str | None = None) -> OfficeHourSlot:
    """Take a slot down; a booking on it is cancelled and both sides are told."""
    require(permissions.can_manage_office_hours(actor))
    if slot.withdrawn_at is not None:
        raise ApplicationError("This time has already been withdrawn.")
    for booking in slot.bookings.filter(status=OfficeHourBooking.Status.BOOKED):
        booking_cancel(actor=actor, booking=booking, by_facilitator=True, base_url=base_url)
    slot.withdrawn_at = timezone.now()
    slot.is_published = False
    slot.save(update_fields=["withdrawn_at", "is_published", "updated_at"])
    audit.record(actor=actor, action="ideas.slot_withdraw", target=slot)
    return slot


def booking_cancel_token(booking: OfficeHourBooking) -> str:
    """The secret in a booking's cancellation link (signed, so reminders can repeat it)."""
    return signing.Signer(salt=CANCEL_SALT).sign(str(booking.uid))


def booking_uid_from_token(token: str) -> str | None:
    try:
        return signing.Signer(salt=CANCEL_SALT).unsign(token)
    except signing.BadSignature:
        return None


def _booking_links(booking: OfficeHourBooking, base_url: str | None) -> dict[str, str]:
    return {
        "cancel_url": absolute_url(reverse("ideas:booking_cancel", args=[booking_cancel_token(booking)]), base_url),
        "manage_url": absolute_url(reverse("ideas:booking_detail", args=[booking.pk]), base_url),
        "idea_url": absolute_url(reverse("ideas:idea_create"), base_url),
        "office_hours_url": absolute_url(reverse("ideas:office_hours"), base_url),
    }


def _booking_emails(booking: OfficeHourBooking, *, kind: str, base_url: str | None) -> None:
    """Email the booker and the facilitator, each with the calendar file."""
    slot = booking.slot
    cancelled = kind == "cancelled"
    ics = booking_calendar(booking, cancelled=cancelled)
    method = "CANCEL" if cancelled else "REQUEST"
    attachment = Attachment("office-hours.ics", ics, f"text/calendar; method={method}")
    context = {"booking": booking, "slot": slot, **_booking_links(booking, base_url)}
    when = timezone.localtime(slot.starts_at).strftime("%-d %B %Y at %-I:%M%p").replace("AM", "am").replace("PM", "pm")
    subjects = {
        "booked": (f"Your office hours conversation on {when}", f"Office hours booked: {when}"),
        "cancelled": (f"Cancelled: office hours conversation on {when}", f"Office hours cancelled: {when}"),
        "reminder": (f"Reminder: office hours conversation on {when}", f"Reminder: office hours on {when}"),
    }
    booker_subject, facilitator_subject = subjects[kind]
    notify(
        Message(
            to=[booking.email],
            subject=booker_subject,
            template=f"ideas/emails/booking_{kind}_booker",
            context=context,
            attachments=[attachment],
        )
    )
    notify(
        Message(
            to=[slot.facilitator.email],
            subject=facilitator_subject,
            template=f"ideas/emails/booking_{kind}_facilitator",
            context=context,
            attachments=[attachment],
        )
    )


@dataclass(frozen=True)
class BookingResult:
    """A new booking and the secret of its cancellation link (shown once, on the confirmation)."""

    booking: OfficeHourBooking
    cancel_token: str


@transaction.atomic
def booking_create(
    *,
    slot_id: int,
    name: str,
    organisation_name: str,
    email: str,
    idea: str,
    base_url: str | None = None,
    sender: str | None = None,
) -> BookingResult:
    """Book a slot without an account; both sides get an email with an invitation.

    ``sender`` (the form's ``spam.client_hash``) counts against the hourly limit of the public form;
    a booking refused for any reason is not counted (the transaction is rolled back).
    """
    submission_admit(
        form_name=spam.BOOKING_FORM,
        sender=sender,
        refusal="You have made several bookings in the last hour. Try again later.",
    )
    slot = (
        OfficeHourSlot.objects.select_for_update()
        .select_related("facilitator")
        .filter(pk=slot_id, programme_id=current_programme_id())
        .first()
    )
    if slot is None or not slot.is_published or slot.withdrawn_at is not None:
        raise ApplicationError("This time is no longer offered. Choose another time.")
    if slot.starts_at <= timezone.now():
        raise ApplicationError("This time has passed. Choose another time.")
    if slot.bookings.filter(status=OfficeHourBooking.Status.BOOKED).exists():
        raise ApplicationError("Someone has just booked this time. Choose another time.")
    booking = OfficeHourBooking(
        slot=slot,
        name=name.strip(),
        organisation_name=organisation_name.strip(),
        email=email.strip().lower(),
        idea=idea.strip(),
    )
    booking.full_clean()
    booking.save()
    audit.record(actor="visitor (office hours booking)", action="ideas.booking_create", target=booking)
    _booking_emails(booking, kind="booked", base_url=base_url)
    return BookingResult(booking, booking_cancel_token(booking))


@transaction.atomic
def booking_cancel(
    *, actor: Any, booking: OfficeHourBooking, by_facilitator: bool, base_url: str | None = None
) -> OfficeHourBooking:
    """Cancel through the link in the email (anyone holding it) or by the facilitator."""
    if by_facilitator:
        require(permissions.can_manage_office_hours(actor))
    if booking.status == OfficeHourBooking.Status.CANCELLED:
        raise ApplicationError("This booking has already been cancelled.")
    booking.status = OfficeHourBooking.Status.CANCELLED
    booking.cancelled_at = timezone.now()
    booking.cancelled_by_facilitator = by_facilitator
    booking.save(update_fields=["status", "cancelled_at", "cancelled_by_facilitator", "updated_at"])
    audit.record(
        actor=actor if by_facilitator else "visitor (cancellation link)",
        action="ideas.booking_cancel",
        target=booking,
        changes={"by_facilitator": by_facilitator},
    )
    _booking_emails(booking, kind="cancelled", base_url=base_url)
    return booking


@transaction.atomic
def booking_update_notes(*, actor: Any, booking: OfficeHourBooking, notes: str) -> OfficeHourBooking:
    require(permissions.can_manage_office_hours(actor))
    booking.notes = notes.strip()
    booking.save(update_fields=["notes", "updated_at"])
    audit.record(actor=actor, action="ideas.booking_notes", target=booking)
    return booking


def booking_send_due_reminders(*, now: datetime | None = None, window: timedelta = REMINDER_WINDOW) -> int:
    """Email a reminder for each booked conversation starting within ``window``; once per booking.

    Run it every hour or so (``manage.py send_office_hours_reminders`` or the
    ``send_office_hours_reminders_task`` task). Each booking is handled in its own
    transaction, so one bad address does not hold back the others.
    """
    now = now or timezone.now()
    due = OfficeHourBooking.objects.filter(
        status=OfficeHourBooking.Status.BOOKED,
        reminder_sent_at__isnull=True,
        slot__starts_at__gt=now,
        slot__starts_at__lte=now + window,
    ).values_list("pk", flat=True)
    sent = 0
    for pk in list(due):
        programme = Programme.objects.get(office_hour_slots__bookings__pk=pk)
        # A scheduler has no request: work in the booking's programme, so its links and audit entry name it.
        with using(programme), transaction.atomic():
            booking = OfficeHourBooking.objects.select_for_update().select_related("slot__facilitator").get(pk=pk)
            if booking.reminder_sent_at is not None or booking.status != OfficeHourBooking.Status.BOOKED:
                continue
            booking.reminder_sent_at = now
            booking.save(update_fields=["reminder_sent_at", "updated_at"])
            audit.record(actor="scheduled reminders", action="ideas.booking_remind", target=booking)
            _booking_emails(booking, kind="reminder", base_url=None)
            sent += 1
    return sent
