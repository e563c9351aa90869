"""Whole-column rules: references by shape, coded special-category flags, place categories.

The headers and values here are written for these tests (NHS-style
registers, housing exports, survey extracts), not taken from the tables
that revealed the gaps, so passing them is not fitting to those tables.
"""

from __future__ import annotations

import random

import polars as pl
import pytest

from community_insights.safety.column_rules import coded_values, place_share, reference_like, special_header
from community_insights.safety.types import PiiType


def distinct(values: list[str]) -> pl.DataFrame:
    return pl.Series("s", values).value_counts(name="n")


@pytest.mark.parametrize(
    ("header", "expected"),
    [
        ("asthma_flag", PiiType.HEALTH),
        ("HasDiabetes", PiiType.HEALTH),
        ("epilepsy", PiiType.HEALTH),
        ("learning_disability", PiiType.HEALTH),
        ("Ethnic Origin Code", PiiType.ETHNICITY),
        ("race_group", PiiType.ETHNICITY),
        ("faith_community", PiiType.RELIGION),
        ("SexualOrientation", PiiType.SEXUAL_ORIENTATION),
        ("property_condition", None),
        ("vehicle_health_check", None),
        ("tenure_type", None),
        ("case_ref", None),
    ],
)
def test_headers_that_name_a_special_category(header: str, expected: PiiType | None) -> None:
    assert special_header(header) is expected


def test_coded_values_are_a_few_short_answers() -> None:
    assert coded_values(distinct(["Y", "N", "N", "Y"]))
    assert coded_values(distinct([str(i) for i in range(1, 6)]))
    assert not coded_values(distinct([f"code {i}" for i in range(30)]))
    assert not coded_values(distinct(["Has had two falls at home since the spring and uses a frame"]))


def test_a_unique_prefixed_code_is_a_reference_by_shape() -> None:
    r = random.Random(4)
    tenancy = [f"TEN/{r.randint(10, 99)}{r.choice('ABCDEFGH')}{r.randint(100, 999)}" for _ in range(300)]
    assert reference_like(distinct(tenancy), len(tenancy), header_says_id=False) >= 0.8
    hex_refs = [f"{r.randrange(16**6):06x}-{r.choice('kqz')}" for _ in range(200)]
    assert reference_like(distinct(hex_refs), len(hex_refs), header_says_id=False) >= 0.8


def test_columns_that_only_look_varied_are_not_references() -> None:
    r = random.Random(5)
    amounts = [f"{r.uniform(1, 999):.2f}" for _ in range(300)]  # numbers: left to the other rules
    assert reference_like(distinct(amounts), 300, header_says_id=False) == 0.0
    repeated = [f"AB{r.randint(1, 5)}C" for _ in range(300)]  # five codes repeated: a category
    assert reference_like(distinct(repeated), 300, header_says_id=False) == 0.0
    few = [f"X{i}Y" for i in range(10)]  # too few values to judge
    assert reference_like(distinct(few), 10, header_says_id=False) == 0.0


def test_a_header_that_says_reference_lowers_the_uniqueness_needed() -> None:
    r = random.Random(6)
    refs = [f"HB{r.randint(0, 299):03d}Q" for _ in range(300)]  # about 190 distinct in 300 rows
    frame = distinct(refs)
    assert reference_like(frame, 300, header_says_id=True) > 0
    assert reference_like(frame, 300, header_says_id=False) == 0.0


def test_place_categories_are_recognised_and_names_are_not() -> None:
    assert place_share(distinct(["Inner London", "Outer London", "Rest of England"] * 20), 60) == 1.0
    assert place_share(distinct(["Cardiff", "Swansea", "Wrexham", "Newport"] * 5), 20) == 1.0
    assert place_share(distinct(["Aled Jones", "Bethan Price"]), 2) == 0.0


def test_whole_numbers_all_different_under_an_id_header_are_record_numbers() -> None:
    numbers = [str(i) for i in range(1, 151)]
    assert reference_like(distinct(numbers), 150, header_says_id=True) == 1.0
    assert reference_like(distinct(numbers), 150, header_says_id=False) == 0.0
