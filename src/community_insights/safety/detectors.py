"""Value-level detectors for UK personal data.

Two faces, one set of rules:

* scalar functions (``is_nhs_number``, ``normalise_postcode`` …) for a single
  value — used by the free-text span finder, the remedies and the tests;
* vectorised functions over a Polars ``Series`` of strings (``value_matches``,
  ``person_name_share``, ``special_category_values``) used to classify whole
  columns. They run as Polars regular expressions over every value (fast, in
  Rust), and any checksum (NHS modulus 11, UPN check letter, Luhn) is computed
  in Python on the *distinct* candidate values only, because a column of a
  million rows seldom holds a million distinct well-formed candidates and the
  checksum is what separates a real NHS number from any ten digits.

Why the rules are UK-specific: general tools such as Presidio have no Royal
Mail postcode rule, switch NI numbers off by default and confuse NHS numbers
with phone numbers. The rules here follow the published formats: NHS Digital's
modulus 11, HMRC's National Insurance number prefixes, Royal Mail's postcode
format, Ofcom's numbering plan (through ``phonenumbers``), DfE's unique pupil
number check letter and DVLA's registration format.
"""

from __future__ import annotations

import datetime as _dt
import ipaddress
import re
from collections.abc import Callable

import polars as pl

from community_insights.safety.types import PiiType

__all__ = [
    "NI_NOT_ALLOWED_PREFIXES",
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
    "special_category_type",
    "special_category_values",
    "upn_check_letter",
    "value_matches",
]

# --------------------------------------------------------------------------
# NHS number (NHS Digital data dictionary: 10 digits, modulus 11 check digit)
# --------------------------------------------------------------------------

_NON_DIGIT = re.compile(r"[\s\-]")


def nhs_check_digit(first_nine: str) -> int | None:
    """Return the modulus 11 check digit for nine digits, or None if none exists.

    Weights run 10 down to 2; a remainder giving 10 means no valid number can
    be made from these nine digits (NHS Digital never issues them).
    """

    if len(first_nine) != 9 or not first_nine.isdigit():
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
    test or placeholder values, so they are refused.
    """

    if not isinstance(value, str):
        return False
    digits = _NON_DIGIT.sub("", value.strip())
    if len(digits) != 10 or not digits.isdigit() or len(set(digits)) == 1:
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
    """Luhn (mod 10) check used by payment cards."""

    if not digits.isdigit():
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
    """True for 13–19 digits from a card scheme's range that pass the Luhn check."""

    if not isinstance(value, str) or not _CARD_RE.match(value.strip()):
        return False
    digits = re.sub(r"[ \-]", "", value)
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
    """Check letter for the 12 characters after it (11 digits + digit or letter)."""

    if len(body) != 12 or not body[:11].isdigit():
        return None
    total = 0
    for weight, ch in enumerate(body, start=2):
        if ch.isdigit():
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
    a time). Returns None for anything else or an impossible date.
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
        return _make(_year(m.group(3)), MONTHS[m.group(2).lower()], int(m.group(1)))
    m = _WORD_DATE_US.match(text)
    if m:
        return _make(int(m.group(3)), MONTHS[m.group(1).lower()], int(m.group(2)))
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
    mapping = {u: parse_uk_date(u) for u in uniques.to_list()}
    return s.replace_strict(mapping, default=None, return_dtype=pl.Date)


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


def _checked_share(candidates: pl.Series, check: Callable[[str], bool], total: int) -> float:
    """Share of ``total`` values that are candidates AND pass ``check``.

    The check runs on distinct candidates only.
    """

    if total == 0 or candidates.len() == 0:
        return 0.0
    uniques = candidates.unique()
    good = [u for u in uniques.to_list() if check(u)]
    if not good:
        return 0.0
    return float(candidates.is_in(pl.Series(good, dtype=pl.Utf8).implode()).sum()) / total


_REPEATED_DIGITS = [str(i) * 10 for i in range(10)]


def _nhs_valid(candidates: pl.Series) -> pl.Series:
    """``is_nhs_number`` for NHS-shaped strings, all at once in Polars (same answers, no Python loop)."""

    digits = candidates.str.replace_all(r"[\s\-]", "")
    frame = pl.DataFrame({"d": digits})
    total = pl.sum_horizontal(pl.col("d").str.slice(i, 1).cast(pl.Int32) * (10 - i) for i in range(9))
    check = 11 - total % 11
    check = pl.when(check == 11).then(0).otherwise(check)
    last = pl.col("d").str.slice(9, 1).cast(pl.Int32)
    ok = (pl.col("d").str.len_chars() == 10) & (check != 10) & (check == last) & ~pl.col("d").is_in(_REPEATED_DIGITS)
    return frame.select(ok.fill_null(False).alias("ok")).get_column("ok")


def value_matches(series: pl.Series) -> dict[PiiType, float]:
    """Share of non-empty values matching each identifier type (0.0–1.0).

    Only types with a share above zero are returned. NHS numbers and UPNs
    count only when their check digit/letter is right, payment cards only when
    the Luhn check holds; phone numbers follow Ofcom's plan and a sample of
    distinct numbers is confirmed with ``phonenumbers``. ``DATE_OF_BIRTH`` here
    means "any date": telling birth dates from other dates needs the range and
    the header, which the column classifier adds.
    """

    s = _strings(series)
    n = s.len()
    out: dict[PiiType, float] = {}
    if n == 0:
        return out
    # Every shape is one expression of a single select, so Polars runs them together
    # (in parallel) instead of one small query per pattern.
    col = pl.col("s")
    upper = col.str.to_uppercase()
    compact = upper.str.replace_all(r"[\s\-.]", "")
    digits_only = col.str.replace_all(r"[\s\-().]", "")
    date_mask = pl.lit(False)
    for pat in _DATE_SHAPES:
        date_mask = date_mask | col.str.contains(pat)
    masks: dict[str, pl.Expr] = {
        "nhs": col.str.contains(_NHS_SHAPE),
        "ni": compact.str.contains(_NI_SHAPE) & ~compact.str.slice(0, 2).is_in(list(NI_NOT_ALLOWED_PREFIXES)),
        "postcode": upper.str.replace_all(r"\s", "").str.contains(_POSTCODE_SHAPE),
        "phone": digits_only.str.contains(_PHONE_SHAPE) & col.str.contains(r"^[+(]?[\d\s().\-]+$"),
        "email": col.str.contains(_EMAIL_SHAPE),
        "date": date_mask,
        "ip4": col.str.contains(_IPV4_SHAPE),
        "ip6": col.str.contains(_IPV6_SHAPE) & col.str.contains(":"),
        "sort": col.str.contains(r"^\d{2}[\- ]\d{2}[\- ]\d{2}$"),
        "bank": col.str.contains(r"^\d{8}$"),
        "passport": col.str.contains(r"^\d{9}$"),
        "card": col.str.contains(_CARD_SHAPE),
        "upn": upper.str.contains(_UPN_SHAPE),
        "vrm": upper.str.contains(_VRM_SHAPE),
    }
    frame = pl.DataFrame({"s": s})
    row = frame.select(*(m.sum().alias(k) for k, m in masks.items())).row(0, named=True)
    counts = {k: int(v or 0) for k, v in row.items()}

    def candidates(key: str, expr: pl.Expr = col) -> pl.Series:
        return frame.filter(masks[key]).select(expr.alias("s")).get_column("s")

    # NHS number: shape then modulus 11.
    out[PiiType.NHS_NUMBER] = float(_nhs_valid(candidates("nhs")).sum()) / n if counts["nhs"] else 0.0
    out[PiiType.NI_NUMBER] = counts["ni"] / n
    out[PiiType.POSTCODE] = counts["postcode"] / n

    phone_share = counts["phone"] / n
    if phone_share:
        cands = candidates("phone").unique()
        if cands.len() > PHONE_VALIDATION_SAMPLE:
            cands = cands.sample(PHONE_VALIDATION_SAMPLE, seed=0)
        # Every candidate already fits the Ofcom plan, so the compiled-metadata fast path gives
        # phonenumbers' own answer (tested side by side) about 50 times faster than a full parse.
        from community_insights.safety.text import _phone_ok

        values = cands.to_list()
        confirmed = sum(1 for v in values if _phone_ok(v)) / len(values)
        phone_share *= confirmed
    out[PiiType.PHONE] = phone_share

    out[PiiType.EMAIL] = counts["email"] / n
    out[PiiType.DATE_OF_BIRTH] = counts["date"] / n
    ip6 = _checked_share(candidates("ip6"), is_ip_address, n) if counts["ip6"] else 0.0
    out[PiiType.IP_ADDRESS] = counts["ip4"] / n + ip6
    out[PiiType.SORT_CODE] = counts["sort"] / n
    out[PiiType.BANK_ACCOUNT] = counts["bank"] / n
    out[PiiType.PASSPORT] = counts["passport"] / n
    card = _checked_share(candidates("card"), is_payment_card, n) if counts["card"] else 0.0
    out[PiiType.PAYMENT_CARD] = card
    upn = _checked_share(candidates("upn", upper), is_upn, n) if counts["upn"] else 0.0
    out[PiiType.UPN] = upn
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

    from community_insights.safety import names as _names

    s = _strings(series)
    n = s.len()
    if n == 0:
        return 0.0
    lists = _names.name_lists()
    counts = s.value_counts(name="__n")
    vals = counts.get_column(counts.columns[0])
    lower = vals.str.to_lowercase().str.replace_all(r"[’`]", "'")
    shape = lower.str.contains(r"^(?:\p{L}[\p{L}'\-\.]*\.?)(?:[\s,]+\p{L}[\p{L}'\-\.]*\.?){0,5}$") & lower.str.contains(
        r"\p{L}{2}"
    )
    tokens = (
        lower.str.replace_all(r"[,\.]", " ")
        .str.split(" ")
        .list.eval(pl.element().filter(pl.element().str.len_chars() > 0))
    )
    frame = pl.DataFrame({"tokens": tokens, "shape": shape, "n": counts.get_column("__n")})
    titles = list(lists.titles)
    frame = frame.with_columns(
        pl.col("tokens").list.first().str.strip_chars("'").is_in(titles).alias("titled"),
        pl.col("tokens")
        .list.eval(pl.element().str.strip_chars("'-").is_in(list(lists.hard_blockers)))
        .list.any()
        .alias("blocked"),
        pl.col("tokens")
        .list.eval(
            pl.element()
            .str.replace(r"'s$", "")
            .str.split("-")
            .list.eval(pl.element().is_in(list(lists.all_names)))
            .list.any()
        )
        .list.sum()
        .alias("known"),
        pl.col("tokens").list.len().alias("ntok"),
    )
    ok = frame.filter(
        pl.col("shape")
        & ~pl.col("blocked")
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
    return expr.str.to_lowercase().str.replace_all(r"[’`]", "'").str.replace_all(r"\s+", " ").str.strip_chars(" .")


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

    s = _strings(series)
    if s.len() == 0:
        return {}
    canon = pl.select(_canon(pl.lit(s))).to_series()
    informative = canon.filter(~canon.is_in(list(_NEUTRAL)))
    n = informative.len()
    if n == 0:
        return {}
    out: dict[PiiType, float] = {}
    for pii, values in SPECIAL_CATEGORY_SETS.items():
        hits = int(informative.is_in(list(values)).sum())
        if hits:
            out[pii] = round(hits / n, 6)
    return out
