"""Digits and letters beyond ASCII: masked in reports, read by the number checks, never a crash.

Council data holds numbers typed with Arabic-Indic, Devanagari or full-width
digits and names in every script. Every masked example must hide them as it
hides ASCII, every check must read (or refuse) them without failing, and a
whole check of such a file must produce reports without a raw value in them.
"""

from __future__ import annotations

import datetime as dt
import html
import json
import re
import sys

import polars as pl
import pytest

from community_insights.safety import CheckOptions, check_dataset
from community_insights.safety import detectors as d
from community_insights.safety.masking import mask_postcode, mask_value
from community_insights.safety.report import render_report
from community_insights.safety.text import find_spans_in_text
from community_insights.safety.types import CheckReport, ColumnKind, PiiType

ASCII = "0123456789"
SCRIPTS = {
    "arabic-indic": "٠١٢٣٤٥٦٧٨٩",
    "extended arabic-indic": "۰۱۲۳۴۵۶۷۸۹",
    "devanagari": "०१२३४५६७८९",
    "bengali": "০১২৩৪৫৬৭৮৯",
    "full-width": "０１２３４５６７８９",
}
NON_ASCII_DIGITS = "".join(SCRIPTS.values())


def written_in(value: str, script: str) -> str:
    return value.translate(str.maketrans(ASCII, SCRIPTS[script]))


def nhs_numbers(count: int) -> list[str]:
    """Valid NHS numbers (modulus 11), the same on every run."""

    out = []
    body = 400_000_000
    while len(out) < count:
        body += 7_919
        check = d.nhs_check_digit(str(body))
        if check is not None:
            out.append(f"{body}{check}")
    return out


# --------------------------------------------------------------------------
# Masking
# --------------------------------------------------------------------------

IDENTIFIER_TYPES = [
    None,
    PiiType.BANK_ACCOUNT,
    PiiType.NHS_NUMBER,
    PiiType.SYSTEM_ID,
    PiiType.PASSPORT,
    PiiType.DATE_OF_BIRTH,
    PiiType.SORT_CODE,
    PiiType.PAYMENT_CARD,
    "BANK_ACCOUNT",
]


@pytest.mark.parametrize("script", sorted(SCRIPTS))
@pytest.mark.parametrize("pii", IDENTIFIER_TYPES)
def test_identifier_digits_of_any_script_are_masked(script: str, pii: PiiType | str | None) -> None:
    raw = written_in("0123456789", script)
    assert mask_value(raw, pii) == "**********"
    assert mask_value(written_in("12-34-56", script), pii) == "**-**-**"


@pytest.mark.parametrize(
    ("value", "pii", "masked"),
    [
        # Letters of any script, symbols that are letters or digits, combining marks.
        ("ÉLODIE", None, "******"),
        ("Ⓠⓠ⑦²½", None, "*****"),
        ("Jose\u0301", PiiType.SYSTEM_ID, "*****"),
        ("١ مارس ١٩٨٠", PiiType.DATE_OF_BIRTH, "* **** ****"),
        ("٠١/٠٢/١٩٨٠", PiiType.DATE_OF_BIRTH, "**/**/****"),
        # Names: the first character of each word, whatever follows it.
        ("सुनील शर्मा", PiiType.PERSON, "स**** श****"),
        ("Ⓙⓞⓗⓝ Smith", PiiType.PERSON, "Ⓙ*** S****"),
        ("١٢ High Street", PiiType.ADDRESS, "١* H*** S*****"),
        # Phone numbers: two digits of any script, nothing else but punctuation.
        ("٠٧٧٠٠ ٩٠٠١٢٣", PiiType.PHONE, "٠٧*** ******"),
        ("07700 900123 ask for Ali", PiiType.PHONE, "07*** ****** *** *** ***"),
        ("Ali: 07700 900123", PiiType.PHONE, "***: 07*** ******"),
        # Emails: the top-level domain only when it is a word.
        ("ann@example.org", PiiType.EMAIL, "a***@e****.org"),
        ("ann@example.٠٧٧٠٠٩٠٠", PiiType.EMAIL, "a***@e****.********"),
        ("ann@07700.900123", PiiType.EMAIL, "a***@0****.******"),
        # Postcodes: the district of a postcode, in whatever form it was typed; nothing of anything else.
        ("ＮＷ１ ６ＸＥ", PiiType.POSTCODE, "NW1 ***"),
        ("NW1\u00a06XE", PiiType.POSTCODE, "NW1 ***"),
        ("٠١٢٣٤٥٦", PiiType.POSTCODE, "*******"),
        ("Ahmed", PiiType.POSTCODE, "*****"),
        ("BFPO 123", PiiType.POSTCODE, "BFPO ***"),
    ],
)
def test_masking_beyond_ascii(value: str, pii: PiiType | None, masked: str) -> None:
    assert mask_value(value, pii) == masked


def test_every_masker_hides_every_non_ascii_digit() -> None:
    # All the types, all the digits: none survives, except the two a phone number keeps.
    value = " ".join(NON_ASCII_DIGITS[i : i + 5] for i in range(0, len(NON_ASCII_DIGITS), 5))
    for pii in [None, *PiiType]:
        masked = mask_value(value, pii)
        kept = [ch for ch in masked if ch in NON_ASCII_DIGITS]
        if pii in (PiiType.PERSON, PiiType.ADDRESS):  # the first character of each word
            assert kept == [word[0] for word in value.split()]
        elif pii == PiiType.PHONE:
            assert kept == list(value[:2])
        else:
            assert kept == [], pii


def test_postcode_masker_reads_full_width_postcodes() -> None:
    assert mask_postcode("ｓｗ１ａ １ａａ") == "SW1A ***"
    assert mask_postcode("nw1 6xe") == "NW1 ***"


# --------------------------------------------------------------------------
# The number checks read digits of any script and never fail
# --------------------------------------------------------------------------


@pytest.mark.parametrize("script", sorted(SCRIPTS))
def test_nhs_numbers_in_any_digits_are_nhs_numbers(script: str) -> None:
    valid = nhs_numbers(20)
    assert d.is_nhs_number(written_in("943 476 5919", script))
    assert not d.is_nhs_number(written_in("943 476 5918", script))
    # A column of them: classified like the same numbers in ASCII digits, without a Polars error.
    column = pl.Series([written_in(v, script) for v in valid] + [written_in("9434765918", script)] * 5)
    assert d.value_matches(column)[PiiType.NHS_NUMBER] == pytest.approx(20 / 25)
    spaced = pl.Series([written_in(f"{v[:3]} {v[3:6]}-{v[6:]}", script) for v in valid])
    assert d.value_matches(spaced)[PiiType.NHS_NUMBER] == 1.0


def test_nhs_column_check_agrees_with_the_scalar_check() -> None:
    values = []
    for i, number in enumerate(nhs_numbers(30)):
        script = sorted(SCRIPTS)[i % len(SCRIPTS)]
        values += [number, written_in(number, script), number[:9] + str((int(number[9]) + 1) % 10)]
    values += [written_in("1111111111", "full-width"), "١٢٣4567890", written_in("0000000000", "devanagari")]
    distinct = d.distinct_values(pl.Series(values))
    expected = sum(d.is_nhs_number(v) for v in values) / len(values)
    assert d.distinct_value_matches(distinct).get(PiiType.NHS_NUMBER, 0.0) == pytest.approx(expected, abs=1e-6)
    assert expected == pytest.approx(60 / 93)


def test_number_checks_refuse_other_numerals_without_failing() -> None:
    # Superscripts and circled digits are digits to str.isdigit but not to int().
    assert not d.is_nhs_number("¹²³4567890")
    assert d.nhs_check_digit("¹²³456789") is None
    assert not d.luhn_valid("4¹11111111111111")
    assert d.upn_check_letter("1234567890²A") is None
    assert d.upn_check_letter("①234567890" + "12") is None
    assert d.nhs_check_digit(written_in("943476591", "arabic-indic")) == 9


@pytest.mark.parametrize("script", sorted(SCRIPTS))
def test_cards_and_upns_in_any_digits(script: str) -> None:
    card = written_in("4111 1111 1111 1111", script)
    assert d.luhn_valid(written_in("4111111111111111", script))
    assert d.is_payment_card(card)
    assert d.value_matches(pl.Series([card] * 3))[PiiType.PAYMENT_CARD] == 1.0
    body = "801200001001"
    letter = d.upn_check_letter(body)
    assert letter is not None
    assert d.upn_check_letter(written_in(body, script)) == letter
    upn = letter + written_in(body[:-1], script) + body[-1]
    assert d.is_upn(upn)
    assert d.value_matches(pl.Series([upn] * 3))[PiiType.UPN] == 1.0


@pytest.mark.parametrize("script", sorted(SCRIPTS))
def test_free_text_finds_numbers_in_any_digits(script: str) -> None:
    nhs = written_in("943 476 5919", script)
    card = written_in("4111 1111 1111 1111", script)
    text = f"NHS number {nhs}, paid with card {card}, DOB {written_in('01/02/1980', script)}."
    spans = {(text[s:e], pii) for s, e, pii in find_spans_in_text(text)}
    assert (nhs, PiiType.NHS_NUMBER) in spans
    assert (card, PiiType.PAYMENT_CARD) in spans
    assert (written_in("01/02/1980", script), PiiType.DATE_OF_BIRTH) in spans


def test_ascii_digits() -> None:
    assert d.ascii_digits("tel ٠٧٧ ０７ ०७") == "tel 077 07 07"
    assert d.ascii_digits("²½ⅦⅫ") == "²½ⅦⅫ"
    assert d.ascii_digits("plain 123") == "plain 123"


# --------------------------------------------------------------------------
# Month names: letters that stand for ASCII letters when case is ignored
# --------------------------------------------------------------------------


def _case_folding_stand_ins() -> dict[str, list[str]]:
    """Every non-ASCII character Python's regular expressions match to an ASCII letter, ignoring case."""

    everything = "".join(chr(c) for c in range(0x80, sys.maxunicode + 1) if not 0xD800 <= c <= 0xDFFF)
    out: dict[str, list[str]] = {}
    for letter in "abcdefghijklmnopqrstuvwxyz":
        found = re.findall(f"(?i){letter}", everything)
        if found:
            out[letter] = found
    return out


def test_month_names_with_case_folding_stand_ins_parse() -> None:
    stand_ins = _case_folding_stand_ins()
    assert stand_ins  # the traps this test is about: ſ, K (Kelvin), ı, İ
    tried = 0
    for name, month in d.MONTHS.items():
        for i, letter in enumerate(name):
            for other in stand_ins.get(letter, []):
                spelt = name[:i] + other + name[i + 1 :]
                assert d.parse_uk_date(f"1 {spelt} 2020") == dt.date(2020, month, 1), spelt
                assert d.parse_uk_date(f"{spelt} 1, 2020") == dt.date(2020, month, 1), spelt
                tried += 1
    assert tried >= 6  # s in sep, sept, september, august (ſ); i in april (ı, İ)


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("1 ſept 2020", dt.date(2020, 9, 1)),
        ("ſept 1, 2020", dt.date(2020, 9, 1)),
        ("1 Auguſt 2020", dt.date(2020, 8, 1)),
        ("1 Aprıl 2020", dt.date(2020, 4, 1)),
        ("1 APRİL 2020", dt.date(2020, 4, 1)),
        ("31 ſept 2020", None),
        ("1 ſ 2020", None),
        ("1 \u212aan 2020", None),
        ("١ Mar ١٩٨٠", dt.date(1980, 3, 1)),
    ],
)
def test_parse_uk_date_never_raises(value: str, expected: dt.date | None) -> None:
    assert d.parse_uk_date(value) == expected
    assert d.parse_uk_dates(pl.Series([value, "1 Mar 1980"])).to_list() == [expected, dt.date(1980, 3, 1)]


def test_free_text_date_with_long_s() -> None:
    text = "DOB 1 ſept 1980, seen today"
    assert [(text[s:e], pii) for s, e, pii in find_spans_in_text(text)] == [("1 ſept 1980", PiiType.DATE_OF_BIRTH)]


# --------------------------------------------------------------------------
# End to end: the check and its three reports
# --------------------------------------------------------------------------

ROWS = 60


def _frame() -> pl.DataFrame:
    nhs = nhs_numbers(ROWS)
    accounts = [f"{(i * 7_654_321 + 12_345_678) % 10**10:010d}" for i in range(ROWS)]
    short_accounts = [f"{(i * 7_654_321 + 23_456_789) % 10**8:08d}" for i in range(ROWS)]
    months = ["ſept", "Auguſt", "Aprıl", "ſeptember", "June"]
    return pl.DataFrame(
        {
            "account_no": [written_in(a, "arabic-indic") for a in accounts],
            "bank_account": [written_in(a, "devanagari") for a in short_accounts],
            "nhs_number": [written_in(f"{v[:3]} {v[3:6]} {v[6:]}", "full-width") for v in nhs],
            "date_of_birth": [f"{1 + i % 28} {months[i % 5]} {1940 + i % 60}" for i in range(ROWS)],
            "notes": [
                f"Rang about NHS number {written_in(v, 'full-width')}; DOB {1 + i % 28} ſept {1950 + i % 40}, "
                f"account {written_in(a, 'arabic-indic')}"
                for i, (v, a) in enumerate(zip(nhs, accounts, strict=True))
            ],
        }
    )


@pytest.fixture(scope="module")
def unicode_report(tmp_path_factory: pytest.TempPathFactory) -> tuple[pl.DataFrame, CheckReport]:
    frame = _frame()
    path = tmp_path_factory.mktemp("unicode") / "clients.csv"
    frame.write_csv(path)
    return frame, check_dataset(path, CheckOptions(workers=0))


def test_check_classifies_non_ascii_identifiers(unicode_report: tuple[pl.DataFrame, CheckReport]) -> None:
    _, report = unicode_report
    by_name = {c.name: c for c in report.columns}
    assert by_name["nhs_number"].pii_types == [PiiType.NHS_NUMBER]
    assert by_name["nhs_number"].kind == ColumnKind.DIRECT_IDENTIFIER
    assert PiiType.DATE_OF_BIRTH in by_name["date_of_birth"].pii_types
    assert by_name["notes"].kind == ColumnKind.FREE_TEXT
    assert {PiiType.NHS_NUMBER, PiiType.DATE_OF_BIRTH} <= set(by_name["notes"].pii_types)
    for column in report.columns:
        for example in column.evidence.masked_examples:
            assert not set(example) & set(NON_ASCII_DIGITS), (column.name, example)


@pytest.mark.parametrize("fmt", ["json", "html", "markdown"])
def test_no_raw_value_in_any_report(unicode_report: tuple[pl.DataFrame, CheckReport], fmt: str) -> None:
    frame, report = unicode_report
    text = render_report(report, fmt)
    readable = html.unescape(text) if fmt == "html" else text
    if fmt == "json":
        readable = json.dumps(json.loads(text), ensure_ascii=False)
    # None of the file's digits or long s, in any form: they can only have come from the data.
    assert not set(readable) & set(NON_ASCII_DIGITS + "ſı")
    raw = {v for column in frame.columns for v in frame.get_column(column).to_list()}
    raw |= {word.strip(",;") for note in frame.get_column("notes").to_list() for word in note.split()}
    # Identifiers and dates (a day or a year on its own identifies nobody, and "19" is in the file's hash).
    raw = {v for v in raw if len(v) >= 6 and re.search(r"\d", v)}
    assert len(raw) > 4 * ROWS
    for value in raw:
        assert value not in readable
