"""Column classification decides from the values, with the header as a tie-breaker."""

from __future__ import annotations

import random

import polars as pl
import pytest

from community_insights.safety.classify import area_level, classify_column, header_hint
from community_insights.safety.detectors import nhs_check_digit
from community_insights.safety.types import Action, ColumnKind, PiiType

RNG = random.Random(4)
N = 300


def _nhs() -> str:
    while True:
        nine = "".join(str(RNG.randint(0, 9)) for _ in range(9))
        check = nhs_check_digit(nine)
        if check is not None:
            return f"{nine[:3]} {nine[3:6]} {nine[6:]}{check}"


def _col(values: list[str]) -> pl.Series:
    return pl.Series([values[i % len(values)] for i in range(N)])


NAMES = ["Ayesha Begum", "John Smith", "Siobhán O'Neill", "Kwame Mensah", "Dafydd Jones", "MR J SMITH", "Priya Patel"]
ORGS = ["Age UK Camden", "St Mary's Hospital", "Sainsbury's", "Citizens Advice Camden", "Job Centre Plus"]


@pytest.mark.parametrize(
    ("header", "values", "kind", "pii"),
    [
        ("nhs_no", [_nhs() for _ in range(50)], ColumnKind.DIRECT_IDENTIFIER, PiiType.NHS_NUMBER),
        ("field_3", [_nhs() for _ in range(50)], ColumnKind.DIRECT_IDENTIFIER, PiiType.NHS_NUMBER),
        ("ni", ["QQ123456C", "AB 12 34 56 D", "JG103759A"], ColumnKind.DIRECT_IDENTIFIER, PiiType.NI_NUMBER),
        ("contact", ["ann@example.org", "bo.b@council.gov.uk"], ColumnKind.DIRECT_IDENTIFIER, PiiType.EMAIL),
        ("tel", ["07700 900123", "+44 7700 900456", "020 7946 0991"], ColumnKind.DIRECT_IDENTIFIER, PiiType.PHONE),
        ("field_7", NAMES, ColumnKind.DIRECT_IDENTIFIER, PiiType.PERSON),
        ("pc", ["nw16xe", "SW1A 1AA", "E1 7AA", "m11ae"], ColumnKind.QUASI_IDENTIFIER, PiiType.POSTCODE),
        (
            "dob",
            ["01/02/1950", "12/11/1987", "3 Mar 2001", "1975-06-30"],
            ColumnKind.QUASI_IDENTIFIER,
            PiiType.DATE_OF_BIRTH,
        ),
        (
            "col_b",
            [f"{d:02d}/0{m}/{y}" for d, m, y in zip(range(1, 29), [1, 5, 9] * 10, range(1931, 2011, 3), strict=False)],
            ColumnKind.QUASI_IDENTIFIER,
            PiiType.DATE_OF_BIRTH,
        ),
        (
            "ethnic_group",
            ["White British", "Asian - Pakistani", "Black African", "Mixed"],
            ColumnKind.SPECIAL_CATEGORY,
            PiiType.ETHNICITY,
        ),
        ("gender", ["Male", "Female", "Non-binary"], ColumnKind.QUASI_IDENTIFIER, PiiType.GENDER),
        ("age_band", ["18-24", "25-34", "65+"], ColumnKind.QUASI_IDENTIFIER, PiiType.AGE),
        (
            "address_1",
            ["12 Acacia Avenue", "Flat 3 45 High Street", "7 Mill Lane"],
            ColumnKind.DIRECT_IDENTIFIER,
            PiiType.ADDRESS,
        ),
        ("case_id", [f"CR-{100000 + i}" for i in range(N)], ColumnKind.SYSTEM_ID, PiiType.SYSTEM_ID),
    ],
)
def test_values_decide_the_kind(header: str, values: list[str], kind: ColumnKind, pii: PiiType) -> None:
    finding = classify_column(header, _col(values))
    assert finding.kind == kind, finding.reason
    assert pii in finding.pii_types


def test_name_header_holding_organisations_is_not_person() -> None:
    finding = classify_column("name", _col(ORGS))
    assert PiiType.PERSON not in finding.pii_types
    assert finding.kind == ColumnKind.OTHER


def test_referral_dates_are_not_birth_dates() -> None:
    finding = classify_column("referral_date", _col(["01/02/2024", "15/03/2024", "30/11/2023"]))
    assert finding.kind == ColumnKind.OTHER
    recent_no_header = classify_column("when", _col(["01/02/2024", "15/03/2024", "30/11/2023", "02/01/2024"]))
    assert PiiType.DATE_OF_BIRTH not in recent_no_header.pii_types


def test_free_text_is_recognised_and_examples_are_masked() -> None:
    notes = [
        "Spoke to Mrs Begum about her housing and the rent arrears, will call back",
        "Client called the office, follow up next week about the benefits claim",
    ]
    assert classify_column("col9", _col(notes)).kind == ColumnKind.FREE_TEXT
    names = classify_column("client_name", _col(NAMES))
    assert names.recommended_action == Action.DROP
    for example in names.evidence.masked_examples:
        assert example not in NAMES and "*" in example


def test_evidence_has_shares_and_checksum_rate_but_no_raw_values() -> None:
    values = [_nhs() for _ in range(40)] + ["123 456 7890"] * 10  # the last fails modulus 11
    finding = classify_column("nhs", pl.Series(values))
    assert finding.evidence.checksum_pass_rate == pytest.approx(0.8)
    assert finding.evidence.non_empty == 50
    assert not any(v in str(finding.evidence) for v in values)


def test_empty_and_plain_columns_are_other() -> None:
    assert classify_column("x", pl.Series([None, "", " "], dtype=pl.String)).kind == ColumnKind.OTHER
    assert classify_column("amount", _col(["12", "250", "7"])).kind == ColumnKind.OTHER


def test_header_hints_and_area_levels() -> None:
    assert header_hint("DateOfBirth") == "DATE_OF_BIRTH"
    assert header_hint("Ethnicity") == "ETHNICITY"
    assert header_hint("field_7") is None
    assert area_level("LSOA21CD") == "lsoa"
    assert area_level("ward_name") == "ward"


def test_ward_names_that_share_words_with_surnames_are_an_area() -> None:
    wards = pl.Series("ward", ["Plaistow North", "Canning Town South", "Forest Gate North", "Stratford"] * 10)
    finding = classify_column("ward", wards)
    assert finding.kind == ColumnKind.QUASI_IDENTIFIER and PiiType.PERSON not in finding.pii_types
    # the same values with few repeats and a header that does not name an area still read as names
    people = pl.Series("contact", ["Oliver North", "Priya Canning", "Rhys Forest", "Amara Stratford"])
    assert classify_column("contact", people).kind == ColumnKind.DIRECT_IDENTIFIER
