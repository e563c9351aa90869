"""Phase 4 in a real browser, on the demo's Phase 4 project (older residents and digital exclusion).

The delivery lead answers the reflections survey anonymously and finds the answer in the summary
under "Anonymous"; the facilitator adds a card to the board, opens the insights to actions packet
and downloads it as a PDF, whose text is read back. Every page is checked with axe (no violation of
any impact), at 320 px, and kept as screenshots at 1280 and 375 px.
"""

from __future__ import annotations

import io
from collections.abc import Callable
from typing import Any

import pytest
from playwright.sync_api import expect
from pypdf import PdfReader

from tests.browser.conftest import check_page, sign_in
from tests.portal.conftest import PASSWORD

pytestmark = pytest.mark.django_db(transaction=True)

ANSWER = "The map needed testing with older residents before anyone saw it."


@pytest.fixture
def demo(settings: Any, tmp_path: Any) -> Any:
    settings.INSIGHTS_DATASETS_DIR = str(tmp_path / "store")
    settings.INSIGHTS_DATASETS_WORK_DIR = str(tmp_path / "work")
    from community_insights.portal.core.demo import load_demo

    return load_demo(password=PASSWORD)


def _as(new_page: Callable[..., Any], user: Any) -> Any:
    page = new_page()
    sign_in(page, user.email, PASSWORD)
    return page


def test_a_reflection_is_given_anonymously_and_the_packet_downloads_as_a_pdf(
    demo: Any, new_page: Callable[..., Any]
) -> None:
    slug = demo.projects["digital_exclusion"].slug
    lead = _as(new_page, demo.users["delivery_lead"])
    lead.goto(f"/reflections/projects/{slug}/")
    check_page(lead, "reflections-summary")
    lead.get_by_role("link", name="Answer the survey").click()
    expect(lead.get_by_role("heading", name="Reflections survey")).to_be_visible()
    lead.get_by_label("Did the process of selecting a project work?").fill(ANSWER)
    lead.get_by_role("button", name="Send my answers").click()
    expect(lead.get_by_text("Select whether you would do more or fewer safety checks up front").first).to_be_visible()
    check_page(lead, "reflections-survey-error")
    lead.get_by_label("Fewer of them up front").check()
    lead.get_by_label("Do not show my name with my answers").check()
    lead.get_by_role("button", name="Send my answers").click()
    expect(lead.get_by_text("Thank you: your answers are in.")).to_be_visible()
    item = lead.locator("li", has_text=ANSWER)
    expect(item).to_contain_text("(Anonymous)")
    expect(lead.get_by_role("link", name="Answer the survey")).to_have_count(0)
    check_page(lead, "reflections-answered")

    facilitator = _as(new_page, demo.users["facilitator"])
    facilitator.goto(f"/reflections/projects/{slug}/cards/add/")
    facilitator.get_by_label("What the guide should say next time").check()
    facilitator.get_by_label("What the card says").fill("Book the insights to actions meeting before the plenary.")
    check_page(facilitator, "reflections-card")
    facilitator.get_by_role("button", name="Add the card").click()
    expect(facilitator.get_by_text("Book the insights to actions meeting before the plenary.")).to_be_visible()
    check_page(facilitator, "reflections-board")

    facilitator.goto(f"/actions/projects/{slug}/")
    expect(facilitator.get_by_role("heading", name="Insights to actions")).to_be_visible()
    check_page(facilitator, "actions-project")
    facilitator.get_by_role("link", name="Read the packet").click()
    expect(facilitator.get_by_role("heading", name="Turning the insight into action")).to_be_visible()
    check_page(facilitator, "actions-packet")
    with facilitator.expect_download() as download_info:
        facilitator.get_by_role("link", name="Download the packet (PDF)").click()
    with open(download_info.value.path(), "rb") as handle:
        reader = PdfReader(io.BytesIO(handle.read()))
    text = " ".join(" ".join((p.extract_text() or "").split()) for p in reader.pages)
    assert "Insights to actions: Older residents and digital exclusion" in text
    assert "Funding and partnerships" in text and "Caveats" in text
    assert "Age Well Northmoor" in text
