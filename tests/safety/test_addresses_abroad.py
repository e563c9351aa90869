"""Addresses named with another country's street types, and phone numbers one "can be reached on".

The fourth external set (``tests/safety/data/external4``) showed these misses;
none of the examples here comes from it or from Faker. The addresses are real,
published ones (each test says whose), and each rule has tests of what it must
leave alone.
"""

from __future__ import annotations

import pytest

from community_insights.safety.text import find_spans, find_spans_in_text, redact_text
from community_insights.safety.text.addresses import abroad_gate
from community_insights.safety.types import PiiType
from community_insights.safety.vocabularies import vocabulary


def _found(text: str) -> set[tuple[str, PiiType]]:
    return {(text[s:e], t) for s, e, t in find_spans_in_text(text)}


def _addresses(text: str) -> list[str]:
    return [text[s:e] for s, e, t in find_spans_in_text(text) if t is PiiType.ADDRESS]


def test_the_list_is_the_us_postal_services_street_types_royal_mail_does_not_use() -> None:
    abroad = vocabulary("thoroughfares_abroad")
    assert "Publication 28" in abroad.source
    assert {"plaza", "landing", "shores", "summit", "parkway", "loop", "circle", "center"} <= abroad.phrases
    # Royal Mail's words stay with the Royal Mail rule, which needs no town after them.
    assert not abroad.phrases & vocabulary("thoroughfares").phrases


@pytest.mark.parametrize(
    ("text", "address"),
    [
        # NBC's studios (the "30 Rock" of its letterheads).
        (
            "Letters were sent to 30 Rockefeller Plaza, New York, NY 10112 in March.",
            "30 Rockefeller Plaza, New York, NY 10112",
        ),
        # Google's head office, as its contact page gives it.
        (
            "Her son works at 1600 Amphitheatre Parkway, Mountain View, CA 94043.",
            "1600 Amphitheatre Parkway, Mountain View, CA 94043",
        ),
        # Apple's former head office.
        ("Forwarding address: 1 Infinite Loop, Cupertino, California.", "1 Infinite Loop, Cupertino, California"),
        # The Time Warner Center, New York.
        ("He moved to 10 Columbus Circle, New York last year.", "10 Columbus Circle, New York"),
        # One World Trade Center.
        ("Post went to 1 World Trade Center, New York, NY 10007.", "1 World Trade Center, New York, NY 10007"),
    ],
)  # fmt: skip
def test_a_street_type_of_the_us_postal_service_before_a_town_is_an_address(text: str, address: str) -> None:
    assert _addresses(text) == [address]


def test_a_flat_number_and_a_note_in_one_case() -> None:
    # Rockefeller Center and Columbus Circle again, as a caseworker types them in one case.
    assert _addresses("Flat 2, 30 Rockefeller Plaza, New York.") == ["Flat 2, 30 Rockefeller Plaza, New York"]
    assert _addresses("client moved to 10 columbus circle, new york last year") == ["10 columbus circle, new york"]
    assert _addresses("CLIENT MOVED TO 10 COLUMBUS CIRCLE, NEW YORK") == ["10 COLUMBUS CIRCLE, NEW YORK"]


def test_an_address_is_redacted_whole() -> None:
    text = "Her son works at 1600 Amphitheatre Parkway, Mountain View, CA 94043."
    redacted = redact_text(text, find_spans([text], column="notes"))
    assert "Amphitheatre" not in redacted and "Mountain View" not in redacted


def test_a_name_after_the_comma_is_a_person_and_no_town() -> None:
    text = "The works at 30 Rockefeller Plaza, John said, are finished."
    found = _found(text)
    assert ("John", PiiType.PERSON) in found
    assert not any(t is PiiType.ADDRESS for _, t in found)  # without its town the street type proves nothing


@pytest.mark.parametrize(
    "text",
    [
        "We met outside the Plaza cinema, Leeds, on Friday.",  # no house number
        "She walked along the Shores of the lake, then went home.",
        "Year 9 Science Club, Leeds Grammar School.",  # a school year, not a house
        "In 2019 Leeds Rugby Club, Headingley, hosted the final.",  # a year
        "She attended 3 Youth Club sessions, Mr Khan said.",  # no comma after the street word
        "He said he walked 2 miles as well, then rested.",  # no capitalised street
        "i walked 2 miles along the river, then went home",  # one case: a sentence's words
        "Paid £12 Summer Camp, Kielder deposit.",  # money, not a house number
        "Section 4 Land Registry Union, Croydon office.",  # a section of a document
    ],
)
def test_street_types_of_everyday_english_are_not_addresses(text: str) -> None:
    assert _addresses(text) == []


def test_a_title_after_the_comma_is_no_town() -> None:
    text = "Their flat at 3 Rockefeller Plaza, Mrs Shah told us, was cold."
    assert _addresses(text) == []  # no town: the street type alone is not enough


def test_the_gate_lets_every_address_through() -> None:
    import re

    gate = re.compile(abroad_gate())
    for text in ("Flat 2, 30 Rockefeller Plaza, New York.", "client moved to 10 columbus circle, new york"):
        assert gate.search(text)


@pytest.mark.parametrize(
    ("text", "phone"),
    [
        # Ofcom's numbers for TV and radio drama (unallocated, so found only with a phone word nearby).
        ("Her daughter can be reached on 0113 496 0123.", "0113 496 0123"),
        ("The duty officer is contactable on 01632 960 321 out of hours.", "01632 960 321"),
        ("Mr Patel was contacted on 07700 900 456 yesterday.", "07700 900 456"),
    ],
)
def test_a_number_one_can_be_reached_on_is_a_phone_number(text: str, phone: str) -> None:
    assert (phone, PiiType.PHONE) in _found(text)


# --- An address runs on to its town -----------------------------------------
# Royal Mail's layout: premises, street, post town. The streets are real government addresses
# as their departments publish them (HM Treasury, the Home Office, 10 Downing Street).


@pytest.mark.parametrize(
    ("text", "address"),
    [
        ("Letters to 1 Horse Guards Road, London were returned.", "1 Horse Guards Road, London"),
        ("Her office is at 2 Marsham Street, London.", "2 Marsham Street, London"),
        ("Wrote to 10 Downing Street, London on Monday.", "10 Downing Street, London"),
        ("He rents Flat 3, 2 Marsham Street, London, from a friend.", "Flat 3, 2 Marsham Street, London"),
        ("He rents Studio 3, Marsham Street, London.", "Studio 3, Marsham Street, London"),
    ],
)
def test_an_address_runs_on_to_its_town(text: str, address: str) -> None:
    assert _addresses(text) == [address]


@pytest.mark.parametrize(
    ("text", "address", "person"),
    [
        ("We met at 2 Marsham Street, Patel said.", "2 Marsham Street", "Patel"),
        ("Papers went to 2 Marsham Street, John told me.", "2 Marsham Street", "John"),
        ("Papers went to 2 Marsham Street, Mrs Okafor said.", "2 Marsham Street", "Okafor"),
    ],
)
def test_a_person_after_the_comma_is_no_town(text: str, address: str, person: str) -> None:
    found = _found(text)
    assert (address, PiiType.ADDRESS) in found
    assert (person, PiiType.PERSON) in found


def test_capitals_after_an_address_in_mixed_case_are_no_town() -> None:
    assert _addresses("Papers went to 2 Marsham Street, NHS said.") == ["2 Marsham Street"]


def test_a_note_in_one_case_keeps_the_address_as_found() -> None:
    # lower case: the town cannot be told from the words after it
    assert _addresses("papers went to 2 marsham street, leeds said no") == ["2 marsham street"]
