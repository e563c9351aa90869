"""Masked examples: enough to recognise what a column holds, never enough to identify anyone.

Reports are emailed to information rights officers, pasted into tickets and
shown in the portal, so every example value in them passes through
:func:`mask_value` first. Each PII type keeps only what a reader needs to
recognise the kind of value (``J*** S****``, ``NW1 ***``, ``j***@e****.org``).

What is hidden is decided by what a character *is*, not by a list of ASCII
characters: a council's data holds names in every script and numbers typed
with Arabic-Indic, Devanagari or full-width digits, and ``٠١٢٣٤٥٦٧٨٩`` is as
much an account number as ``0123456789``. Letters, digits and combining
marks of any script are hidden, and so are symbols that stand for a letter or
digit (``Ⓙ``, ``⑦``) and characters with no visible meaning (format and
unassigned characters); only white space, punctuation and the remaining
symbols (``@``, ``+``, ``£``) are kept, as the shape of the value.
"""

from __future__ import annotations

import functools
import re
import unicodedata

from community_insights.safety.types import PiiType

__all__ = ["mask_postcode", "mask_value", "mask_word"]

# A value shaped like a postcode (after compatibility folding, spaces removed, upper case):
# only for these is the outward code shown. Looser than Royal Mail's letter rules, which
# decide what is a postcode, not what may be shown of one.
_POSTCODE_SHAPE = re.compile(r"([A-Z]{1,2}[0-9][0-9A-Z]?|GIR)[0-9][A-Z]{2}")
_BFPO_SHAPE = re.compile(r"BFPO[0-9]{1,4}")


@functools.lru_cache(maxsize=4096)
def _hidden(ch: str) -> bool:
    """Whether a mask hides this character: a letter, digit or mark in any script, or anything unknown."""

    if ch.isspace():
        return False
    category = unicodedata.category(ch)
    if category[0] == "P":
        return False
    if category[0] == "S":
        # "Ⓐ" and "⒎" are symbols to Unicode but a letter and a digit to a reader.
        return any(c.isalnum() for c in unicodedata.normalize("NFKC", ch))
    return True


def _shape(text: str) -> str:
    """Every character a mask hides as ``*``: ``QQ 12 34 56 C`` → ``** ** ** ** *``."""

    return "".join("*" if _hidden(ch) else ch for ch in text)


def mask_postcode(value: str) -> str:
    """``NW1 6XE`` → ``NW1 ***``: keep the outward code (district), hide the rest.

    Full-width or otherwise compatibility-encoded postcodes (``ＮＷ１ ６ＸＥ``)
    are read as the postcode they spell. Anything not shaped like a postcode is
    hidden whole: its first characters are not a district.
    """

    compact = "".join(unicodedata.normalize("NFKC", value).split()).upper()
    if _POSTCODE_SHAPE.fullmatch(compact):
        return compact[:-3] + " ***"
    if _BFPO_SHAPE.fullmatch(compact):
        return "BFPO ***"
    return "*" * len(compact)


def mask_word(token: str) -> str:
    """A word's first character, and stars for every letter, digit or mark after it (any script)."""

    return token[:1] + _shape(token[1:])


def _mask_words(value: str) -> str:
    """First letter of each word, stars for the rest: ``John Smith`` → ``J*** S****``."""

    return " ".join(mask_word(token) for token in value.split())


def _mask_email(text: str) -> str:
    """``ann.lee@example.org`` → ``a***@e****.org``: the top-level domain is shown only if it is a word."""

    local, _, domain = text.partition("@")
    host, _, tld = domain.rpartition(".")
    if not host:
        return f"{local[:1]}***@****"
    if not (tld.isalpha() and len(tld) <= 24):
        tld = _shape(tld)
    return f"{local[:1]}***@{host[:1]}****.{tld}"


def _mask_phone(text: str) -> str:
    """``07700 900123`` → ``07*** ******``: the first two digits (any script) and the punctuation."""

    digits = 0
    chars = []
    for ch in text:
        if ch.isdigit():
            digits += 1
            chars.append(ch if digits <= 2 else "*")
        else:
            chars.append("*" if _hidden(ch) else ch)
    return "".join(chars)


def mask_value(value: object, pii_type: PiiType | str | None = None) -> str:
    """Mask one cell value according to what it is (unknown types are masked hardest)."""

    text = "" if value is None else str(value).strip()
    if not text:
        return ""
    kind = PiiType(pii_type) if isinstance(pii_type, str) and pii_type in PiiType.__members__ else pii_type
    if kind == PiiType.POSTCODE:
        return mask_postcode(text)
    if kind == PiiType.EMAIL and "@" in text:
        return _mask_email(text)
    if kind in (PiiType.PERSON, PiiType.ADDRESS):
        return _mask_words(text)
    if kind == PiiType.PHONE:
        return _mask_phone(text)
    # Dates, identifiers and anything unknown: keep only the shape.
    return _shape(text)
