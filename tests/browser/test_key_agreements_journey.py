"""Matching pseudonyms across programmes in a real browser, from a proposal to both approvals (issue 22).

Northmoor's information rights officer proposes sharing the key with Riverdale (a
mistake first, shown in the error summary) and approves for Northmoor; Riverdale's
officer, working in Riverdale, finds it on their own programme's page and approves;
only then is it in force with a shared key. Every page is checked with axe, at
320 px, and kept as a screenshot at 1280 and 375 px.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from community_insights.portal.datasets.models import KeySharingAgreement
from community_insights.portal.people.models import Organisation, User
from community_insights.portal.programme.models import Programme
from community_insights.portal.projects.models import Project, ProjectRole
from tests.browser.conftest import check_page, sign_in
from tests.portal.conftest import PASSWORD, make_world

pytestmark = pytest.mark.django_db(transaction=True)


def _riverdale_officer() -> User:
    riverdale = Programme.objects.create(name="Riverdale Community Insights", slug="riverdale")
    project = Project.objects.create(programme=riverdale, title="Carers' breaks", slug="carers-breaks", question="?")
    council = Organisation.objects.create(name="Riverdale Council", kind=Organisation.Kind.COUNCIL)
    officer = User.objects.create_user(
        "priya@riverdale.example", PASSWORD, full_name="Priya Shah", organisation=council
    )
    ProjectRole.objects.create(project=project, user=officer, role="information_rights")
    return officer


def _fill_last_day(page: Any, day: int, month: int, year: int) -> None:
    page.get_by_label("Day").fill(str(day))
    page.get_by_label("Month").fill(str(month))
    page.get_by_label("Year").fill(str(year))


def test_two_officers_agree_to_share_a_key(page: Any, new_page: Callable[..., Any]) -> None:
    world = make_world()
    officer = _riverdale_officer()
    sign_in(page, world.user("information_rights").email, PASSWORD)
    page.goto("/datasets/")
    check_page(page, "key-agreements-datasets")
    page.get_by_role("link", name="The programme's pseudonymisation key").click()
    check_page(page, "key-agreements-own-key")
    page.get_by_role("link", name="key sharing agreement").click()
    expect(page.locator("h1")).to_have_text("Key sharing agreements")
    check_page(page, "key-agreements-none")
    page.get_by_role("link", name="Propose an agreement").click()
    check_page(page, "key-agreements-propose")

    page.get_by_label("Riverdale Community Insights").check()
    yesterday = timezone.localdate() - timezone.timedelta(days=1)
    _fill_last_day(page, yesterday.day, yesterday.month, yesterday.year)
    page.get_by_role("button", name="Propose the agreement").click()
    summary = page.locator(".govuk-error-summary")
    expect(summary).to_contain_text("Say why the two programmes need to match pseudonyms")
    check_page(page, "key-agreements-propose-error")
    page.get_by_label("Why do the two programmes need to match pseudonyms?").fill(
        "Carers known to both programmes' breaks and food services, to see who is missed by both."
    )
    page.get_by_role("button", name="Propose the agreement").click()
    expect(summary).to_contain_text("The end date must be today or later")
    check_page(page, "key-agreements-propose-date-error")
    last_day = timezone.localdate() + timezone.timedelta(days=180)
    _fill_last_day(page, last_day.day, last_day.month, last_day.year)
    page.get_by_role("button", name="Propose the agreement").click()
    expect(page.locator(".govuk-notification-banner--success")).to_contain_text("The agreement is proposed")
    expect(page.locator(".govuk-summary-list")).to_contain_text(
        "Waiting for an information rights officer of Riverdale"
    )
    check_page(page, "key-agreements-proposed")
    page.get_by_role("button", name="Approve for Community Insights Projects").click()
    expect(page.locator(".govuk-notification-banner--success")).to_contain_text("You approved the agreement")
    expect(page.locator(".govuk-tag")).to_have_text("Proposed")  # one side only: nothing shared yet
    check_page(page, "key-agreements-approved-by-one")
    assert KeySharingAgreement.objects.get().key_id == ""

    theirs = new_page()
    sign_in(theirs, officer.email, PASSWORD)  # Riverdale is Priya's only programme: she works in it
    theirs.goto("/datasets/keys/agreements/")
    expect(theirs.locator("table")).to_contain_text("Carers known to both programmes")
    check_page(theirs, "key-agreements-partner-list")
    theirs.get_by_role("link", name="Community Insights Projects").last.click()
    check_page(theirs, "key-agreements-partner-detail")
    theirs.get_by_role("button", name="Approve for Riverdale Community Insights").click()
    expect(theirs.locator(".govuk-notification-banner--success")).to_contain_text("It is in force")
    expect(theirs.locator(".govuk-tag")).to_have_text("In force")
    agreement = KeySharingAgreement.objects.get()
    expect(theirs.locator(".govuk-summary-list")).to_contain_text(agreement.key_id)
    check_page(theirs, "key-agreements-in-force")
    assert agreement.is_approved and agreement.partner_approved_by == officer
