"""Phone numbers outside the allocated ranges, in columns (issue 17: "a contact column mixing emails
and phone numbers lists only EMAIL").

The gap was found with randomly generated mobile numbers. These columns are built from another
source: the numbers Ofcom publishes for use in TV and radio drama (never allocated to anyone),
written the ways council exports write them ("+44 (0)7700 900123", "07700-900-123",
"(0113) 496 0123"), beside emails at 10%, 20% and 50% shares. The guards are eleven-digit
references, Scottish CHI numbers (NHS-style modulus 11, and they can start with 0), account
numbers and numbers without a leading 0 or +44.
"""

from __future__ import annotations

import random

import polars as pl
import pytest

from community_insights.safety.classify import classify_column
from community_insights.safety.detectors import is_nhs_number, phone_shaped
from community_insights.safety.text import find_spans_in_text
from community_insights.safety.types import ColumnKind, PiiType

R = random.Random(1959)

# Ofcom, "TV and radio drama telephone numbers": 1,000 numbers in each range.
DRAMA_RANGES = {
    "mobile": ("07700 900", 3),
    "london": ("020 7946 0", 3),
    "leeds": ("0113 496 0", 3),
    "manchester": ("0161 496 0", 3),
    "cardiff": ("029 2018 0", 3),
    "no area": ("01632 960", 3),
    "freephone": ("08081 570", 3),
}


def drama_number(kind: str) -> str:
    stem, digits = DRAMA_RANGES[kind]
    return f"{stem}{R.randrange(10**digits):0{digits}d}"


def as_exported(number: str, style: str) -> str:
    """A national number written the ways exports write it."""

    digits = number.replace(" ", "")
    groups = number.split(" ")
    return {
        "spaced": number,
        "dashed": "-".join(groups) if len(groups) > 2 else f"{digits[:5]}-{digits[5:8]}-{digits[8:]}",
        "international (0)": f"+44 (0){number[1:]}",
        "international": f"+44 {number[1:]}",
        "bracketed": f"({groups[0]}) {' '.join(groups[1:])}",
        "bare": digits,
    }[style]


EMAILS = [
    f"{first}.{last}{i}@{domain}"
    for i, (first, last, domain) in enumerate(
        (R.choice(["amina", "dewi", "gareth", "olu", "mairead", "tomasz"]), R.choice(["khan", "jones", "bello"]), d)
        for d in ["hotmail.co.uk", "btinternet.com", "gmail.com", "outlook.com"] * 100
    )
]


def contact_column(phones: list[str], share: float, n: int = 400) -> list[str]:
    k = round(n * share)
    values = [R.choice(phones) for _ in range(k)] + R.sample(EMAILS, n - k)
    R.shuffle(values)
    return values


def classify(name: str, values: list[str]) -> tuple[ColumnKind, list[PiiType]]:
    finding = classify_column(name, pl.Series(name, values))
    return finding.kind, finding.pii_types


@pytest.mark.parametrize("share", [0.1, 0.2, 0.5])
@pytest.mark.parametrize("style", ["spaced", "dashed", "international (0)", "bracketed", "bare"])
@pytest.mark.parametrize("header", ["contact", "how_to_reach", "Preferred contact (phone or email)"])
def test_drama_numbers_beside_emails_are_listed_with_them(share: float, style: str, header: str) -> None:
    phones = [as_exported(drama_number(R.choice(list(DRAMA_RANGES))), style) for _ in range(300)]
    kind, types = classify(header, contact_column(phones, share))
    assert kind == ColumnKind.DIRECT_IDENTIFIER
    assert set(types) == {PiiType.EMAIL, PiiType.PHONE}


def test_the_phone_share_counts_every_number_written_as_one() -> None:
    phones = [as_exported(drama_number("mobile"), "dashed") for _ in range(300)]
    values = contact_column(phones, 0.2)
    finding = classify_column("contact", pl.Series(values))
    phone_rows = sum(1 for v in values if "@" not in v)
    assert finding.evidence.match_share["PHONE"] == pytest.approx(phone_rows / len(values))
    assert any("counted as phones" in note for note in finding.evidence.notes)


@pytest.mark.parametrize("header", ["Tel No", "MobileNumber", "landline", "contact_2"])
def test_a_column_the_header_calls_phones_is_phones_in_any_range(header: str) -> None:
    values = [as_exported(drama_number(R.choice(["mobile", "no area", "freephone"])), "dashed") for _ in range(300)]
    assert classify(header, values) == (ColumnKind.DIRECT_IDENTIFIER, [PiiType.PHONE])


def test_numbers_written_to_be_dialled_are_phones_without_a_header() -> None:
    values = [as_exported(drama_number("mobile"), "international (0)") for _ in range(300)]
    assert classify("col7", values) == (ColumnKind.DIRECT_IDENTIFIER, [PiiType.PHONE])


def test_a_few_drama_numbers_among_allocated_ones_raise_the_share_to_all() -> None:
    # Allocated London numbers (020 7xxx) with one in ten from the drama range, under a header that says nothing.
    allocated = [f"020 7{R.randrange(100, 900)} {R.randrange(10_000):04d}" for _ in range(360)]
    values = allocated + [drama_number("mobile") for _ in range(40)]
    finding = classify_column("number2", pl.Series(values))
    assert finding.kind == ColumnKind.DIRECT_IDENTIFIER
    assert finding.evidence.match_share["PHONE"] == pytest.approx(1.0)


# -- what must not change ---------------------------------------------------------------------


@pytest.mark.parametrize("header", ["case_ref", "value"])
def test_eleven_digit_references_starting_with_0_are_not_phones(header: str) -> None:
    refs = ["0" + str(R.randrange(10**9, 10**10)) for _ in range(400)]
    kind, types = classify(header, refs)
    assert PiiType.PHONE not in types
    assert kind == ColumnKind.SYSTEM_ID


def _chi_number() -> str:
    """A Scottish CHI number: date of birth (DDMMYY) then four digits, the last a modulus 11 check."""

    while True:
        stem = f"{R.randint(1, 9):02d}{R.randint(1, 12):02d}{R.randint(40, 99)}{R.randrange(1000):03d}"
        for check in "0123456789":
            if is_nhs_number(stem + check):
                return stem + check


def test_chi_numbers_that_start_with_0_are_not_phones_even_beside_emails() -> None:
    chi = [_chi_number() for _ in range(400)]
    assert classify("chi_number", chi) == (ColumnKind.DIRECT_IDENTIFIER, [PiiType.NHS_NUMBER])
    types = classify("contact", contact_column(chi, 0.3))[1]
    assert PiiType.PHONE not in types


@pytest.mark.parametrize(
    "numbers",
    [
        ["0" + str(R.randrange(10**6, 10**7)) for _ in range(300)],  # account numbers that start with 0
        [str(R.randrange(10**9, 10**10)) for _ in range(300)],  # ten digits, no leading 0 or +44
        [str(R.randrange(10**10, 10**11)) for _ in range(300)],  # eleven digits, no leading 0 or +44
    ],
    ids=["account numbers", "ten digits", "eleven digits"],
)
def test_numbers_without_a_phone_shape_are_not_phones_beside_emails(numbers: list[str]) -> None:
    types = classify("contact", contact_column(numbers, 0.3))[1]
    assert PiiType.PHONE not in types


def test_bare_drama_numbers_under_a_header_that_says_nothing_are_left_as_they_were() -> None:
    values = [as_exported(drama_number("mobile"), "bare") for _ in range(300)]
    types = classify("col7", values)[1]
    assert PiiType.PHONE not in types


# -- one definition for notes and columns ------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "shaped"),
    [
        ("+44 (0)7700 900123", True),
        ("07700-900-123", True),
        ("(0113) 496 0123", True),
        ("0044 20 7946 0123", True),
        ("01632 960123", True),
        ("7700900123", False),
        ("+1 202 555 0143", False),
        ("0770 090 01", False),
        ("07700 900 123 456", False),
    ],
)
def test_phone_shaped(value: str, shaped: bool) -> None:
    assert phone_shaped(value) is shaped


def test_the_span_finder_reads_the_same_shapes_in_a_note() -> None:
    for number in ("07700-900-123", "01632 960123", "+44 (0)7700 900123"):
        text = f"Asked her to call the office back on {number} tomorrow."
        assert any(t is PiiType.PHONE and text[s:e] == number for s, e, t in find_spans_in_text(text)), number
