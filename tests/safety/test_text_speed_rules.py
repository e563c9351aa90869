"""Patterns and gates written for speed find exactly what the patterns as read find.

Why: the span finder's identifier patterns are also written in a second form
that Python's regular-expression engine scans faster (a first character it
can skip ahead to). That form is only allowed if it finds the same spans, so
each is compared with the pattern as read on texts built from the pieces
that decide a match (digits of every script, the characters of the
boundaries, street words).
"""

from __future__ import annotations

import re

from hypothesis import given, settings
from hypothesis import strategies as st

from community_insights.safety.names import fold
from community_insights.safety.text import identifiers, names, people

_NUMBER_PIECES = [
    "0", "1", "7", "9", "44", "0044", "+44", "+", "(0)", "(", ")", "0207", "07700 900", "943.476.5919", " ", "  ",
    "-", ".", "@", "_", "a", "Z", "é", "٣", "\n", "x0", "tel ", "ref_", "9434765919", "943 476 5919", "943-476-",
]  # fmt: skip
_ADDRESS_PIECES = [
    "1", "12", "1234", "12a", "Flat ", "Flat 4, ", "Apartment 2 ", "Apt. 3 ", "Apt", "F", "A", "High ", "St ",
    "Street", "St", "Road", "Parade", "Mews", "Row", "O’Neil ", "Abbey ", "Hey ", "lane", " ", ", ", ".", "\n",
    "٣", "é", "Élan ", "Apartment 2 12 High Street", "Apt. 3 1 Abbey Row", "Flat 9 4 Hey Lane",
]  # fmt: skip


def _spans(pattern: re.Pattern[str], text: str) -> list[tuple[int, int]]:
    return [m.span() for m in pattern.finditer(text)]


@settings(max_examples=600, deadline=None)
@given(st.lists(st.sampled_from(_NUMBER_PIECES), max_size=16).map("".join))
def test_phone_and_nhs_patterns_match_as_read(text: str) -> None:
    assert _spans(identifiers._RX_PHONE, text) == _spans(re.compile(identifiers.PHONE_AS_READ), text)
    assert _spans(identifiers._RX_DIGIT10, text) == _spans(re.compile(identifiers.DIGIT10_AS_READ), text)


@settings(max_examples=600, deadline=None)
@given(st.lists(st.sampled_from(_ADDRESS_PIECES), max_size=12).map("".join))
def test_address_pattern_matches_as_read(text: str) -> None:
    assert _spans(identifiers._RX_ADDRESS, text) == _spans(re.compile(identifiers.ADDRESS_AS_READ), text)


_LIST_PIECES = [
    "Ann", "Llewellyn", "O’Neil", "Smith-Jones", "Élan", "ÉLAN", "de", "x", "Ann Lee", ", ", ", and ", ", & ", " and ",
    " & ", " ", "-", "'", "’", "é", "_", "3", ".", "\n",
]  # fmt: skip


@settings(max_examples=600, deadline=None)
@given(st.lists(st.sampled_from(_LIST_PIECES), max_size=12).map("".join))
def test_list_pattern_matches_as_read(text: str) -> None:
    assert _spans(people._LIST, text) == _spans(re.compile(people.LIST_AS_READ), text)


def test_each_fast_pattern_finds_its_examples() -> None:
    """The comparison above means something only if the patterns match at all: one example of each."""

    assert _spans(identifiers._RX_PHONE, "call +44 (0)20 7946 0018 or (0207) 946 0018") == [(5, 24), (28, 43)]
    assert _spans(identifiers._RX_PHONE, "ref0207946001 x") == []
    assert _spans(identifiers._RX_DIGIT10, "NHS 943 476 5919, 943.476.5919 and a9434765919") == [(4, 16), (18, 30)]
    assert _spans(identifiers._RX_ADDRESS, "at Flat 4, 12 High Street today") == [(3, 25)]
    assert _spans(people._LIST, "Present: Llewellyn, Raghunathan and Boswell-Jones; x-Ann, Bo") == [(9, 49)]


_WORD_PIECES = [
    "Jo", "Jo's", "Jo’s", "A's", "Mr.", "St.", "O'Neil", "Smith-Jones", "é", "Ōsaka", "ſ", "'s", ".", " ", "  ",
    ", ", "\n", "1", "_", "and", "MRS", "DR.", "it's.", "Ab's.",
]  # fmt: skip


def _tokens_as_read(text: str) -> list[tuple[int, int, int, str, str, bool]]:
    """Each token the plain way, one match at a time: a full stop, then a possessive 's, cut off its end."""

    out = []
    for m in names._TOKEN.finditer(text):
        raw, end = m.group(), m.end()
        if raw[-1] == ".":
            raw, end = raw[:-1], end - 1
        if len(raw) > 3 and raw[-2:] in ("'s", "’s"):
            raw, end = raw[:-2], end - 2
        out.append((m.start(), end, m.end(), raw, fold(raw), raw[:1].isupper()))
    return out


@settings(max_examples=600, deadline=None)
@given(st.lists(st.sampled_from(_WORD_PIECES), max_size=14).map("".join))
def test_name_tokens_as_read(text: str) -> None:
    toks = names._tokens(text)
    got = list(zip(toks.starts, toks.ends, toks.match_ends, toks.texts, toks.keys, toks.caps, strict=True))
    assert got == _tokens_as_read(text)
