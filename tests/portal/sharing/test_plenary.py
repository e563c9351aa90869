"""The plenary: its invitations (.ics, one event for everyone) and the public registration of interest."""

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
from community_insights.portal.ideas import spam
from community_insights.portal.sharing import services
from community_insights.portal.sharing.models import InterestRegistration
from tests.portal.access import World
from tests.portal.ideas.test_spread_the_word import aged_token
from tests.portal.sharing.factories import make_insight, make_plenary

pytestmark = pytest.mark.django_db


def _plan(world: World, persona: str = "facilitator", **over: Any) -> Any:
    start = (timezone.now() + timedelta(days=10)).replace(microsecond=0)
    values = {
        "title": "What we learned about food", "starts_at": start, "ends_at": start + timedelta(hours=2),
        "place": "Civic Centre", "link": "", "agenda": "Welcome\nFindings\nNext steps", **over,
    }  # fmt: skip
    return services.plenary_create(actor=world.user(persona), project=world.project, **values)


def test_a_plenary_has_a_time_a_place_or_link_and_an_agenda(world: World) -> None:
    with pytest.raises(NotPermitted):
        _plan(world, persona="data_analyst")
    with pytest.raises(ApplicationError, match="place, a link") as refused:
        _plan(world, place="")
    assert refused.value.field == "place"
    start = timezone.now()
    with pytest.raises(ApplicationError, match="after the start"):
        _plan(world, starts_at=start, ends_at=start)
    assert _plan(world, place="", link="https://meet.example.org/plenary").location.startswith("https://")


def test_each_person_invited_gets_the_same_event_in_their_own_calendar_file(world: World, committed: Any) -> None:
    plenary = _plan(world)
    with committed():
        for name, email in (("Amir Khan", "amir@example.org"), ("Jo Bell", "jo@example.org")):
            services.plenary_invite(actor=world.user("delivery_lead"), plenary=plenary, name=name, email=email)
    with pytest.raises(ApplicationError, match="already been invited"):
        services.plenary_invite(actor=world.user("delivery_lead"), plenary=plenary, name="A", email="AMIR@example.org")
    assert [m.to for m in mail.outbox] == [["amir@example.org"], ["jo@example.org"]]
    events = []
    for message in mail.outbox:
        filename, content, mimetype = message.attachments[0]
        assert filename == "plenary.ics" and mimetype.startswith("text/calendar")
        event = next(c for c in Calendar.from_ical(content).walk() if c.name == "VEVENT")
        events.append(event)
        assert str(event["attendee"]) == f"mailto:{message.to[0]}"
        assert event["location"] == "Civic Centre" and "Findings" in event["description"]
        assert event.decoded("dtstart") == plenary.starts_at and event.decoded("dtend") == plenary.ends_at
    assert len({str(e["uid"]) for e in events}) == 1
    assert AuditEntry.objects.filter(action="sharing.plenary_invite").count() == 2


def _register(world: World, sender: str | None = "a" * 64) -> InterestRegistration:
    return services.interest_register(
        project=world.project, name="Sam Lee", email="sam@foodhub.example.org", organisation="Food Hub",
        intended_use="To plan evening opening hours.", sender=sender,
    )  # fmt: skip


def test_registration_feeds_the_team_and_is_throttled_like_take_part(world: World, committed: Any) -> None:
    with committed():
        registration = _register(world)
    assert registration.organisation == "Food Hub"
    team = {world.user("facilitator").email, world.user("delivery_lead").email}
    assert {m.to[0] for m in mail.outbox} == team
    assert "Sam" not in str(AuditEntry.objects.get(action="sharing.interest_register").changes)
    for _ in range(spam.RATE_LIMIT_PER_HOUR - 1):
        _register(world)
    with pytest.raises(ApplicationError, match="several times in the last hour"):
        _register(world)
    assert InterestRegistration.objects.count() == spam.RATE_LIMIT_PER_HOUR


def test_the_public_form_opens_once_the_project_has_published(world: World, client: Client) -> None:
    url = reverse("sharing:interest_register", args=[world.project.slug])
    assert client.get(url).status_code == 404  # a private project is not revealed
    make_insight(world)
    plenary = make_plenary(world)
    assert client.get(reverse("sharing:plenary_public", args=[plenary.pk])).status_code == 200
    data = {
        "name": "Sam Lee", "email": "sam@foodhub.example.org", "organisation": "Food Hub",
        "intended_use": "To plan evening opening hours.", "website": "",
        "form_token": aged_token("interest_registration"),
    }  # fmt: skip
    response = client.post(url, data)
    assert response.status_code == 302 and response["Location"] == reverse("sharing:interest_thanks")
    assert InterestRegistration.objects.get().plenary == plenary
    fast = client.post(url, {**data, "form_token": spam.issue_token("interest_registration")}).content.decode()
    assert "govuk-error-summary" in fast and "too quickly" in fast


def test_the_programme_figures_show_ten_and_hide_nine(world: World) -> None:
    from community_insights.portal.sharing.selectors import programme_figures

    for _ in range(9):
        _register(world, sender=None)
    figures = {f.label: f.text for f in programme_figures()}
    assert figures["Registrations of interest"] == "[c]"
    assert figures["Organisations involved"] == "[c]"  # the world's four organisations
    _register(world, sender=None)
    assert {f.label: f.text for f in programme_figures()}["Registrations of interest"] == "10"


def test_projects_finished_counts_closed_projects_and_the_landing_page_draws_the_figures(world: World) -> None:
    from community_insights.portal.projects.models import Project
    from community_insights.portal.sharing.selectors import programme_figures

    for n in range(9):
        Project.objects.create(title=f"Closed {n}", slug=f"closed-{n}", question="?", phase=4, closed_at=timezone.now())
    Project.objects.create(title="Open", slug="open", question="?", phase=4)  # in Phase 4, not closed: not finished
    assert {f.label: f.text for f in programme_figures()}["Projects finished"] == "[c]"
    Project.objects.create(title="Closed 9", slug="closed-9", question="?", phase=4, closed_at=timezone.now())
    assert {f.label: f.text for f in programme_figures()}["Projects finished"] == "10"

    page = Client().get(reverse("programme:landing")).content.decode()
    section = page[page.index('id="programme_figures"') :]
    assert "<svg" in section and 'role="img"' in section and "<desc" in section  # the engine's Vega-Lite chart
    assert "Projects finished: 10" in section and "hidden to protect people" in section  # its words
    assert '<th scope="row" class="govuk-table__header">Projects finished</th>' in section  # the data table


def test_changing_the_plenary_sends_everyone_invited_a_calendar_file_that_replaces_the_event(
    world: World, committed: Any
) -> None:
    plenary = make_plenary(world)
    facilitator = world.user("facilitator")
    with committed():
        services.plenary_invite(actor=facilitator, plenary=plenary, name="Amir Khan", email="amir@example.org")
    mail.outbox.clear()
    later = plenary.starts_at + timedelta(days=7)
    args = {
        "title": plenary.title, "starts_at": later, "ends_at": later + timedelta(hours=2), "place": "Library",
        "link": "", "agenda": plenary.agenda,
    }  # fmt: skip
    with pytest.raises(NotPermitted):
        services.plenary_update(actor=world.user("data_analyst"), plenary=plenary, **args)
    with pytest.raises(ApplicationError, match="end time") as refused:
        services.plenary_update(actor=facilitator, plenary=plenary, **{**args, "ends_at": later})
    assert refused.value.field == "ends_at"
    with committed():
        services.plenary_update(actor=facilitator, plenary=plenary, **args)
    plenary.refresh_from_db()
    assert plenary.place == "Library" and plenary.starts_at == later and plenary.revision == 1
    entry = AuditEntry.objects.get(action="sharing.plenary_update")
    assert entry.changes == {"fields": ["ends_at", "place", "starts_at"], "revision": 1}
    (message,) = mail.outbox
    assert message.to == ["amir@example.org"] and message.subject.startswith("Changed:")
    event = next(c for c in Calendar.from_ical(message.attachments[0][1]).walk("VEVENT"))
    assert event["SEQUENCE"] == 1 and str(event["LOCATION"]) == "Library"
    with committed():
        services.plenary_update(actor=facilitator, plenary=plenary, **args)  # nothing changed: nobody emailed
    assert len(mail.outbox) == 1 and AuditEntry.objects.filter(action="sharing.plenary_update").count() == 1


def test_the_plenary_is_changed_through_its_page(world: World) -> None:
    plenary = make_plenary(world)
    facilitator = Client()
    facilitator.force_login(world.user("facilitator"))
    page = facilitator.get(reverse("sharing:plenary_detail", args=[plenary.pk])).content.decode()
    assert reverse("sharing:plenary_edit", args=[plenary.pk]) in page
    form = facilitator.get(reverse("sharing:plenary_edit", args=[plenary.pk])).content.decode()
    assert 'value="Civic Centre, Room 2"' in form
    assert f'value="{timezone.localtime(plenary.starts_at):%H:%M}"' in form  # a time the form reads back
    day = timezone.localtime(plenary.starts_at).date()
    data = {
        "title": "Sharing what we found, again", "date_0": day.day, "date_1": day.month, "date_2": day.year,
        "start_time": "10:00", "end_time": "11:30", "place": "Civic Centre, Room 2", "link": "",
        "agenda": "Welcome\nWhat we found",
    }  # fmt: skip
    response = facilitator.post(reverse("sharing:plenary_edit", args=[plenary.pk]), data)
    assert response.status_code == 302
    plenary.refresh_from_db()
    assert plenary.title == "Sharing what we found, again" and timezone.localtime(plenary.starts_at).hour == 10
