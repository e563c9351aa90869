"""docs/remedies.md must keep up with the code: every action, pseudonym type and generalisation target."""

from __future__ import annotations

from pathlib import Path

import pytest

from community_insights.safety.remedies.plan import GENERALISE_TARGETS, PSEUDONYM_TYPES
from community_insights.safety.types import Action

DOC = Path(__file__).resolve().parents[3] / "docs" / "remedies.md"


@pytest.mark.parametrize(
    "word",
    [f"`{a.value}`" for a in Action]
    + [f"`{t}`" for t in PSEUDONYM_TYPES]
    + [f"`{t}`" for t in GENERALISE_TARGETS if t not in ("sector", "district", "area")]
    + ["`sector`", "`district`", "`area`", "UK GDPR", "insights keygen", "insights redact", "insights plan"],
)
def test_remedies_doc_mentions(word: str) -> None:
    assert word in DOC.read_text(encoding="utf-8")
