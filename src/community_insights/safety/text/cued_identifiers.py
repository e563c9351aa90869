"""Identifiers that the words around them give away, in notes written elsewhere.

Why a module of their own: the span finder's own identifier patterns follow the
numbering plans and the formats our generator writes; these three follow what a
caseworker or a letter writes instead, and each needs the words beside it to
decide (see ``docs/safety-detection.md``):

* a number of a phone's length and shape after "call", "mobile", "fax" … is a
  phone number even in a range the numbering plan has not allocated (a typo, or
  a test number, still dials somebody or is meant to);
* a date written month first ("July 17, 1959") is a date of birth after "born"
  or "DOB";
* an email with accented letters before the @ ("siân.evans@…").
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from community_insights.safety.detectors.dates import MONTH_NAMES_PATTERN, parse_uk_date
from community_insights.safety.detectors.phones import NATIONAL_LENGTHS, PHONE_WRITTEN, national_digits
from community_insights.safety.types import PiiType

__all__ = ["PHONE_SHAPE", "births", "emails", "free", "phones"]

Found = tuple[int, int, PiiType, str]

# -- phone numbers in context ----------------------------------------------------------------
PHONE_SHAPE = PHONE_WRITTEN  # one definition for notes and columns (detectors/phones.py)
_RXPHONE_SHAPE = re.compile(rf"(?<![\w+]){PHONE_SHAPE}(?![\w])")
_PHONE_WORDS = (
    "call|calls|called|calling|phone|phoned|tel|telephone|mob|mobile|landline|fax|desk|office|ring|rang|text|texted|"
    "txt|sms|whatsapp|contact|contacted|contactable|number|messages?|voicemail|vm|answering|dial|reach|reached|reachable"
)
_PHONE_CUE_BEFORE = re.compile(rf"\b(?:{_PHONE_WORDS})\b[^\d\n]{{0,24}}$", re.IGNORECASE)
_PHONE_CUE_AFTER = re.compile(r"^\W{0,3}(?:office|fax|mobile|mob|desk|home|work|tel|landline)\b", re.IGNORECASE)

# -- dates of birth, month first ---------------------------------------------------------------
_RX_MONTH_FIRST = re.compile(
    rf"\b(?:{MONTH_NAMES_PATTERN})\.?\s+\d{{1,2}}(?:st|nd|rd|th)?,?\s+\d{{4}}\b",
    re.IGNORECASE,
)
_BIRTH_CUE = re.compile(r"(?:\bd\.?o\.?b\b|\bborn\b|date of birth|\bbirthday\b)[^\n]{0,16}$", re.IGNORECASE)

# -- emails with letters outside ASCII before the @ -----------------------------------------
_RX_UNICODE_EMAIL = re.compile(
    r"(?<![\w.@+'\-])[^\W_][\w.%+'\-]*@[A-Za-z0-9](?:[A-Za-z0-9\-]*[A-Za-z0-9])?"
    r"(?:\.[A-Za-z0-9](?:[A-Za-z0-9\-]*[A-Za-z0-9])?)*\.[A-Za-z]{2,24}(?!\w)"
)


def free(s: int, e: int, spans: Sequence[Found]) -> bool:
    """True when ``s:e`` overlaps none of ``spans``: a rule never claims what another span holds."""

    return all(e <= a or s >= b for a, b, *_ in spans)


def phones(text: str, taken: Sequence[Found]) -> list[Found]:
    out: list[Found] = []
    for m in _RXPHONE_SHAPE.finditer(text):
        if not free(m.start(), m.end(), taken):  # most numbers were found by the span finder already
            continue
        if len(national_digits(m.group())) not in NATIONAL_LENGTHS:
            continue
        before = text[max(0, m.start() - 40) : m.start()]
        if _PHONE_CUE_BEFORE.search(before) or _PHONE_CUE_AFTER.search(text[m.end() : m.end() + 12]):
            out.append((m.start(), m.end(), PiiType.PHONE, "rule"))
    return out


def births(text: str, taken: Sequence[Found]) -> list[Found]:
    out: list[Found] = []
    for m in _RX_MONTH_FIRST.finditer(text):
        if (
            free(m.start(), m.end(), taken)
            and _BIRTH_CUE.search(text[max(0, m.start() - 40) : m.start()])
            and parse_uk_date(m.group())
        ):
            out.append((m.start(), m.end(), PiiType.DATE_OF_BIRTH, "rule"))
    return out


def emails(text: str, taken: Sequence[Found]) -> list[Found]:
    return [
        (m.start(), m.end(), PiiType.EMAIL, "rule")
        for m in _RX_UNICODE_EMAIL.finditer(text)
        if not m.group().split("@")[0].isascii()
    ]
