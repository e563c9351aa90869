"""Testing workshops (Phase 3, Part 2, Steps 1 and 2): invitations, feedback of two kinds, the safety re-check."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from icalendar import Calendar

from community_insights.portal.core.exceptions import ApplicationError, NotPermitted
from community_insights.portal.core.models import AuditEntry
from community_insights.portal.outputs.models import OutputVersion
from community_insights.portal.solutions import services
from community_insights.portal.solutions.models import WorkshopFeedback
from tests.portal.access import World
from tests.portal.forms import assert_error_summary, post_as
from tests.portal.outputs.url_access import _version
from tests.portal.solutions.factories import in_phase_three

pytestmark = pytest.mark.django_db


def make_workshop(world: World, version: Any = None, **kw: Any) -> Any:
    in_phase_three(world)
    version = version or _version(world)
    starts = timezone.now().replace(microsecond=0) + timedelta(days=7)
    fields = {
        "title": "Testing the ward map", "starts_at": starts, "ends_at": starts + timedelta(hours=1),
        "location": "Northmoor library", "versions": [version],
        "attendees": [world.user("vcs_member_lead"), world.user("data_analyst")], "guests": "head@school.example.org",
    } | kw  # fmt: skip
    return services.workshop_schedule(actor=world.user("facilitator"), project=world.project, **fields)


def test_each_attendee_gets_an_invitation_a_calendar_can_read(
    world: World, django_capture_on_commit_callbacks: Any
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        workshop = make_workshop(world)
    invites = [m for m in mail.outbox if m.subject == "Testing workshop: Testing the ward map"]
    assert sorted(m.to[0] for m in invites) == [
        "data.analyst@example.org", "head@school.example.org", "vcs.member.lead@example.org"
    ]  # fmt: skip
    uids = set()
    for invite in invites:
        filename, content, mimetype = invite.attachments[0]
        assert filename == "testing-workshop.ics" and mimetype.startswith("text/calendar")
        event = next(iter(Calendar.from_ical(content).walk("VEVENT")))
        assert str(event["summary"]) == "Testing workshop: Testing the ward map"
        assert event.decoded("dtstart") == workshop.starts_at and str(event["location"]) == "Northmoor library"
        assert str(event["attendee"]) == f"mailto:{invite.to[0]}"  # each person's own invitation
        assert str(event["organizer"]) == "mailto:facilitator@example.org"
        uids.add(str(event["uid"]))
    assert len(uids) == 1, "one meeting in every calendar"
    assert AuditEntry.objects.filter(action="solutions.workshop_schedule", project_id=world.project.pk).exists()


def test_scheduling_refuses_what_does_not_make_sense(world: World) -> None:
    with pytest.raises(ApplicationError, match="end after it starts"):
        make_workshop(world, ends_at=timezone.now() + timedelta(days=6))
    with pytest.raises(ApplicationError, match="on its own line"):
        make_workshop(world, guests="not an email")
    with pytest.raises(ApplicationError, match="on the project's team"):
        make_workshop(world, attendees=[world.user("outsider")])
    with pytest.raises(NotPermitted):
        services.workshop_schedule(
            actor=world.user("data_analyst"), project=world.project, title="t", starts_at=timezone.now(),
            ends_at=timezone.now(), location="x",
        )  # fmt: skip


def test_feedback_of_both_kinds_is_redacted_and_closed_by_a_version_or_a_reason(world: World) -> None:
    workshop = make_workshop(world)
    version = workshop.versions.get()
    lead = world.user("vcs_member_lead")
    item = services.feedback_record(
        actor=lead, workshop=workshop, version=version, kind="accessibility",
        text="Jane Smith (07911 123456) could not open it; she has diabetes and uses a screen reader.",
    )  # fmt: skip
    assert "07911" not in item.text and "Jane Smith" not in item.text
    stored = WorkshopFeedback.objects.filter(pk=item.pk).values_list("text", flat=True).get()
    assert "123456" not in stored
    assert "123456" not in str(AuditEntry.objects.filter(action="solutions.feedback_record").values("changes").get())
    services.feedback_record(actor=lead, workshop=workshop, version=version, kind="substantive", text="Add averages.")

    analyst = world.user("data_analyst")
    with pytest.raises(ApplicationError, match="not both"):
        services.feedback_close(actor=analyst, item=item)
    older = OutputVersion.objects.create(
        output=version.output, number=0, title=version.title, build_settings={}, status="superseded"
    )
    with pytest.raises(ApplicationError, match="newer version"):
        services.feedback_close(actor=analyst, item=item, new_version=older)
    newer = OutputVersion.objects.create(
        output=version.output, number=2, title=version.title, build_settings={}, status="awaiting_sign_off"
    )
    closed = services.feedback_close(actor=analyst, item=item, new_version=newer)
    assert closed.is_closed and closed.closed_by_version == newer
    with pytest.raises(ApplicationError, match="already closed"):
        services.feedback_close(actor=analyst, item=item, reason="x")
    with pytest.raises(NotPermitted):
        services.feedback_record(actor=world.user("outsider"), workshop=workshop, version=version, kind="x", text="y")


def test_used_differently_tells_information_rights_who_must_acknowledge(
    world: World, django_capture_on_commit_callbacks: Any
) -> None:
    workshop = make_workshop(world)
    version = workshop.versions.get()
    with django_capture_on_commit_callbacks(execute=True):
        item = services.feedback_record(
            actor=world.user("facilitator"), workshop=workshop, version=version, kind="substantive",
            text="The food bank would use the map to decide who gets a delivery.", used_differently=True,
        )  # fmt: skip
    told = [m for m in mail.outbox if "used differently" in m.subject]
    assert [m.to for m in told] == [["information.rights@example.org"]]
    with pytest.raises(ApplicationError, match="must acknowledge"):
        services.feedback_close(actor=world.user("data_analyst"), item=item, reason="Fine.")
    with pytest.raises(NotPermitted):
        services.feedback_acknowledge(actor=world.user("data_analyst"), item=item, acknowledgement="ok")
    officer = world.user("information_rights")
    with pytest.raises(ApplicationError, match="Say what you will do"):
        services.feedback_acknowledge(actor=officer, item=item, acknowledgement=" ")
    services.feedback_acknowledge(actor=officer, item=item, acknowledgement="Only for planning; no decisions.")
    services.feedback_close(actor=world.user("data_analyst"), item=item, reason="Caveat added to the page.")
    actions = set(AuditEntry.objects.filter(project_id=world.project.pk).values_list("action", flat=True))
    assert {"solutions.feedback_record", "solutions.feedback_acknowledge", "solutions.feedback_close"} <= actions


def test_the_workshop_page_shows_the_versions_and_the_feedback(world: World) -> None:
    workshop = make_workshop(world)
    services.feedback_record(
        actor=world.user("facilitator"), workshop=workshop, version=workshop.versions.get(), kind="substantive",
        text="Add the county average.",
    )  # fmt: skip
    client = Client()
    client.force_login(world.user("vcs_member_lead"))
    page = client.get(reverse("solutions:workshop_detail", args=[world.project.slug, workshop.pk])).content.decode()
    assert "Visits by ward, version 1" in page and "Add the county average." in page and "Substantive" in page


def _schedule_url(w: World) -> str:
    return reverse("solutions:workshop_add", args=[in_phase_three(w).slug])


FORMS = [
    ("workshop-end", "facilitator", _schedule_url,
     {"title": "t", "date": "2099-01-01", "start_time": "14:00", "end_time": "13:00", "location": "x",
      "attendees": []}, "The workshop must end after it starts", "id_end_time"),
    ("workshop-date", "facilitator", _schedule_url,
     {"title": "t", "date": "31 02 2099", "start_time": "14:00", "end_time": "15:00", "location": "x"},
     "Enter a real date", "id_date"),
    ("feedback-kind", "vcs_member_lead",
     lambda w: reverse("solutions:feedback_add", args=[w.project.slug, make_workshop(w).pk]),
     {"text": "x"}, "Choose substantive or accessibility", "id_kind"),
]  # fmt: skip


@pytest.mark.parametrize("name,persona,url,data,message,field", FORMS, ids=[f[0] for f in FORMS])
def test_bad_input_shows_an_error_summary(world, name, persona, url, data, message, field) -> None:  # type: ignore[no-untyped-def]
    assert_error_summary(post_as(world, persona, url(world), data), message, field)


def _item_url(name: str, used_differently: bool = False) -> Any:
    def url(w: World) -> str:
        workshop = make_workshop(w)
        item = services.feedback_record(
            actor=w.user("facilitator"), workshop=workshop, version=workshop.versions.get(), kind="substantive",
            text="Add averages.", used_differently=used_differently,
        )  # fmt: skip
        return reverse(f"solutions:{name}", args=[w.project.slug, item.pk])

    return url


def _loop_back_url(w: World) -> str:
    return reverse("projects:phase_loop_back", args=[in_phase_three(w).slug])


MORE_FORMS = [
    ("close-neither", "data_analyst", _item_url("feedback_close"), {"reason": ""},
     "Choose the new version that answers it, or give a reason, not both", "id_reason"),
    ("acknowledge", "information_rights", _item_url("feedback_acknowledge", True), {"acknowledgement": ""},
     "Say what you will do about it, or why it is fine", "id_acknowledgement"),
    ("loop-back", "delivery_lead", _loop_back_url, {"reason": ""},
     "Say why the project is going back to the previous phase", "id_reason"),
]  # fmt: skip


@pytest.mark.parametrize("name,persona,url,data,message,field", MORE_FORMS, ids=[f[0] for f in MORE_FORMS])
def test_more_bad_input_shows_an_error_summary(world, name, persona, url, data, message, field) -> None:  # type: ignore[no-untyped-def]
    assert_error_summary(post_as(world, persona, url(world), data), message, field)
