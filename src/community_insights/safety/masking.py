"""Masked examples: enough to recognise what a column holds, never enough to identify anyone.

Reports are emailed to information rights officers, pasted into tickets and
shown in the portal, so every example value in them passes through
:func:`mask_value` first. Each PII type keeps only what a reader needs to
recognise the kind of value (``J*** S****``, ``NW1 ***``, ``j***@e****.org``).
"""

from __future__ import annotations

import re

from community_insights.safety.types import PiiType

__all__ = ["mask_postcode", "mask_value"]

_WORD = re.compile(r"[^\W\d_]+", re.UNICODE)
_ALNUM = re.compile(r"[A-Za-z0-9]")


def mask_postcode(value: str) -> str:
    """``NW1 6XE`` → ``NW1 ***``: keep the outward code (district), hide the rest."""

    compact = value.strip().upper().replace(" ", "")
    if 5 <= len(compact) <= 7:
        return compact[:-3] + " ***"
    return "*" * len(compact)


def _mask_words(value: str) -> str:
    """First letter of each word, stars for the rest: ``John Smith`` → ``J*** S****``."""

    out = []
    for token in value.split():
        if not token:
            continue
        out.append(token[0] + re.sub(r"\w", "*", token[1:]))
    return " ".join(out)


def mask_value(value: object, pii_type: PiiType | str | None = None) -> str:
    """Mask one cell value according to what it is (unknown types are masked hardest)."""

    text = "" if value is None else str(value).strip()
    if not text:
        return ""
    kind = PiiType(pii_type) if isinstance(pii_type, str) and pii_type in PiiType.__members__ else pii_type
    if kind == PiiType.POSTCODE:
        return mask_postcode(text)
    if kind == PiiType.EMAIL and "@" in text:
        local, _, domain = text.partition("@")
        host, _, tld = domain.rpartition(".")
        return f"{local[:1]}***@{host[:1]}****.{tld}" if host else f"{local[:1]}***@****"
    if kind in (PiiType.PERSON, PiiType.ADDRESS):
        return _mask_words(text)
    if kind == PiiType.PHONE:
        digits = 0
        chars = []
        for ch in text:
            if ch.isdigit():
                digits += 1
                chars.append(ch if digits <= 2 else "*")
            else:
                chars.append(ch)
        return "".join(chars)
    if kind == PiiType.DATE_OF_BIRTH:
        return re.sub(r"\w", "*", text)
    # Identifiers and anything unknown: keep only the shape.
    return _ALNUM.sub("*", text)
