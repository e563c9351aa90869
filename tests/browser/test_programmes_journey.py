"""Several programmes in a real browser: staff set up a second programme with its own branding, and a person
in two programmes switches between them (issue 22).

Every page goes through ``check_page``: no console error, axe-core clean at any impact, nothing scrolling
sideways at 320 px, screenshots at 1280 and 375 px.
"""

from __future__ import annotations

import re
from io import BytesIO
from typing import Any

from PIL import Image
from playwright.sync_api import expect

from community_insights.portal.people.models import Organisation, User
from community_insights.portal.programme.models import Programme, ProgrammeMembership
from community_insights.portal.programme.services import programme_ensure
from community_insights.portal.projects.models import Project, ProjectRole
from tests.browser.conftest import check_page, sign_in

PASSWORD = "a-long-and-unusual-passphrase"


def _logo() -> bytes:
    out = BytesIO()
    Image.new("RGB", (120, 40), (255, 255, 255)).save(out, format="PNG")
    return out.getvalue()


def test_staff_set_up_a_second_programme_with_its_own_branding(page: Any) -> None:
    council = Organisation.objects.create(name="Northmoor Borough Council", kind=Organisation.Kind.COUNCIL)
    helen = User.objects.create_user("helen@council.example", PASSWORD, full_name="Helen Okafor", organisation=council)
    ProgrammeMembership.objects.create(programme=programme_ensure(), user=helen, role=ProgrammeMembership.Role.STAFF)

    sign_in(page, helen.email, PASSWORD)
    page.goto("/")
    check_page(page, "programmes-landing-as-staff")
    page.get_by_role("link", name="Set up another programme").click()
    check_page(page, "programmes-set-up")
    page.get_by_label("Programme name").fill("Riverdale Community Insights")
    page.get_by_label("Short name for its web address").fill("riverdale")
    page.get_by_label("Name in the header (optional)").fill("Riverdale and Dale Councils")
    page.get_by_label("Header colour (optional)").fill("#ffdd00")  # too pale for white text
    page.get_by_role("button", name="Set up the programme").click()
    expect(page.locator(".govuk-error-summary")).to_be_visible()
    check_page(page, "programmes-set-up-error")
    page.get_by_label("Header colour (optional)").fill("#5a2d82")
    page.get_by_role("button", name="Set up the programme").click()
    expect(page.locator(".govuk-notification-banner--success")).to_contain_text("now working in")
    expect(page.locator(".insights-header__service")).to_have_text("Riverdale and Dale Councils")
    check_page(page, "programmes-second-landing")

    page.get_by_role("link", name="Change the programme's branding").click()
    check_page(page, "programmes-branding")
    page.get_by_label("Logo (optional)").set_input_files(
        files=[{"name": "logo.png", "mimeType": "image/png", "buffer": _logo()}]
    )
    page.get_by_role("button", name="Save branding").click()
    expect(page.locator(".govuk-notification-banner--success")).to_be_visible()
    logo = page.locator(".insights-header__logo-img")
    expect(logo).to_have_attribute("src", re.compile(r"^/programmes/riverdale/logo\.png\?v=\d+$"))
    page.wait_for_function("() => document.querySelector('.insights-header__logo-img').complete")
    assert page.evaluate("() => document.querySelector('.insights-header__logo-img').naturalWidth") == 120
    colour = page.evaluate("() => getComputedStyle(document.documentElement).getPropertyValue('--insights-brand')")
    assert colour.strip() == "#5a2d82"
    check_page(page, "programmes-second-branded")
    riverdale = Programme.objects.get(slug="riverdale")
    assert riverdale.logo_type == "image/png" and riverdale.brand_colour == "#5a2d82"


def test_a_person_in_two_programmes_switches_between_them(page: Any) -> None:
    vcs = Organisation.objects.create(name="Riverside Carers Network", kind=Organisation.Kind.VCS)
    fatima = User.objects.create_user("fatima@carers.example", PASSWORD, full_name="Fatima Begum", organisation=vcs)
    northmoor = programme_ensure()
    riverdale = Programme.objects.create(
        name="Riverdale Community Insights",
        slug="riverdale",
        council_name="Riverdale and Dale Councils",
        brand_colour="#5a2d82",
    )
    ours = Project.objects.create(programme=northmoor, title="Young carers", slug="young-carers", question="?")
    theirs = Project.objects.create(programme=riverdale, title="Carers breaks", slug="carers-breaks", question="?")
    ProjectRole.objects.create(project=ours, user=fatima, role="vcs_member_lead")
    ProjectRole.objects.create(project=theirs, user=fatima, role="vcs_member_lead")
    # An organisation that works with Northmoor only: one of its people is on Northmoor's project.
    food = Organisation.objects.create(name="Northmoor Food Partnership", kind=Organisation.Kind.VCS)
    grace = User.objects.create_user("grace@food.example", PASSWORD, full_name="Grace Mensah", organisation=food)
    ProjectRole.objects.create(project=ours, user=grace, role="vcs_member_lead")

    sign_in(page, fatima.email, PASSWORD)
    page.goto("/projects/")
    expect(page.get_by_role("link", name="Young carers")).to_be_visible()
    expect(page.get_by_role("link", name="Carers breaks")).to_have_count(0)
    check_page(page, "programmes-switcher-first")
    page.goto("/people/organisations/")
    expect(page.get_by_role("link", name="Northmoor Food Partnership")).to_be_visible()
    expect(page.get_by_role("link", name="Riverside Carers Network")).to_be_visible()
    check_page(page, "programmes-organisations-first")
    page.goto("/projects/")
    page.get_by_label("Programme", exact=True).select_option("riverdale")
    page.get_by_role("button", name="Switch programme").click()
    expect(page.locator(".govuk-notification-banner--success")).to_contain_text("Riverdale Community Insights")
    expect(page.locator(".insights-header__service")).to_have_text("Riverdale and Dale Councils")
    check_page(page, "programmes-switched-landing")
    page.goto("/projects/")
    expect(page.get_by_role("link", name="Carers breaks")).to_be_visible()
    expect(page.get_by_role("link", name="Young carers")).to_have_count(0)
    check_page(page, "programmes-switcher-second")
    page.goto("/people/organisations/")  # Riverdale works with Fatima's organisation, not Grace's
    expect(page.get_by_role("link", name="Riverside Carers Network")).to_be_visible()
    expect(page.get_by_role("link", name="Northmoor Food Partnership")).to_have_count(0)
    check_page(page, "programmes-organisations-second")
    page.goto(f"/people/organisations/{food.pk}/")
    assert page.locator("h1").inner_text() == "Page not found"
    check_page(page, "programmes-other-organisation-not-found")
    page.goto("/projects/young-carers/")  # the other programme's project, while working in this one
    assert page.locator("h1").inner_text() == "Page not found"
    check_page(page, "programmes-other-programme-not-found")
