"""The DPIA and a sharing agreement in a real browser, on the demo's Phase 3 project (young carers).

The demo is loaded as `insights demo` loads it: the council's young carers assessments are uploaded
and checked, and the council has signed the agreement for that flow. The analyst drafts the remedy
plan (so each risk has a drafted measure). The facilitator opens the drafted DPIA, edits a measure
and sends it; the information rights officer sees what is missing, then approves; the carers
network's lead signs the agreement, so both organisations have signed. Every page is checked with
axe (no violation of any impact), at 320 px, and kept as screenshots at 1280 and 375 px.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import check_page, sign_in
from tests.portal.conftest import PASSWORD
from tests.portal.datasets.conftest import TEST_KEY

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def demo(settings: Any, tmp_path: Path) -> Iterator[Any]:
    """The demo's data, with the young carers assessments checked and their remedy plan drafted."""
    settings.INSIGHTS_DATASETS_DIR = str(tmp_path / "store")
    settings.INSIGHTS_DATASETS_WORK_DIR = str(tmp_path / "work")
    settings.INSIGHTS_DATASET_KEY = TEST_KEY
    from community_insights.portal.core.demo import load_demo
    from community_insights.portal.datasets import services as data_services
    from community_insights.portal.datasets.models import Dataset

    context = load_demo(password=PASSWORD)
    dataset = Dataset.objects.get(source__name="Young carers assessments")
    data_services.plan_create(actor=context.users["analyst"], dataset=dataset)
    _settle_the_testing_extract(context)
    yield context


def _settle_the_testing_extract(context: Any) -> None:
    """The demo's develop-and-test extract is a second flow, its agreement still being drafted there.

    This journey is about the council's flow, so the second one is agreed and signed by both
    organisations here, through the same services the pages use.
    """
    from community_insights.portal.governance import selectors, services
    from community_insights.portal.governance.demo import ARTICLE9
    from community_insights.portal.solutions.demo_testing import SOURCE

    source = context.projects["young_carers"].data_sources.get(name=SOURCE)
    drafted = {k: v for k, v in selectors.agreement_initial(source).items() if k in services.AGREEMENT_FIELDS}
    agreement = services.agreement_save(
        actor=context.users["legal"],
        source=source,
        recipients=[context.organisations["carers"]],
        **{**drafted, "article9_condition": ARTICLE9},
    )
    for signer in ("information_rights", "carers_lead"):
        user = context.users[signer]
        services.agreement_sign(actor=user, agreement=agreement, signer_name=user.full_name, job_title="Lead")


def _as(new_page: Callable[..., Any], user: Any) -> Any:
    page = new_page()
    sign_in(page, user.email, PASSWORD)
    return page


def test_the_demo_dpia_is_approved_and_its_agreement_signed_by_both_organisations(
    demo: Any, new_page: Callable[..., Any]
) -> None:
    project = demo.projects["young_carers"]
    slug = project.slug

    # The facilitator opens the DPIA drafted for the young carers project and rewrites the first measure.
    page = _as(new_page, demo.users["facilitator"])
    page.goto(f"/governance/projects/{slug}/")
    check_page(page, "governance-project")
    page.get_by_role("link", name="Open the DPIA").click()
    expect(page.get_by_role("heading", name="Data protection impact assessment")).to_be_visible()
    expect(page.get_by_text("Special category data (UK GDPR Article 9): yes").first).to_be_visible()
    expect(page.get_by_text("Data safety check of Young carers assessments, 2025").first).to_be_visible()
    check_page(page, "governance-dpia-draft")
    card = page.locator(".govuk-summary-card").first
    card.locator(".govuk-summary-list__row", has_text="Measure").get_by_role("link", name=re.compile("^Edit")).click()
    expect(page.get_by_label("Sentence")).to_be_visible()
    check_page(page, "governance-dpia-edit-measure")
    page.get_by_label("Sentence").fill("This column is removed before anything leaves the council.")
    page.get_by_role("button", name="Save the sentence").click()
    expect(page.get_by_text("Sentence saved.")).to_be_visible()
    expect(page.get_by_text("This column is removed before anything leaves the council.")).to_be_visible()
    page.get_by_role("button", name="Send this draft for approval").click()
    expect(page.get_by_text("Sent to information rights for a decision.")).to_be_visible()
    check_page(page, "governance-dpia-sent")

    # The information rights officer sees what is missing, then approves the version.
    iro = _as(new_page, demo.users["information_rights"])
    iro.goto("/governance/")
    expect(iro.get_by_role("link", name="The DPIA has not been approved.").first).to_be_visible()
    check_page(iro, "governance-missing")
    iro.goto(f"/governance/projects/{slug}/dpia/")
    check_page(iro, "governance-dpia-to-decide")
    iro.get_by_role("link", name="Decide on version 1").click()
    expect(iro.get_by_label("Approve")).to_be_visible()
    iro.get_by_label("Approve").check()
    iro.get_by_label("Data protection officer's advice").fill("Proceed: the measures are proportionate.")
    iro.get_by_label("Residual risk").select_option("low")
    check_page(iro, "governance-dpia-decide")
    iro.get_by_role("button", name="Record the decision").click()
    expect(iro.get_by_text("Decision recorded.")).to_be_visible()
    check_page(iro, "governance-dpia-approved")

    # The council signed when the demo was loaded; the carers network's lead signs for Riverside Carers Network.
    carers = _as(new_page, demo.users["carers_lead"])
    carers.goto(f"/governance/projects/{slug}/")
    check_page(carers, "governance-project-carers")
    carers.get_by_role("link", name="Open the agreement for Young carers assessments").click()
    expect(carers.get_by_text("Gareth Lewis").first).to_be_visible()
    check_page(carers, "governance-agreement-carers")
    carers.get_by_role("link", name="Sign for").click()
    expect(carers.get_by_label("Full name of the person signing")).to_be_visible()
    check_page(carers, "governance-sign-carers")
    carers.get_by_label("Full name of the person signing").fill("Fatima Begum")
    carers.get_by_label("Job title").fill("Young carers worker")
    carers.get_by_role("button", name="Sign for my organisation").click()
    expect(carers.get_by_text("Agreement signed.")).to_be_visible()
    expect(carers.locator("p", has_text=re.compile(r"Status: Signed\."))).to_be_visible()
    expect(carers.get_by_text("Fatima Begum").first).to_be_visible()
    expect(carers.get_by_role("link", name="Sign for")).to_have_count(0)  # the network has signed this version
    check_page(carers, "governance-agreement-signed")

    # Nothing is missing any more for the young carers project.
    iro.goto(f"/governance/projects/{slug}/")
    expect(iro.get_by_text("The DPIA is approved and every agreement is signed.")).to_be_visible()
    check_page(iro, "governance-project-ready")
