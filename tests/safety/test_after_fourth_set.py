"""Rules for the general faults the fourth external set revealed, each tested with text from another source.

The fourth set (``tests/safety/data/external4``) showed these faults; none of
the examples here comes from it or from Faker. Each test names its source, and
each rule has a test of what it must leave alone.
"""

from __future__ import annotations

import datetime as _dt
import random

import polars as pl
import pytest

from community_insights.safety import detectors
from community_insights.safety.classify import classify_column
from community_insights.safety.text import find_spans_in_text
from community_insights.safety.types import ColumnKind, PiiType


def _found(text: str) -> set[tuple[str, PiiType]]:
    return {(text[s:e], t) for s, e, t in find_spans_in_text(text)}


# --- Columns ---------------------------------------------------------------


def _repeated(values: list[str], n: int = 300, seed: int = 3) -> pl.Series:
    rng = random.Random(seed)
    return pl.Series([rng.choice(values) for _ in range(n)])


@pytest.mark.parametrize(
    ("header", "values"),
    [
        # DVLA's vehicle enquiry service: a vehicle's colour, as it returns it and as people retype it.
        ("colour", ["WHITE", "BLACK", "SILVER", "BLUE", "GREY", "RED", "GREEN", "BROWN"]),
        ("colour", ["White", "Black", "Silver", "Blue", "Grey", "Red", "Green", "Brown"]),
        # Broad habitat types of a survey in the style of Natural England's habitat inventories.
        ("habitat", ["Heath", "Marsh", "Wood", "Moss", "Field", "Brook"]),
        # Quinlan's "play tennis" table (Induction of Decision Trees, 1986).
        ("outlook", ["sunny", "overcast", "rain"]),
    ],
)
def test_a_category_of_everyday_words_is_no_names(header: str, values: list[str]) -> None:
    finding = classify_column(header, _repeated(values))
    assert finding.kind is ColumnKind.OTHER
    assert PiiType.PERSON not in finding.pii_types


def test_first_names_repeated_like_a_category_are_still_names() -> None:
    # The ONS's commonest baby names in England and Wales, 2021, written in lower case.
    names = ["oliver", "noah", "george", "arthur", "muhammad", "olivia", "amelia", "isla", "ava", "mia"]
    finding = classify_column("child", _repeated(names))
    assert finding.kind is ColumnKind.DIRECT_IDENTIFIER
    assert finding.pii_types == [PiiType.PERSON]


def test_urban_and_rural_are_still_an_area_category() -> None:
    # The ONS's 2011 rural-urban classification, as its lookup tables write it.
    finding = classify_column("ruc", _repeated(["Urban city and town", "Rural village", "Urban major conurbation"]))
    assert finding.kind is ColumnKind.QUASI_IDENTIFIER


def test_daily_dates_written_year_first_with_slashes_are_dates_not_references() -> None:
    # The Environment Agency's flood-monitoring readings export dates as 2019/01/01: one row per day.
    days = [(_dt.date(2019, 1, 1) + _dt.timedelta(days=i)).strftime("%Y/%m/%d") for i in range(365)]
    finding = classify_column("reading_day", pl.Series(days))
    assert finding.kind is ColumnKind.OTHER
    assert detectors.parse_uk_date("2019/03/31") == _dt.date(2019, 3, 31)
    assert detectors.parse_uk_date("2019/31/03") is None  # the month never comes last after the year


def test_a_birth_date_column_written_year_first_with_slashes_is_a_date_of_birth() -> None:
    rng = random.Random(5)
    births = [_dt.date(1940, 1, 1) + _dt.timedelta(days=rng.randrange(25_000)) for _ in range(200)]
    finding = classify_column("dob", pl.Series([b.strftime("%Y/%m/%d") for b in births]))
    assert finding.pii_types == [PiiType.DATE_OF_BIRTH]


def test_american_street_addresses_are_an_address_column_not_free_text() -> None:
    # Addresses as USPS Publication 28 writes them (number, street, city, state, ZIP), several words a cell.
    addresses = [
        "1200 W Roosevelt Rd, Chicago, IL 60608", "3300 S Halsted St, Chicago, IL 60608",
        "400 E 42nd St, New York, NY 10017", "7000 S Jeffery Blvd, Chicago, IL 60649",
        "890 Grand Concourse, Bronx, NY 10451", "16 Pacific Coast Hwy, Long Beach, CA 90806",
        "2150 N Lincoln Ave, Chicago, IL 60614", "4500 Wilshire Blvd, Los Angeles, CA 90010",
        "1600 Pennsylvania Ave NW, Washington, DC 20500", "233 S Wacker Dr, Chicago, IL 60606",
    ]  # fmt: skip
    finding = classify_column("location", _repeated(addresses, n=60))
    assert finding.kind is ColumnKind.DIRECT_IDENTIFIER
    assert finding.pii_types == [PiiType.ADDRESS]


def test_short_notes_that_mention_a_road_stay_free_text() -> None:
    # Notes in the style of a council's street-works permit log: sentences, not addresses.
    notes = [
        "Contractor on site early and left the road closed for two hours without notice to residents",
        "Resurfacing finished, signs collected, footway reinstated to the original standard and checked",
        "Gas main repair at 12 Mill Road overran by a day because of a burst water pipe nearby",
        "Inspector found the barriers at the junction down again after the wind overnight, reported it",
    ] * 10
    assert classify_column("notes", pl.Series(notes)).kind is ColumnKind.FREE_TEXT


# --- Free text -------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "reference"),
    [
        # Wording of a council tax bill and a housing association's rent statement (GOV.UK's council tax pages).
        ("Your Council Tax account 50123456 is two instalments behind.", "50123456"),
        ("Rent account no. 10293847 shows arrears of £212.40.", "10293847"),
        ("Housing Benefit account: 77881234", "77881234"),
    ],
)
def test_a_council_or_landlord_account_is_a_reference_not_a_bank_account(text: str, reference: str) -> None:
    found = _found(text)
    assert (reference, PiiType.SYSTEM_ID) in found
    assert not any(t is PiiType.BANK_ACCOUNT for _, t in found)


def test_a_bank_account_is_still_a_bank_account() -> None:
    found = _found("Refund to bank account 12345678, sort code 20-00-00.")
    assert ("12345678", PiiType.BANK_ACCOUNT) in found
    assert ("Please pay into account 87654321.", PiiType.BANK_ACCOUNT) not in found
    assert ("87654321", PiiType.BANK_ACCOUNT) in _found("Please pay into account 87654321.")


@pytest.mark.parametrize(
    ("text", "birth"),
    [
        # Wikipedia's first sentence of a biography puts the life's dates in brackets after the name.
        ("Ada Lovelace (10 December 1815 – 27 November 1852) was an English mathematician.", "10 December 1815"),
        ("Alan Turing (23 June 1912 – 7 June 1954) was an English mathematician.", "23 June 1912"),
        # A GP referral letter's opening line, as practices' templates write it.
        ("Re: Olusegun Bello (14/03/1952), 3 Mill Lane", "14/03/1952"),
    ],
)
def test_a_date_in_brackets_after_a_name_is_a_date_of_birth(text: str, birth: str) -> None:
    assert (birth, PiiType.DATE_OF_BIRTH) in _found(text)


def test_a_lone_first_name_before_a_bracketed_birth_date_is_a_person() -> None:
    # A hospice's daily handover sheet: first names only.
    found = _found("Hilda (4 August 1931) slept well and ate breakfast.")
    assert ("Hilda", PiiType.PERSON) in found
    assert ("4 August 1931", PiiType.DATE_OF_BIRTH) in found


@pytest.mark.parametrize(
    "text",
    [
        f"We met Smith ({_dt.date.today():%d %B %Y}) at the depot.",  # a recent date after a name is an event
        "London (2 April 1939) was a city preparing for war.",  # a place, not a person
        "The Act (1 April 1990) changed the rules.",  # an English word
        "Oxfam (5 May 2015) published a report on food banks.",  # a charity (organisations_charities.txt)
        "Ada Lovelace (born in London) wrote the first program.",  # no date
    ],
)
def test_dates_in_brackets_that_are_no_birth_dates(text: str) -> None:
    assert not any(t is PiiType.DATE_OF_BIRTH for _, t in _found(text))


@pytest.mark.parametrize(
    "town",
    # Made-up towns of English novels and radio: Hardy's Wessex, George Eliot's Middlemarch, The Archers' Borsetshire.
    ["Casterbridge", "Budmouth", "Middlemarch", "Ambridge", "Borchester", "Felpersham"],
)
def test_a_word_before_council_names_a_public_body(town: str) -> None:
    text = f"Your request was passed to the Highways team, who confirmed that {town} Council holds no information."
    assert not any(t is PiiType.PERSON for _, t in _found(text))


@pytest.mark.parametrize(
    ("text", "person"),
    [
        ("Dear Mr Oak, Budmouth Council holds no recorded information.", "Oak"),
        ("Dear Ms Patel, Casterbridge Council has replied.", "Patel"),
        ("Spoke to Sarah Jones about her Council Tax arrears.", "Sarah Jones"),
    ],
)
def test_people_beside_a_public_body_stay_people(text: str, person: str) -> None:
    assert (person, PiiType.PERSON) in _found(text)
