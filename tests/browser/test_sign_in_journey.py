"""Sign-in journeys in a real browser: a council colleague through their council, and staff's two-step set-up.

The provider is the real OpenID Connect provider of the sign-in tests (Authlib,
over HTTP on a free port); the browser follows its redirects as it would
Entra ID's. Every page is checked with axe-core, at 320 px, and screenshotted.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import pytest
from allauth.mfa.models import Authenticator
from playwright.sync_api import expect

from community_insights.portal.people.models import Organisation, User
from community_insights.portal.people.services import invitation_create
from community_insights.portal.programme.models import ProgrammeMembership
from community_insights.portal.programme.services import programme_ensure
from community_insights.portal.projects.models import Project, ProjectRole
from community_insights.portal.signin.services import provider_create
from tests.browser.conftest import check_page, sign_in
from tests.portal.signin.oidc_provider import LocalProvider, Person
from tests.portal.signin.test_two_step import totp

PASSWORD = "a-long-and-unusual-passphrase"


@pytest.fixture
def oidc_provider() -> Iterator[LocalProvider]:
    provider = LocalProvider().start()
    yield provider
    provider.stop()


def _council_and_staff() -> tuple[Organisation, User]:
    council = Organisation.objects.create(name="Northmoor Borough Council", kind=Organisation.Kind.COUNCIL)
    staff = User.objects.create_user(
        "helen@staff.example", PASSWORD, full_name="Helen Okafor", organisation=council, is_staff=True
    )
    ProgrammeMembership.objects.create(programme=programme_ensure(), user=staff, role=ProgrammeMembership.Role.STAFF)
    return council, staff


def test_a_council_colleague_signs_in_through_their_council(
    page: Any, live_server: Any, oidc_provider: LocalProvider
) -> None:
    council, staff = _council_and_staff()
    Authenticator.objects.create(user=staff, type=Authenticator.Type.TOTP, data={"secret": "unused"})
    project = Project.objects.create(
        title="Food insecurity in Northmoor", slug="food-insecurity", question="Who is not reaching support?"
    )
    client = oidc_provider.register_client(f"{live_server.url}/accounts/oidc/northmoor/login/callback/")
    provider_create(
        actor=staff,
        name="Northmoor Borough Council",
        slug="northmoor",
        server_url=oidc_provider.issuer,
        client_id=client.client_id,
        client_secret=client.client_secret,
        email_domains="northmoor.gov.uk",
    )
    invitation_create(
        actor=staff,
        email="amina.khan@northmoor.gov.uk",
        organisation=council,
        full_name="Amina Khan",
        project=project,
        role="data_analyst",
        site_url=live_server.url,
    )
    oidc_provider.signed_in_as = Person(sub="entra-oid-0001", email="amina.khan@northmoor.gov.uk", name="Amina Khan")

    page.goto("/accounts/login/")
    check_page(page, "sign-in-email-first")
    page.get_by_role("button", name="Continue").click()
    expect(page.locator(".govuk-error-summary")).to_be_visible()
    check_page(page, "sign-in-email-missing")
    page.get_by_label("Email address").fill("amina.khan@northmoor.gov.uk")
    page.get_by_role("button", name="Continue").click()
    page.wait_for_url(re.compile(r".*/projects/$"))
    assert oidc_provider.login_hints == ["amina.khan@northmoor.gov.uk"]
    expect(page.get_by_role("link", name="Food insecurity in Northmoor")).to_be_visible()
    check_page(page, "council-first-sign-in-projects")
    user = User.objects.get(email="amina.khan@northmoor.gov.uk")
    assert ProjectRole.objects.filter(project=project, user=user, role="data_analyst").exists()
    page.get_by_role("link", name="Your account").click()
    expect(page.get_by_text("Through your council's sign-in")).to_be_visible()
    assert page.get_by_role("link", name="Change your password").count() == 0
    check_page(page, "council-colleague-account")


def test_a_vcs_colleague_gets_the_password_step(page: Any, live_server: Any) -> None:
    _council_and_staff()
    vcs = Organisation.objects.create(name="Northmoor Food Partnership", kind=Organisation.Kind.VCS)
    User.objects.create_user("grace@food.example", PASSWORD, full_name="Grace Mensah", organisation=vcs)
    sign_in(page, "grace@food.example", PASSWORD)
    assert page.locator("h1").inner_text() == "Projects"


def test_staff_set_up_two_step_sign_in_before_anything_else(page: Any, live_server: Any, settings: Any) -> None:
    settings.INSIGHTS_REQUIRE_TWO_STEP = True
    _, staff = _council_and_staff()

    sign_in(page, staff.email, PASSWORD)  # lands on "confirm your password" before the set-up
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Confirm").click()
    page.wait_for_url(re.compile(r".*/accounts/2fa/totp/activate/$"))
    assert page.locator("h1").inner_text() == "Set up two-step sign-in"
    check_page(page, "two-step-set-up")
    page.get_by_label("Code from the app").fill("123")
    page.get_by_role("button", name="Turn on two-step sign-in").click()
    expect(page.locator(".govuk-error-summary")).to_be_visible()
    check_page(page, "two-step-set-up-error")
    secret = page.get_by_label("Secret key").input_value()
    page.get_by_label("Code from the app").fill(totp(secret))
    page.get_by_role("button", name="Turn on two-step sign-in").click()
    page.wait_for_url(re.compile(r".*/accounts/2fa/recovery-codes/$"))
    check_page(page, "two-step-recovery-codes")
    page.goto("/projects/")
    assert page.locator("h1").inner_text() == "Projects"
    check_page(page, "projects-after-two-step")


def test_staff_set_up_a_council_provider(page: Any, live_server: Any) -> None:
    _, staff = _council_and_staff()
    sign_in(page, staff.email, PASSWORD)
    page.goto("/people/")
    check_page(page, "people-with-council-sign-in-link")
    page.get_by_role("link", name="Council sign-in").click()
    check_page(page, "council-sign-in-none")
    page.get_by_role("link", name="Set up council sign-in").click()
    check_page(page, "council-sign-in-set-up")
    page.get_by_label("Name", exact=True).fill("Northmoor Borough Council")
    page.get_by_label("Issuer address").fill("http://login.example.org/tenant")
    page.get_by_label("Client ID (application ID)").fill("b9f3c1d2-app")
    page.get_by_label("Client secret").fill("the-client-secret-value")
    page.get_by_label("Email domains").fill("northmoor.gov.uk")
    page.get_by_role("button", name="Save").click()
    expect(page.locator(".govuk-error-summary")).to_be_visible()
    check_page(page, "council-sign-in-set-up-error")
    page.get_by_label("Issuer address").fill(
        "https://login.microsoftonline.com/7f1c2a4e-0000-4000-8000-000000000000/v2.0"
    )
    page.get_by_label("Client secret").fill("the-client-secret-value")
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_text("/accounts/oidc/northmoor-borough-council/login/callback/")).to_be_visible()
    check_page(page, "council-sign-in-list")
