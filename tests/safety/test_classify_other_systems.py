"""Columns as other systems export them (issue: detection on data the project never saw).

Each case is built here from a different source than the export that
revealed the gap: NHS Data Dictionary labels rather than the ONS 2021 ones,
tenancy references rather than case codes, asthma and epilepsy flags
rather than stroke and hypertension, regions rather than Urban/Rural.
"""

from __future__ import annotations

import random

import polars as pl

from community_insights.safety.classify import classify_column
from community_insights.safety.types import ColumnKind, PiiType

R = random.Random(17)


def classify(name: str, values: list[str]) -> tuple[ColumnKind, list[PiiType]]:
    finding = classify_column(name, pl.Series(name, values))
    return finding.kind, finding.pii_types


def test_nhs_ethnic_category_labels_are_ethnicity() -> None:
    labels = ["White - British", "Asian or Asian British - Indian", "Black or Black British - African"]
    labels += ["Mixed - White and Asian", "Other Ethnic Groups - Chinese", "Not stated"]
    assert classify("EthnicCategory", [R.choice(labels) for _ in range(400)]) == (
        ColumnKind.SPECIAL_CATEGORY,
        [PiiType.ETHNICITY],
    )


def test_census_2021_answers_without_a_telling_header_are_ethnicity() -> None:
    labels = [
        "Black, Black British, Black Welsh, Caribbean or African: Caribbean",
        "Asian, Asian British or Asian Welsh: Pakistani",
        "White: English, Welsh, Scottish, Northern Irish or British",
    ]
    kind, types = classify("q12", [R.choice(labels) for _ in range(300)])
    assert (kind, types) == (ColumnKind.SPECIAL_CATEGORY, [PiiType.ETHNICITY])


def test_a_unique_prefixed_tenancy_reference_is_a_system_id() -> None:
    refs = [f"TEN/{R.randint(10, 99)}{R.choice('ABCDEFGH')}{R.randint(100, 999)}" for _ in range(500)]
    kind, types = classify("tenancy", refs)
    assert (kind, types) == (ColumnKind.SYSTEM_ID, [PiiType.SYSTEM_ID])


def test_a_contact_column_of_emails_and_phone_numbers_lists_both() -> None:
    emails = [f"resident{i}@example.org.uk" for i in range(200)]
    phones = [f"07{R.choice('3459')}{R.randint(10_000_000, 99_999_999)}" for _ in range(150)]
    mixed = emails + phones
    R.shuffle(mixed)
    kind, types = classify("how_to_reach", mixed)
    assert kind == ColumnKind.DIRECT_IDENTIFIER
    assert set(types) == {PiiType.EMAIL, PiiType.PHONE}


def test_zero_one_health_flags_named_by_their_header_are_special_category() -> None:
    for header in ("asthma", "EpilepsyFlag", "has_diabetes"):
        assert classify(header, [R.choice("01") for _ in range(300)]) == (
            ColumnKind.SPECIAL_CATEGORY,
            [PiiType.HEALTH],
        )


def test_place_categories_are_never_names() -> None:
    regions = ["Inner London", "Outer London", "North West", "Wales", "Scotland"]
    kind, types = classify("geog", [R.choice(regions) for _ in range(300)])
    assert kind != ColumnKind.DIRECT_IDENTIFIER and PiiType.PERSON not in types
    towns = ["Preston", "Chester", "Lincoln", "Derby", "Chelsea"]  # all of them people's names too
    kind, types = classify("settlement", [R.choice(towns) for _ in range(300)])
    assert PiiType.PERSON not in types


def test_invented_first_names_under_a_forename_header_are_names() -> None:
    made_up = ["".join(R.choice("aeioubdfgklmnrstvz") for _ in range(R.randint(4, 8))) for _ in range(200)]
    assert classify("forename", [R.choice(made_up) for _ in range(400)]) == (
        ColumnKind.DIRECT_IDENTIFIER,
        [PiiType.PERSON],
    )


def test_ages_with_fractions_of_a_year_are_ages() -> None:
    ages = [f"{R.randint(0, 90)}.{R.choice('05')}" for _ in range(300)] + ["0.25", "0.75"]
    kind, types = classify("age", ages)
    assert (kind, types) == (ColumnKind.QUASI_IDENTIFIER, [PiiType.AGE])


def test_a_short_list_of_made_up_surnames_under_a_surname_header_is_names() -> None:
    # A training extract with 24 invented surnames repeated over 600 rows (not the COVID table's 27).
    invented = [f"{a}{b}" for a in ("tral", "venn", "osk", "brum", "quill", "dorr") for b in ("ey", "ick", "ar", "wen")]
    kind, types = classify("client_surname", [R.choice(invented) for _ in range(600)])
    assert (kind, types) == (ColumnKind.DIRECT_IDENTIFIER, [PiiType.PERSON])


def test_a_column_of_test_results_is_health_data_whatever_its_header() -> None:
    results = ["Positive", "Negative", "Negative", "Negative", "Inconclusive"]
    assert classify("outcome", [R.choice(results) for _ in range(500)]) == (
        ColumnKind.SPECIAL_CATEGORY,
        [PiiType.HEALTH],
    )
    assert classify("lft", [R.choice(["pos", "neg", "void"]) for _ in range(300)])[1] == [PiiType.HEALTH]


def test_an_all_negative_or_pass_fail_column_is_not_a_test_result() -> None:
    assert classify("arrears_check", [R.choice(["pass", "fail"]) for _ in range(300)])[1] == []
    assert classify("dbs_outcome", ["negative"] * 300)[1] == []


def test_headers_naming_an_ethnic_group_or_a_limiting_condition_over_flags() -> None:
    flags = [R.choice(["0", "1"]) for _ in range(300)]
    assert classify("Latino", flags) == (ColumnKind.SPECIAL_CATEGORY, [PiiType.ETHNICITY])
    assert classify("hispanic_origin", flags) == (ColumnKind.SPECIAL_CATEGORY, [PiiType.ETHNICITY])
    assert classify("activity_limited", [R.choice(["Yes, a lot", "Yes, a little", "No"]) for _ in range(300)]) == (
        ColumnKind.SPECIAL_CATEGORY,
        [PiiType.HEALTH],
    )
    assert classify("adl_score", [str(R.randint(0, 6)) for _ in range(300)])[1] == [PiiType.HEALTH]
    assert classify("credit_limit", flags)[1] == []
    assert PiiType.HEALTH not in classify("age_limit", flags)[1]


def test_a_header_naming_sex_life_over_codes_is_special_category() -> None:
    kind, types = classify("sexual_partners_last_year", [str(R.randint(0, 5)) for _ in range(300)])
    assert (kind, types) == (ColumnKind.SPECIAL_CATEGORY, [])
