"""Identifiers a reader still recognises outside the published rules (issue 17, fifth round): number plates DVLA
would not issue after a vehicle word, dates of birth before their cue, NI numbers grouped 3-3, card numbers outside
the schemes' ranges (16 digits of a card issuer, or after "my card number is"), and mistyped IBANs in ISO 13616's
paper form near a banking word or in a person's record.

The second and third external sets (pii-anon's and scrubadub's templates, filled by Faker) revealed the misses.
None of the text here comes from them: each example names its source instead (DVLA's guide to number plates,
the SWIFT IBAN Registry's and Wikipedia's example IBANs with one character mistyped, ISO/IEC 7812's issuer
digits, and sentences written for these tests the way caseworkers and forms word them). The false positives
beside each rule are what the rule must leave alone.
"""

from __future__ import annotations

import datetime as dt

import pytest

from community_insights.safety.detectors.iban import is_iban
from community_insights.safety.detectors.identifiers import is_payment_card, is_vehicle_registration
from community_insights.safety.text import find_spans, find_spans_in_text, redact_text
from community_insights.safety.text.outside_rules import birth_cue_after, card_outside_ranges


def of_type(text: str, pii: str) -> list[str]:
    return [text[s:e] for s, e, t in find_spans_in_text(text) if t.value == pii]


# -- number plates in context ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "plate"),
    [
        # DVLA never issues Q, I or Z in these places; a caseworker's typo still points at one car
        ("Neighbour's car, reg QB19 XYZ, blocks the ramp every evening.", "QB19 XYZ"),
        ("Number plate: ZA70 KLM (silver hatchback).", "ZA70 KLM"),
        ("Registration mark of the van is HQ97IOU according to the warden.", "HQ97IOU"),
        ("Vehicle: BD51 SMI, keeper unknown.", "BD51 SMI"),
    ],
)  # fmt: skip
def test_a_plate_after_a_vehicle_word_counts_even_if_dvla_would_not_issue_it(text: str, plate: str) -> None:
    assert not is_vehicle_registration(plate)  # each breaks a DVLA rule
    assert of_type(text, "VEHICLE_REGISTRATION") == [plate]


def test_a_plate_dvla_could_issue_needs_no_vehicle_word() -> None:
    # "BD51 SMR", the example in DVLA's guide to vehicle registration numbers (INF104)
    assert of_type("Seen parking BD51 SMR outside the centre.", "VEHICLE_REGISTRATION") == ["BD51 SMR"]


@pytest.mark.parametrize(
    "text",
    [
        "Ticket QO54 BHZ was issued at the front desk.",  # plate-shaped, DVLA would not issue it, no vehicle word
        "Form ZZ12 ABC attached.",
        "Vehicle: FORD KA, blue.",  # a vehicle word but no plate
        "Car park code AB12 CDEF for visitors.",  # seven letters after the digits, not three
    ],
)
def test_plate_shapes_without_a_vehicle_word_or_with_the_wrong_shape_are_left(text: str) -> None:
    assert of_type(text, "VEHICLE_REGISTRATION") == []


# -- dates of birth before their cue --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "date"),
    [
        ("Mr Okafor, 04/07/1966 (DOB), attended with his son.", "04/07/1966"),
        ("12.03.1958 was the day she was born, she told us.", "12.03.1958"),
        ("Client says 1987-11-02 is his date of birth, not the one on file.", "1987-11-02"),
        ("3rd May 1949 is my birthday, said the caller.", "3rd May 1949"),
        ("Confirmed: 21/06/2001 - D.O.B.", "21/06/2001"),
    ],
)
def test_a_date_before_birth_words_is_a_date_of_birth(text: str, date: str) -> None:
    assert of_type(text, "DATE_OF_BIRTH") == [date]


def test_a_recent_date_that_was_a_birthday_is_the_party_not_the_birth() -> None:
    recent = (dt.date.today() - dt.timedelta(days=40)).strftime("%d/%m/%Y")
    text = f"{recent} was her birthday, so staff brought a cake."
    assert of_type(text, "DATE_OF_BIRTH") == []
    assert birth_cue_after("01/01/1960 was his date of birth", 10, "01/01/1960")


@pytest.mark.parametrize(
    "text",
    [
        "12/03/2024 is the deadline for the birthday grant form.",  # birth words, but not after the date
        "Visit on 2023-05-01 is the day before my birthday.",  # words between the date and the cue
        "2099-01-01 is my date of birth",  # a date of birth is never in the future
    ],
)
def test_dates_that_are_not_birth_dates_stay_unflagged(text: str) -> None:
    assert of_type(text, "DATE_OF_BIRTH") == []


# -- NI numbers grouped in threes -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    ["Her NI number is JG 103 759 A.", "NINO: jg-103-759-a", "National Insurance JG103 759A on the P45."],
)
def test_an_ni_number_grouped_three_and_three_is_found(text: str) -> None:
    assert [v.upper().replace("-", "").replace(" ", "") for v in of_type(text, "NI_NUMBER")] == ["JG103759A"]


@pytest.mark.parametrize("text", ["GB 123 456 A was the batch.", "Code AB 123 456 C9 on the label.", "JG 103 759 E"])
def test_three_three_shapes_hmrc_could_not_issue_stay_unflagged(text: str) -> None:
    # GB is a prefix HMRC never uses, a digit glued on makes a longer code, and E is no NI suffix
    assert of_type(text, "NI_NUMBER") == []


# -- card numbers outside the published ranges ----------------------------------------------------------------


@pytest.mark.parametrize(
    "number",
    [
        "3312 4567 8901 2342",  # 3 (travel and entertainment issuers) but in no scheme's published range
        "6612345678901238",  # 6 (merchandising and banking), outside Discover's, UnionPay's and Maestro's ranges
    ],
)
def test_sixteen_luhn_digits_of_a_card_issuer_are_a_card_whatever_the_range(number: str) -> None:
    assert not is_payment_card(number)
    assert of_type(f"Paid the deposit with {number} yesterday.", "PAYMENT_CARD") == [number]


@pytest.mark.parametrize(
    ("text", "number"),
    [
        ("My debit card number is 501800000009.", "501800000009"),  # twelve digits, as Maestro issued
        ("Her card was 5018 0000 0009.", "5018 0000 0009"),
    ],
)
def test_a_card_number_after_my_card_is(text: str, number: str) -> None:
    assert of_type(text, "PAYMENT_CARD") == [number]


@pytest.mark.parametrize(
    "text",
    [
        "Order reference 7212345678901230 dispatched.",  # Luhn-valid, but 7 is petroleum, not a card issuer
        "Tracking 3312456789012343 updated.",  # a card issuer's digit, but the Luhn check fails
        "Account history 331245678901234 (15 digits).",  # not sixteen
    ],
)
def test_numbers_that_are_not_cards_stay_unflagged(text: str) -> None:
    assert of_type(text, "PAYMENT_CARD") == []
    assert not card_outside_ranges("7212345678901230")


# -- IBANs in paper form, mistyped ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "iban"),
    [
        # the registry's German example with its last digit mistyped
        ("Please pay the rent into DE89 3704 0044 0532 0130 01 (bank: Commerzbank).", "DE89 3704 0044 0532 0130 01"),
        # the example IBAN of Wikipedia's article, mistyped, after "IBAN is"
        ("The tenant said her IBAN is GB82 WEST 1234 5698 7654 33.", "GB82 WEST 1234 5698 7654 33"),
        # the registry's Polish example mistyped, as a field of a person's record
        ("Nowak,Anna,anna.nowak@example.com,JG103759A,PL61 1090 1014 0000 0712 1981 2875,Leeds",
         "PL61 1090 1014 0000 0712 1981 2875"),
    ],
)  # fmt: skip
def test_a_mistyped_iban_in_paper_form_near_a_banking_word_or_in_a_record(text: str, iban: str) -> None:
    assert not is_iban(iban)
    assert of_type(text, "BANK_ACCOUNT") == [iban]
    assert iban not in redact_text(text, find_spans([text], column="notes"))


@pytest.mark.parametrize(
    "text",
    [
        "Old reference DE89 3704 0044 0532 0130 01 closed.",  # paper form, but nothing says bank or record
        "Order AB12 3456 7890 1234 bank holiday delivery.",  # AB is no country in the registry
    ],
)
def test_a_paper_form_value_with_nothing_to_say_iban_stays_unflagged(text: str) -> None:
    assert of_type(text, "BANK_ACCOUNT") == []
