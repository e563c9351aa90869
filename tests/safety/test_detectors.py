"""Value-level detectors: checksums, UK formats, column shares, hard cases."""

from __future__ import annotations

import datetime as dt

import polars as pl
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from community_insights.safety import detectors as d
from community_insights.safety.detectors import columns
from community_insights.safety.types import PiiType

digits = st.text(alphabet="0123456789", min_size=9, max_size=9)


# --- NHS number -------------------------------------------------------------


@pytest.mark.parametrize("value", ["943 476 5919", "9434765919", "943-476-5919", " 4010232137 "])
def test_valid_nhs_numbers(value: str) -> None:
    assert d.is_nhs_number(value)


@pytest.mark.parametrize(
    "value", ["9434765918", "943 476 591", "0000000000", "1111111111", "94347659190", "abc", "", None, 9434765919]
)
def test_invalid_nhs_numbers(value: object) -> None:
    assert not d.is_nhs_number(value)


@given(digits)
def test_nhs_check_digit_makes_a_valid_number(body: str) -> None:
    check = d.nhs_check_digit(body)
    number = body + str(check) if check is not None else None
    if number is not None and len(set(number)) > 1:
        assert d.is_nhs_number(number)
        # Any single-digit change breaks the checksum (modulus 11 catches them all).
        for i in range(10):
            changed = number[:i] + str((int(number[i]) + 1) % 10) + number[i + 1 :]
            assert not d.is_nhs_number(changed)


@given(digits, st.integers(min_value=0, max_value=8))
def test_nhs_transposition_caught(body: str, i: int) -> None:
    check = d.nhs_check_digit(body)
    if check is None:
        return
    number = body + str(check)
    swapped = number[:i] + number[i + 1] + number[i] + number[i + 2 :]
    if swapped != number and len(set(swapped)) > 1:
        assert not d.is_nhs_number(swapped)


@given(
    st.lists(
        st.tuples(
            st.text(alphabet="0123456789", min_size=10, max_size=10),
            st.sampled_from(["", " ", "-"]),
            st.booleans(),
        ),
        min_size=1,
        max_size=40,
    )
)
@settings(max_examples=200, deadline=None)
def test_vectorised_nhs_check_agrees_with_scalar(items: list[tuple[str, str, bool]]) -> None:
    """value_matches checks NHS numbers in Polars; it must give is_nhs_number's answers."""

    values = []
    for raw, sep, make_valid in items:
        if make_valid and (check := d.nhs_check_digit(raw[:9])) is not None:
            raw = raw[:9] + str(check)
        values.append(f"{raw[:3]}{sep}{raw[3:6]}{sep}{raw[6:]}")
    candidates = pl.Series(values)
    assert columns._nhs_valid(candidates).to_list() == [d.is_nhs_number(v) for v in values]
    expected = sum(d.is_nhs_number(v) for v in values) / len(values)
    assert d.value_matches(candidates).get(PiiType.NHS_NUMBER, 0.0) == pytest.approx(round(expected, 6))


# --- NI number --------------------------------------------------------------


@pytest.mark.parametrize("value", ["AB123456C", "ab 12 34 56 c", "JG 10 37 89 A", "ZY123456D", "AB-12-34-56-A"])
def test_valid_ni(value: str) -> None:
    assert d.is_ni_number(value)
    assert d.normalise_ni_number(value) == value.upper().replace(" ", "").replace("-", "")


@pytest.mark.parametrize(
    "value",
    [
        "QQ123456C",  # Q never first
        "DA123456A",  # D never first
        "AO123456A",  # O never second
        "GB123456A",  # never-issued prefixes
        "BG123456A",
        "NK123456A",
        "KN123456A",
        "TN123456A",
        "NT123456A",
        "ZZ123456A",
        "AB123456E",  # suffix A-D only
        "AB12345C",
        "",
    ],
)
def test_invalid_ni(value: str) -> None:
    assert not d.is_ni_number(value)


@given(
    st.sampled_from("ABCEGHJKLMNOPRSTWXYZ"),
    st.sampled_from("ABCEGHJKLMNPRSTWXYZ"),
    st.text("0123456789", min_size=6, max_size=6),
    st.sampled_from("ABCD"),
)
def test_ni_rules_property(a: str, b: str, nums: str, suffix: str) -> None:
    value = f"{a}{b}{nums}{suffix}"
    assert d.is_ni_number(value) == (a + b not in d.NI_NOT_ALLOWED_PREFIXES)


# --- Postcodes --------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "norm", "sector", "district"),
    [
        ("sw1a1aa", "SW1A 1AA", "SW1A 1", "SW1A"),
        ("M1 1AE", "M1 1AE", "M1 1", "M1"),
        ("b33 8th", "B33 8TH", "B33 8", "B33"),
        ("CR2 6XH", "CR2 6XH", "CR2 6", "CR2"),
        ("DN55 1PT", "DN55 1PT", "DN55 1", "DN55"),
        ("W1A 0AX", "W1A 0AX", "W1A 0", "W1A"),
        ("EC1A  1BB", "EC1A 1BB", "EC1A 1", "EC1A"),
        ("gir 0aa", "GIR 0AA", "GIR 0", "GIR"),
        ("BFPO 105", "BFPO 105", "BFPO", "BFPO"),
    ],
)
def test_postcodes(raw: str, norm: str, sector: str, district: str) -> None:
    assert d.normalise_postcode(raw) == norm
    assert d.postcode_sector(raw) == sector
    assert d.postcode_district(raw) == district


@pytest.mark.parametrize(
    "value", ["QA1 1AA", "VA1 1AA", "XA1 1AA", "AI1 1AA", "SW1A 1CA", "SW1A 1AI", "12345", "SW1A", "GIR 1AA", ""]
)
def test_not_postcodes(value: str) -> None:
    assert d.normalise_postcode(value) is None


def test_sector_of_non_postcode_raises() -> None:
    with pytest.raises(ValueError):
        d.postcode_sector("not a postcode")


# --- Phones, email, IP, dates ---------------------------------------------


@pytest.mark.parametrize(
    "value", ["07911 123456", "+44 7911 123456", "020 7946 0831", "0161 496 0734", "(0113) 496 0412", "00447911123456"]
)
def test_uk_phones(value: str) -> None:
    assert d.is_uk_phone(value)
    assert (d.normalise_phone(value) or "").startswith("+44")


@pytest.mark.parametrize("value", ["12345", "+1 212 555 0100", "9434765919", "07911", "phone me"])
def test_not_uk_phones(value: str) -> None:
    assert not d.is_uk_phone(value)


def test_email_and_ip() -> None:
    assert d.is_email("siobhan.o'neill@example.co.uk")
    assert not d.is_email("not an email@")
    assert d.is_ip_address("192.168.0.1") and d.is_ip_address("2001:db8::1")
    assert not d.is_ip_address("256.1.1.1")


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("31/12/1980", dt.date(1980, 12, 31)),
        ("1/3/1980", dt.date(1980, 3, 1)),
        ("31-12-1980", dt.date(1980, 12, 31)),
        ("31.12.1980", dt.date(1980, 12, 31)),
        ("1 Mar 1980", dt.date(1980, 3, 1)),
        ("1st March 1980", dt.date(1980, 3, 1)),
        ("21 September 2001", dt.date(2001, 9, 21)),
        ("1980-12-31", dt.date(1980, 12, 31)),
        ("1980-12-31T09:30:00Z", dt.date(1980, 12, 31)),
        ("March 1, 1980", dt.date(1980, 3, 1)),
    ],
)
def test_uk_dates(raw: str, expected: dt.date) -> None:
    assert d.parse_uk_date(raw) == expected


@pytest.mark.parametrize("raw", ["31/02/1980", "13/13/1980", "yesterday", "", "1980"])
def test_not_dates(raw: str) -> None:
    assert d.parse_uk_date(raw) is None


def test_dates_day_first() -> None:
    assert d.parse_uk_date("03/04/1958") == dt.date(1958, 4, 3)


def test_parse_uk_dates_vectorised() -> None:
    out = d.parse_uk_dates(pl.Series(["31/12/1980", "nope", None, "1980-01-02"]))
    assert out.to_list() == [dt.date(1980, 12, 31), None, None, dt.date(1980, 1, 2)]


# --- Cards, UPN, bank, vehicles ------------------------------------------


@given(st.text("0123456789", min_size=15, max_size=15))
def test_luhn_property(body: str) -> None:
    # Exactly one check digit completes a Luhn-valid number.
    valid = [c for c in "0123456789" if d.luhn_valid(body + c)]
    assert len(valid) == 1


def test_payment_cards() -> None:
    assert d.is_payment_card("4111 1111 1111 1111")
    assert d.is_payment_card("5500-0000-0000-0004")
    assert not d.is_payment_card("4111 1111 1111 1112")
    assert not d.is_payment_card("9434765919")


@given(st.text("0123456789", min_size=12, max_size=12))
@settings(max_examples=200)
def test_upn_check_letter_roundtrip(body: str) -> None:
    letter = d.upn_check_letter(body)
    assert letter is not None
    assert d.is_upn(letter + body)
    wrong = next(c for c in "ABCDEFGHJKLMNPQRTUVWXYZ" if c != letter)
    assert not d.is_upn(wrong + body)


def test_upn_known_shapes() -> None:
    assert not d.is_upn("I801200001001")  # I is never a check letter
    assert not d.is_upn("A80120000100")


def test_bank_and_vehicle() -> None:
    assert d.is_sort_code("12-34-56") and not d.is_sort_code("123456")
    assert d.is_bank_account("12345678") and not d.is_bank_account("1234567")
    assert d.is_passport_number("123456789")
    assert d.is_vehicle_registration("AB51 CDE") and d.is_vehicle_registration("ab12cde")
    assert not d.is_vehicle_registration("AB99 CDE")  # no such age identifier


# --- Columns --------------------------------------------------------------


def test_value_matches_shares() -> None:
    s = pl.Series(
        [
            "943 476 5919",
            "9434765918",
            "AB123456C",
            "sw1a 1aa",
            "07911 123456",
            "a@b.com",
            "12/03/1990",
            "10.0.0.1",
            None,
            "",
        ]
    )
    got = d.value_matches(s)
    assert got[PiiType.NHS_NUMBER] == pytest.approx(1 / 8)  # the bad checksum does not count
    for pii in (
        PiiType.NI_NUMBER,
        PiiType.POSTCODE,
        PiiType.PHONE,
        PiiType.EMAIL,
        PiiType.DATE_OF_BIRTH,
        PiiType.IP_ADDRESS,
    ):
        assert got[pii] == pytest.approx(1 / 8), pii


def test_value_matches_empty_column() -> None:
    assert d.value_matches(pl.Series([None, "", "  "], dtype=pl.Utf8)) == {}


def test_value_matches_whole_column_of_nhs_numbers() -> None:
    s = pl.Series(["943 476 5919", "4010232137", "485 777 3457"] * 1000)
    assert d.value_matches(s)[PiiType.NHS_NUMBER] == 1.0


def test_person_name_share_names_and_organisations() -> None:
    names = pl.Series(
        ["Ayesha Begum", "Siobhán O'Neill", "MR J SMITH", "Kwame Mensah", "Gwenllian Pritchard", "NOWAK, Agnieszka"]
    )
    orgs = pl.Series(
        [
            "Age UK Camden",
            "St Mary's Hospital",
            "Sainsbury's",
            "Citizens Advice Newham",
            "Bethel Food Bank",
            "Tesco Extra",
        ]
    )
    assert d.person_name_share(names) == 1.0
    assert d.person_name_share(orgs) == 0.0


def test_special_category_values() -> None:
    eth = d.special_category_values(
        pl.Series(["White British", "Asian - Pakistani", "Prefer not to say", "Black Caribbean", "Arab"])
    )
    assert eth == {PiiType.ETHNICITY: 1.0}
    rel = d.special_category_values(pl.Series(["Muslim", "No religion", "Sikh", "Christian"]))
    assert rel[PiiType.RELIGION] == 1.0
    assert (
        d.special_category_values(pl.Series(["Heterosexual or straight", "Bisexual"]))[PiiType.SEXUAL_ORIENTATION]
        == 1.0
    )
    assert d.special_category_values(pl.Series(["Diabetes", "Asthma", "COPD"]))[PiiType.HEALTH] == 1.0
    assert d.special_category_values(pl.Series(["Female", "Male", "Non-binary"]))[PiiType.GENDER] == 1.0
    assert d.special_category_values(pl.Series(["Unknown", "Prefer not to say"])) == {}
    assert d.special_category_type("white  british") is PiiType.ETHNICITY
