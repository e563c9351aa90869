"""Browser fixtures: a live portal, Debian's chromium driven by Playwright, axe and screenshots.

Every journey test gets ``page`` (a fresh browser context on the live server),
and helpers to check the page it is on:

- ``check_page(page, "name")``: axe-core (WCAG 2.0–2.2 A/AA) must find no
  serious or critical violation, the page must fit a 320 px wide screen, and a
  screenshot is saved to ``test-artifacts/screenshots/<name>.png``.
- ``sign_in(page, email, password)`` goes through the real sign-in form.

Browser tests never download a browser: they drive ``/usr/bin/chromium`` (``make
browser`` installs it from Debian) and are skipped only when it is missing.
"""

from __future__ import annotations

import os
import re
import shutil
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

# Playwright's sync API runs an event loop in the test thread; the ORM calls the
# tests make between browser steps are still ordinary synchronous code.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = os.environ.get("INSIGHTS_CHROMIUM") or shutil.which("chromium") or "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
SCREENSHOTS = Path(os.environ.get("INSIGHTS_SCREENSHOTS", "test-artifacts/screenshots"))
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]
BLOCKING_IMPACTS = {"serious", "critical"}
NARROW = {"width": 320, "height": 800}
WIDE = {"width": 1280, "height": 900}


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    here = Path(__file__).parent
    for item in items:
        if here in Path(str(item.fspath)).parents:
            item.add_marker(pytest.mark.browser)
            if not Path(CHROMIUM).exists():
                item.add_marker(pytest.mark.skip(reason="chromium is not installed (make browser installs it)"))


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        b = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        yield b
        b.close()


@pytest.fixture
def page(browser: Any, live_server: Any) -> Iterator[Any]:
    context = browser.new_context(base_url=live_server.url, viewport=WIDE, locale="en-GB")
    context.set_default_timeout(10_000)
    p = context.new_page()
    errors: list[str] = []
    p.on("pageerror", lambda exc: errors.append(str(exc)))
    yield p
    context.close()
    assert not errors, f"JavaScript errors on the page: {errors}"


def axe_violations(page: Any) -> list[dict[str, Any]]:
    """Serious and critical axe-core violations on the current page."""
    from axe_playwright_python.sync_playwright import Axe

    results = Axe().run(page, options={"runOnly": {"type": "tag", "values": AXE_TAGS}, "resultTypes": ["violations"]})
    return [v for v in results.response["violations"] if v.get("impact") in BLOCKING_IMPACTS]


def _describe(violations: list[dict[str, Any]]) -> str:
    lines = []
    for v in violations:
        targets = [", ".join(n["target"]) for n in v["nodes"][:5]]
        lines.append(f"{v['impact']}: {v['id']} ({v['help']}) at {targets}")
    return "\n".join(lines)


def screenshot(page: Any, name: str) -> Path:
    """Save a full-page screenshot as a test artefact."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    path = SCREENSHOTS / f"{re.sub(r'[^a-z0-9_-]+', '-', name.lower())}.png"
    page.screenshot(path=str(path), full_page=True)
    return path


def fits_320(page: Any, name: str | None = None) -> None:
    """The page reflows on a 320 px wide screen: nothing scrolls sideways (WCAG 1.4.10)."""
    original = page.viewport_size or WIDE
    page.set_viewport_size(NARROW)
    try:
        overflow = page.evaluate("() => document.documentElement.scrollWidth")
        if name:
            screenshot(page, f"{name}-320px")
        assert overflow <= NARROW["width"] + 1, f"{page.url} is {overflow}px wide at 320px (it scrolls sideways)"
    finally:
        page.set_viewport_size(original)


def check_page(page: Any, name: str) -> None:
    """Axe clean (no serious/critical), fits 320 px, screenshot saved."""
    screenshot(page, name)
    violations = axe_violations(page)
    assert not violations, f"axe found problems on {page.url}:\n{_describe(violations)}"
    fits_320(page, name)


@pytest.fixture
def check() -> Callable[[Any, str], None]:
    return check_page


def sign_in(page: Any, email: str, password: str) -> None:
    page.goto("/accounts/login/")
    page.get_by_label("Email address").fill(email)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_load_state()
