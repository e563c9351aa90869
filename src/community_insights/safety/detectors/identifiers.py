"""Rules for single UK identifiers: NHS, NI and unique pupil numbers, postcodes, emails, IP
addresses, bank details, payment cards, passports and vehicle marks.

Why a module of their own: each rule follows one published format (NHS Digital's modulus 11,
HMRC's National Insurance prefixes, Royal Mail's postcode format, DfE's check letter, DVLA's
registration format), and the column detectors, the free-text span finder, the remedies and
the test data generator all share these same rules and the patterns they are built from.
"""

from __future__ import annotations

import ipaddress
import re
import unicodedata

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
NI_FIRST_LETTERS = "ABCEGHJKLMNOPRSTWXYZ"
NI_SECOND_LETTERS = "ABCEGHJKLMNPRSTWXYZ"
_NI_RE = re.compile(rf"^[{NI_FIRST_LETTERS}][{NI_SECOND_LETTERS}]\d{{6}}[A-D]$")
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
OUTWARD_PATTERN = rf"(?:[{_P1}][0-9]{{1,2}}|[{_P1}][{_P2}][0-9]{{1,2}}|[{_P1}][0-9][{_P3}]|[{_P1}][{_P2}][0-9][{_P4}])"
INWARD_PATTERN = rf"[0-9][{_IN}]{{2}}"
POSTCODE_PATTERN = rf"(?:{OUTWARD_PATTERN} ?{INWARD_PATTERN}|GIR ?0AA)"
_POSTCODE_RE = re.compile(rf"^({OUTWARD_PATTERN}|GIR)({INWARD_PATTERN}|0AA)$")
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
#: The issuer identification ranges the card schemes publish: Visa 4; Mastercard 51–55 and 2221–2720;
#: Maestro 50, 56–58, 63, 67 (5018, 5020, 5038, 5893, 6304, 6759, 676x …); Mir 2200–2204; American
#: Express 34, 37; Diners Club 300–305, 3095, 36, 38, 39; JCB 3528–3589, and its older 15-digit ranges
#: 1800 and 2131; Discover 6011, 644–649, 65; UnionPay 62; RuPay 60, 81, 82; Troy 9792.
_CARD_PREFIX = re.compile(
    r"^(?:4|5[0-8]|2(?:22[1-9]|2[3-9]|[3-6]|7[01]|720|20[0-4])|3[47]|30[0-5]|3095|3[689]|35(?:2[89]|[3-8])"
    r"|1800|2131|6(?:011|4[4-9]|5|2|0|3|7)|8[12]|9792)"
)


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
