"""Insights to actions: the meeting and its invitations (.ics), and the packet as a page and a PDF."""

from __future__ import annotations

import datetime as dt
import io
from typing import Any

import pytest
from django.core import mail
from django.utils import timezone
from icalendar import Calendar
from pypdf import PdfReader

from community_insights.portal.actions import interest, selectors, services
from community_insights.portal.actions.models import ActionsMeeting
from community_insights.portal.core.exceptions import ApplicationError, NotPermitted
from community_insights.portal.core.models import AuditEntry
from tests.portal.access import World

pytestmark = pytest.mark.django_db

INSIGHT = "Families in two wards skip meals before payday, and few of them use a food bank."
CAVEATS = "Figures are rounded to the nearest five; do not use them to judge a single school."


def _meeting(world: World, persona: str = "facilitator") -> ActionsMeeting:
    starts = timezone.now().replace(microsecond=0) + dt.timedelta(days=14)
    return services.meeting_plan(
        actor=world.user(persona),
        project=world.project,
        starts_at=starts,
        ends_at=starts + dt.timedelta(hours=2),
        place="Civic Centre, Room 2",
        agenda="The insight; what each organisation will do next.",
    )


def _invite(world: World, meeting: ActionsMeeting, name: str, org: str, use: str) -> Any:
    email = f"{name.split()[0].lower()}@example.org"
    return services.attendee_invite(
        actor=world.user("facilitator"), meeting=meeting, name=name, email=email, organisation=org, intended_use=use
    )


def _pdf_text(content: bytes) -> str:
    return " ".join(" ".join((p.extract_text() or "").split()) for p in PdfReader(io.BytesIO(content)).pages)


def test_the_host_plans_a_meeting_and_each_attendee_gets_their_own_calendar_invitation(
    world: World, django_capture_on_commit_callbacks: Any
) -> None:
    meeting = _meeting(world)
    with django_capture_on_commit_callbacks(execute=True):
        attendee = _invite(world, meeting, "Asha Patel", "Northmoor Food Bank", "Open on Thursday evenings.")
    assert len(mail.outbox) == 1 and mail.outbox[0].to == ["asha@example.org"]
    filename, content, mimetype = mail.outbox[0].attachments[0]
    assert (filename, mimetype) == ("invite.ics", "text/calendar")
    event = next(c for c in Calendar.from_ical(content).walk("VEVENT"))
    assert str(event["location"]) == "Civic Centre, Room 2"
    assert str(event["attendee"]) == "mailto:asha@example.org"
    assert event.decoded("dtstart") == meeting.starts_at
    assert str(event["uid"]) == f"actions-meeting-{meeting.pk}@community-insights"
    assert services.attendee_calendar(attendee, url="http://x/").count("BEGIN:VEVENT") == 1
    assert AuditEntry.objects.filter(action="actions.attendee_invite", project_id=world.project.pk).exists()
    with pytest.raises(ApplicationError, match="already invited"):
        _invite(world, meeting, "Asha Patel", "Northmoor Food Bank", "")


def test_only_hosts_plan_and_a_meeting_needs_a_place_and_an_end_after_its_start(world: World) -> None:
    with pytest.raises(NotPermitted):
        _meeting(world, "data_analyst")
    starts = timezone.now() + dt.timedelta(days=3)
    with pytest.raises(ApplicationError, match="after the start"):
        services.meeting_plan(
            actor=world.user("staff"), project=world.project, starts_at=starts, ends_at=starts, place="Hall"
        )
    with pytest.raises(ApplicationError, match="place or a link"):
        services.meeting_plan(
            actor=world.user("delivery_lead"),
            project=world.project,
            starts_at=starts,
            ends_at=starts + dt.timedelta(hours=1),
        )


def test_the_packet_page_and_pdf_carry_the_insight_caveats_prompts_funding_and_intended_uses(
    world: World, client_for: Any
) -> None:
    meeting = _meeting(world)
    _invite(world, meeting, "Asha Patel", "Northmoor Food Bank", "Open on Thursday evenings before payday.")
    _invite(world, meeting, "Ben Okafor", "Northmoor Borough Council", "")  # no intended use: not in the packet
    assert selectors.packet(world.project) is None
    services.packet_save(actor=world.user("facilitator"), project=world.project, insight=INSIGHT, caveats=CAVEATS)
    assert interest.intended_uses(world.project) == [
        interest.IntendedUse("Northmoor Food Bank", "Open on Thursday evenings before payday.")
    ]
    client = client_for("vcs_member_lead")
    page = client.get(f"/actions/projects/{world.project.slug}/packet/").content.decode()
    pdf = client.get(f"/actions/projects/{world.project.slug}/packet.pdf")
    assert pdf["Content-Type"] == "application/pdf"
    text = _pdf_text(pdf.content)
    for wanted in (
        INSIGHT,
        CAVEATS,
        "Turning the insight into action",
        "Funding and partnerships",
        "A joint bid from a VCS organisation and a council service",
        "Northmoor Food Bank",
        "Open on Thursday evenings before payday.",
    ):
        assert wanted in text
        assert wanted.replace("'", "&#x27;") in page
    assert "Ben Okafor" not in text and "asha@example.org" not in text
    entry = AuditEntry.objects.get(action="actions.packet_download")
    assert entry.actor == world.user("vcs_member_lead") and entry.project_id == world.project.pk


def test_the_packet_is_written_only_by_hosts_and_downloads_only_once_written(world: World, client_for: Any) -> None:
    with pytest.raises(NotPermitted):
        services.packet_save(actor=world.user("data_analyst"), project=world.project, insight="x", caveats="y")
    assert client_for("facilitator").get(f"/actions/projects/{world.project.slug}/packet.pdf").status_code == 404
    with pytest.raises(NotPermitted):
        services.packet_download(actor=world.user("outsider"), project=world.project)


def test_the_meeting_form_turns_a_day_and_times_into_the_meeting(world: World, client_for: Any) -> None:
    client = client_for("delivery_lead")
    url = f"/actions/projects/{world.project.slug}/meetings/plan/"
    data = {"date_0": "3", "date_1": "3", "date_2": "2027", "start_time": "2pm", "end_time": "1pm", "place": "Hall"}
    refused = client.post(url, data)
    assert "The end time must be after the start time." in refused.content.decode()
    assert client.post(url, {**data, "end_time": "16:00"}).status_code == 302
    meeting = ActionsMeeting.objects.get()
    assert timezone.localtime(meeting.starts_at).hour == 14 and timezone.localtime(meeting.ends_at).hour == 16


def test_a_registration_of_interest_from_the_plenary_reaches_the_packet(world: World) -> None:
    """Organisations that registered interest on the public form need not be invited to be heard."""
    from community_insights.portal.sharing.models import InterestRegistration

    InterestRegistration.objects.create(
        project=world.project,
        name="Carla Reyes",
        email="carla@example.org",
        organisation="Northmoor Credit Union",
        intended_use="Offer budgeting sessions in the two wards.",
    )
    meeting = _meeting(world)
    _invite(world, meeting, "Asha Patel", "Northmoor Food Bank", "Open on Thursday evenings before payday.")
    assert interest.intended_uses(world.project) == [
        interest.IntendedUse("Northmoor Credit Union", "Offer budgeting sessions in the two wards."),
        interest.IntendedUse("Northmoor Food Bank", "Open on Thursday evenings before payday."),
    ]
