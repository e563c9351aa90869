"""Every URL of the portal, visited as every persona, answers as its area says.

Areas list their URLs in ``tests/portal/<area>/url_access.py`` (format in
``tests/portal/access.py``). A URL name that no area lists fails
``test_every_url_is_listed`` — so a new page cannot ship without a decision
about who may open it.
"""

from __future__ import annotations

import importlib.util
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from django.db import transaction
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from tests.portal.access import ANONYMOUS, COVERED_BY_PATTERN, LOGIN, PERSONAS, Case, World

HERE = Path(__file__).parent


def load_cases() -> list[Case]:
    cases: list[Case] = []
    for path in sorted(HERE.glob("*/url_access.py")):
        spec = importlib.util.spec_from_file_location(f"tests.portal.{path.parent.name}.url_access", path)
        assert spec is not None and spec.loader is not None
        module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(module)
        cases.extend(module.CASES)
    return cases


CASES = load_cases()


def url_names(patterns: list[Any] | None = None, namespace: str | None = None) -> Iterator[tuple[str, URLPattern]]:
    """Every named URL pattern of the portal, with its namespace."""
    for p in get_resolver().url_patterns if patterns is None else patterns:
        if isinstance(p, URLResolver):
            ns = namespace
            if p.namespace:
                ns = f"{namespace}:{p.namespace}" if namespace else p.namespace
            yield from url_names(p.url_patterns, ns)
        elif isinstance(p, URLPattern) and p.name:
            yield (f"{namespace}:{p.name}" if namespace else p.name), p


def covered_by_pattern(name: str) -> bool:
    return name.startswith(COVERED_BY_PATTERN)


def test_every_url_is_listed() -> None:
    listed = {case.url_name for case in CASES}
    missing = sorted(name for name, _ in url_names() if name not in listed and not covered_by_pattern(name))
    assert not missing, (
        "These URLs have no entry in any tests/portal/<area>/url_access.py; "
        f"say who may open them (see tests/portal/access.py): {missing}"
    )


def test_listed_urls_exist() -> None:
    known = {name for name, _ in url_names()}
    stale = sorted({case.url_name for case in CASES} - known)
    assert not stale, f"url_access.py lists URL names that no longer exist: {stale}"


def test_every_case_names_every_persona() -> None:
    incomplete = {
        case.id: sorted(set(PERSONAS) - set(case.expect)) for case in CASES if set(case.expect) != set(PERSONAS)
    }
    assert not incomplete, f"Cases missing personas (build expect with access.expect()): {incomplete}"


def _outcome(response: Any, login_url: str) -> int | str:
    if response.status_code == 302 and response["Location"].startswith(login_url):
        return LOGIN
    return int(response.status_code)


@pytest.mark.parametrize("case", CASES, ids=[c.id for c in CASES])
@pytest.mark.django_db
def test_url_answers_each_persona_as_expected(case: Case, world: World) -> None:
    login_url = reverse("account_login")
    wrong: list[str] = []
    for persona in PERSONAS:
        # Each persona sees the world as it was: changes a POST makes are rolled back.
        with transaction.atomic():
            client = Client()
            if persona != ANONYMOUS:
                client.force_login(world.user(persona))
            url = reverse(case.url_name, kwargs=case.kwargs(world))
            if case.method == "post":
                response = client.post(url, case.data(world) if case.data else {})
            else:
                response = client.get(url)
            got = _outcome(response, login_url)
            transaction.set_rollback(True)
        want = case.expect[persona]
        if got != want:
            where = f" -> {response['Location']}" if response.status_code in (301, 302) else ""
            wrong.append(f"{persona}: expected {want}, got {got}{where}")
    assert not wrong, f"{case.method.upper()} {url}:\n  " + "\n  ".join(wrong)


PATTERN_URLS = sorted(
    name
    for name, pattern in url_names()
    if covered_by_pattern(name) and not pattern.pattern.regex.groups and "<" not in str(pattern.pattern)
)


@pytest.mark.parametrize("name", PATTERN_URLS)
@pytest.mark.django_db
def test_library_pages_never_fail(name: str, world: World) -> None:
    """Library pages (sign-in, password reset, MFA, Django admin) answer a visitor and a member without error."""
    for persona in (ANONYMOUS, "vcs_member_lead"):
        client = Client()
        if persona != ANONYMOUS:
            client.force_login(world.user(persona))
        response = client.get(reverse(name))
        assert response.status_code < 500, f"{name} as {persona}: {response.status_code}"
