"""The public landing page: its sections, what it shows of projects, and who may change its words."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

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
