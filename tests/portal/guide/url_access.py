"""Who may open each URL of the guide area (format: tests/portal/access.py).

Everyone reads the guide and its history; only programme staff propose, read, publish or discard changes.
"""

from __future__ import annotations

import copy
from typing import Any

from tests.portal.access import LOGIN, PUBLIC, STAFF_ONLY, Case, expect

STAFF_POST = expect(LOGIN, default=403, staff=302)


def _changed_principles() -> str:
    from community_insights.portal.guide import selectors

    version = selectors.published_version()
    assert version is not None
    content = copy.deepcopy(version.content)
    content["principles"]["principles"][0]["title"] = "Purpose around a shared goal"
    return selectors.section_text(content, "principles")


def _programme_slug() -> str:
    from community_insights.portal.programme.current import current_programme

    return current_programme().slug


def _proposal(w: Any) -> dict[str, Any]:
    from community_insights.portal.guide import services

    proposal = services.guide_change_propose(
        actor=w.user("staff"), section="principles", text=_changed_principles(), change_note="Shared."
    )
    return {"pk": proposal.pk}


CASES = [
    Case("guide:index", expect=PUBLIC),
    Case("guide:roles", expect=PUBLIC),
    Case("guide:principles", expect=PUBLIC),
    Case("guide:history", expect=PUBLIC),
    *[
        Case(f"guide:programme_{page}", kwargs=lambda w: {"programme": _programme_slug()}, expect=PUBLIC)
        for page in ("index", "roles", "principles", "history")
    ],
    Case(
        "guide:programme_index",
        kwargs=lambda w: {"programme": "no-such-programme"},
        expect=expect(404, default=404),
        note="unknown",
    ),
    Case("guide:propose_start", expect=STAFF_ONLY),
    Case("guide:propose", kwargs=lambda w: {"section": "principles"}, expect=STAFF_ONLY),
    Case(
        "guide:propose",
        kwargs=lambda w: {"section": "no_such_section"},
        expect=expect(LOGIN, default=403, staff=404),
        note="unknown",
    ),
    Case(
        "guide:propose",
        kwargs=lambda w: {"section": "principles"},
        method="post",
        data=lambda w: {"text": _changed_principles(), "change_note": "Shared."},
        expect=STAFF_POST,
    ),
    Case("guide:proposal", kwargs=_proposal, expect=STAFF_ONLY),
    Case(
        "guide:proposal",
        kwargs=_proposal,
        method="post",
        data=lambda w: {"change_note": "Shared, not common."},
        expect=STAFF_POST,
    ),
    Case("guide:discard", kwargs=_proposal, method="post", expect=STAFF_POST),
]
