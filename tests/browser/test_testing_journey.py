"""Phase 3, Part 2 in a real browser: from the selection decision to an output that is ready to share.

The facilitator selects the project and adds the workshop's option with a
sketch; schedules a testing workshop showing the approved chart; the VCS lead
records substantive feedback and accessibility feedback that says the chart
will be used differently; information rights acknowledge it; the analyst
closes both, runs the final checks and answers the two a person must, and the
chart is "Ready to share". Someone outside the project gets "Page not found".
Every page goes through the shared gate (axe at any impact, console, 320 px,
screenshots at 1280 and 375 px).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from playwright.sync_api import expect

from community_insights.portal.ideas.models import Idea
from tests.browser.conftest import check_page, sign_in
from tests.portal.conftest import PASSWORD, make_world
from tests.portal.datasets.conftest import dataset_folders  # noqa: F401 - private folders and the test key
from tests.portal.ideas.factories import make_idea
from tests.portal.outputs.conftest import make_approved_copy
from tests.portal.solutions.test_sketches import picture

pytestmark = pytest.mark.django_db(transaction=True)

CHART = {"by": ["ward"], "statistic": "count", "chart_kind": "bar", "preset": "ons"}


@pytest.fixture
def world_with_chart() -> Any:
    """The shared world with an approved chart of visits by ward (built by the real engine)."""
    from community_insights.portal.outputs import services as outputs

    world = make_world()
    make_idea(world, status=Idea.Status.READY_FOR_EVALUATION)
    copy = make_approved_copy(world)
    output = outputs.output_create(
        actor=world.user("data_analyst"), safe_copy=copy, kind="chart", title="Visits by ward"
    )
    version = outputs.version_build(
        actor=world.user("data_analyst"), output=output, settings=CHART, caveats="Not for funding applications."
    )
    outputs.version_sign_off(actor=world.user("information_rights"), version=version, approve=True, comment="Fine.")
    return world


def _as(new_page: Any, world: Any, persona: str) -> Any:
    page = new_page()
    page.set_default_timeout(30_000)
    sign_in(page, world.user(persona).email, PASSWORD)
    return page


def test_selection_to_ready_to_share(page: Any, new_page: Any, world_with_chart: Any, tmp_path: Any) -> None:
    world, slug = world_with_chart, world_with_chart.project.slug
    page.set_default_timeout(30_000)
    sign_in(page, world.user("facilitator").email, PASSWORD)
    page.goto(f"/selection/projects/{slug}/decision/")
    check_page(page, "testing-decision")
    page.get_by_role("radio", name="Selected").check()
    page.get_by_label("Reasons").fill("The best scored; the team is ready.")
    page.get_by_role("button", name="Record decision").click()
    expect(page.get_by_text("Selected", exact=False).first).to_be_visible()
    check_page(page, "testing-decision-recorded")
    page.goto(f"/projects/{slug}/")
    expect(page.get_by_text("What is next:")).to_be_visible()
    check_page(page, "testing-overview")

    page.goto(f"/develop/projects/{slug}/options/add/")
    page.get_by_label("Name of the option").fill("Chart of visits by ward")
    page.get_by_label("Audience").fill("Food bank coordinators")
    page.get_by_label("Narrative").fill("Where visits come from")
    page.get_by_label("What would we need to see on a screen to enable the action?").fill("Visits by ward")
    page.get_by_label("Datasets it uses").fill("Food bank visits")
    check_page(page, "testing-option-add")
    page.get_by_role("button", name="Add the option").click()
    expect(page.get_by_text("Option added.")).to_be_visible()
    check_page(page, "testing-options")
    page.get_by_role("link", name="Chart of visits by ward", exact=True).click()
    page.get_by_role("link", name="Add a sketch").click()
    sketch = tmp_path / "sketch.png"
    sketch.write_bytes(picture("PNG", (300, 200)))
    page.get_by_label("A picture of the sketch (optional)").set_input_files(str(sketch))
    page.get_by_label("What the picture shows (needed with a picture)").fill("A bar for each ward.")
    check_page(page, "testing-sketch")
    page.get_by_role("button", name="Save the sketch").click()
    expect(page.get_by_role("img", name="A bar for each ward.")).to_be_visible()
    check_page(page, "testing-option-with-sketch")

    page.goto(f"/develop/projects/{slug}/testing/")
    check_page(page, "testing-workshops-empty")
    page.get_by_role("link", name="Schedule a testing workshop").click()
    page.get_by_role("button", name="Schedule and invite").click()
    expect(page.get_by_text("There is a problem")).to_be_visible()
    check_page(page, "testing-workshop-errors")
    page.get_by_label("Title").fill("Testing the ward chart")
    page.get_by_label("Date").fill((dt.date.today() + dt.timedelta(days=7)).isoformat())
    page.get_by_label("Starts at").fill("14:00")
    page.get_by_label("Ends at").fill("15:30")
    page.get_by_label("Where").fill("Northmoor library, room 2")
    page.get_by_label("Visits by ward, version 1").check()
    page.get_by_label("Vcs Member Lead").check()
    page.get_by_role("button", name="Schedule and invite").click()
    expect(page.get_by_text("Workshop scheduled.")).to_be_visible()
    check_page(page, "testing-workshop")
    workshop_url = page.url

    lead = _as(new_page, world, "vcs_member_lead")
    lead.goto(workshop_url)
    check_page(lead, "testing-workshop-lead")
    for kind, words, differently in (
        ("Substantive", "It would help to see the county average too.", False),
        ("Accessibility", "A food bank would use it to decide who gets a delivery first.", True),
    ):
        lead.get_by_role("link", name="Record feedback").click()
        lead.get_by_label("Visits by ward, version 1").check()
        lead.get_by_role("radio", name=kind).check()
        lead.get_by_label("Feedback").fill(words)
        if differently:
            lead.get_by_label("This shows the output will be used differently").check()
        check_page(lead, f"testing-feedback-{kind.lower()}")
        lead.get_by_role("button", name="Record the feedback").click()
        expect(lead.get_by_text("Feedback recorded.")).to_be_visible()
        check_page(lead, f"testing-feedback-{kind.lower()}-recorded")
    expect(lead.get_by_text("Waiting for information rights")).to_be_visible()

    rights = _as(new_page, world, "information_rights")
    rights.goto(workshop_url)
    rights.get_by_role("link", name="Acknowledge this feedback").click()
    rights.get_by_label("What information rights will do about it").fill("For planning only; caveat added.")
    check_page(rights, "testing-acknowledge")
    rights.get_by_role("button", name="Acknowledge").click()
    expect(rights.get_by_text("Acknowledged.")).to_be_visible()
    check_page(rights, "testing-acknowledged")

    analyst = _as(new_page, world, "data_analyst")
    analyst.goto(workshop_url)
    for _ in range(2):
        analyst.get_by_role("link", name="Close this feedback").first.click()
        analyst.get_by_label("Or the reason it needs no change").fill("The caveat now says what it is for.")
        check_page(analyst, "testing-close")
        analyst.get_by_role("button", name="Close the feedback").click()
        expect(analyst.get_by_text("Feedback closed.")).to_be_visible()
        check_page(analyst, "testing-closed")

    analyst.goto(f"/develop/projects/{slug}/final-checks/")
    check_page(analyst, "final-checks-list")
    analyst.get_by_role("link", name="Visits by ward, version 1").click()
    check_page(analyst, "final-checks-not-run")
    analyst.get_by_role("button", name="Run the final checks").click()
    expect(analyst.get_by_text("The final checks have run")).to_be_visible()
    expect(analyst.get_by_text("Passed").first).to_be_visible()
    check_page(analyst, "final-checks-run")
    for question in (
        "Does it behave as expected where people will find it?",
        "If it is a web page or a protected file, are we confident the protection is working?",
    ):
        analyst.get_by_role("link", name=f"Answer {question}").click()
        analyst.get_by_role("radio", name="Yes").check()
        analyst.get_by_label("What you tried and what happened").fill("Opened it from the shared drive; fine.")
        check_page(analyst, "final-checks-answer")
        analyst.get_by_role("button", name="Save the answer").click()
        expect(analyst.get_by_text("Your answer is saved.")).to_be_visible()
    expect(analyst.get_by_role("heading", name="Ready to share")).to_be_visible()
    check_page(analyst, "final-checks-ready-to-share")

    outsider = _as(new_page, world, "outsider")
    outsider.goto(f"/develop/projects/{slug}/final-checks/")
    expect(outsider.get_by_role("heading", name="Page not found")).to_be_visible()
    check_page(outsider, "final-checks-outsider")
