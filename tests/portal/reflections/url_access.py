"""Who may open each URL of the reflections area (format: tests/portal/access.py)."""

from __future__ import annotations

from typing import Any

from tests.portal.access import CORE_ROLES, LOGIN, MEMBERS, ROLE_PERSONAS, Case, expect


def _slug(w: Any) -> dict[str, Any]:
    return {"slug": w.project.slug}


CORE_ONLY = expect(LOGIN, default=403, outsider=404, **dict.fromkeys(CORE_ROLES, 200))
MEMBERS_ONLY = expect(LOGIN, default=403, outsider=404, **dict.fromkeys(ROLE_PERSONAS, 200))

CASES = [
    Case("reflections:summary", kwargs=_slug, expect=MEMBERS),
    Case("reflections:survey", kwargs=_slug, expect=CORE_ONLY),
    Case(
        "reflections:survey",
        kwargs=_slug,
        method="post",
        data=lambda w: {"selection_worked": "Yes.", "safety_checks": "same"},
        expect=expect(LOGIN, default=403, outsider=404, **dict.fromkeys(CORE_ROLES, 302)),
    ),
    Case("reflections:card_add", kwargs=_slug, expect=MEMBERS_ONLY),
    Case(
        "reflections:card_add",
        kwargs=_slug,
        method="post",
        data=lambda w: {"column": "worked", "text": "Weekly calls."},
        expect=expect(LOGIN, default=403, outsider=404, **dict.fromkeys(ROLE_PERSONAS, 302)),
    ),
]
