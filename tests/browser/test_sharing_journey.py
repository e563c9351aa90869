"""Sharing insights publicly (Phase 4, Step 1) in a real browser: from "ready to share" to people acting on it.

The facilitator sees the chart passed its final checks, publishes it as an insight with its words and
plans the plenary; the VCS member lead writes a blog post with the delivery lead (council) as
co-author, each approves it and it is in the news; a visitor with no account finds the insight on the
landing page, opens the plenary and registers their organisation's interest. Last, the facilitator
withdraws the insight and its address shows the notice. Every page goes through the shared gate
(axe at any impact, 320 px, console, screenshots at 1280 and 375 px).
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import check_page, sign_in
from tests.portal.conftest import PASSWORD, make_world
from tests.portal.datasets.conftest import dataset_folders  # noqa: F401 - private folders and the test key
from tests.portal.outputs.conftest import make_approved_copy
from tests.portal.sharing.conftest import CHART, allow_publishing

pytestmark = pytest.mark.django_db(transaction=True)

TITLE = "Visits by ward and household size"


@pytest.fixture
def ready_to_share() -> Any:
    """The world's project in Phase 4 with an approved chart that passed every final check."""
    from community_insights.portal.outputs import services as outputs
    from community_insights.portal.solutions import final_checks
    from community_insights.portal.solutions import services as solutions

    world = make_world()
    copy = make_approved_copy(world)
    analyst = world.user("data_analyst")
    output = outputs.output_create(actor=analyst, safe_copy=copy, kind="chart", title=TITLE)
    version = outputs.version_build(
        actor=analyst, output=output, settings=CHART, narrative="Most visits come from small households.",
        caveats="Counts of visits, not of people. Not for funding applications.",
    )  # fmt: skip
    outputs.version_sign_off(actor=world.user("information_rights"), version=version, approve=True, comment="Fine.")
    allow_publishing(world, copy)
    solutions.final_checks_run(actor=analyst, version=version)  # runs on commit (the test commits)
    for question in final_checks.QUESTIONS:
        solutions.final_check_answer(
            actor=world.user("delivery_lead"), version=version, key=question.key, answer="yes", note="Tried it."
        )
    world.project.phase = 4
    world.project.save(update_fields=["phase"])
    version.refresh_from_db()
    world.extra["version"] = version
    return world


def test_from_ready_to_share_to_a_registration_of_interest(new_page: Any, ready_to_share: Any) -> None:
    world, version = ready_to_share, ready_to_share.extra["version"]
    slug = world.project.slug

    facilitator = new_page()
    sign_in(facilitator, world.user("facilitator").email, PASSWORD)
    facilitator.goto(f"/develop/projects/{slug}/final-checks/{version.pk}/")
    expect(facilitator.get_by_text("Ready to share").first).to_be_visible()
    check_page(facilitator, "sharing-ready-to-share")
    facilitator.goto(f"/sharing/projects/{slug}/")
    check_page(facilitator, "sharing-project")
    facilitator.get_by_role("link", name="publish it").click()
    expect(facilitator.get_by_role("heading", name="Publish this insight")).to_be_visible()
    check_page(facilitator, "sharing-publish")
    facilitator.get_by_label("Title").fill("Small households use the food bank most")
    facilitator.get_by_role("button", name="Publish").click()
    expect(facilitator.get_by_role("heading", name="Small households use the food bank most")).to_be_visible()
    expect(facilitator.get_by_role("link", name="Download as CSV")).to_be_visible()
    check_page(facilitator, "sharing-insight")
    insight_url = facilitator.url

    facilitator.goto(f"/sharing/projects/{slug}/plenary/new/")
    check_page(facilitator, "sharing-plenary-new")
    day = date.today() + timedelta(days=21)
    facilitator.get_by_label("Name of the session").fill("What we learned about food")
    facilitator.locator('input[name="date_0"]').fill(str(day.day))
    facilitator.locator('input[name="date_1"]').fill(str(day.month))
    facilitator.locator('input[name="date_2"]').fill(str(day.year))
    facilitator.get_by_label("Start time").fill("14:00")
    facilitator.get_by_label("End time").fill("16:00")
    facilitator.get_by_label("Place (optional)").fill("Northmoor Civic Centre")
    facilitator.get_by_label("Agenda").fill("Welcome\nWhat we found\nWho wants to act on it")
    facilitator.get_by_role("button", name="Plan session").click()
    expect(facilitator.get_by_role("link", name="Invite someone")).to_be_visible()
    check_page(facilitator, "sharing-plenary")
    facilitator.get_by_role("link", name="Invite someone").click()
    expect(facilitator.get_by_role("heading", name="Invite someone")).to_be_visible()
    check_page(facilitator, "sharing-plenary-invite")
    facilitator.get_by_label("Their name").fill("Amir Khan")
    facilitator.get_by_label("Their email address").fill("amir@foodhub.example.org")
    facilitator.get_by_role("button", name="Send invitation").click()
    expect(facilitator.get_by_text("Amir Khan (amir@foodhub.example.org)")).to_be_visible()
    check_page(facilitator, "sharing-plenary-invited")

    writer = new_page()
    sign_in(writer, world.user("vcs_member_lead").email, PASSWORD)
    writer.goto(f"/sharing/projects/{slug}/blog/new/")
    check_page(writer, "sharing-blog-new")
    writer.get_by_label("Title", exact=True).fill("Food, shifts and opening hours")
    writer.get_by_label("Summary").fill("What a food partnership and the council learned together.")
    writer.get_by_label("The post").fill("Families who work shifts miss the opening hours. We will open later.")
    writer.get_by_label("Delivery Lead (Northmoor Borough Council)").check()
    writer.get_by_role("button", name="Save draft").click()
    expect(writer.locator(".govuk-notification-banner--success")).to_be_visible()
    check_page(writer, "sharing-blog-draft")
    writer.get_by_role("button", name="Approve the post").click()
    expect(writer.get_by_text("Your approval is recorded")).to_be_visible()
    check_page(writer, "sharing-blog-approved-once")

    co_author = new_page()
    sign_in(co_author, world.user("delivery_lead").email, PASSWORD)
    co_author.goto(writer.url)
    check_page(co_author, "sharing-blog-co-author")
    co_author.get_by_role("button", name="Approve the post").click()
    expect(co_author.get_by_role("link", name="Food, shifts and opening hours")).to_be_visible()
    check_page(co_author, "sharing-blog-published")
    co_author.get_by_role("link", name="Food, shifts and opening hours").click()
    expect(co_author.get_by_text("Written by Vcs Member Lead and Delivery Lead")).to_be_visible()
    check_page(co_author, "sharing-blog-in-the-news")

    visitor = new_page()
    visitor.goto("/")
    expect(visitor.get_by_role("link", name="Small households use the food bank most")).to_be_visible()
    check_page(visitor, "sharing-landing")
    visitor.get_by_role("link", name="Small households use the food bank most").click()
    expect(visitor.get_by_role("heading", name="The question")).to_be_visible()
    check_page(visitor, "sharing-insight-public")
    visitor.get_by_role("link", name="plenary on").click()
    expect(visitor.get_by_role("heading", name="What we learned about food")).to_be_visible()
    check_page(visitor, "sharing-plenary-public")
    visitor.get_by_role("link", name="register your interest").click()
    expect(visitor.get_by_role("heading", name="Register your interest in using these insights")).to_be_visible()
    check_page(visitor, "sharing-register")
    visitor.get_by_label("Your name").fill("Sam Lee")
    visitor.get_by_label("Email address").fill("sam@foodhub.example.org")
    visitor.get_by_label("Your organisation").fill("Food Hub")
    visitor.get_by_label("How would you like to use these insights?").fill("To plan evening opening hours.")
    visitor.wait_for_timeout(3500)  # the form refuses a submission faster than a person could type
    visitor.get_by_role("button", name="Register interest").click()
    expect(visitor.get_by_text("Your interest is registered")).to_be_visible()
    check_page(visitor, "sharing-registered")

    from community_insights.portal.sharing.models import InterestRegistration

    registration = InterestRegistration.objects.get()
    assert registration.organisation == "Food Hub" and registration.plenary is not None

    facilitator.goto(insight_url)
    check_page(facilitator, "sharing-insight-with-plenary")
    facilitator.get_by_role("link", name="Withdraw this insight").click()
    expect(facilitator.get_by_role("heading", name="Withdraw this insight")).to_be_visible()
    check_page(facilitator, "sharing-withdraw")
    facilitator.get_by_label("Notice for the public").fill("Replaced by the spring figures, published soon.")
    facilitator.get_by_role("button", name="Withdraw").click()
    expect(facilitator.get_by_text("Replaced by the spring figures, published soon.")).to_be_visible()
    check_page(facilitator, "sharing-withdrawn")
