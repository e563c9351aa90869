"""Generalisation: age bands at the plan's reference date, years, months, postcode levels, number bands."""

from __future__ import annotations

import datetime as dt
import itertools

import polars as pl
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from community_insights.safety.detectors import postcode_district, postcode_sector
from community_insights.safety.generalisation import (
    SUPPRESSED,
    age_at,
    band_labels,
    generalise,
    postcode_part,
    up_one_level,
)

REF = dt.date(2025, 3, 15)


def s(*values: object) -> pl.Series:
    return pl.Series("c", list(values))


def test_age_is_taken_at_the_reference_date_not_today() -> None:
    dates = s(dt.date(1985, 3, 15), dt.date(1985, 3, 16), dt.date(2025, 3, 16), dt.date(2000, 2, 29))
    assert age_at(dates, REF).to_list() == [40, 39, None, 25]


def test_date_of_birth_to_age_band() -> None:
    out = generalise(s("15/03/1985", "16/03/1985", "1930-01-01", "not a date", None, ""), {"to": "age_band"}, REF)
    assert out.to_list() == ["40-49", "30-39", "90+", None, None, None]
    five = generalise(s("01/01/2010"), {"to": "age_band", "width": 5, "top": 85}, REF)
    assert five.to_list() == ["15-19"]
    edges = generalise(s("01/01/2010", "01/01/1990", "01/01/1950"), {"to": "age_band", "bands": [0, 18, 65]}, REF)
    assert edges.to_list() == ["0-17", "18-64", "65+"]


def test_ages_to_age_band() -> None:
    out = generalise(s("7", " 42", "101", "n/a"), {"to": "age_band", "from": "age"}, REF)
    assert out.to_list() == ["0-9", "40-49", "90+", None]
    typed = generalise(pl.Series("c", [7, 42]), {"to": "age_band", "from": "age"}, REF)
    assert typed.to_list() == ["0-9", "40-49"]


def test_dates_to_year_and_month() -> None:
    values = s("02/03/1984", "1999-12-31", "7 June 2021", "soon")
    assert generalise(values, {"to": "year"}, REF).to_list() == ["1984", "1999", "2021", None]
    assert generalise(values, {"to": "month"}, REF).to_list() == ["1984-03", "1999-12", "2021-06", None]
    typed = pl.Series("c", [dt.datetime(2024, 5, 6, 7, 8)])
    assert generalise(typed, {"to": "month"}, REF).to_list() == ["2024-05"]


POSTCODES = ["SW1A 1AA", "sw1a1aa", " NW1  6XE ", "E1 7HT", "W1A 0AX", "CF10 1EP", "M1 1AE", "B1 1BB", "EC1A 1BB"]


def test_postcode_levels_agree_with_the_detectors() -> None:
    values = pl.Series("pc", POSTCODES)
    assert postcode_part(values, "sector").to_list() == [postcode_sector(p) for p in POSTCODES]
    assert postcode_part(values, "district").to_list() == [postcode_district(p) for p in POSTCODES]
    assert postcode_part(values, "area").to_list() == ["SW", "SW", "NW", "E", "W", "CF", "M", "B", "EC"]


def test_postcode_levels_of_partial_and_bad_values() -> None:
    values = s("SW1A 1", "SW1A", "not a postcode", None, "12345")
    assert postcode_part(values, "district").to_list() == ["SW1A", "SW1A", None, None, None]
    assert postcode_part(values, "sector").to_list() == ["SW1A 1", None, None, None, None]


def test_number_bands() -> None:
    assert band_labels(s(0.0, 9.0, 10.0, 25.5, None), width=10).to_list() == ["0-9", "0-9", "10-19", "20-29", None]
    assert band_labels(s(-1, 0, 3, 12), bands=[0, 2, 5, 10]).to_list() == ["under 0", "0-1", "2-4", "10+"]
    assert band_labels(s(5, 150), width=10, top=100).to_list() == ["0-9", "100+"]
    assert generalise(s("12", "x"), {"to": "band", "width": 5}, REF).to_list() == ["10-14", None]


@settings(max_examples=100, deadline=None)
@given(st.dates(min_value=dt.date(1900, 1, 1), max_value=REF))
def test_age_band_contains_the_exact_age(born: dt.date) -> None:
    age = REF.year - born.year - ((REF.month, REF.day) < (born.month, born.day))
    label = generalise(pl.Series("d", [born.strftime("%d/%m/%Y")]), {"to": "age_band", "top": 90}, REF)[0]
    if age >= 90:
        assert label == "90+"
    else:
        low, high = (int(x) for x in label.split("-"))
        assert low <= age <= high and high - low == 9


@pytest.mark.parametrize(
    ("kind", "chain"),
    [
        ("postcode", ["SW1A 1AA", "SW1A 1", "SW1A", "SW", SUPPRESSED, SUPPRESSED]),
        ("age", ["30-39", "18-64", SUPPRESSED]),
        ("age", ["90+", "65+", SUPPRESSED]),
        ("age", ["under 18", "0-17", SUPPRESSED]),
        ("date", ["1984-03", "1984", "1980-1989", SUPPRESSED]),
        ("other", ["Mixed", SUPPRESSED, SUPPRESSED]),
    ],
)
def test_ladders_climb_to_suppressed(kind: str, chain: list[str]) -> None:
    for value, expected in itertools.pairwise(chain):
        got = pl.select(up_one_level(pl.lit(value), kind)).item()
        assert got == expected, (value, got, expected)
