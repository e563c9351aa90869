"""The DPIA and a sharing agreement in a real browser, from the drafted DPIA to approval and signatures.

The facilitator opens the DPIA drafted from a checked dataset, edits a measure and sends it; the
information rights officer sees what is missing, then approves; contracts and legal drafts the
agreement for the data flow, and a named person of each organisation signs it. Every page is
checked with axe (no violation of any impact), at 320 px, and kept as screenshots at 1280 and 375 px.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import check_page, sign_in
from tests.portal.conftest import PASSWORD, make_world
from tests.portal.governance.factories import make_checked, make_source

pytestmark = pytest.mark.django_db(transaction=True)


def check_strict(page: Any, name: str) -> None:
    """The shared gate (console, axe at any impact, wording, 320/375 px, screenshots at 1280 and 375 px)."""
    check_page(page, name)


def _as(new_page: Callable[..., Any], user: Any) -> Any:
    page = new_page()
    sign_in(page, user.email, PASSWORD)
    return page


def test_dpia_approved_and_agreement_signed_by_both_organisations(new_page: Callable[..., Any]) -> None:
    world = make_world()
    dataset = make_checked(world, make_source(world))
    slug = world.project.slug

    # The facilitator opens the drafted DPIA and rewrites the measure of the first risk.
    page = _as(new_page, world.user("facilitator"))
    page.goto(f"/governance/projects/{slug}/")
    check_strict(page, "governance-project")
    page.get_by_role("link", name="Open the DPIA").click()
    page.get_by_role("heading", name="Data protection impact assessment").wait_for()
    expect(page.get_by_text(f"Data safety check of {dataset.title}").first).to_be_visible()
    check_strict(page, "governance-dpia-draft")
    card = page.locator(".govuk-summary-card").first
    card.locator(".govuk-summary-list__row", has_text="Measure").get_by_role("link", name=re.compile("^Edit")).click()
    check_strict(page, "governance-dpia-edit-measure")
    page.get_by_label("Sentence").fill("Remove the column before anything leaves the council.")
    page.get_by_role("button", name="Save the sentence").click()
    page.get_by_text("Sentence saved.").wait_for()
    expect(page.get_by_text("Remove the column before anything leaves the council.")).to_be_visible()
    page.get_by_role("button", name="Send this draft for approval").click()
    page.get_by_text("Sent to information rights for a decision.").wait_for()

    # The information rights officer sees what is missing, then approves the version.
    iro = _as(new_page, world.user("information_rights"))
    iro.goto("/governance/")
    expect(iro.get_by_text("The DPIA has not been approved.")).to_be_visible()
    check_strict(iro, "governance-missing")
    iro.goto(f"/governance/projects/{slug}/dpia/")
    iro.get_by_role("link", name="Decide on version 1").click()
    iro.get_by_label("Approve").check()
    iro.get_by_label("Data protection officer's advice").fill("Proceed: the measures are proportionate.")
    iro.get_by_label("Residual risk").select_option("low")
    check_strict(iro, "governance-dpia-decide")
    iro.get_by_role("button", name="Record the decision").click()
    iro.get_by_text("Decision recorded.").wait_for()
    check_strict(iro, "governance-dpia-approved")

    # Contracts and legal drafts the agreement; the council and the food partnership each sign it.
    legal = _as(new_page, world.user("contracts_legal"))
    legal.goto(f"/governance/projects/{slug}/")
    check_strict(legal, "governance-project-legal")
    legal.get_by_role("link", name="Draft the agreement for Food bank visits").click()
    legal.get_by_label("Open Data Co-operative").uncheck()  # the facilitator's organisation receives nothing
    legal.get_by_label("Article 9 condition").fill("Article 9(2)(g) substantial public interest.")
    check_strict(legal, "governance-agreement-edit")
    legal.get_by_role("button", name="Save the agreement").click()
    legal.get_by_text("Agreement saved.").wait_for()
    check_strict(legal, "governance-agreement-saved")
    legal.get_by_role("link", name="Open the agreement for Food bank visits").click()
    for persona, name in (("information_rights", "Asha Patel"), ("vcs_member_lead", "Tom Reed")):
        signer = _as(new_page, world.user(persona))
        signer.goto(legal.url)
        check_strict(signer, f"governance-agreement-{persona}")
        signer.get_by_role("link", name="Sign for").click()
        check_strict(signer, f"governance-sign-{persona}")
        signer.get_by_label("Full name of the person signing").fill(name)
        signer.get_by_label("Job title").fill("Director")
        signer.get_by_role("button", name="Sign for my organisation").click()
        signer.get_by_text("Agreement signed.").wait_for()
        check_strict(signer, f"governance-signed-{persona}")
    legal.reload()
    expect(legal.locator("p", has_text=re.compile(r"Status: Signed\."))).to_be_visible()
    expect(legal.get_by_text("Tom Reed").first).to_be_visible()
    check_strict(legal, "governance-agreement-signed")
    iro.goto("/governance/")
    expect(iro.get_by_text("Nothing is missing.")).to_be_visible()
