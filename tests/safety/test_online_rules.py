"""IBANs and social-media handles in free text and columns (issue 17, the second external set's gaps).

The examples come from other sources than the set that revealed the gaps
(pii-anon's templates): the IBANs are the example IBANs the SWIFT IBAN
Registry (release 101) prints for each country, and checked against
python-stdnum, an independent implementation that reads the registry itself;
the handles follow the username rules X and Instagram publish (X: up to 15
letters, digits and underscores; Instagram: up to 30, dots allowed), in
sentences written the way a caseworker records a social-media contact; the
log lines are the authentication messages OpenSSH's sshd writes.
"""

from __future__ import annotations

import random

import polars as pl
import pytest

from community_insights.safety.classify import classify_column
from community_insights.safety.detectors.iban import IBAN_LENGTHS, is_iban
from community_insights.safety.text import find_spans, find_spans_in_text, redact_text
from community_insights.safety.types import ColumnKind, PiiType

#: The SWIFT IBAN Registry's own example IBANs (electronic and paper forms).
REGISTRY_EXAMPLES = [
    "GB29NWBK60161331926819",
    "GB29 NWBK 6016 1331 9268 19",
    "DE89 3704 0044 0532 0130 00",
    "FR14 2004 1010 0505 0001 3M02 606",
    "IE29AIBK93115212345678",
    "PL61 1090 1014 0000 0712 1981 2874",
    "NL91ABNA0417164300",
    "ES9121000418450200051332",
    "RO49 AAAA 1B31 0075 9384 0000",
    "LT12 1000 0111 0100 1000",
    "TR33 0006 1005 1978 6457 8413 26",
    "PK36 SCBL 0000 0011 2345 6702",
]


def found(text: str) -> list[tuple[str, str]]:
    return [(text[s:e], t.value) for s, e, t in find_spans_in_text(text)]


@pytest.mark.parametrize("iban", REGISTRY_EXAMPLES)
def test_the_registrys_example_ibans_pass(iban: str) -> None:
    assert is_iban(iban) and is_iban(iban.lower())


@pytest.mark.parametrize(
    "value",
    [
        "GB28 NWBK 6016 1331 9268 19",  # one check digit wrong
        "GB29 NWBK 6016 1331 9268 1",  # one character short of GB's 22
        "XX29NWBK60161331926819",  # no such country
        "US64SVBKUS6S3300958879",  # the US issues no IBANs
        "GB2ǐNWBK60161331926819",
    ],
)
def test_not_an_iban(value: str) -> None:
    assert not is_iban(value)


def test_lengths_and_checks_agree_with_an_independent_library() -> None:
    import importlib.resources
    import re

    from stdnum import iban as stdnum_iban

    # python-stdnum ships the registry itself (iban.dat, generated from SWIFT's registry file): same countries,
    # same lengths (four characters of country and check digits, then the BBAN's fields).
    registry = importlib.resources.files("stdnum").joinpath("iban.dat").read_text(encoding="utf-8")
    theirs = {
        line[:2]: 4 + sum(int(n) for n in re.findall(r"(\d+)!", line.split('bban="')[1]))
        for line in registry.splitlines()
        if 'bban="' in line
    }
    assert theirs == IBAN_LENGTHS
    rng = random.Random(17)
    for country, length in IBAN_LENGTHS.items():
        for _ in range(5):
            bban = "".join(rng.choice("0123456789") for _ in range(length - 4))
            good = country + stdnum_iban.calc_check_digits(country + "00" + bban) + bban
            bad = good[:-1] + rng.choice("0123456789".replace(good[-1], ""))  # mod 97 catches every single slip
            assert is_iban(good) and not is_iban(bad), good


@pytest.mark.parametrize(
    ("text", "iban"),
    [
        ("Housing benefit refund to IBAN GB29 NWBK 6016 1331 9268 19 for March.", "GB29 NWBK 6016 1331 9268 19"),
        ("Landlord in Dublin, pays from IE29AIBK93115212345678.", "IE29AIBK93115212345678"),
        (
            "transfer from her polish account pl61 1090 1014 0000 0712 1981 2874 ok",
            "pl61 1090 1014 0000 0712 1981 2874",
        ),
        ("Payee: NL91ABNA0417164300 (ref 1182)", "NL91ABNA0417164300"),
    ],
)
def test_an_iban_in_a_note_is_one_bank_account_span(text: str, iban: str) -> None:
    spans = found(text)
    assert (iban, "BANK_ACCOUNT") in spans
    # nothing else inside it: no sort code, account number, phone or card
    start = text.index(iban)
    inside = [s for s in find_spans_in_text(text) if s[0] < start + len(iban) and s[1] > start]
    assert len(inside) == 1


def test_an_iban_with_a_wrong_check_digit_is_not_reported() -> None:
    assert found("Old reference GB28 NWBK 6016 1331 9268 19 closed.") == []


def test_redact_removes_the_whole_iban() -> None:
    text = "Refund to GB29 NWBK 6016 1331 9268 19 agreed."
    out = redact_text(text, find_spans([text], column="notes"))
    assert out == "Refund to [BANK_ACCOUNT] agreed."


def test_a_column_of_ibans_is_bank_accounts() -> None:
    column = pl.Series(REGISTRY_EXAMPLES)
    finding = classify_column("Payee IBAN", column)
    assert finding.kind is ColumnKind.DIRECT_IDENTIFIER and finding.pii_types == [PiiType.BANK_ACCOUNT]
    wrong = pl.Series(["GB28 NWBK 6016 1331 9268 19", "DE88 3704 0044 0532 0130 00"] * 2)
    assert classify_column("Payee IBAN", wrong).pii_types != [PiiType.BANK_ACCOUNT]


@pytest.mark.parametrize(
    ("text", "handle"),
    [
        ("Daughter messages her on Instagram, @amara.okonkwo_92, most evenings.", "@amara.okonkwo_92"),
        ("Posted about the eviction on X as @TomHughesLDS.", "@TomHughesLDS"),
        ("tiktok @priya.sharma_ldn has the video", "@priya.sharma_ldn"),
        ("Contact via Snapchat (@wojtek_k1987) only.", "@wojtek_k1987"),
    ],
)
def test_a_handle_is_one_online_identifier_and_no_name(text: str, handle: str) -> None:
    spans = found(text)
    assert (handle, "ONLINE_ID") in spans
    assert not any(t == "PERSON" for v, t in spans), spans


def test_a_person_beside_their_handle_is_still_a_person() -> None:
    assert found("Julia Brown tweeted as @julia_brown99 last night.") == [
        ("Julia Brown", "PERSON"),
        ("@julia_brown99", "ONLINE_ID"),
    ]


@pytest.mark.parametrize(
    "text",
    [
        "Write to housing@leeds.gov.uk about it.",  # an email: its mailbox is not a handle
        "Meeting @ 3pm, then @10:30 tomorrow.",  # times
        "Copy the team @nhs.net address in.",  # a domain
        "Tickets 2 @ £5 each.",
    ],
)
def test_not_a_handle(text: str) -> None:
    assert not any(t == "ONLINE_ID" for _, t in found(text))


def test_redact_removes_the_whole_handle() -> None:
    text = "Her Instagram is @julia_brown99 and she posts daily."
    out = redact_text(text, find_spans([text], column="notes"))
    assert out == "Her Instagram is [ONLINE_ID] and she posts daily."


@pytest.mark.parametrize(
    "text",
    [
        "IBAN: GB29 NWBK 6016 1331 9268 18 (one digit mistyped)",  # the registry's GB example, last digit slipped
        "iban no. DE89 3704 0044 0532 0130 01 from the tenancy form",
    ],
)
def test_after_the_word_iban_a_mistyped_iban_is_still_a_bank_account(text: str) -> None:
    value = text.split(" (")[0].split(" from")[0].split(": ", 1)[-1].removeprefix("iban no. ")
    assert (value, "BANK_ACCOUNT") in found(text)


@pytest.mark.parametrize(
    ("text", "name"),
    [
        # the labels of account exports and sign-in records (a forum's member list, a council's portal audit)
        ("Member list export: Username: fatima_k22, joined 2019.", "fatima_k22"),
        ("Portal audit - login id = mwilliams7 - password reset", "mwilliams7"),
        ("Her gamertag: Ollie.Tyne and his screen name: DaiJones_", "Ollie.Tyne"),
    ],
)
def test_a_username_after_its_label_is_an_online_identifier(text: str, name: str) -> None:
    assert (name, "ONLINE_ID") in found(text)


def test_no_username_without_a_value() -> None:
    assert not any(t == "ONLINE_ID" for _, t in found("Username: (none given), login: 3 attempts"))


@pytest.mark.parametrize(
    ("text", "account"),
    [
        # the authentication lines OpenSSH's sshd writes ("Accepted password for %s from %s port %d ssh2", …)
        ("Mar  3 09:14:02 gw sshd[812]: Accepted password for jdoe from 192.0.2.44 port 51514 ssh2", "jdoe"),
        ("sshd[977]: Invalid user kwame_b from 198.51.100.23 port 40022", "kwame_b"),
        ("sshd[977]: Failed password for invalid user test01 from 203.0.113.9 port 22 ssh2", "test01"),
        # a portal's audit line, written for this test
        ("Portal audit: user mkhan84 logged in at 09:02, then user s.okafor signed out.", "mkhan84"),
    ],
)
def test_an_account_name_in_a_log_line_is_an_online_identifier(text: str, account: str) -> None:
    assert (account, "ONLINE_ID") in found(text)


@pytest.mark.parametrize(
    "text",
    [
        "User support logged a ticket about the boiler.",  # a plain word after "user", no address it came from
        "Paid for lunch from 10 to 2.",  # "for … from" with no IP address
        "Quote for repairs from 12.03.2024 accepted.",
    ],
)
def test_words_after_user_or_for_are_not_accounts_without_a_log_lines_shape(text: str) -> None:
    assert not any(t == "ONLINE_ID" for _, t in found(text))
