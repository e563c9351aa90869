"""Office hours: a visitor books without an account, both sides get an .ics, cancel and reminders work."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from icalendar import Calendar

from community_insights.portal.core.exceptions import ApplicationError, NotPermitted
from community_insights.portal.core.models import AuditEntry
from community_insights.portal.ideas import selectors, services, spam
from community_insights.portal.ideas.models import OfficeHourBooking, OfficeHourSlot
from tests.portal.ideas.factories import make_booking, make_slot


def _calendar(message) -> Calendar:  # type: ignore[no-untyped-def]
    files = [a for a in message.attachments if a[0].endswith(".ics")]
    assert len(files) == 1, "each email carries exactly one calendar file"
    _, content, mimetype = files[0]
    assert mimetype.startswith("text/calendar")
    return Calendar.from_ical(content)


def aged_token(form_name: str, seconds: int = 10) -> str:
    from unittest.mock import patch

    from django.core import signing

    with patch("time.time", return_value=timezone.now().timestamp() - seconds):
        return signing.TimestampSigner(salt=spam.TOKEN_SALT).sign(form_name)


def _booking_data(**over: str) -> dict[str, str]:
    data = {
        "name": "Ayesha Begum",
        "organisation_name": "Northmoor Food Partnership",
        "email": "Ayesha@Food.example.org",
        "idea": "Families who stop coming to the food bank",
        "website": "",
        "form_token": aged_token("booking"),
    }
    data.update(over)
    return data


@pytest.mark.django_db
def test_visitor_books_and_both_sides_get_an_invitation(world, client: Client, committed) -> None:
    slot = make_slot(world, mode="in_person")
    page = client.get(reverse("ideas:office_hours"))
    assert reverse("ideas:booking_create", args=[slot.pk]) in page.content.decode()

    with committed():
        response = client.post(reverse("ideas:booking_create", args=[slot.pk]), _booking_data())
    assert response.status_code == 302 and response["Location"] == reverse("ideas:booking_done")

    booking = OfficeHourBooking.objects.get()
    assert booking.email == "ayesha@food.example.org" and booking.status == "booked"
    assert len(mail.outbox) == 2
    to_booker, to_facilitator = sorted(mail.outbox, key=lambda m: m.to[0] != booking.email)
    assert to_booker.to == ["ayesha@food.example.org"]
    assert to_facilitator.to == [world.user("facilitator").email]
    assert "Northmoor Library, Room 2" in to_booker.body
    cancel_path = reverse("ideas:booking_cancel", args=[services.booking_cancel_token(booking)])
    assert cancel_path in to_booker.body
    assert reverse("ideas:booking_detail", args=[booking.pk]) in to_facilitator.body

    for message in (to_booker, to_facilitator):
        cal = _calendar(message)
        assert str(cal["method"]) == "REQUEST"
        (event,) = cal.walk("VEVENT")
        assert str(event["uid"]) == f"{booking.uid}@community-insights"
        assert event.decoded("dtstart") == slot.starts_at
        assert event.decoded("dtend") == slot.ends_at
        assert str(event["location"]) == "Northmoor Library, Room 2"
        assert "Northmoor Food Partnership" in str(event["summary"])
        assert str(event["organizer"]) == f"mailto:{world.user('facilitator').email}"
        assert str(event["attendee"]) == "mailto:ayesha@food.example.org"
        assert "food bank" in str(event["description"])

    # The slot is no longer offered, and a second booking of it is refused.
    assert (
        reverse("ideas:booking_create", args=[slot.pk])
        not in client.get(reverse("ideas:office_hours")).content.decode()
    )
    assert client.get(reverse("ideas:booking_create", args=[slot.pk])).status_code == 404
    with pytest.raises(ApplicationError, match="just booked"):
        services.booking_create(slot_id=slot.pk, name="B", organisation_name="O", email="b@example.org", idea="x")

    entry = AuditEntry.objects.get(action="ideas.booking_create")
    assert "Ayesha" not in str(entry.changes) and "ayesha" not in entry.actor_label


@pytest.mark.django_db
def test_cancellation_link_cancels_and_sends_a_cancel_invitation(world, client: Client, committed) -> None:
    booking = make_booking(world)
    mail.outbox.clear()
    url = reverse("ideas:booking_cancel", args=[services.booking_cancel_token(booking)])
    assert "Cancel this booking" in client.get(url).content.decode()
    with committed():
        response = client.post(url, {})
    assert response.status_code == 200 and "Booking cancelled" in response.content.decode()
    booking.refresh_from_db()
    assert booking.status == "cancelled" and not booking.cancelled_by_facilitator
    assert len(mail.outbox) == 2
    for message in mail.outbox:
        cal = _calendar(message)
        assert str(cal["method"]) == "CANCEL"
        (event,) = cal.walk("VEVENT")
        assert str(event["status"]) == "CANCELLED" and int(event["sequence"]) == 1
        assert str(event["uid"]) == f"{booking.uid}@community-insights"
    # Cancelling twice says so in the error summary; a forged token is a 404.
    again = client.post(url, {})
    assert "already been cancelled" in again.content.decode()
    assert client.get(reverse("ideas:booking_cancel", args=[f"{booking.uid}:forged"])).status_code == 404
    # The slot can be booked again.
    assert booking.slot in selectors.slot_list_open()


@pytest.mark.django_db
def test_facilitator_cancels_and_withdraws(world, committed) -> None:
    facilitator = world.user("facilitator")
    booking = make_booking(world)
    with pytest.raises(NotPermitted):
        services.booking_cancel(actor=world.user("vcs_member_lead"), booking=booking, by_facilitator=True)
    mail.outbox.clear()
    with committed():
        services.slot_withdraw(actor=facilitator, slot=booking.slot)
    booking.refresh_from_db()
    assert booking.status == "cancelled" and booking.cancelled_by_facilitator
    assert "by the facilitator" in next(m for m in mail.outbox if m.to == [booking.email]).body
    assert booking.slot.withdrawn_at is not None


@pytest.mark.django_db
def test_reminders_go_once_for_conversations_within_a_day(world, committed) -> None:
    soon = make_booking(world, slot=make_slot(world, days=0, hours=5))
    later = make_booking(world, slot=make_slot(world, days=4))
    cancelled = make_booking(world, slot=make_slot(world, days=0, hours=6))
    services.booking_cancel(actor=None, booking=cancelled, by_facilitator=False)
    mail.outbox.clear()

    with committed():
        assert services.booking_send_due_reminders() == 1
    assert sorted(m.to[0] for m in mail.outbox) == sorted([soon.email, world.user("facilitator").email])
    assert all(m.subject.startswith("Reminder") for m in mail.outbox)
    assert str(_calendar(mail.outbox[0])["method"]) == "REQUEST"
    assert services.booking_cancel_token(soon) in next(m for m in mail.outbox if m.to == [soon.email]).body
    assert services.booking_send_due_reminders() == 0  # once only
    later.refresh_from_db()
    assert later.reminder_sent_at is None
    assert services.booking_send_due_reminders(now=timezone.now() + timedelta(days=3, hours=12)) == 1


@pytest.mark.django_db
def test_reminder_command_reports_what_it_sent(world) -> None:
    from io import StringIO

    from django.core.management import call_command

    make_booking(world, slot=make_slot(world, days=0, hours=2))
    out = StringIO()
    call_command("send_office_hours_reminders", stdout=out)
    assert out.getvalue().strip() == "Sent 1 reminder."


@pytest.mark.django_db
def test_facilitator_writes_notes_and_lists_bookings(world) -> None:
    booking = make_booking(world)
    client = Client()
    client.force_login(world.user("facilitator"))
    listing = client.get(reverse("ideas:office_hours_manage")).content.decode()
    assert "Northmoor Food Partnership" in listing
    response = client.post(reverse("ideas:booking_detail", args=[booking.pk]), {"notes": "Wants to look at referrals."})
    assert response.status_code == 302
    booking.refresh_from_db()
    assert booking.notes == "Wants to look at referrals."
    assert AuditEntry.objects.filter(action="ideas.booking_notes", target_id=str(booking.pk)).exists()


@pytest.mark.django_db
def test_facilitator_publishes_a_slot_through_the_form(world) -> None:
    client = Client()
    client.force_login(world.user("facilitator"))
    day = timezone.localdate() + timedelta(days=10)
    data = {
        "date_0": str(day.day),
        "date_1": str(day.month),
        "date_2": str(day.year),
        "start_time": "2:30pm",
        "end_time": "15:00",
        "mode": "online",
        "location": "https://meet.example.org/x",
    }
    assert client.post(reverse("ideas:slot_create"), data).status_code == 302
    slot = OfficeHourSlot.objects.get()
    local = timezone.localtime(slot.starts_at)
    assert (local.date(), local.hour, local.minute) == (day, 14, 30)
    assert timezone.localtime(slot.ends_at).hour == 15
    # End before start: the error is on the end time, in the summary.
    bad = client.post(reverse("ideas:slot_create"), {**data, "end_time": "14:00"}).content.decode()
    assert "govuk-error-summary" in bad and "The end time must be after the start time." in bad
    assert 'href="#id_end_time"' in bad


@pytest.mark.django_db
def test_spam_protection_on_booking(world, client: Client, committed) -> None:
    slot = make_slot(world)
    url = reverse("ideas:booking_create", args=[slot.pk])
    # Honeypot filled: looks like success, nothing is booked or sent.
    with committed():
        response = client.post(url, _booking_data(website="http://spam.example"))
    assert response.status_code == 302 and not OfficeHourBooking.objects.exists() and not mail.outbox
    # Sent faster than a person could: the error summary says to wait.
    fast = client.post(url, _booking_data(form_token=spam.issue_token("booking"))).content.decode()
    assert "govuk-error-summary" in fast and "too quickly" in fast
    # Tampered token, or a token from another form.
    assert "could not be checked" in client.post(url, _booking_data(form_token="x:y:z")).content.decode()
    assert "could not be checked" in client.post(url, _booking_data(form_token=aged_token("interest"))).content.decode()
    assert not OfficeHourBooking.objects.exists()


@pytest.mark.django_db
def test_booking_rate_limit_per_address(world, client: Client) -> None:
    for _ in range(spam.RATE_LIMIT_PER_HOUR):
        slot = make_slot(world)
        assert client.post(reverse("ideas:booking_create", args=[slot.pk]), _booking_data()).status_code == 302
    slot = make_slot(world)
    limited = client.post(reverse("ideas:booking_create", args=[slot.pk]), _booking_data()).content.decode()
    assert "govuk-error-summary" in limited and "several bookings in the last hour" in limited
    # Another address is not limited.
    other = Client(REMOTE_ADDR="10.0.0.9")
    assert other.post(reverse("ideas:booking_create", args=[slot.pk]), _booking_data()).status_code == 302
    from community_insights.portal.ideas.models import SubmissionThrottle

    assert not SubmissionThrottle.objects.filter(client_hash__contains="127.0.0.1").exists()


@pytest.mark.django_db
def test_reminder_links_use_the_configured_base_url(world, committed, settings) -> None:
    settings.INSIGHTS_BASE_URL = "https://insights.example.gov.uk/"
    booking = make_booking(world, slot=make_slot(world, days=0, hours=3))
    mail.outbox.clear()
    with committed():
        assert services.booking_send_due_reminders() == 1
    body = next(m for m in mail.outbox if m.to == [booking.email]).body
    token = services.booking_cancel_token(booking)
    assert f"https://insights.example.gov.uk{reverse('ideas:booking_cancel', args=[token])}" in body
    assert "localhost" not in body


@pytest.mark.django_db
def test_reminder_links_fall_back_to_localhost_only_when_unset(world, committed, settings) -> None:
    settings.INSIGHTS_BASE_URL = ""
    booking = make_booking(world, slot=make_slot(world, days=0, hours=3))
    mail.outbox.clear()
    with committed():
        services.booking_send_due_reminders()
    body = next(m for m in mail.outbox if m.to == [booking.email]).body
    token = services.booking_cancel_token(booking)
    assert f"http://127.0.0.1:8000{reverse('ideas:booking_cancel', args=[token])}" in body


@pytest.mark.django_db
def test_a_reminder_is_sent_in_its_bookings_programme(world, committed) -> None:  # type: ignore[no-untyped-def]
    """The scheduler has no request: each booking's links and audit entry still name its own programme."""
    from urllib.parse import parse_qs, urlsplit

    from community_insights.portal.programme.current import using
    from community_insights.portal.programme.models import Programme

    riverdale = Programme.objects.create(name="Riverdale Community Insights", slug="riverdale")
    with using(riverdale):
        booking = make_booking(world, slot=make_slot(world, days=0, hours=3))
    mail.outbox.clear()
    with committed():
        assert services.booking_send_due_reminders() == 1
    links = [link for m in mail.outbox for link in m.body.split() if link.startswith("http://")]
    assert links and {parse_qs(urlsplit(link).query)["programme"][0] for link in links} == {"riverdale"}
    assert AuditEntry.objects.get(action="ideas.booking_remind", target_id=str(booking.pk)).programme_id == riverdale.pk


@pytest.mark.django_db
def test_the_facilitator_can_invite_the_person_who_booked_straight_from_the_booking(world, client_for) -> None:  # type: ignore[no-untyped-def]
    booking = make_booking(world)
    page = client_for("facilitator").get(reverse("ideas:booking_detail", args=[booking.pk])).content.decode()
    invite = reverse("people:invitation_create")
    assert f'href="{invite}?full_name=Ayesha%20Begum&amp;email=ayesha%40food.example.org' in page
    assert "organisation_name=Northmoor%20Food%20Partnership" in page and "Invite Ayesha Begum to" in page
