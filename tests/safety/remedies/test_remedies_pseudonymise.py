"""Keyed pseudonyms: normalised per type, short prefixed base32 tokens, domain-separated."""

from __future__ import annotations

import re

import polars as pl
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from community_insights.safety.remedies import Pseudonymiser, normalise_for_pseudonym
from community_insights.safety.remedies.pseudonymise import NORMALISERS

KEY = bytes(range(32))
OTHER_KEY = bytes(range(1, 33))
TOKEN = re.compile(r"^P-[A-Z2-7]{16}$")


def tokens(type_: str, key: bytes = KEY) -> Pseudonymiser:
    return Pseudonymiser(key, domain=f"pseudonym:{type_}", normaliser=NORMALISERS[type_])


@pytest.mark.parametrize(
    ("type_", "same"),
    [
        ("NI_NUMBER", ["ab 12 34 56 c", "AB123456C", " AB-12-34-56-C ", "AB123456", "ab123456c"]),
        ("NHS_NUMBER", ["943 476 5919", "9434765919", "943-476-5919", " 943 476 5919 "]),
        ("POSTCODE", ["sw1a1aa", "SW1A 1AA", " sw1a  1aa ", "SW1A1AA"]),
        ("EMAIL", ["Ayesha.Begum@Example.ORG", "ayesha.begum@example.org", " ayesha.begum@example.org "]),
        ("PERSON", ["Siobhán  O'Neill", "siobhán o'neill", "SIOBHÁN O'NEILL", " Siobhán\tO'Neill "]),
        ("PHONE", ["07700 900123", "+44 7700 900123", "0044 7700 900 123", "(07700) 900-123", "447700900123"]),
        ("DATE_OF_BIRTH", ["02/03/1984", "2/3/1984", "1984-03-02", "2 March 1984"]),
        ("SYSTEM_ID", ["abc 123", "ABC123", " abc123 "]),
    ],
)
def test_normalisation_makes_one_person_one_token(type_: str, same: list[str]) -> None:
    p = tokens(type_)
    assert len({normalise_for_pseudonym(v, type_) for v in same}) == 1
    assert len({p.token(v) for v in same}) == 1


@pytest.mark.parametrize(
    ("type_", "a", "b"),
    [
        ("NI_NUMBER", "AB123456C", "AB123457C"),
        ("NHS_NUMBER", "9434765919", "9434765870"),
        ("PERSON", "Siobhán O'Neill", "Siobhan O'Neill"),
        ("POSTCODE", "SW1A 1AA", "SW1A 1AB"),
    ],
)
def test_different_people_get_different_tokens(type_: str, a: str, b: str) -> None:
    assert tokens(type_).token(a) != tokens(type_).token(b)


def test_token_shape_and_key_dependence() -> None:
    token = tokens("NI_NUMBER").token("AB123456C")
    assert TOKEN.match(token)
    assert tokens("NI_NUMBER", OTHER_KEY).token("AB123456C") != token
    # The same string as another type of value is an unrelated token (domain separation).
    assert tokens("SYSTEM_ID").token("AB123456C") != token


def test_series_keeps_nulls_and_blanks_empty_and_is_stable_across_batches() -> None:
    p = tokens("NHS_NUMBER")
    values = pl.Series("nhs", ["943 476 5919", None, "", "   ", "9434765919"])
    out = p.series(values)
    assert out.name == "nhs" and out.dtype == pl.Utf8
    assert out[1] is None and out[2] is None and out[3] is None
    assert out[0] == out[4] and TOKEN.match(out[0])
    fresh = tokens("NHS_NUMBER").series(pl.Series("nhs", ["9434765919"]))
    assert fresh[0] == out[0]


def test_cache_is_bounded() -> None:
    p = Pseudonymiser(KEY, domain="pseudonym:TEXT", normaliser=NORMALISERS["TEXT"], cache_size=10)
    first = p.token("value 0")
    for i in range(50):
        p.token(f"value {i}")
    assert len(p._cache) <= 10
    assert p.token("value 0") == first


def test_batches_get_the_tokens_of_single_values_while_the_table_of_tokens_stays_bounded() -> None:
    """Batch after batch, values seen before and new get :meth:`token`'s token; the table never passes its size."""

    p = Pseudonymiser(KEY, domain="pseudonym:TEXT", normaliser=NORMALISERS["TEXT"], cache_size=25)
    alone = tokens("TEXT")
    for start in range(0, 120, 10):
        values = pl.Series("v", [f"value {i % 37}" for i in range(start, start + 20)] + [None, " "])
        out = p.series(values)
        assert out.to_list() == [alone.token(v) for v in values.to_list()[:-2]] + [None, None]
        assert p._known.height <= 25


def test_repr_never_shows_the_key() -> None:
    assert KEY.hex() not in repr(tokens("TEXT")) and str(KEY) not in repr(tokens("TEXT"))


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=30), st.sampled_from(sorted(NORMALISERS)))
def test_normalisation_is_idempotent(value: str, type_: str) -> None:
    once = normalise_for_pseudonym(value, type_)
    assert normalise_for_pseudonym(once, type_) == once


@settings(max_examples=100, deadline=None)
@given(
    st.from_regex(r"[A-CEGHJ-PR-TW-Z]{2}[0-9]{6}[A-D]", fullmatch=True),
    st.lists(st.sampled_from([" ", "", "  ", "-"]), min_size=9, max_size=9),
    st.booleans(),
)
def test_any_ni_spelling_gives_the_same_token(ni: str, gaps: list[str], lower: bool) -> None:
    messy = "".join(ch + gap for ch, gap in zip(ni, gaps, strict=True))
    messy = messy.lower() if lower else messy
    assert tokens("NI_NUMBER").token(messy) == tokens("NI_NUMBER").token(ni)
