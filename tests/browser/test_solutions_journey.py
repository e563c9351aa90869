"""Phase 3 in a real browser: from the selection decision to a chosen solution option.

The facilitator selects a project and its overview says what is next; the team
notes similar work, plans the research, the research lead logs a session whose
notes name a resident (the team sees only redacted themes and quotes; the lead
reads the raw notes), options are added, their skills and days weighed, scored
and one chosen. Every page is checked with axe-core (no violation of any impact)
and saved as a screenshot at 1280 and 375 pixels wide.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, timedelta
from typing import Any

import pytest
from playwright.sync_api import expect

from community_insights.portal.ideas.models import Idea
from community_insights.portal.people.models import Organisation, User
from community_insights.portal.projects.models import Project, ProjectRole
from tests.browser.conftest import check_page, sign_in

PASSWORD = "a-long-and-unusual-passphrase"
NAME, PHONE = "Mary Jones", "07911 123456"


def check(page: Any, name: str) -> None:
    """The shared gate: console, axe at any impact, wording, 320/375 px, screenshots at 1280 and 375 px."""
    check_page(page, name)


def _project() -> tuple[Project, dict[str, User]]:
    council = Organisation.objects.create(name="Northmoor Borough Council", kind=Organisation.Kind.COUNCIL)
    vcs = Organisation.objects.create(name="Northmoor Food Partnership", kind=Organisation.Kind.VCS)
    make = User.objects.create_user
    people = {
        "facilitator": make("sam@facilitation.example", PASSWORD, full_name="Sam Reid", organisation=council),
        "analyst": make("dev@council.example", PASSWORD, full_name="Dev Patel", organisation=council),
        "grace": make("grace@food.example", PASSWORD, full_name="Grace Mensah", organisation=vcs),
    }
    project = Project.objects.create(
        title="Food insecurity in Northmoor", slug="food-insecurity", question="Who is missing out?", phase=2
    )
    for key, role in (("facilitator", "facilitator"), ("analyst", "data_analyst"), ("grace", "vcs_member_lead")):
        ProjectRole.objects.create(project=project, user=people[key], role=role)
    Idea.objects.create(
        title="Families missing out on food support",
        problem="Referrals dropped.",
        who_is_affected="Families",
        decision_informed="Outreach",
        question="Which families stopped getting food support?",
        status=Idea.Status.READY_FOR_EVALUATION,
        proposer=people["grace"],
        organisation=vcs,
        project=project,
    )
    return project, people


def _select_and_explore(page: Any, project: Project, people: dict[str, User]) -> None:
    sign_in(page, people["facilitator"].email, PASSWORD)
    page.goto(f"/selection/projects/{project.slug}/decision/")
    check(page, "solutions-decision")
    page.get_by_role("radio", name="Selected").check()
    page.get_by_label("Reasons").fill("The best scored; the team is ready.")
    page.get_by_role("button", name="Record decision").click()
    expect(page.get_by_text("Decision recorded.")).to_be_visible()
    check(page, "solutions-decision-recorded")
    page.goto(f"/projects/{project.slug}/")
    expect(page.get_by_text("What is next:")).to_be_visible()
    check(page, "solutions-overview")
    page.get_by_role("link", name="Look at where similar work has been done").first.click()
    expect(page.get_by_role("link", name="Add similar work")).to_be_visible()
    check(page, "solutions-similar-work-empty")
    page.get_by_role("link", name="Add similar work").click()
    page.get_by_label("Title of the work").fill("Food insecurity risk index")
    page.get_by_label("Council or organisation that did it").fill("Another London borough")
    page.get_by_label("Link (optional)").fill("https://www.example.org/risk-index")
    page.get_by_label("What we can reuse (optional)").fill("Their ward map and the indicators they chose.")
    check(page, "solutions-similar-work-add")
    page.get_by_role("button", name="Add similar work").click()
    expect(page.get_by_text("Similar work added.")).to_be_visible()
    check(page, "solutions-similar-work")
    page.get_by_role("link", name="Qualitative research").first.click()
    check(page, "solutions-research-plan")
    page.get_by_role("link", name="Write the plan").click()
    page.get_by_role("button", name="Save the plan").click()
    expect(page.get_by_text("There is a problem")).to_be_visible()
    check(page, "solutions-research-plan-errors")
    page.get_by_label("Who we will talk to").fill("Parents who used a food bank this year")
    page.get_by_label("How many people").fill("8")
    page.get_by_role("radio", name="Both").check()
    page.get_by_label("Consent wording").fill("We will keep your words without your name.")
    page.get_by_label("Questions").fill("What stops you asking for help?")
    page.get_by_label("Research lead (optional)").select_option(label="Dev Patel")
    page.get_by_role("button", name="Save the plan").click()
    expect(page.get_by_text("Dev Patel")).to_be_visible()


def _log_session(page: Any, project: Project) -> None:
    page.goto(f"/develop/projects/{project.slug}/research/")
    check(page, "solutions-research")
    page.get_by_role("link", name="Log a session").click()
    page.get_by_label("Date the session was held").fill((date.today() - timedelta(days=3)).isoformat())
    page.get_by_role("radio", name="Group interviews").check()
    page.get_by_label("How many took part").fill("2")
    page.get_by_label("Notes", exact=True).fill(f"{NAME} rang from {PHONE}; the bus fare stops her visiting.")
    page.get_by_label("Themes").fill(f"Transport: {NAME} ({PHONE}) said the bus fare is the barrier.")
    page.get_by_label("Quotes (optional)").fill(f"Call me on {PHONE}, says {NAME}\nThe bus is the problem.")
    check(page, "solutions-session-log")
    page.get_by_role("button", name="Log the session").click()
    expect(page.get_by_role("link", name="Consent")).to_be_visible()
    html = page.content()
    assert NAME not in html and PHONE not in html and "[NAME]" in html and "[PHONE]" in html
    check(page, "solutions-research")
    page.get_by_role("link", name="Consent").click()
    page.get_by_label("Participant 1").check()
    page.get_by_label("Participant 2").check()
    check(page, "solutions-consent")
    page.get_by_role("button", name="Save consent").click()
    expect(page.get_by_text("participant 2 agreed")).to_be_visible()
    check(page, "solutions-consent-saved")
    page.get_by_role("link", name="Raw notes").click()
    expect(page.get_by_text(f"{NAME} rang from {PHONE}")).to_be_visible()
    check(page, "solutions-raw-notes")


def _workshop(page: Any, grace: Any, project: Project) -> None:
    for title, kind in (("Ward map of food bank use", "Create visualisations or dashboards"), ("Infographic", None)):
        page.goto(f"/develop/projects/{project.slug}/options/add/")
        page.get_by_label("Name of the option").fill(title)
        page.get_by_label("Audience").fill("Food bank coordinators")
        page.get_by_label("Narrative").fill("Where need is rising")
        page.get_by_label("What would we need to see on a screen to enable the action?").fill("A ward map")
        page.get_by_label("Datasets it uses").fill("Food bank visits by ward")
        if kind:
            page.get_by_label(kind).check()
            check(page, "solutions-option-add")
        page.get_by_role("button", name="Add the option").click()
    page.get_by_role("link", name="Ward map of food bank use", exact=True).click()
    check(page, "solutions-option")
    page.get_by_role("link", name="Estimate the days").click()
    page.get_by_label("Days of: Data engineers who can visualise data with tools like RShiny or PowerBI").fill("4")
    check(page, "solutions-estimates")
    page.get_by_role("button", name="Save estimates").click()
    expect(page.get_by_text("Enough")).to_be_visible()

    grace.goto(f"/develop/projects/{project.slug}/options/")
    check(grace, "solutions-options-to-score")
    grace.get_by_role("link", name="Score Ward map of food bank use").click()
    grace.get_by_role("radio", name="5 – very well").check()
    check(grace, "solutions-score")
    grace.get_by_role("button", name="Save my score").click()

    page.goto(f"/develop/projects/{project.slug}/options/")
    page.get_by_role("link", name="Choose the option to take forward").click()
    page.get_by_role("radio", name="Ward map of food bank use").check()
    page.get_by_label("Reasons").fill("The best scored, and we have the days.")
    check(page, "solutions-choose")
    page.get_by_role("button", name="Record the choice").click()
    expect(page.get_by_text("Chosen: Ward map of food bank use")).to_be_visible()
    check(page, "solutions-options")


@pytest.mark.slow
def test_from_selection_to_a_chosen_solution(page: Any, new_page: Callable[..., Any]) -> None:
    project, people = _project()
    _select_and_explore(page, project, people)
    analyst = new_page()  # every person's pages go through the same gate: each page visited must be checked
    sign_in(analyst, people["analyst"].email, PASSWORD)
    _log_session(analyst, project)
    grace = new_page()
    sign_in(grace, people["grace"].email, PASSWORD)
    _workshop(page, grace, project)
    page.goto(f"/projects/{project.slug}/")
    # Part 1's first four steps are done; next is Step 5, the safety check of how the data is presented.
    expect(page.get_by_text("What is next: Data safety check")).to_be_visible()
