"""Phase 4 in a real browser: from "ready to share" to a finished project.

The facilitator sees the chart passed its final checks, publishes it as an insight with its words,
plans the plenary and then changes its place; the VCS member lead writes a blog post with the
delivery lead (council) as co-author, each approves it and it is in the news; a visitor with no
account finds the insight on the landing page and in the insights feed, opens the plenary and
registers their organisation's interest. The delivery lead answers the reflections survey; the
facilitator writes the insights to actions packet and downloads it as a PDF, whose text names the
registered organisation. The co-author withdraws the blog post (it leaves the news); the facilitator
withdraws the insight (it leaves the feed, its address shows the notice), ticks the rest of Phase 4
and closes the project, which the landing page then counts. Every page goes through the shared gate
(axe at any impact, 320 px, console, screenshots at 1280 and 375 px).
"""

from __future__ import annotations

import io
from datetime import date, timedelta
from typing import Any

import feedparser
import pytest
from playwright.sync_api import expect
from pypdf import PdfReader

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


def test_from_ready_to_share_to_a_finished_project(new_page: Any, ready_to_share: Any) -> None:
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

    _plan_plenary(facilitator, slug)
    co_author, blog_url = _co_write(new_page, world, slug)
    visitor = _visitor_registers(new_page)
    _reflect(co_author, slug)
    _packet(facilitator, slug)
    _withdraw_blog_post(co_author, visitor, blog_url)

    facilitator.goto(insight_url)
    check_page(facilitator, "sharing-insight-with-plenary")
    facilitator.get_by_role("link", name="Withdraw this insight").click()
    expect(facilitator.get_by_role("heading", name="Withdraw this insight")).to_be_visible()
    check_page(facilitator, "sharing-withdraw")
    facilitator.get_by_label("Notice for the public").fill("Replaced by the spring figures, published soon.")
    facilitator.get_by_role("button", name="Withdraw").click()
    expect(facilitator.get_by_text("Replaced by the spring figures, published soon.")).to_be_visible()
    check_page(facilitator, "sharing-withdrawn")
    visitor.goto(insight_url)
    expect(visitor.get_by_role("heading", name="Withdrawn")).to_be_visible()
    expect(visitor.get_by_text("Replaced by the spring figures, published soon.")).to_be_visible()
    check_page(visitor, "sharing-withdrawn-public")
    assert "Small households use the food bank most" not in _feed_titles(visitor, "/sharing/insights/feed/")

    _finish(facilitator, slug)
    visitor.goto("/#programme_figures")
    figures = visitor.locator("#programme_figures")
    expect(figures.locator("svg[role=img]")).to_be_visible()
    expect(figures.get_by_role("row", name="Projects finished [c]")).to_be_visible()  # one: hidden
    check_page(visitor, "sharing-landing-figures")


def _plan_plenary(facilitator: Any, slug: str) -> None:
    """Plan the plenary, invite someone, then change its place (the invited are sent the new details)."""
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
    facilitator.get_by_role("link", name="Change the plenary").click()
    expect(facilitator.get_by_role("heading", name="Change the plenary session")).to_be_visible()
    expect(facilitator.get_by_label("Place (optional)")).to_have_value("Northmoor Civic Centre")
    check_page(facilitator, "sharing-plenary-edit")
    facilitator.get_by_label("Place (optional)").fill("Northmoor Central Library")
    facilitator.get_by_role("button", name="Save and tell the invited").click()
    expect(facilitator.get_by_text("Everyone invited has been sent the new details.")).to_be_visible()
    expect(facilitator.get_by_text("Northmoor Central Library").first).to_be_visible()
    check_page(facilitator, "sharing-plenary-changed")


def _co_write(new_page: Any, world: Any, slug: str) -> tuple[Any, str]:
    """The VCS member lead writes the post with the delivery lead; both approve; it is in the news."""
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
    from community_insights.portal.sharing.models import BlogPost

    blog_url = f"/sharing/blog/{BlogPost.objects.get().pk}/"
    return co_author, blog_url


def _visitor_registers(new_page: Any) -> Any:
    """A visitor finds the insight on the landing page and in its feed, opens the plenary, registers interest."""
    visitor = new_page()
    visitor.goto("/")
    expect(visitor.get_by_role("link", name="Small households use the food bank most")).to_be_visible()
    check_page(visitor, "sharing-landing")
    assert "Small households use the food bank most" in _feed_titles(visitor, "/sharing/insights/feed/")
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
    return visitor


def _withdraw_blog_post(co_author: Any, visitor: Any, blog_url: str) -> None:
    """The co-author withdraws the post: it leaves the news page and the news feed."""
    co_author.goto(blog_url)
    co_author.get_by_role("link", name="Withdraw this post from the news").click()
    expect(co_author.get_by_role("heading", name="Withdraw this blog post from the news")).to_be_visible()
    check_page(co_author, "sharing-blog-withdraw")
    co_author.get_by_label("Why it is being withdrawn").fill("The opening hours changed; a new post will follow.")
    co_author.get_by_role("button", name="Withdraw the post").click()
    expect(co_author.get_by_text("Withdrawn from the news on")).to_be_visible()
    check_page(co_author, "sharing-blog-withdrawn")
    visitor.goto("/ideas/news/")
    expect(visitor.get_by_role("link", name="Food, shifts and opening hours")).to_have_count(0)
    check_page(visitor, "sharing-news-without-the-post")
    assert "Food, shifts and opening hours" not in _feed_titles(visitor, "/ideas/news/feed/")


def _feed_titles(page: Any, path: str) -> list[str]:
    """The entries' titles of an Atom feed, fetched as a feed reader would."""
    return [e.title for e in feedparser.parse(page.request.get(path).body()).entries]


def _reflect(page: Any, slug: str) -> None:
    """The delivery lead answers the reflections survey (Phase 4, Step 2)."""
    page.goto(f"/reflections/projects/{slug}/survey/")
    expect(page.get_by_role("heading", name="Reflections survey")).to_be_visible()
    check_page(page, "sharing-journey-survey")
    page.get_by_label("Did the process of selecting a project work?").fill("Yes: the scores made the choice clear.")
    page.get_by_label("Fewer of them up front").check()
    page.get_by_role("button", name="Send my answers").click()
    expect(page.get_by_text("Thank you: your answers are in.")).to_be_visible()
    check_page(page, "sharing-journey-reflection")


def _packet(page: Any, slug: str) -> None:
    """The facilitator writes the insights to actions packet and reads its PDF back (Phase 4, Step 3)."""
    page.goto(f"/actions/projects/{slug}/")
    expect(page.get_by_role("heading", name="Insights to actions")).to_be_visible()
    check_page(page, "sharing-journey-actions")
    page.get_by_role("link", name="Write the packet").click()
    page.get_by_label("The insight, in plain words").fill("Small households use the food bank most, after 6pm.")
    page.get_by_label("Caveats").fill("Counts of visits, not of people. Not for funding applications.")
    check_page(page, "sharing-journey-packet-edit")
    page.get_by_role("button", name="Save the packet").click()
    expect(page.get_by_text("The packet is saved.")).to_be_visible()
    expect(page.get_by_role("heading", name="Turning the insight into action")).to_be_visible()
    check_page(page, "sharing-journey-packet")
    with page.expect_download() as download_info:
        page.get_by_role("link", name="Download the packet (PDF)").click()
    with open(download_info.value.path(), "rb") as handle:
        reader = PdfReader(io.BytesIO(handle.read()))
    text = " ".join(" ".join((p.extract_text() or "").split()) for p in reader.pages)
    assert "Small households use the food bank most, after 6pm." in text
    assert "Food Hub" in text and "To plan evening opening hours." in text  # the registration of interest


def _finish(page: Any, slug: str) -> None:
    """Tick what is left of Phase 4's checklist and close the project from its overview."""
    page.goto(f"/projects/{slug}/")
    panel = page.locator("#finish")
    expect(panel).to_contain_text("Not yet")
    check_page(page, "finish-overview-open")
    for n, name in enumerate(("We've been able to reflect", "We've built new relationships")):
        page.get_by_role("link", name=name).click()
        check_page(page, f"finish-tick-{n}")
        page.get_by_role("button", name="Mark as done").click()
        expect(page.locator(".govuk-notification-banner--success")).to_be_visible()
        check_page(page, f"finish-ticked-{n}")
        page.goto(f"/projects/{slug}/")
    panel.get_by_role("link", name="Close the project").click()
    expect(page.get_by_role("heading", name="Close the project")).to_be_visible()
    check_page(page, "finish-close")
    page.get_by_role("button", name="Close the project").click()
    expect(page.locator("#finish")).to_contain_text("Closed")
    check_page(page, "finish-closed")
