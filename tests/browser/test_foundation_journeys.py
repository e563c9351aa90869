"""Foundation journeys in a real browser: the visitor, the invited colleague, the delivery lead."""

from __future__ import annotations

from typing import Any

from tests.browser.conftest import check_page


def test_visitor_reads_the_landing_page(page: Any) -> None:
    page.goto("/")
    assert page.locator("h1").inner_text() == "Community Insights Projects"
    assert page.get_by_role("heading", name="Ways of working").is_visible()
    assert page.locator(".govuk-header__logotype-crown").count() == 0
    check_page(page, "landing-page")
