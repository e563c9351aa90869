"""Free text about residents, made safe to store in the clear with the engine's redaction.

Research notes, themes and quotes come from conversations with residents, so
they may carry names, phone numbers, addresses or health conditions. Before
any of it is stored where the wider team can read it, it goes through the
engine's free-text span finder (rules, name lists and the language model) and
each span is replaced by its placeholder (``[NAME]``, ``[PHONE]`` …). The raw
text itself is only ever stored sealed (see :mod:`.services`).
"""

from __future__ import annotations

from dataclasses import dataclass

from community_insights.safety import find_spans, redact_text


@dataclass(frozen=True)
class Redacted:
    text: str
    removed: int


def redact(text: str) -> Redacted:
    """``text`` with every personal-data span the engine finds replaced, and how many there were."""
    if not text.strip():
        return Redacted(text="", removed=0)
    spans = find_spans([text], column="research_note")
    return Redacted(text=redact_text(text, spans), removed=len(spans))
