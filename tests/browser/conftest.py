"""Browser fixtures: a live portal, Debian's chromium driven by Playwright, axe and screenshots.

Every journey test gets ``page`` (a fresh browser context on the live server),
``new_page()`` for each further person, and helpers to check the page it is on:

- ``check_page(page, "name")``: axe-core (WCAG 2.0–2.2 A/AA and best practice) must find no
  violation of any impact, no table cell may split a word at 320 or 375 px,
  the page must fit a 320 px wide screen, no console error may have been
  logged, and screenshots at 1280 and 375 px are saved to
  ``test-artifacts/screenshots/<name>-1280px.png`` / ``-375px.png``.
- ``check_page`` also reads the page for the wording slips of ``tests.wording``.
- Every page a journey lands on must go through ``check_page``: each page is
  gated, and at the end of the test any page (URL) that was visited but never
  checked fails the test, so a new step cannot slip past the axe gate.
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

from tests.wording import empty_headings, text_slips

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
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa", "best-practice"]
NARROW = {"width": 320, "height": 800}
PHONE = {"width": 375, "height": 812}
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


class Gate:
    """What one browser page has done: console errors, script errors, URLs visited and checked.

    A journey only proves accessibility for the pages it checks; the gate
    remembers every URL the page landed on so that an unchecked one fails the
    test instead of being silently skipped.
    """

    def __init__(self, page: Any) -> None:
        self.errors: list[str] = []
        self.visited: list[str] = []
        self.checked: set[str] = set()
        page.on("pageerror", lambda exc: self.errors.append(f"script error: {exc}"))
        page.on("console", self._console)
        page.on("response", self._response)
        page.on("framenavigated", lambda frame: self._navigated(page, frame))

    def _console(self, message: Any) -> None:
        # A page answered with 404 or 403 on purpose logs "Failed to load resource" for itself;
        # broken images, scripts and styles are caught by _response instead.
        if message.type == "error" and not message.text.startswith("Failed to load resource"):
            self.errors.append(f"console error: {message.text}")

    def _response(self, response: Any) -> None:
        if response.status >= 400 and response.request.resource_type != "document":
            self.errors.append(f"{response.status} for {response.url}")

    def _navigated(self, page: Any, frame: Any) -> None:
        if frame == page.main_frame and frame.url.startswith("http"):
            self.visited.append(_path(frame.url))

    def unchecked(self) -> list[str]:
        return sorted({url for url in self.visited if url not in self.checked})


def _path(url: str) -> str:
    """The URL without scheme, host or fragment: the same page whatever the live server's port."""
    return re.sub(r"^https?://[^/]+", "", url).split("#", 1)[0]


GATES: dict[int, Gate] = {}


@pytest.fixture
def new_page(browser: Any, live_server: Any) -> Iterator[Callable[..., Any]]:
    """A factory of gated pages, one browser context (one person) each; all are checked at the end."""
    contexts: list[Any] = []
    gates: list[Gate] = []

    def make(**options: Any) -> Any:
        context = browser.new_context(
            base_url=live_server.url, viewport=WIDE, locale="en-GB", accept_downloads=True, **options
        )
        context.set_default_timeout(15_000)
        contexts.append(context)
        p = context.new_page()
        gate = Gate(p)
        GATES[id(p)] = gate
        gates.append(gate)
        return p

    yield make
    for context in contexts:
        context.close()
    errors = [error for gate in gates for error in gate.errors]
    unchecked = [url for gate in gates for url in gate.unchecked()]
    GATES.clear()
    assert not errors, f"Errors in the browser console: {errors}"
    assert not unchecked, f"Pages visited but never checked with check_page: {unchecked}"


@pytest.fixture
def page(new_page: Callable[..., Any]) -> Any:
    return new_page()


def axe_violations(page: Any) -> list[dict[str, Any]]:
    """Every axe-core violation on the current page, whatever its impact: a minor one still bars someone."""
    from axe_playwright_python.sync_playwright import Axe

    results = Axe().run(page, options={"runOnly": {"type": "tag", "values": AXE_TAGS}, "resultTypes": ["violations"]})
    return list(results.response["violations"])


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


# A word split across two lines inside a table cell (how a 375 px ranking table broke "Northmoor").
SPLIT_WORDS_JS = """() => {
  const split = [];
  for (const cell of document.querySelectorAll('th, td')) {
    const walker = document.createTreeWalker(cell, NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      for (const m of node.textContent.matchAll(/[^\\s\\u2013\\u2014-]+/g)) {
        const range = document.createRange();
        range.setStart(node, m.index);
        range.setEnd(node, m.index + m[0].length);
        const tops = new Set([...range.getClientRects()].filter(r => r.width > 0).map(r => Math.round(r.top)));
        if (tops.size > 1) split.push(m[0]);
      }
    }
  }
  return split;
}"""


# The outermost elements that stick out past the right edge: what to fix when a page scrolls sideways.
WIDE_ELEMENTS_JS = """() => [...document.querySelectorAll('body *')]
  .filter(el => el.getBoundingClientRect().right > window.innerWidth + 1)
  .filter(el => !el.parentElement || el.parentElement.getBoundingClientRect().right <= window.innerWidth + 1)
  .slice(0, 5).map(el => el.tagName.toLowerCase() + '.' + [...el.classList].join('.'))"""


def fits_narrow(page: Any, name: str | None = None) -> None:
    """At 320 px nothing scrolls sideways (WCAG 1.4.10); at 320 and 375 px no table splits a word."""
    original = page.viewport_size or WIDE
    try:
        for size in (NARROW, PHONE):
            page.set_viewport_size(size)
            if name and size is PHONE:
                screenshot(page, f"{name}-375px")
            if size is NARROW:
                overflow = page.evaluate("() => document.documentElement.scrollWidth")
                assert overflow <= NARROW["width"] + 1, (
                    f"{page.url} is {overflow}px wide at 320px (scrolls sideways): {page.evaluate(WIDE_ELEMENTS_JS)}"
                )
            split = page.evaluate(SPLIT_WORDS_JS)
            assert not split, f"{page.url} splits words in its tables at {size['width']}px: {split[:5]}"
    finally:
        page.set_viewport_size(original)


def check_page(page: Any, name: str) -> None:
    """No console error, axe clean at any impact, readable at 320/375 px, screenshots at 1280 and 375 px."""
    page.wait_for_load_state()
    gate = GATES.get(id(page))
    if gate is not None:
        gate.checked.add(_path(page.url))
        assert not gate.errors, f"Errors in the browser console on {page.url}: {gate.errors}"
    assert page.evaluate("() => document.body.classList.contains('js-enabled')"), (
        f"GOV.UK Frontend's script did not run on {page.url} (no js-enabled class)"
    )
    screenshot(page, f"{name}-1280px")
    slips = text_slips(page.evaluate("() => document.body.innerText")) + empty_headings(page.content())
    assert not slips, f"Wording slips on {page.url}: {slips}"
    violations = axe_violations(page)
    assert not violations, f"axe found problems on {page.url}:\n{_describe(violations)}"
    fits_narrow(page, name)


@pytest.fixture
def check() -> Callable[[Any, str], None]:
    return check_page


def sign_in(page: Any, email: str, password: str) -> None:
    """Sign in through the real form (the email first, then the password); each page is checked like every other."""
    page.goto("/accounts/login/")
    check_page(page, "sign-in")
    page.get_by_label("Email address").fill(email)
    page.get_by_role("button", name="Continue").click()
    page.wait_for_load_state()
    check_page(page, "sign-in-password")
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_load_state()
    check_page(page, "after-sign-in")
