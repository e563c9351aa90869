"""The UK-wide hub in a real browser: a visitor browses every programme's insights and filters them (issue 22).

Every page is checked with axe-core, the console and screenshots at 1280 and 375 px by ``check_page``.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.utils import timezone
from playwright.sync_api import expect

from community_insights.portal.programme.models import Programme
from community_insights.portal.programme.services import programme_ensure
from community_insights.portal.projects.models import Project
from community_insights.portal.sharing.models import PublishedInsight
from tests.browser.conftest import check_page


def _publish(project: Project, title: str, **over: Any) -> PublishedInsight:
    fields = {
        "kind": PublishedInsight.Kind.OVERVIEW, "question": project.question,
        "findings": "Families who work shifts miss the opening hours.", "caveats": "An overview of the problem.",
        "method": "Interviews and a workshop.", "data_sources": "Conversations with families.",
        "published_at": timezone.now(), **over,
    }  # fmt: skip
    return PublishedInsight.objects.create(project=project, title=title, slug=title.lower().replace(" ", "-"), **fields)


def _two_programmes() -> None:
    northmoor = programme_ensure()
    riverdale = Programme.objects.create(slug="riverdale", name="Riverdale Community Insights")
    food = Project.objects.create(programme=northmoor, title="Food insecurity", slug="food", question="Who?")
    carers = Project.objects.create(programme=riverdale, title="Carers' breaks", slug="carers", question="When?")
    _publish(food, "Shift workers miss the food bank", topic="food", areas="Northgate and Abbey wards")
    _publish(
        food, "Damp in rented homes", topic="housing", areas="Eastfield ward",
        findings="Damp is worst in private rented homes.", published_at=timezone.now() - timedelta(days=400),
    )  # fmt: skip
    _publish(carers, "Carers need breaks at weekends", topic="health", areas="Riverdale town centre")
    _publish(
        carers, "Old carers figures", topic="health", areas="Riverdale town centre",
        status=PublishedInsight.Status.WITHDRAWN, withdrawal_notice="Replaced by newer figures.",
    )  # fmt: skip


def test_a_visitor_browses_the_hub_and_filters_insights(page: Any) -> None:
    _two_programmes()
    page.goto("/programmes/")
    check_page(page, "hub-programme-list")
    page.get_by_role("link", name="the UK-wide hub of insights").click()
    expect(page.get_by_role("heading", name="Community Insights across the UK")).to_be_visible()
    expect(page.locator('head link[rel="alternate"][type="application/atom+xml"]')).to_have_attribute(
        "href", "/hub/feed/"
    )
    results = page.locator(".govuk-grid-column-two-thirds article")
    expect(results).to_have_count(3)  # every programme's published insights; the withdrawn one is not there
    expect(page.get_by_role("link", name="Riverdale Community Insights").first).to_be_visible()
    check_page(page, "hub")

    page.get_by_label("Topic").select_option(label="Housing and homelessness")
    page.get_by_role("button", name="Apply filters").click()
    expect(results).to_have_count(1)
    expect(results.first).to_contain_text("Damp in rented homes")
    expect(results.first).to_contain_text("Eastfield ward")
    check_page(page, "hub-filtered-by-topic")

    page.get_by_role("link", name="Clear filters").first.click()
    page.get_by_label("Search insights").fill("breaks")
    page.get_by_label("Area").fill("Riverdale")
    page.get_by_label("From").fill(timezone.localdate().strftime("%d/%m/%Y"))
    page.get_by_role("button", name="Apply filters").click()
    expect(results).to_have_count(1)
    expect(results.first).to_contain_text("Carers need breaks at weekends")
    check_page(page, "hub-searched")

    page.get_by_label("From").fill("31/31/2026")
    page.get_by_role("button", name="Apply filters").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("Enter the date published from like 27/3/2026")
    check_page(page, "hub-date-error")

    page.get_by_role("link", name="Carers need breaks at weekends").click()
    expect(page.get_by_role("heading", name="Carers need breaks at weekends")).to_be_visible()
    check_page(page, "hub-insight")
    page.go_back()
    page.get_by_role("link", name="Riverdale Community Insights").last.click()
    expect(page.get_by_role("heading", name="Riverdale Community Insights").first).to_be_visible()
    check_page(page, "hub-programme")
