"""Foundation journeys in a real browser: the visitor, the invited colleague, the delivery lead.

Every page visited is checked with axe-core, at 320 px wide, and saved as a screenshot.
"""

from __future__ import annotations

import re
from typing import Any

from django.core import mail
from playwright.sync_api import expect

from community_insights.portal.core.models import AuditEntry
from community_insights.portal.people.models import Organisation, User
from community_insights.portal.people.services import invitation_create, organisation_create
from community_insights.portal.programme.models import ProgrammeMembership
from community_insights.portal.programme.services import programme_ensure
from community_insights.portal.projects.models import ChecklistTick, Project
from tests.browser.conftest import check_page, sign_in

PASSWORD = "a-long-and-unusual-passphrase"


def test_visitor_reads_the_landing_page(page: Any) -> None:
    page.goto("/")
    assert page.locator("h1").inner_text() == "Community Insights Projects"
    for heading in ("How to take part", "Office hours", "Selected projects", "Published insights", "Ways of working"):
        expect(page.get_by_role("heading", name=heading, exact=True)).to_be_visible()
    expect(page.get_by_text("Purpose around a common goal")).to_be_visible()
    assert page.locator(".govuk-header__logotype-crown").count() == 0
    check_page(page, "landing-page")
    page.get_by_role("link", name="Sign in").click()
    assert page.locator("h1").inner_text() == "Sign in"
    check_page(page, "sign-in")


def test_invited_vcs_colleague_sets_a_password_and_signs_in(page: Any, live_server: Any) -> None:
    council = Organisation.objects.create(name="Northmoor Borough Council", kind=Organisation.Kind.COUNCIL)
    staff = User.objects.create_user(
        "helen@council.example", PASSWORD, full_name="Helen Okafor", organisation=council, is_staff=True
    )
    ProgrammeMembership.objects.create(programme=programme_ensure(), user=staff, role=ProgrammeMembership.Role.STAFF)
    # Added by staff, so the programme works with it before anyone from it has an account.
    vcs = organisation_create(actor=staff, name="Northmoor Food Partnership", kind=Organisation.Kind.VCS)
    invitation_create(
        actor=staff, email="grace@food.example", organisation=vcs, full_name="Grace Mensah", site_url=live_server.url
    )
    assert len(mail.outbox) == 1
    link = re.search(r"https?://\S+/people/invitations/\S+/", mail.outbox[0].body)
    assert link, mail.outbox[0].body

    page.goto(link.group(0))
    assert page.locator("h1").inner_text() == "Set your password"
    check_page(page, "invitation-set-password")
    # A mistake first: the two passwords differ.
    page.get_by_label("Choose a password").fill(PASSWORD)
    page.get_by_label("Type the password again").fill(PASSWORD + "x")
    page.get_by_role("button", name="Set password and sign in").click()
    expect(page.locator(".govuk-error-summary")).to_be_visible()
    assert page.title().startswith("Error:")
    check_page(page, "invitation-set-password-error")
    page.get_by_label("Choose a password").fill(PASSWORD)
    page.get_by_label("Type the password again").fill(PASSWORD)
    page.get_by_role("button", name="Set password and sign in").click()
    expect(page.locator(".govuk-notification-banner--success")).to_be_visible()
    assert page.locator("h1").inner_text() == "Projects"
    check_page(page, "first-sign-in-projects")

    page.get_by_role("link", name="Your account").click()
    expect(page.get_by_text("grace@food.example")).to_be_visible()
    check_page(page, "account")
    page.get_by_role("button", name="Sign out").click()
    assert page.locator("h1").inner_text() == "Community Insights Projects"
    check_page(page, "signed-out-landing-page")

    sign_in(page, "grace@food.example", PASSWORD)
    assert page.locator("h1").inner_text() == "Projects"
    user = User.objects.get(email="grace@food.example")
    assert user.organisation == vcs and user.full_name == "Grace Mensah"
    assert AuditEntry.objects.filter(action="people.invitation_accept", actor=user).exists()
    assert AuditEntry.objects.filter(action="core.login", actor=user).count() >= 2


def test_delivery_lead_creates_a_project_assigns_roles_and_ticks_phase_one(page: Any) -> None:
    council = Organisation.objects.create(name="Northmoor Borough Council", kind=Organisation.Kind.COUNCIL)
    partner = Organisation.objects.create(name="Open Data Co-operative", kind=Organisation.Kind.PARTNER)
    for email, name, organisation in (
        ("priya@council.example", "Priya Shah", council),
        ("sam@coop.example", "Sam Whitfield", partner),
        ("tom@council.example", "Tom Brennan", council),
    ):
        person = User.objects.create_user(email, PASSWORD, full_name=name, organisation=organisation)
        # Members of the programme, as accepting an invitation makes them: the team is chosen from its people.
        ProgrammeMembership.objects.create(programme=programme_ensure(), user=person)

    sign_in(page, "priya@council.example", PASSWORD)
    page.get_by_role("button", name="Start a project").click()
    check_page(page, "project-create")
    page.get_by_label("Project title").fill("Warm spaces this winter")
    page.get_by_label("The question the project is trying to answer").fill(
        "Which neighbourhoods need a warm space most?"
    )
    page.get_by_role("button", name="Start project").click()
    expect(page.locator(".govuk-notification-banner--success")).to_be_visible()
    check_page(page, "project-overview")

    page.get_by_role("link", name="Team", exact=True).click()
    warnings = page.locator(".insights-team-warnings")
    assert "no facilitator" in warnings.inner_text()
    assert "no data scientist or analyst" in warnings.inner_text()
    check_page(page, "project-team-warnings")

    for person, role, days in (
        ("Sam Whitfield", "Facilitator", "30"),
        ("Tom Brennan", "Data scientist or analyst", "8"),
    ):
        page.get_by_role("button", name="Add someone to the team").click()
        check_page(page, "project-team-add")
        page.get_by_label("Person").select_option(
            label=f"{person} ({'Open Data Co-operative' if person == 'Sam Whitfield' else 'Northmoor Borough Council'})"
        )
        page.get_by_label("Role").select_option(label=role)
        page.get_by_label("Days planned (optional)").fill(days)
        page.get_by_role("button", name="Add to team").click()
        expect(page.locator(".govuk-notification-banner--success")).to_be_visible()
    text = page.locator(".insights-team-warnings").inner_text()
    assert "no facilitator" not in text and "18 to 25 days" in text, "30 days is outside the facilitator's range"
    check_page(page, "project-team")

    page.get_by_role("link", name="Phases and checklists").click()
    # Assigning the roles proved "Identified individuals...": the portal ticked it, saying who and when.
    assert page.get_by_text("Ticked by the portal").count() >= 1
    check_page(page, "project-phases")
    page.get_by_role("link", name="Mobilised a core group of diverse partners with complementary skill sets.").click()
    check_page(page, "checklist-item")
    page.get_by_label("Note (optional)").fill("Agreed at the first core team meeting.")
    page.get_by_role("button", name="Mark as done").click()
    expect(page.locator(".govuk-notification-banner--success")).to_be_visible()
    assert page.get_by_text("Ticked by Priya Shah").count() == 1
    check_page(page, "project-phases-ticked")

    project = Project.objects.get(title="Warm spaces this winter")
    assert set(ChecklistTick.objects.filter(project=project).values_list("item_key", flat=True)) == {
        "core_team_identified",
        "diverse_partners_mobilised",
    }
    ticks = AuditEntry.objects.filter(project_id=project.pk, action="projects.checklist_item_tick")
    assert ticks.count() == 2 and ticks.filter(actor_label="the portal").count() == 1
