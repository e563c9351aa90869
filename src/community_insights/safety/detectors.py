"""Value-level detectors for UK personal data.

Two faces, one set of rules:

* scalar functions (``is_nhs_number``, ``normalise_postcode`` …) for a single
  value — used by the free-text span finder, the remedies and the tests;
* vectorised functions over a Polars ``Series`` of strings (``value_matches``,
  ``person_name_share``, ``special_category_values``) used to classify whole
  columns. They run as Polars expressions over the column's *distinct*
  values, each weighted by how often it occurs (``distinct_values``; most
  columns repeat heavily), and a cheap gate per shape keeps the costlier
  patterns off the values that cannot match. Any checksum (NHS modulus 11,
  UPN check letter, Luhn) then runs on the distinct candidates only: the
  checksum is what separates a real NHS number from any ten digits.

Why the rules are UK-specific: general tools such as Presidio have no Royal
Mail postcode rule, switch NI numbers off by default and confuse NHS numbers
with phone numbers. The rules here follow the published formats: NHS Digital's
modulus 11, HMRC's National Insurance number prefixes, Royal Mail's postcode
format, Ofcom's numbering plan (through ``phonenumbers``), DfE's unique pupil
number check letter and DVLA's registration format.
"""

from __future__ import annotations

import contextlib
import datetime as _dt
import functools
import ipaddress
import re
import unicodedata
from collections.abc import Callable

import polars as pl

from community_insights.safety.types import PiiType

__all__ = [
    "NI_NOT_ALLOWED_PREFIXES",
    "ascii_digits",
    "distinct_person_name_share",
    "distinct_special_category_values",
    "distinct_value_matches",
    "distinct_values",
    "is_bank_account",
    "is_email",
    "is_ip_address",
    "is_nhs_number",
    "is_ni_number",
    "is_passport_number",
    "is_payment_card",
    "is_postcode",
    "is_sort_code",
    "is_uk_phone",
    "is_upn",
    "is_vehicle_registration",
    "luhn_valid",
    "nhs_check_digit",
    "normalise_ni_number",
    "normalise_phone",
    "normalise_postcode",
    "parse_uk_date",
    "parse_uk_dates",
    "person_name_share",
    "postcode_district",
    "postcode_sector",
    "prepare",
    "special_category_type",
    "special_category_values",
    "upn_check_letter",
    "value_matches",
]

# --------------------------------------------------------------------------
# NHS number (NHS Digital data dictionary: 10 digits, modulus 11 check digit)
# --------------------------------------------------------------------------

_NON_DIGIT = re.compile(r"[\s\-]")


class _AsciiDigits(dict[int, int]):
    """A ``str.translate`` table sending every decimal digit to its ASCII digit, filled as characters come."""

    def __missing__(self, code: int) -> int:
        value = unicodedata.decimal(chr(code), None)
        self[code] = code if value is None else 0x30 + value
        return self[code]


_TO_ASCII_DIGITS = _AsciiDigits()


def ascii_digits(text: str) -> str:
    """``text`` with every decimal digit of any script written as its ASCII digit (``٠١٢`` → ``012``).

    The number checks read digits as numbers. A number typed with full-width,
    Arabic-Indic or Devanagari digits (a phone keyboard set to another
    language, a form that pasted from a spreadsheet in another locale) is still
    that person's number, and the patterns that find candidates (``\\d`` in
    both Python's and Polars' regular expressions) already accept those
    digits, so each check reads them as the digits they are rather than
    refusing (or failing on) them. Other characters that are numbers to
    Unicode but not decimal digits (``²``, ``⑦``) are left alone, and no
    check takes them for digits.
    """

    return text if text.isascii() else text.translate(_TO_ASCII_DIGITS)


def _is_ascii_digits(text: str) -> bool:
    return text.isascii() and text.isdigit()


def nhs_check_digit(first_nine: str) -> int | None:
    """Return the modulus 11 check digit for nine digits, or None if none exists.

    Weights run 10 down to 2; a remainder giving 10 means no valid number can
    be made from these nine digits (NHS Digital never issues them). Digits of
    any script count (see :func:`ascii_digits`).
    """

    first_nine = ascii_digits(first_nine)
    if len(first_nine) != 9 or not _is_ascii_digits(first_nine):
        return None
    total = sum(int(d) * w for d, w in zip(first_nine, range(10, 1, -1), strict=True))
    check = 11 - total % 11
    if check == 11:
        return 0
    if check == 10:
        return None
    return check


def is_nhs_number(value: object) -> bool:
    """True for ten digits (spaces or dashes allowed) whose modulus 11 check holds.

    Numbers of one repeated digit (``0000000000``) pass the arithmetic but are
    test or placeholder values, so they are refused. The digits may be of any
    script (``９４３ ４７６ ５９１９``): a number typed in full-width or
    Arabic-Indic digits is still that person's NHS number, and missing it would
    let the column or note through as something harmless (see
    :func:`ascii_digits`).
    """

    if not isinstance(value, str):
        return False
    digits = ascii_digits(_NON_DIGIT.sub("", value.strip()))
    if len(digits) != 10 or not _is_ascii_digits(digits) or len(set(digits)) == 1:
        return False
    check = nhs_check_digit(digits[:9])
    return check is not None and check == int(digits[9])


# --------------------------------------------------------------------------
# National Insurance number (HMRC NIM39110)
# --------------------------------------------------------------------------

NI_NOT_ALLOWED_PREFIXES = frozenset({"BG", "GB", "KN", "NK", "NT", "TN", "ZZ"})
# First letter: not D, F, I, Q, U, V. Second letter: not D, F, I, O, Q, U, V.
_NI_FIRST = "ABCEGHJKLMNOPRSTWXYZ"
_NI_SECOND = "ABCEGHJKLMNPRSTWXYZ"
_NI_RE = re.compile(rf"^[{_NI_FIRST}][{_NI_SECOND}]\d{{6}}[A-D]$")
_NI_STRIP = re.compile(r"[\s\-.]")


def normalise_ni_number(value: object) -> str | None:
    """Return the NI number as ``QQ123456C`` (no spaces, upper case), or None.

    HMRC's rules: first letter not D, F, I, Q, U or V; second letter not D, F,
    I, O, Q, U or V; the prefixes BG, GB, KN, NK, NT, TN and ZZ are never
    issued; the suffix is A, B, C or D.
    """

    if not isinstance(value, str):
        return None
    compact = _NI_STRIP.sub("", value.strip()).upper()
    if not _NI_RE.match(compact) or compact[:2] in NI_NOT_ALLOWED_PREFIXES:
        return None
    return compact


def is_ni_number(value: object) -> bool:
    """True if ``value`` is a National Insurance number HMRC could issue."""

    return normalise_ni_number(value) is not None


# --------------------------------------------------------------------------
# Postcodes (Royal Mail PAF format)
# --------------------------------------------------------------------------

# Outward code shapes: A9, A99, AA9, AA99, A9A, AA9A. Royal Mail letter rules:
# position 1 never Q, V, X; position 2 never I, J, Z; the third-position letter
# of A9A is one of ABCDEFGHJKPSTUW; the fourth of AA9A one of ABEHMNPRVWXY;
# the inward code's letters never C, I, K, M, O, V.
_P1 = "ABCDEFGHIJKLMNOPRSTUWYZ"
_P2 = "ABCDEFGHKLMNOPQRSTUVWXY"
_P3 = "ABCDEFGHJKPSTUW"
_P4 = "ABEHMNPRVWXY"
_IN = "ABDEFGHJLNPQRSTUWXYZ"
_OUTWARD = rf"(?:[{_P1}][0-9]{{1,2}}|[{_P1}][{_P2}][0-9]{{1,2}}|[{_P1}][0-9][{_P3}]|[{_P1}][{_P2}][0-9][{_P4}])"
_INWARD = rf"[0-9][{_IN}]{{2}}"
POSTCODE_PATTERN = rf"(?:{_OUTWARD} ?{_INWARD}|GIR ?0AA)"
_POSTCODE_RE = re.compile(rf"^({_OUTWARD}|GIR)({_INWARD}|0AA)$")
_BFPO_RE = re.compile(r"^BFPO ?(\d{1,4})$")


def normalise_postcode(value: object) -> str | None:
    """Return the postcode in Royal Mail form (``SW1A 1AA``), or None.

    Accepts any case and spacing (``sw1a1aa``, ``SW1A  1AA``). ``GIR 0AA`` and
    British Forces addresses (``BFPO 123``) are accepted because both route
    post to a known place and so identify as much as any other postcode.
    """

    if not isinstance(value, str):
        return None
    compact = "".join(value.split()).upper()
    if not 5 <= len(compact) <= 8:
        return None
    bfpo = _BFPO_RE.match(compact)
    if bfpo:
        return f"BFPO {bfpo.group(1)}"
    m = _POSTCODE_RE.match(compact)
    if not m:
        return None
    if m.group(1) == "GIR" and m.group(2) != "0AA":
        return None
    return f"{m.group(1)} {m.group(2)}"


def is_postcode(value: object) -> bool:
    """True for a full UK unit postcode in any case and spacing."""

    return normalise_postcode(value) is not None


def postcode_sector(postcode: str) -> str:
    """The postcode sector (``SW1A 1AA`` → ``SW1A 1``): a few thousand homes.

    Raises ValueError for something that is not a postcode, because a silent
    wrong answer here would leak or mangle an area.
    """

    norm = normalise_postcode(postcode)
    if norm is None:
        raise ValueError("not a UK postcode")
    if norm.startswith("BFPO"):
        return "BFPO"
    outward, inward = norm.split(" ")
    return f"{outward} {inward[0]}"


def postcode_district(postcode: str) -> str:
    """The postcode district, i.e. the outward code (``SW1A 1AA`` → ``SW1A``)."""

    norm = normalise_postcode(postcode)
    if norm is None:
        raise ValueError("not a UK postcode")
    if norm.startswith("BFPO"):
        return "BFPO"
    return norm.split(" ")[0]


# --------------------------------------------------------------------------
# Phone numbers (Ofcom plan, through phonenumbers)
# --------------------------------------------------------------------------

_PHONE_CHARS = re.compile(r"^[+(]?[\d\s().\-]{9,20}$")


def normalise_phone(value: object) -> str | None:
    """Return the number in E.164 form (``+447700900123``) if it is a valid UK number."""

    if not isinstance(value, str) or not _PHONE_CHARS.match(value.strip()):
        return None
    import phonenumbers

    try:
        parsed = phonenumbers.parse(value.strip(), "GB")
    except phonenumbers.NumberParseException:
        return None
    if not phonenumbers.is_valid_number(parsed):
        return None
    if phonenumbers.region_code_for_number(parsed) not in {"GB", "GG", "JE", "IM"}:
        return None
    return phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.E164)


def is_uk_phone(value: object) -> bool:
    """True for a valid UK (incl. Channel Islands, Isle of Man) phone number."""

    return normalise_phone(value) is not None


# --------------------------------------------------------------------------
# Email, IP address
# --------------------------------------------------------------------------

EMAIL_PATTERN = (
    r"[A-Za-z0-9][A-Za-z0-9._%+'\-]*@[A-Za-z0-9](?:[A-Za-z0-9\-]*[A-Za-z0-9])?"
    r"(?:\.[A-Za-z0-9](?:[A-Za-z0-9\-]*[A-Za-z0-9])?)*\.[A-Za-z]{2,24}"
)
_EMAIL_RE = re.compile(rf"^{EMAIL_PATTERN}$")


def is_email(value: object) -> bool:
    """True for something shaped like an email address (``name@domain.tld``)."""

    return isinstance(value, str) and len(value) <= 254 and bool(_EMAIL_RE.match(value.strip()))


_OCTET = r"(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)"
IPV4_PATTERN = rf"{_OCTET}(?:\.{_OCTET}){{3}}"


def is_ip_address(value: object) -> bool:
    """True for an IPv4 or IPv6 address."""

    if not isinstance(value, str):
        return False
    text = value.strip()
    if not text or not (":" in text or "." in text):
        return False
    try:
        ipaddress.ip_address(text)
    except ValueError:
        return False
    return True


# --------------------------------------------------------------------------
# Bank details, payment cards, passports, UPN, vehicle registration
# --------------------------------------------------------------------------

_SORT_CODE_RE = re.compile(r"^\d{2}[\- ]\d{2}[\- ]\d{2}$")
_ACCOUNT_RE = re.compile(r"^\d{8}$")


def is_sort_code(value: object) -> bool:
    """True for a sort code written ``12-34-56`` or ``12 34 56``.

    Six bare digits are not accepted: too many other codes look like that.
    """

    return isinstance(value, str) and bool(_SORT_CODE_RE.match(value.strip()))


def is_bank_account(value: object) -> bool:
    """True for an 8-digit UK bank account number (context decides in practice)."""

    return isinstance(value, str) and bool(_ACCOUNT_RE.match(value.strip()))


def luhn_valid(digits: str) -> bool:
    """Luhn (mod 10) check used by payment cards (digits of any script, see :func:`ascii_digits`)."""

    digits = ascii_digits(digits)
    if not _is_ascii_digits(digits):
        return False
    total = 0
    for i, ch in enumerate(reversed(digits)):
        d = int(ch)
        if i % 2 == 1:
            d *= 2
            if d > 9:
                d -= 9
        total += d
    return total % 10 == 0


_CARD_RE = re.compile(r"^(?:\d[ \-]?){12,18}\d$")
_CARD_PREFIX = re.compile(r"^(?:4|5[1-5]|2[2-7]|3[47]|6(?:011|5)|3(?:0[0-5]|[68]))")


def is_payment_card(value: object) -> bool:
    """True for 13–19 digits (of any script) from a card scheme's range that pass the Luhn check."""

    if not isinstance(value, str) or not _CARD_RE.match(value.strip()):
        return False
    digits = ascii_digits(re.sub(r"[ \-]", "", value))
    return 13 <= len(digits) <= 19 and bool(_CARD_PREFIX.match(digits)) and luhn_valid(digits)


_PASSPORT_RE = re.compile(r"^\d{9}$")


def is_passport_number(value: object) -> bool:
    """True for a UK passport number shape (nine digits); context decides in practice."""

    return isinstance(value, str) and bool(_PASSPORT_RE.match(value.strip()))


# DfE unique pupil number: check letter, 11 digits, then a digit (or a letter
# for a temporary UPN). Check letter = weighted sum of characters 2–13
# (weights 2–13) mod 23, looked up in this 23-letter alphabet (no I, O, S).
_UPN_ALPHABET = "ABCDEFGHJKLMNPQRTUVWXYZ"
_UPN_RE = re.compile(r"^[A-HJ-NP-RT-Z]\d{11}[0-9A-HJ-NP-RT-Z]$")


def upn_check_letter(body: str) -> str | None:
    """Check letter for the 12 characters after it (11 digits + digit or letter; digits of any script)."""

    body = ascii_digits(body)
    if len(body) != 12 or not _is_ascii_digits(body[:11]):
        return None
    total = 0
    for weight, ch in enumerate(body, start=2):
        if _is_ascii_digits(ch):
            total += int(ch) * weight
        elif ch in _UPN_ALPHABET:
            total += _UPN_ALPHABET.index(ch) * weight
        else:
            return None
    return _UPN_ALPHABET[total % 23]


def is_upn(value: object) -> bool:
    """True for a unique pupil number whose check letter is right."""

    if not isinstance(value, str):
        return False
    text = value.strip().upper()
    return bool(_UPN_RE.match(text)) and upn_check_letter(text[1:]) == text[0]


# Current DVLA format (2001 on): two area letters, a two-digit age identifier
# (02–25 for March, 51–75 for September registrations), three random letters.
_VRM_RE = re.compile(r"^[A-HJ-PR-Y][A-HJ-PR-Y](?:0[2-9]|1\d|2[0-5]|5[1-9]|6\d|7[0-5]) ?[A-HJ-PR-Z]{3}$")
VEHICLE_PATTERN = r"[A-HJ-PR-Y]{2}(?:0[2-9]|1\d|2[0-5]|5[1-9]|6\d|7[0-5]) ?[A-HJ-PR-Z]{3}"


def is_vehicle_registration(value: object) -> bool:
    """True for a current-format UK registration mark (``AB51 CDE``)."""

    return isinstance(value, str) and bool(_VRM_RE.match(value.strip().upper()))


# --------------------------------------------------------------------------
# Dates in UK formats
# --------------------------------------------------------------------------

MONTHS = {
    "jan": 1,
    "january": 1,
    "feb": 2,
    "february": 2,
    "mar": 3,
    "march": 3,
    "apr": 4,
    "april": 4,
    "may": 5,
    "jun": 6,
    "june": 6,
    "jul": 7,
    "july": 7,
    "aug": 8,
    "august": 8,
    "sep": 9,
    "sept": 9,
    "september": 9,
    "oct": 10,
    "october": 10,
    "nov": 11,
    "november": 11,
    "dec": 12,
    "december": 12,
}
_MONTH_NAMES = "|".join(sorted(MONTHS, key=len, reverse=True))
_NUMERIC_DATE = re.compile(r"^(\d{1,2})[/\-.](\d{1,2})[/\-.](\d{4}|\d{2})$")
_ISO_DATE = re.compile(r"^(\d{4})-(\d{2})-(\d{2})(?:[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+\-]\d{2}:?\d{2})?)?$")
_WORD_DATE = re.compile(
    rf"^(\d{{1,2}})(?:st|nd|rd|th)?[\s\-]+({_MONTH_NAMES})\.?,?[\s\-]+(\d{{4}}|\d{{2}})$",
    re.IGNORECASE,
)
_WORD_DATE_US = re.compile(rf"^({_MONTH_NAMES})\.?\s+(\d{{1,2}})(?:st|nd|rd|th)?,?\s+(\d{{4}})$", re.IGNORECASE)
# Python's regular expressions, ignoring case, let four non-ASCII letters stand for ASCII
# ones: the long s "ſ" for s, the Kelvin sign "K" for k, and the Turkish dotless "ı" and
# dotted "İ" for i. So "1 ſept 2020" or "Aprıl" match a month name that ``lower()`` alone
# would not turn into a key of MONTHS; they are read as the letter they stand for.
_MONTH_FOLD = str.maketrans({"ſ": "s", "\u212a": "k", "ı": "i", "İ": "i"})


def _month(name: str) -> int | None:
    """The number of a month name the date patterns matched (any case), or None."""

    return MONTHS.get(name.translate(_MONTH_FOLD).lower())


def _year(text: str) -> int:
    year = int(text)
    if len(text) == 2:
        # Two-digit years: assume the most recent century that is not in the future.
        this = _dt.date.today().year % 100
        year += 2000 if year <= this else 1900
    return year


def _make(year: int, month: int, day: int) -> _dt.date | None:
    try:
        return _dt.date(year, month, day)
    except ValueError:
        return None


def parse_uk_date(value: object) -> _dt.date | None:
    """Parse a date as written in UK records, day before month.

    Accepts ``31/12/1980``, ``31-12-80``, ``31.12.1980``, ``1 Mar 1980``,
    ``1st March 1980``, ``March 1, 1980``, ISO ``1980-12-31`` (with or without
    a time), with digits of any script. Returns None for anything else or an
    impossible date: never raises, whatever the text.
    """

    if isinstance(value, _dt.datetime):
        return value.date()
    if isinstance(value, _dt.date):
        return value
    if not isinstance(value, str):
        return None
    text = value.strip()
    if not text or len(text) > 40:
        return None
    m = _ISO_DATE.match(text)
    if m:
        return _make(int(m.group(1)), int(m.group(2)), int(m.group(3)))
    m = _NUMERIC_DATE.match(text)
    if m:
        return _make(_year(m.group(3)), int(m.group(2)), int(m.group(1)))
    m = _WORD_DATE.match(text)
    if m:
        month = _month(m.group(2))
        return None if month is None else _make(_year(m.group(3)), month, int(m.group(1)))
    m = _WORD_DATE_US.match(text)
    if m:
        month = _month(m.group(1))
        return None if month is None else _make(int(m.group(3)), month, int(m.group(2)))
    return None


def parse_uk_dates(series: pl.Series) -> pl.Series:
    """Vectorised :func:`parse_uk_date`: a ``pl.Date`` series, null where not a date.

    Parsed on distinct values only (a date column has few distinct values
    compared with its rows), then mapped back with a join-free ``replace``.
    """

    if series.dtype == pl.Date:
        return series
    if series.dtype == pl.Datetime:
        return series.dt.date()
    s = series.cast(pl.Utf8, strict=False).str.strip_chars()
    uniques = s.drop_nulls().unique()
    return s.replace_strict(uniques, _dates_of(uniques), default=None, return_dtype=pl.Date)


# Printable ASCII of at most 40 characters: for these the patterns read the same in Polars as
# in Python's ``re`` (no Unicode digits or spaces, no trailing newline before ``$``), and
# Python's ``strip`` has nothing left to remove, so they are parsed in Polars; anything else
# goes through :func:`parse_uk_date` itself.
_DATE_FAST = r"^[\x20-\x7e]{1,40}$"
# The four formats as one pattern, in parse_uk_date's order: the first alternative that
# matches the whole value wins, as the first ``match`` does there. Groups 1-3 are ISO
# (year, month, day), 4-6 numeric (day, month, year), 7-9 words (day, month, year) and
# 10-12 American (month, day, year).
_DATE_PARTS = "^(?:{})$".format(
    "|".join(
        (f"(?i:{rx.pattern[1:-1]})" if rx.flags & re.IGNORECASE else f"(?:{rx.pattern[1:-1]})")
        for rx in (_ISO_DATE, _NUMERIC_DATE, _WORD_DATE, _WORD_DATE_US)
    )
)
_SHORT_MONTHS = pl.Series([4, 6, 9, 11], dtype=pl.Int32)
_MONTH_NAMES_S = pl.Series(list(MONTHS), dtype=pl.Utf8)
_MONTH_NUMBERS_S = pl.Series(list(MONTHS.values()), dtype=pl.Int32)


def _dates_of(values: pl.Series) -> pl.Series:
    """:func:`parse_uk_date` of each value (strings), as a ``pl.Date`` series.

    A million-row date column has a few thousand distinct values, but even
    those are too many to parse one Python call at a time, so Polars reads the
    four formats; impossible dates (31 February, year 0) come out null, as
    ``datetime.date`` refuses them.
    """

    values = values.cast(pl.Utf8)
    this_century = _dt.date.today().year % 100

    def g(i: int) -> pl.Expr:
        return pl.col(str(i))

    def number(i: int) -> pl.Expr:
        return g(i).cast(pl.Int32, strict=False)

    def two_digit_year(i: int) -> pl.Expr:
        recent = pl.when(number(i) <= this_century).then(number(i) + 2000).otherwise(number(i) + 1900)
        return pl.when(g(i).str.len_chars() == 2).then(recent).otherwise(number(i))

    def month(i: int) -> pl.Expr:
        return g(i).str.to_lowercase().replace_strict(_MONTH_NAMES_S, _MONTH_NUMBERS_S, default=None)

    y, m, d = pl.col("y"), pl.col("m"), pl.col("d")
    leap = (y % 4 == 0) & ((y % 100 != 0) | (y % 400 == 0))
    days = (
        pl.when(m == 2)
        .then(pl.when(leap).then(29).otherwise(28))
        .when(m.is_in(_SHORT_MONTHS.implode()))
        .then(30)
        .otherwise(31)
    )
    valid = (
        pl.col("fast") & y.is_between(_dt.MINYEAR, _dt.MAXYEAR) & m.is_between(1, 12) & (d >= 1) & (d <= days)
    ).fill_null(False)
    # Every row is built, so the rows that are not dates are built as 1 January 2000.
    date = pl.date(
        pl.when(valid).then(y).otherwise(2000), pl.when(valid).then(m).otherwise(1), pl.when(valid).then(d).otherwise(1)
    )
    parts = (
        pl.DataFrame({"s": values})
        .lazy()
        .select(
            pl.col("s").str.contains(_DATE_FAST).fill_null(False).alias("fast"),
            pl.col("s").str.extract_groups(_DATE_PARTS).alias("parts"),
        )
        .unnest("parts")
        .select(
            "fast",
            pl.coalesce(number(1), two_digit_year(6), two_digit_year(9), number(12)).alias("y"),
            pl.coalesce(number(2), number(5), month(8), month(10)).alias("m"),
            pl.coalesce(number(3), number(4), number(7), number(11)).alias("d"),
        )
        .select("fast", pl.when(valid).then(date).otherwise(None).alias("date"))
        .collect()
    )
    out = parts.get_column("date").alias(values.name)
    slow = (~parts.get_column("fast") & values.is_not_null()).arg_true()
    if slow.len():
        out = out.scatter(slow, [parse_uk_date(v) for v in values.gather(slow).to_list()])
    return out


# --------------------------------------------------------------------------
# Vectorised matching over a column
# --------------------------------------------------------------------------

_NHS_SHAPE = r"^\d{3}[ \-]?\d{3}[ \-]?\d{4}$"
_NI_SHAPE = rf"^[{_NI_FIRST}][{_NI_SECOND}]\d{{6}}[A-D]$"
_POSTCODE_SHAPE = rf"^(?:{_OUTWARD}{_INWARD}|GIR0AA|BFPO\d{{1,4}})$"
_PHONE_SHAPE = r"^(?:\+44|0044|0)(?:7[1-57-9]\d{8}|1\d{8,9}|2\d{9}|3\d{9}|8\d{8,9}|9\d{9}|5[56]\d{8})$"
_EMAIL_SHAPE = rf"^{EMAIL_PATTERN}$"
_IPV4_SHAPE = rf"^{IPV4_PATTERN}$"
_IPV6_SHAPE = r"^[0-9A-Fa-f]{0,4}(?::[0-9A-Fa-f]{0,4}){2,7}$"
_DATE_SHAPES = [
    r"^(?:0?[1-9]|[12]\d|3[01])[/\-.](?:0?[1-9]|1[0-2])[/\-.](?:\d{4}|\d{2})$",
    r"^\d{4}-(?:0[1-9]|1[0-2])-(?:0[1-9]|[12]\d|3[01])"
    r"(?:[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+\-]\d{2}:?\d{2})?)?$",
    rf"(?i)^(?:0?[1-9]|[12]\d|3[01])(?:st|nd|rd|th)?[\s\-]+(?:{_MONTH_NAMES})\.?,?[\s\-]+(?:\d{{4}}|\d{{2}})$",
    rf"(?i)^(?:{_MONTH_NAMES})\.?\s+(?:0?[1-9]|[12]\d|3[01])(?:st|nd|rd|th)?,?\s+\d{{4}}$",
]
# The four shapes as one pattern (one pass over the values instead of four).
_DATE_SHAPE = "|".join(f"(?i:{p[4:]})" if p.startswith("(?i)") else f"(?:{p})" for p in _DATE_SHAPES)
_CARD_SHAPE = r"^(?:\d[ \-]?){12,18}\d$"
_UPN_SHAPE = r"^[A-HJ-NP-RT-Z]\d{11}[0-9A-HJ-NP-RT-Z]$"
_VRM_SHAPE = rf"^{VEHICLE_PATTERN}$"

# How many distinct phone candidates go through phonenumbers for the
# full-metadata check; the Ofcom-plan regex above decides the rest.
PHONE_VALIDATION_SAMPLE = 5_000


def _strings(series: pl.Series) -> pl.Series:
    """Non-empty values of a column as stripped strings."""

    s = series if series.dtype == pl.Utf8 else series.cast(pl.Utf8, strict=False)
    s = s.str.strip_chars()
    return s.filter(s.is_not_null() & (s.str.len_chars() > 0))


def distinct_values(series: pl.Series) -> pl.DataFrame:
    """The column's non-empty stripped values once each (``s``) with how often each occurs (``n``).

    Every column-level detector works on this frame rather than on the rows:
    a column of a million rows seldom holds more than a few thousand distinct
    values, and a share of rows is the same count whether each row is tested
    or each distinct value is tested once and weighted by its count.
    """

    return _strings(series).rename("s").value_counts(name="n")


_REPEATED_DIGITS = pl.Series([str(i) * 10 for i in range(10)], dtype=pl.Utf8)


def _nhs_valid(candidates: pl.Series) -> pl.Series:
    """``is_nhs_number`` for NHS-shaped strings, all at once in Polars (same answers, no Python loop).

    The ten digits are read as one integer and the check runs on its digits
    by arithmetic. The shape's ``\\d`` accepts digits of every script, but
    only 0-9 are numbers to Polars, so a candidate written in other digits
    (Arabic-Indic, Devanagari, full-width …) is checked by
    :func:`is_nhs_number`, which reads them as the digits they are: a number
    typed in full-width digits is still that person's NHS number. Such
    candidates are rare, so the Polars path is left as it is for the rest.
    """

    # The shape allows only spaces and dashes between the digits.
    digits = candidates.str.replace_all(" ", "", literal=True).str.replace_all("-", "", literal=True)
    number = pl.col("number")

    def digit(i: int) -> pl.Expr:  # the i-th digit from the left of ten
        return (number // 10 ** (9 - i)) % 10

    total = pl.sum_horizontal(digit(i) * (10 - i) for i in range(9))
    check = 11 - total % 11
    check = pl.when(check == 11).then(0).otherwise(check)
    ok = (
        (pl.col("d").str.len_chars() == 10)
        & (check != 10)
        & (check == digit(9))
        & ~pl.col("d").is_in(_REPEATED_DIGITS.implode())
    )
    frame = (
        pl.DataFrame({"d": digits})
        .lazy()
        .with_columns(pl.col("d").cast(pl.Int64, strict=False).alias("number"))
        .select(ok.fill_null(False).alias("ok"), number.is_null().alias("unread"))
        .collect()
    )
    passed = frame.get_column("ok")
    unread = frame.get_column("unread").arg_true()
    if unread.len():
        passed = passed.scatter(unread, [is_nhs_number(v) for v in candidates.gather(unread).to_list()])
    return passed


# What ``\s`` matches in Polars' regular expressions (Unicode White_Space). Characters are
# dropped with a literal multi-replace rather than a pattern: Polars keeps only the last 32
# patterns it compiled (per thread), and classifying a column must stay under that.
_WHITE_SPACE = tuple(
    chr(c)
    for c in (
        *range(0x09, 0x0E),
        0x20,
        0x85,
        0xA0,
        0x1680,
        *range(0x2000, 0x200B),
        0x2028,
        0x2029,
        0x202F,
        0x205F,
        0x3000,
    )
)


def _drop(expr: pl.Expr, chars: tuple[str, ...]) -> pl.Expr:
    """``expr`` with every one of ``chars`` removed."""

    return expr.str.replace_many(list(chars), [""] * len(chars))


_NI_PREFIXES = pl.Series(sorted(NI_NOT_ALLOWED_PREFIXES), dtype=pl.Utf8)


def _ni_shaped(col: pl.Expr) -> pl.Expr:
    compact = _drop(col.str.to_uppercase(), (*_WHITE_SPACE, "-", "."))
    return compact.str.contains(_NI_SHAPE) & ~compact.str.slice(0, 2).is_in(_NI_PREFIXES.implode())


# Each identifier's shape as a test of one value, written once and run over whichever values
# its gate lets through. Checksums, where a scheme has one, come after, on the distinct values
# that have the shape.
_SHAPES: dict[str, Callable[[pl.Expr], pl.Expr]] = {
    "nhs": lambda col: col.str.contains(_NHS_SHAPE),
    "ni": _ni_shaped,
    "postcode": lambda col: _drop(col.str.to_uppercase(), _WHITE_SPACE).str.contains(_POSTCODE_SHAPE),
    "phone": lambda col: (
        _drop(col, (*_WHITE_SPACE, "-", "(", ")", ".")).str.contains(_PHONE_SHAPE) & col.str.contains(_PHONE_CHARSET)
    ),
    "email": lambda col: col.str.contains(_EMAIL_SHAPE),
    "date": lambda col: col.str.contains(_DATE_SHAPE),
    "ip4": lambda col: col.str.contains(_IPV4_SHAPE),
    "ip6": lambda col: col.str.contains(_IPV6_SHAPE) & col.str.contains(":", literal=True),
    "sort": lambda col: col.str.contains(r"^\d{2}[\- ]\d{2}[\- ]\d{2}$"),
    # ^\d{8}$ and ^\d{9}$, as one pattern and a length.
    "bank": lambda col: col.str.contains(r"^\d+$") & (col.str.len_chars() == 8),
    "passport": lambda col: col.str.contains(r"^\d+$") & (col.str.len_chars() == 9),
    "card": lambda col: col.str.contains(_CARD_SHAPE),
    "upn": lambda col: col.str.to_uppercase().str.contains(_UPN_SHAPE),
    "vrm": lambda col: col.str.to_uppercase().str.contains(_VRM_SHAPE),
}
# Gates: one cheap pattern per value that every value of the shape matches (a superset), so
# the shapes that rewrite a value first (upper-casing, dropping spaces) rewrite only the few
# values that could match, and a shape that no value could match costs nothing. A gate
# written for ASCII also lets through any value with a non-ASCII character, whose
# upper-casing or digits could surprise it ("ß" upper-cases to "SS").
_PHONE_CHARSET = r"^[+(]?[\d\s().\-]+$"
# ASCII letters, digits and white space only, so that they are small and quick to compile.
_OR_NON_ASCII = r"|[^\x00-\x7F]"
_ASCII_SPACE = r"[\t-\r ]"
_GATES: dict[str, pl.Expr] = {
    # Digits, spaces and ().+- only: every numeric shape (NHS, bank, card, IPv4 …).
    "g_num": pl.col("s").str.contains(_PHONE_CHARSET),
    # … and the phone number's digits start +44, 0044 or 0.
    "g_phone": pl.col("s").str.contains(r"^[\s\-().]*[+0][\d\s().\-]*$"),
    "g_ni": pl.col("s").str.contains(
        r"^[\t-\r \-.]*[A-Za-z][\t-\r \-.]*[A-Za-z](?:[\t-\r \-.]*[0-9]){6}[\t-\r \-.]*[A-Da-d][\t-\r \-.]*$"
        + _OR_NON_ASCII
    ),
    "g_postcode": pl.col("s").str.contains(
        rf"^{_ASCII_SPACE}*[A-Za-z](?:{_ASCII_SPACE}*[A-Za-z0-9]){{4,7}}{_ASCII_SPACE}*$" + _OR_NON_ASCII
    ),
    "g_upn": pl.col("s").str.contains(r"^[A-Za-z][0-9]{11}[0-9A-Za-z]$" + _OR_NON_ASCII),
    "g_vrm": pl.col("s").str.contains(r"^[A-Za-z]{2}[0-9]{2} ?[A-Za-z]{3}$" + _OR_NON_ASCII),
    "g_at": pl.col("s").str.contains("@", literal=True),
    "g_colon": pl.col("s").str.contains(":", literal=True),
}
_SHAPE_GATE: dict[str, str | None] = {
    "nhs": "g_num",
    "ni": "g_ni",
    "postcode": "g_postcode",
    "phone": "g_phone",
    "email": "g_at",
    "date": None,
    "ip4": "g_num",
    "ip6": "g_colon",
    "sort": "g_num",
    "bank": "g_num",
    "passport": "g_num",
    "card": "g_num",
    "upn": "g_upn",
    "vrm": "g_vrm",
}
# Shapes confirmed value by value after the shape (checksum, phone metadata, IP address
# parser): for these the query returns the distinct candidates, not only their count.
_CHECKED = ("nhs", "phone", "ip6", "card", "upn")


def _shape_query() -> list[pl.Expr]:
    """One query over the gated distinct values: for each shape, how many rows have it; for
    the checked shapes, which distinct values (``s``) have it and how often (``n``)."""

    exprs: list[pl.Expr] = []
    for key, shape in _SHAPES.items():
        gate = _SHAPE_GATE[key]
        text, count = (
            (pl.col("s"), pl.col("n"))
            if gate is None
            else (pl.col("s").filter(pl.col(gate)), pl.col("n").filter(pl.col(gate)))
        )
        has_shape = shape(text)
        if key in _CHECKED:
            exprs.append(pl.struct(text, count).filter(has_shape).implode().alias(key))
        else:
            exprs.append(count.filter(has_shape).sum().alias(key))
    return exprs


_GATE_COLUMNS = [gate.alias(name) for name, gate in _GATES.items()]
_SHAPE_QUERY = _shape_query()


def value_matches(series: pl.Series) -> dict[PiiType, float]:
    """Share of non-empty values matching each identifier type (0.0–1.0).

    Only types with a share above zero are returned. NHS numbers and UPNs
    count only when their check digit/letter is right, payment cards only when
    the Luhn check holds; phone numbers follow Ofcom's plan and a sample of
    distinct numbers is confirmed with ``phonenumbers``. ``DATE_OF_BIRTH`` here
    means "any date": telling birth dates from other dates needs the range and
    the header, which the column classifier adds.
    """

    return distinct_value_matches(distinct_values(series))


def distinct_value_matches(values: pl.DataFrame) -> dict[PiiType, float]:
    """:func:`value_matches` for a column already reduced by :func:`distinct_values`."""

    n = int(values.get_column("n").sum())
    out: dict[PiiType, float] = {}
    if n == 0:
        return out
    row = values.with_columns(_GATE_COLUMNS).select(_SHAPE_QUERY)
    found = {key: row.get_column(key).item().struct.unnest() for key in _CHECKED}
    counts = {
        key: int(found[key].get_column("n").sum()) if key in found else int(row.get_column(key).item() or 0)
        for key in _SHAPES
    }

    def candidates(key: str) -> tuple[pl.Series, pl.Series]:
        """The distinct values of one checked shape and how often each occurs."""

        return found[key].get_column("s"), found[key].get_column("n")

    def checked(key: str, check: Callable[[str], bool], upper: bool = False) -> int:
        """Rows whose value has the shape and passes ``check`` (run once per distinct value)."""

        if not counts[key]:
            return 0
        text, weight = candidates(key)
        if upper:
            text = text.str.to_uppercase()
        passed = pl.Series([check(v) for v in text.to_list()], dtype=pl.Boolean)
        return int(weight.filter(passed).sum())

    # NHS number: shape then modulus 11.
    if counts["nhs"]:
        text, weight = candidates("nhs")
        out[PiiType.NHS_NUMBER] = float(weight.filter(_nhs_valid(text)).sum()) / n
    else:
        out[PiiType.NHS_NUMBER] = 0.0
    out[PiiType.NI_NUMBER] = counts["ni"] / n
    out[PiiType.POSTCODE] = counts["postcode"] / n

    phone_share = counts["phone"] / n
    if phone_share:
        # Sorted first so that the sample, and so the answer, is the same on every run.
        cands_s = candidates("phone")[0].sort()
        if cands_s.len() > PHONE_VALIDATION_SAMPLE:
            cands_s = cands_s.sample(PHONE_VALIDATION_SAMPLE, seed=0)
        # Every candidate already fits the Ofcom plan, so the compiled-metadata fast path gives
        # phonenumbers' own answer (tested side by side) about 50 times faster than a full parse.
        from community_insights.safety.text import _phone_ok

        sample = cands_s.to_list()
        confirmed = sum(1 for v in sample if _phone_ok(v)) / len(sample)
        phone_share *= confirmed
    out[PiiType.PHONE] = phone_share

    out[PiiType.EMAIL] = counts["email"] / n
    out[PiiType.DATE_OF_BIRTH] = counts["date"] / n
    ip6 = checked("ip6", is_ip_address)
    out[PiiType.IP_ADDRESS] = counts["ip4"] / n + (float(ip6) / n if ip6 else 0.0)
    out[PiiType.SORT_CODE] = counts["sort"] / n
    out[PiiType.BANK_ACCOUNT] = counts["bank"] / n
    out[PiiType.PASSPORT] = counts["passport"] / n
    card = checked("card", is_payment_card)
    out[PiiType.PAYMENT_CARD] = float(card) / n if card else 0.0
    upn = checked("upn", is_upn, upper=True)
    out[PiiType.UPN] = float(upn) / n if upn else 0.0
    out[PiiType.VEHICLE_REGISTRATION] = counts["vrm"] / n

    return {k: round(v, 6) for k, v in out.items() if v > 0}


# --------------------------------------------------------------------------
# Person names in a column
# --------------------------------------------------------------------------


def person_name_share(series: pl.Series) -> float:
    """Share of non-empty values that look like a person's name.

    A value counts when it is shaped like a name (one to five words of
    letters, apostrophes, hyphens; an optional title such as Mr, Mrs, Dr,
    Cllr), contains no word that marks an organisation or place (Ltd, UK,
    Hospital, Centre, Street, Council, Sainsbury's …), and either starts with a
    title or contains at least one known first name or surname from the
    shipped name lists, which cover the communities of the UK. Values are
    scored on distinct values, lower-cased, inside Polars.
    """

    return distinct_person_name_share(distinct_values(series))


def _apostrophes(expr: pl.Expr) -> pl.Expr:
    """Curly apostrophes and backticks as straight apostrophes."""

    return expr.str.replace_many(["’", "`"], ["'", "'"])


_NAME_SHAPE = r"^(?:\p{L}[\p{L}'\-\.]*\.?)(?:[\s,]+\p{L}[\p{L}'\-\.]*\.?){0,5}$"


def prepare() -> None:
    """Build the name lists and vocabularies the column detectors use, if they are not built yet."""

    _vocabulary_series()
    with contextlib.suppress(ImportError, AttributeError):  # the name lists ship separately
        _name_series()


@functools.cache
def _name_series() -> tuple[pl.Series, pl.Series, pl.Series]:
    """The name lists as Polars series (titles, hard blockers, all names), built once."""

    from community_insights.safety import names as _names

    lists = _names.name_lists()
    return (
        pl.Series(sorted(lists.titles), dtype=pl.Utf8),
        pl.Series(sorted(lists.hard_blockers), dtype=pl.Utf8),
        pl.Series(sorted(lists.all_names), dtype=pl.Utf8),
    )


def distinct_person_name_share(values: pl.DataFrame) -> float:
    """:func:`person_name_share` for a column already reduced by :func:`distinct_values`."""

    n = int(values.get_column("n").sum())
    if n == 0:
        return 0.0
    titles, hard_blockers, all_names = _name_series()
    # A name is letters, apostrophes, hyphens, dots, spaces and commas only: a value with a
    # digit in it cannot have the shape, so it is not lower-cased or matched at all.
    lower = values.filter(~pl.col("s").str.contains_any(list("0123456789"))).select(
        _apostrophes(pl.col("s").str.to_lowercase()).alias("lower"), "n"
    )
    shape = pl.col("lower").str.contains(_NAME_SHAPE) & pl.col("lower").str.contains(r"\p{L}{2}")
    # Only name-shaped values can count, so only they are split into words.
    shaped = lower.filter(shape)
    if shaped.height == 0:
        return 0.0
    tokens = (
        pl.col("lower")
        .str.replace_many([",", "."], [" ", " "])
        .str.split(" ")
        .list.eval(pl.element().filter(pl.element().str.len_chars() > 0))
    )
    frame = shaped.select(tokens.alias("tokens"), "n")
    frame = frame.with_columns(
        pl.col("tokens").list.first().str.strip_chars("'").is_in(titles.implode()).alias("titled"),
        pl.col("tokens")
        .list.eval(pl.element().str.strip_chars("'-").is_in(hard_blockers.implode()))
        .list.any()
        .alias("blocked"),
        pl.col("tokens")
        .list.eval(
            pl.element()
            .str.strip_suffix("'s")
            .str.split("-")
            .list.eval(pl.element().is_in(all_names.implode()))
            .list.any()
        )
        .list.sum()
        .alias("known"),
        pl.col("tokens").list.len().alias("ntok"),
    )
    ok = frame.filter(
        ~pl.col("blocked")
        & (pl.col("ntok") <= 6)
        & ((pl.col("titled") & (pl.col("ntok") >= 2)) | (pl.col("known") >= 1))
    )
    return round(float(ok.get_column("n").sum()) / n, 6)


# --------------------------------------------------------------------------
# Special-category values (ONS census categories and common variants)
# --------------------------------------------------------------------------

_NEUTRAL = {
    "prefer not to say",
    "not known",
    "unknown",
    "not stated",
    "declined",
    "refused",
    "n/a",
    "na",
    "none given",
    "not recorded",
    "information not yet obtained",
    "other",
    "any other",
    "not specified",
}

ETHNICITY_VALUES = {
    # ONS 2021 census, England and Wales (19 categories) + 2011 wording + short forms.
    "white",
    "white british",
    "white: english, welsh, scottish, northern irish or british",
    "white - english, welsh, scottish, northern irish or british",
    "english, welsh, scottish, northern irish or british",
    "white: irish",
    "white irish",
    "white - irish",
    "irish",
    "white: gypsy or irish traveller",
    "gypsy or irish traveller",
    "white - gypsy or irish traveller",
    "gypsy/roma",
    "roma",
    "white: roma",
    "white other",
    "white: other white",
    "any other white background",
    "other white",
    "white - other",
    "white - any other white background",
    "mixed",
    "mixed: white and black caribbean",
    "white and black caribbean",
    "mixed - white and black caribbean",
    "mixed: white and black african",
    "white and black african",
    "mixed - white and black african",
    "mixed: white and asian",
    "white and asian",
    "mixed - white and asian",
    "mixed: other mixed",
    "any other mixed or multiple ethnic background",
    "any other mixed background",
    "other mixed",
    "mixed other",
    "mixed or multiple ethnic groups",
    "asian",
    "asian or asian british",
    "asian british",
    "asian: indian",
    "indian",
    "asian - indian",
    "asian or asian british: indian",
    "asian: pakistani",
    "pakistani",
    "asian - pakistani",
    "asian or asian british: pakistani",
    "asian: bangladeshi",
    "bangladeshi",
    "asian - bangladeshi",
    "asian or asian british: bangladeshi",
    "asian: chinese",
    "chinese",
    "asian - chinese",
    "asian or asian british: chinese",
    "asian: other asian",
    "any other asian background",
    "other asian",
    "asian other",
    "asian - other",
    "black",
    "black british",
    "black, black british, caribbean or african",
    "black, african, caribbean or black british",
    "black: african",
    "african",
    "black african",
    "black - african",
    "black british: african",
    "black: caribbean",
    "caribbean",
    "black caribbean",
    "black - caribbean",
    "black british: caribbean",
    "black: other black",
    "any other black, black british, or caribbean background",
    "any other black background",
    "other black",
    "black other",
    "other ethnic group",
    "other ethnic group: arab",
    "arab",
    "other: arab",
    "other ethnic group: any other ethnic group",
    "any other ethnic group",
    "white scottish",
    "white welsh",
    "white english",
    "white northern irish",
    "polish",
    "white polish",
    "kurdish",
    "somali",
    "turkish",
    "eastern european",
    "white eastern european",
    "latin american",
    "multiple ethnic groups",
}
RELIGION_VALUES = {
    "no religion",
    "none",
    "christian",
    "christianity",
    "catholic",
    "roman catholic",
    "church of england",
    "anglican",
    "methodist",
    "baptist",
    "church of scotland",
    "presbyterian",
    "orthodox",
    "pentecostal",
    "evangelical",
    "buddhist",
    "buddhism",
    "hindu",
    "hinduism",
    "jewish",
    "judaism",
    "muslim",
    "islam",
    "sikh",
    "sikhism",
    "jain",
    "bahai",
    "baha'i",
    "rastafarian",
    "pagan",
    "humanist",
    "atheist",
    "agnostic",
    "any other religion",
    "other religion",
    "religion: other",
    "spiritual",
    "zoroastrian",
}
HEALTH_VALUES = {
    "diabetes",
    "type 1 diabetes",
    "type 2 diabetes",
    "asthma",
    "copd",
    "depression",
    "anxiety",
    "anxiety and depression",
    "schizophrenia",
    "bipolar disorder",
    "bipolar",
    "psychosis",
    "ptsd",
    "dementia",
    "alzheimer's",
    "alzheimer's disease",
    "cancer",
    "hiv",
    "hiv positive",
    "hepatitis c",
    "epilepsy",
    "multiple sclerosis",
    "ms",
    "parkinson's",
    "parkinson's disease",
    "stroke",
    "heart disease",
    "coronary heart disease",
    "hypertension",
    "high blood pressure",
    "arthritis",
    "osteoarthritis",
    "rheumatoid arthritis",
    "chronic pain",
    "fibromyalgia",
    "autism",
    "autistic",
    "asd",
    "adhd",
    "learning disability",
    "learning difficulty",
    "dyslexia",
    "down syndrome",
    "down's syndrome",
    "cerebral palsy",
    "visual impairment",
    "sight loss",
    "blind",
    "hearing impairment",
    "hearing loss",
    "deaf",
    "mobility impairment",
    "wheelchair user",
    "physical disability",
    "mental health condition",
    "mental health",
    "long covid",
    "kidney disease",
    "chronic kidney disease",
    "sickle cell",
    "sickle cell disease",
    "substance misuse",
    "alcohol dependency",
    "alcohol misuse",
    "drug dependency",
    "eating disorder",
    "ocd",
    "personality disorder",
    "self-harm",
    "pregnant",
    "pregnancy",
    "disabled",
    "disability",
    "no disability",
    "not disabled",
    "long-term condition",
    "long term illness",
    "obesity",
    "cystic fibrosis",
    "motor neurone disease",
    "tuberculosis",
}
SEXUAL_ORIENTATION_VALUES = {
    "heterosexual",
    "heterosexual or straight",
    "heterosexual/straight",
    "straight",
    "straight/heterosexual",
    "gay",
    "lesbian",
    "gay or lesbian",
    "gay/lesbian",
    "gay man",
    "gay woman",
    "gay woman/lesbian",
    "bisexual",
    "bi",
    "pansexual",
    "asexual",
    "queer",
    "other sexual orientation",
    "all other sexual orientations",
    "questioning",
    "lgb+",
}
GENDER_VALUES = {
    "male",
    "female",
    "man",
    "woman",
    "m",
    "f",
    "non-binary",
    "nonbinary",
    "non binary",
    "trans man",
    "trans woman",
    "transgender",
    "genderfluid",
    "gender fluid",
    "agender",
    "boy",
    "girl",
    "other gender",
    "in another way",
    "intersex",
}

SPECIAL_CATEGORY_SETS: dict[PiiType, frozenset[str]] = {
    PiiType.ETHNICITY: frozenset(ETHNICITY_VALUES),
    PiiType.RELIGION: frozenset(RELIGION_VALUES),
    PiiType.HEALTH: frozenset(HEALTH_VALUES),
    PiiType.SEXUAL_ORIENTATION: frozenset(SEXUAL_ORIENTATION_VALUES),
    PiiType.GENDER: frozenset(GENDER_VALUES),
}


def _canon(expr: pl.Expr) -> pl.Expr:
    return _apostrophes(expr.str.to_lowercase()).str.replace_all(r"\s+", " ").str.strip_chars(" .")


def special_category_type(value: str) -> PiiType | None:
    """The special category a single value belongs to (ethnicity, religion …), if any."""

    key = " ".join(value.lower().replace("’", "'").split()).strip(" .")
    for pii, values in SPECIAL_CATEGORY_SETS.items():
        if key in values:
            return pii
    return None


def special_category_values(series: pl.Series) -> dict[PiiType, float]:
    """Share of values belonging to each special-category vocabulary.

    Neutral answers ("Prefer not to say", "Unknown", "Other") are left out of
    the denominator because they appear in every such column; a column holding
    only neutral answers scores nothing. Each cell is compared whole, as
    census-style answers are.
    """

    return distinct_special_category_values(distinct_values(series))


@functools.cache
def _vocabulary_series() -> dict[PiiType | None, pl.Series]:
    """Each vocabulary as a Polars series, built once (``None``: the neutral answers)."""

    out: dict[PiiType | None, pl.Series] = {
        pii: pl.Series(sorted(v), dtype=pl.Utf8) for pii, v in SPECIAL_CATEGORY_SETS.items()
    }
    out[None] = pl.Series(sorted(_NEUTRAL), dtype=pl.Utf8)
    return out


def distinct_special_category_values(values: pl.DataFrame) -> dict[PiiType, float]:
    """:func:`special_category_values` for a column already reduced by :func:`distinct_values`."""

    if values.height == 0:
        return {}
    canon = values.select(_canon(pl.col("s")).alias("canon"), "n")
    vocabularies = _vocabulary_series()
    informative = canon.filter(~pl.col("canon").is_in(vocabularies[None].implode()))
    n = int(informative.get_column("n").sum())
    if n == 0:
        return {}
    out: dict[PiiType, float] = {}
    hits_of = informative.select(
        pl.col("n").filter(pl.col("canon").is_in(vocabularies[pii].implode())).sum().alias(pii.value)
        for pii in SPECIAL_CATEGORY_SETS
    ).row(0, named=True)
    for pii in SPECIAL_CATEGORY_SETS:
        hits = int(hits_of[pii.value] or 0)
        if hits:
            out[pii] = round(hits / n, 6)
    return out
