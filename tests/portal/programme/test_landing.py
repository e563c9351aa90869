"""The public landing page: its sections, what it shows of projects, and who may change its words."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from community_insights.portal.core.exceptions import NotPermitted
from community_insights.portal.core.models import AuditEntry
from community_insights.portal.programme import landing, services
from community_insights.portal.programme.selectors import principles
from tests.portal.access import World

pytestmark = pytest.mark.django_db


def test_landing_page_has_every_section_in_the_guides_order(client: Client) -> None:
    html = client.get("/").content.decode()
    positions = [
        html.index(f'id="{key}-heading"')
        for key in ("how_to_take_part", "office_hours", "selected_projects", "published_insights", "ways_of_working")
    ]
    assert positions == sorted(positions)
    for p in principles():
        assert p["title"] in html
    assert len(principles()) == 6


def test_only_public_selected_projects_are_shown(world: World, client: Client) -> None:
    assert world.project.title not in client.get("/").content.decode()
    world.project.is_public = world.project.is_selected = True
    world.project.save()
    html = client.get("/").content.decode()
    assert world.project.title in html and world.other_project.title not in html


def test_an_area_can_replace_a_section(client: Client) -> None:
    original = {s.key: s for s in landing.sections()}["office_hours"]
    try:
        landing.register(
            "office_hours",
            title="Office hours",
            template="programme/sections/what_it_is.html",
            order=30,
            context=lambda request: {},
        )
        assert "forging new relationships" in client.get("/").content.decode().split('id="office_hours-heading"')[1]
    finally:
        landing.register(
            original.key,
            title=original.title,
            template=original.template,
            order=original.order,
            context=original.context,
        )


def test_staff_change_the_landing_page_words(world: World, client_for) -> None:  # type: ignore[no-untyped-def]
    services.programme_update(actor=world.user("staff"), office_hours="Thursdays at the library, 10am to noon.")
    assert AuditEntry.objects.get(action="programme.programme_update").changes == {"fields": ["office_hours"]}
    assert "Thursdays at the library" in client_for("anonymous").get("/").content.decode()
    with pytest.raises(NotPermitted):
        services.programme_update(actor=world.user("facilitator"), name="Renamed")
    response = client_for("staff").post(
        reverse("programme:programme_edit"),
        {
            "name": "Community Insights Projects",
            "introduction": "Intro",
            "how_to_take_part": "Come along",
            "office_hours": "",
            "contact_email": "not-an-email",
        },
    )
    assert response.status_code == 200 and "govuk-error-summary" in response.content.decode()


def _section(html: str, key: str) -> str:
    """The markup of one landing section (up to the next section)."""
    return html.split(f'id="{key}-heading"', 1)[1].split("<section", 1)[0]


def test_office_hours_section_lists_the_next_open_times_with_booking_links(world: World, client: Client) -> None:
    from django.utils import timezone

    from tests.portal.ideas.factories import make_booking, make_slot

    empty = _section(client.get("/").content.decode(), "office_hours")
    assert "There are no times to book at the moment" in empty and reverse("ideas:interest") in empty

    in_person = make_slot(world, days=1, mode="in_person")
    online = make_slot(world, days=2)
    booked = make_slot(world, days=1, hours=3)
    make_booking(world, slot=booked)
    withdrawn = make_slot(world, days=2, hours=2)
    withdrawn.withdrawn_at = timezone.now()
    withdrawn.save()
    html = _section(client.get("/").content.decode(), "office_hours")
    for slot in (in_person, online):
        assert reverse("ideas:booking_create", args=[slot.pk]) in html
    for slot in (booked, withdrawn):
        assert reverse("ideas:booking_create", args=[slot.pk]) not in html
    assert html.index(reverse("ideas:booking_create", args=[in_person.pk])) < html.index(
        reverse("ideas:booking_create", args=[online.pk])
    )
    assert "Northmoor Library, Room 2" in html
    assert "meet.example.org" not in html, "an online slot's call link is for the person who booked it"
    assert "See all" not in html

    later = [make_slot(world, days=5 + n) for n in range(3)]
    html = _section(client.get("/").content.decode(), "office_hours")
    assert html.count("/book/") == 3, "the landing page shows the next three times only"
    assert reverse("ideas:booking_create", args=[later[-1].pk]) not in html
    assert "See all 5 times you can book" in html and reverse("ideas:office_hours") in html


def test_selected_projects_and_published_insights_say_what_there_is(world: World, client: Client) -> None:
    html = client.get("/").content.decode()
    assert "No project has been selected yet." in _section(html, "selected_projects")
    insights = _section(html, "published_insights")
    assert "No insights have been published yet." in insights
    for unfinished in ("coming soon", "will be announced", "later issue", "placeholder", "todo", "lorem"):
        assert unfinished not in html.lower()

    world.project.is_public = world.project.is_selected = True
    world.project.save()
    selected = _section(client.get("/").content.decode(), "selected_projects")
    # The selection area's own markup: a "Selected" tag and the call to take part.
    assert world.project.title in selected and "govuk-tag--green" in selected
    assert reverse("ideas:interest") in selected


def test_office_hours_text_comes_from_the_bookable_times_not_free_text(world: World, client: Client) -> None:
    from tests.portal.ideas.factories import make_slot

    services.programme_update(actor=world.user("staff"), office_hours="Thursdays at the library, 10am to noon.")
    slot = make_slot(world, days=3)
    make_slot(world, days=4)
    html = _section(client.get("/").content.decode(), "office_hours")
    assert "Thursdays at the library" not in html, "free text that can contradict the real times"
    local = timezone.localtime(slot.starts_at)
    assert f"There are 2 times you can book; the next is on {local:%A} {local.day} {local:%B} at " in html


def test_how_to_take_part_links_the_form_office_hours_and_news_with_its_feed(world: World, client: Client) -> None:
    html = client.get("/").content.decode()
    section = _section(html, "how_to_take_part")
    assert f'href="{reverse("ideas:interest")}"' in section and f'href="{reverse("ideas:office_hours")}"' in section
    feed = reverse("ideas:news_feed")
    head = html.split("</head>", 1)[0]
    assert '<link rel="alternate" type="application/atom+xml"' in head and f'href="{feed}"' in head
    assert f'href="{reverse("ideas:news_list")}"' in html


def test_each_selected_project_shows_its_organisations_and_links_to_its_own_page(world: World, client: Client) -> None:
    world.project.is_public = world.project.is_selected = True
    world.project.save()
    section = _section(client.get("/").content.decode(), "selected_projects")
    about = reverse("selection:project_about", args=[world.project.slug])
    assert f'href="{about}"' in section
    team = {r.user.organisation.name for r in world.project.roles.select_related("user__organisation")}
    assert team and all(name.replace("&", "&amp;") in section for name in team)
    page = client.get(about).content.decode()
    assert world.project.question in page and all(name in page for name in team)
    world.project.is_public = False
    world.project.save()
    assert client.get(about).status_code == 404, "a private project is never revealed"
