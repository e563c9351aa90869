"""Names in letters and records, firms in correspondence and contracts, and places named after saints.

The fourth external set (``tests/safety/data/external4``: letters in the
layouts of public UK documents, names from Faker's locales) showed these gaps:
firms named after surnames read as people after "correspondence with" and
"Contractor:", Dutch names split at "van der", "San Francisco" read as a person,
and names no list holds missed in a letter's "Re:" line, above its address or after "passed to".
None of the examples here comes from that set or from Faker: each says its
source, and each rule has a test of what it must leave alone.
"""

from __future__ import annotations

import pytest

from community_insights.safety.text import find_spans_in_text


def people(text: str) -> list[str]:
    return [text[s:e] for s, e, t in find_spans_in_text(text) if t.value == "PERSON"]


# -- firms after correspondence, contract and contractor cues ----------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        # Law firms as the Solicitors Regulation Authority's register names them, in the wording of the
        # freedom of information requests published on WhatDoTheyKnow ("all correspondence with …").
        "Please provide all correspondence with Mills & Reeve about the lease of the depot.",
        "I request copies of correspondence with Trowers & Hamlins since January 2022.",
        "Copies of any contracts with Bird & Bird for legal advice.",
        # Accountancy firms of the 1980s under their registered names (Companies House history).
        "The audit file includes correspondence with Coopers & Lybrand about the pension fund.",
        "The council's agreement with Deloitte, Haskins & Sells ended in 1990.",
        # Firms named after their founders, in a fleet or works record ("Supplier:", "Contractor:").
        "Supplier: Mercedes-Benz",
        "Contractor: Rolls-Royce",
    ],
)
def test_a_firm_after_a_correspondence_or_contractor_cue_is_no_person(text: str) -> None:
    assert people(text) == []


@pytest.mark.parametrize(
    ("text", "names"),
    [
        # Sentences written for this test: a title, a first name, or first names alone keep the people.
        ("Copies of correspondence with Mrs Smith-Jones about her tenancy.", ["Smith-Jones"]),
        ("Correspondence with Tom and Priya about the move.", ["Tom", "Priya"]),
        ("Contractor: Dave Wilson attended on Monday.", ["Dave Wilson"]),
        ("Correspondence with John Smith about the site.", ["John Smith"]),
    ],
)
def test_people_after_those_cues_stay_people(text: str, names: list[str]) -> None:
    assert people(text) == names


# -- places named after saints ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        # News sentences in the style of a wire report (written for this test).
        "Wildfires forced evacuations in Santa Barbara and San Diego on Tuesday.",
        "Flights from São Paulo were delayed by the storm.",
        "San Antonio and Santa Monica both reported record heat.",
    ],
)
def test_a_saints_name_in_spanish_or_portuguese_is_a_place(text: str) -> None:
    assert people(text) == []


@pytest.mark.parametrize(
    ("text", "names"),
    [
        # The British novelist Santa Montefiore: "Santa" is a given name when no given name follows it.
        ("The novelist Santa Montefiore said the book took two years.", ["Santa Montefiore"]),
        # A title keeps the person (written for this test).
        ("Ms Santa Maria rang about her rent.", ["Santa Maria"]),
    ],
)
def test_santa_as_a_given_name_stays_a_person(text: str, names: list[str]) -> None:
    assert people(text) == names


# -- surname particles ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "names"),
    [
        # Public figures as news reports name them.
        ("Liverpool captain Virgil van Dijk said the team was ready.", ["Virgil van Dijk"]),
        ("Commission President Ursula von der Leyen said the talks would go on.", ["Ursula von der Leyen"]),
        # The layout of a parish council's minutes: one person per name, no surname found twice.
        ("Present: Virgil van Dijk and Tom Smith", ["Virgil van Dijk", "Tom Smith"]),
        # Lower-case "van", "ten" and "den" that are words, not particles (written for this test).
        ("It was ten to ten when the van arrived with Tom.", ["Tom"]),
        ("Tom Smith keeps his tools in the den of the house.", ["Tom Smith"]),
    ],
)
def test_particles_join_a_name_and_words_stay_words(text: str, names: list[str]) -> None:
    assert people(text) == names


# -- names a letter's wording gives away ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "names"),
    [
        # The header of a clinic letter as the Professional Record Standards Body's outpatient letter lays
        # it out (name, date of birth, NHS number), with Finland's commonest given names and surnames (Digital
        # and Population Data Services Agency name statistics), none of them on the project's lists.
        (
            "Dear Dr Patel\n\nRe: Onni Korhonen, DOB 14/02/1957, NHS No. 943 476 5919\n\nI saw him today.",
            ["Patel", "Onni Korhonen"],
        ),
        ("Re: Aino Mäkinen D.O.B. 03.09.1948", ["Aino Mäkinen"]),
        ("Re: Ilmari Virtanen, NHS number 943 476 5919", ["Ilmari Virtanen"]),
        # An address block as Royal Mail's addressing guidance lays it out (addressee, premises, street, post
        # town, postcode), same names; the postcodes are Royal Mail's own examples' shapes.
        ("Eino Nieminen\n12 Mill Lane\nHebden Bridge\nHX7 8AD", ["Eino Nieminen"]),
        (
            "Private and confidential\nOnni Korhonen\nFlat 3, 22 Rose Street\nEdinburgh EH2 2PR\n\nDear Sir",
            ["Onni Korhonen"],
        ),
        # A council's complaint acknowledgement and a repairs log (written for this test, same names).
        ("Your complaint has been passed to Eino in the Planning team.", ["Eino"]),
        ("Repair reported by Väinö Nieminen on 3 May.", ["Väinö Nieminen"]),
        ("The case was referred to Aatu Hämäläinen for a review.", ["Aatu Hämäläinen"]),
    ],
)
def test_names_in_a_letters_subject_line_or_after_passed_to(text: str, names: list[str]) -> None:
    assert people(text) == names


@pytest.mark.parametrize(
    "text",
    [
        # Teams, regulators, councils and charities after the same cues (written for this test).
        "Your request was passed to Highways in the first instance.",
        "The concern was referred to Ofsted last week.",
        "The discrepancy was reported by HMRC.",
        "The complaint was passed to Leeds City Council.",
        "She was referred to Citizens Advice for debt help.",
        "Form signed by the tenant on arrival.",
        # Firms that run public services for councils and the DWP (Companies House trading names).
        "The assessment was completed by Capita.",
        "Repair reported by Mears on 3 May.",
        "Case referred to Serco.",
        "Re: Housing Benefit, NI number AB 12 34 56 C",
        # A team over an address, and a line over a numbered list with no postcode (written for this test).
        "Housing Options\n12 Mill Lane\nHebden Bridge\nHX7 8AD",
        "Items collected:\nWardrobe\n2 Chairs, Table\nNo damage",
        "Re: your letter of 12 May, NHS number 943 476 5919",
    ],
)
def test_teams_and_bodies_after_those_cues_are_no_people(text: str) -> None:
    assert people(text) == []


def test_capitals_are_left_to_the_name_lists() -> None:
    # A note written all in capitals: every word is capitalised, so the cue says nothing about the word.
    assert people("REPAIR REPORTED BY TENANT ON THE PHONE") == []
