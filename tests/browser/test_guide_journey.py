"""The versioned guide in a real browser: a retrospective card prompts a change, staff read the difference and publish.

Programme staff follow "Propose a change to the guide" from a card on a project's retrospective
board, change a principle's title, see the line removed and the line added, publish it with a
change note, and a visitor then reads version 2 with its change note and the new words. Every page
is checked with axe (no violation of any impact), at 320 px, and kept as screenshots at 1280 and 375 px.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from playwright.sync_api import expect

from community_insights.portal.reflections import services as reflections_services
from tests.browser.conftest import check_page, sign_in
from tests.portal.conftest import PASSWORD, make_world

pytestmark = pytest.mark.django_db(transaction=True)

OLD_TITLE = "Purpose around a common goal"
NEW_TITLE = "Purpose around a shared goal"
CARD = "The guide should say shared goal: common sounded like the council's goal."


def test_a_card_prompts_a_change_that_staff_read_as_a_difference_and_publish(new_page: Callable[..., Any]) -> None:
    world = make_world()
    reflections_services.card_add(
        actor=world.user("facilitator"), project=world.project, column="guide", text=CARD, anonymous=False
    )
    visitor = new_page()
    visitor.goto("/guide/")
    expect(visitor.get_by_role("heading", name="How a Community Insights project runs")).to_be_visible()
    visitor.get_by_text("What we have achieved").first.click()
    check_page(visitor, "guide-index")
    visitor.get_by_role("link", name="Roles").click()
    check_page(visitor, "guide-roles")

    staff = new_page()
    sign_in(staff, world.user("staff").email, PASSWORD)
    staff.goto(f"/reflections/projects/{world.project.slug}/")
    check_page(staff, "guide-reflections-card")
    staff.get_by_role("link", name="Propose a change to the guide from this card").click()
    expect(staff.get_by_text(CARD)).to_be_visible()
    check_page(staff, "guide-propose-start")
    staff.get_by_role("link", name="Ways of working").click()
    text = staff.get_by_label("The section's text")
    text.fill(text.input_value().replace(OLD_TITLE, NEW_TITLE))
    staff.get_by_role("button", name="See the difference").click()
    expect(staff.get_by_role("link", name="Say what the change is and why")).to_be_visible()
    check_page(staff, "guide-propose-error")
    staff.get_by_label("What changes, and why").fill("Say shared goal, as the Roseby project's team asked.")
    staff.get_by_role("button", name="See the difference").click()

    expect(staff.get_by_role("heading", name="The difference from version 1")).to_be_visible()
    removed = staff.locator("tr.insights-diff__removed")
    added = staff.locator("tr.insights-diff__added")
    expect(removed).to_have_count(1)
    expect(removed).to_contain_text(OLD_TITLE)
    expect(added).to_contain_text(NEW_TITLE)
    expect(staff.get_by_text(CARD)).to_be_visible()
    check_page(staff, "guide-proposal")
    staff.get_by_role("button", name="Publish this version").click()
    expect(staff.get_by_text("The new version of the guide is published.")).to_be_visible()
    check_page(staff, "guide-history")

    visitor.goto("/guide/versions/")
    expect(visitor.get_by_role("heading", name="Version 2 Current")).to_be_visible()
    expect(visitor.get_by_text("Say shared goal, as the Roseby project's team asked.")).to_be_visible()
    check_page(visitor, "guide-history-public")
    visitor.goto("/guide/ways-of-working/")
    expect(visitor.get_by_role("heading", name=NEW_TITLE)).to_be_visible()
    expect(visitor.get_by_text("The Community Insights guide, version 2")).to_be_visible()
    check_page(visitor, "guide-principles")
