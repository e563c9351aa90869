"""Identifiers that the layout of a written record gives away, whatever the words in it.

Why a module of its own: the street-word rules (``identifiers``, ``context``)
know an address by its street word ("Road", "Wynd"), and a card or a sort
code by its exact scheme. Records written by other systems break those
assumptions in ways that are still plainly personal data to a reader:

* **An address is a house number, some words and a postcode**, whatever the
  street is called. Royal Mail's addressing guidance puts the postcode last,
  after the premises, the thoroughfare and the post town, so "Flat 4, Harris
  Trafficway, West Helenmouth, B8F 8BE" is an address even though
  "Trafficway" is no street type on any UK list. Everything from the house
  number to the postcode is the address; the postcode keeps its own span.
* **A sort code is NN-NN-NN near a banking word** ("account", "bank",
  "IBAN", "BACS", "payee", "routing" …), not only after the words "sort
  code": payment details are often laid out as "Bank: … | 20-00-00 |
  12345678".
* **A card number after a card label** ("Card:", "CC", "Maestro", "my card number is") that
  passes the Luhn check is a card number at any of the lengths the schemes
  issue (12 to 19 digits: Maestro issues 12), even in a range not listed.
* **A number written as a UK phone number is one**: after "+44" (with or
  without the "(0)" that UK stationery puts in), or with its area code in
  brackets ("(01632) 960 298"), the writing says it is meant to be dialled,
  even in a range the numbering plan keeps for drama or has not allocated.
* **A date of birth in a delimited record.** A row of fields (commas, pipes,
  tabs or semicolons) that holds at least two of a person's identifiers (an
  email, a phone, an NI or NHS number, a postcode, a card) identifies that
  person, and a field holding nothing but a date is their date of birth: the
  one date every person record carries, and the earliest when there are
  several ("Smith,John,12/03/1956,LS6 2AB,…").
* **Not a card:** digits inside an IBAN ("FR74 5513 6254 …"), and a
  fifteen-digit device number (an IMEI also carries a Luhn digit).
"""

from __future__ import annotations

import datetime as _dt
import re

from community_insights.safety.detectors.dates import MONTH_NAMES_PATTERN, parse_uk_date
from community_insights.safety.detectors.identifiers import luhn_valid
from community_insights.safety.types import PiiType

__all__ = [
    "after_card_label",
    "banking_context",
    "banking_word_near",
    "card_grouping",
    "fills_a_field",
    "inside_iban",
    "is_device_number",
    "postcode_address",
    "record_birth_date",
    "written_as_phone",
]

# -- an address: house number, words, postcode -------------------------------------------------
_UNIT = r"(?:flat|apartment|apt|unit|studio|suite|room|maisonette|block)\.?\s?\d{1,4}[A-Za-z]?,?\s+"
_HOUSE = r"\d{1,4}[A-Za-z]?,?\s+"
#: Words that never start the street after a number ("12 March", "3 minutes", "2 people").
_NOT_FIRST = (
    rf"(?:{MONTH_NAMES_PATTERN}|minutes?|mins?|hours?|days?|weeks?|months?|years?|times?|people|children|miles?|"
    r"pounds?|calls?|visits?|nights?|of|to|for|and|or|a|an|at|in|on|by|with|from)\b"
)
#: Small words inside place and street names ("Newcastle upon Tyne", "Heol y Bont", "Bury St Edmunds").
_PARTICLE = r"(?:upon|on|under|next|the|of|in|by|le|la|de|du|y|yr|super|cum|&)"
_CAPITAL = r"[A-ZÀ-Þ][\w'’.\-]*"
_LOWER = r"[a-zà-þ][\w'’.\-]*"
#: What a word of a lower-case address never is: the joining words of a sentence ("paid 20 to john, ls1 1aa").
_NOT_LOWER = (
    r"(?:to|from|for|at|with|and|or|is|was|are|were|has|had|have|will|would|said|says|told|asked|paid|gave|"
    r"about|because|but|then|that|this|who|which|when|while|after|before|since|until|via|per|not|no|yes)\b"
)
#: A flat or house number on a later line ("207 Heol Isaf / Apartment 12 / Belfast").
_NUMBER = r"\d{1,4}[A-Za-z]?\b"
#: Labels that stand between fields of a record, never inside an address ("flat 4, postcode b11 1ta").
_LABEL = r"(?!(?i:post\s?code|tel|phone|mobile|email|e-mail|dob|ref|nhs|ni)\b)"
_SEP = r"(?:\s*,\s*|\s*\n\s*|[ \t]+)"
_MIXED = re.compile(
    rf"(?<![\w£$€.])(?:(?i:{_UNIT})(?:{_HOUSE})?|{_HOUSE})(?!(?i:{_NOT_FIRST})){_LABEL}{_CAPITAL}"
    rf"(?:{_SEP}{_LABEL}(?:{_CAPITAL}|{_PARTICLE}|{_NUMBER})){{0,8}}{_SEP}?$"
)
_ONE_CASE = re.compile(
    rf"(?<![\w£$€.])(?:(?i:{_UNIT})(?:{_HOUSE})?|{_HOUSE})(?!(?i:{_NOT_FIRST})){_LABEL}(?!{_NOT_LOWER}){_LOWER}"
    rf"(?:{_SEP}{_LABEL}(?:(?!{_NOT_LOWER}){_LOWER}|{_NUMBER})){{0,8}}{_SEP}?$"
)
_WINDOW = 160


def postcode_address(text: str, postcode_start: int) -> tuple[int, int] | None:
    """The address that ends at the postcode starting at ``postcode_start``: (start, end), or None.

    The words between the house number and the postcode must be capitalised
    (or small words of place names); when the postcode is written in lower
    case, so may they be, but not the joining words of a sentence. The span
    ends at the last word before the postcode, so the postcode keeps its own.
    """

    lo = max(0, postcode_start - _WINDOW)
    window = text[lo:postcode_start]
    lower = text[postcode_start : postcode_start + 2].islower()
    tail = window.rstrip(" \t\n,")
    head = tail[max(tail.rfind(" "), tail.rfind("\n"), tail.rfind(","), tail.rfind("\t")) + 1 :][:1]
    if not head or not (lower or head.isupper() or head.isdigit()):
        return None  # "postcode LS6 2AB", "in LS6 2AB": no address ends in a small word
    rx = _ONE_CASE if lower else _MIXED
    m = rx.search(text, lo, postcode_start)  # the look-behind still sees the text before the window
    if m is None:
        return None
    end = lo + len(tail)
    return (m.start(), end) if end > m.start() else None


# -- banking words around a sort code -----------------------------------------------------------
_BANKING = re.compile(
    r"\b(?:sort\s*code|s/c|bank|banking|account|acct|acc|a/c|iban|swift|bic|bacs|chaps|payee|routing|branch|"
    r"building society|direct debit|standing order)\b",
    re.IGNORECASE,
)
#: Words that put a date, not a sort code, in NN-NN-NN ("opened on 12-03-19", "expires 01-05-27").
_DATE_CUE = re.compile(
    r"\b(?:d\.?o\.?b|born|date|dated|on|from|until|since|opened|closed|expires?|expiry|by)\W{0,3}$", re.IGNORECASE
)


def banking_context(text: str, start: int, end: int, width: int = 40) -> bool:
    """A banking word within ``width`` characters, and no date word just before the number."""

    if _DATE_CUE.search(text[max(0, start - 12) : start]):
        return False
    return banking_word_near(text, start, end, width)


def banking_word_near(text: str, start: int, end: int, width: int = 40) -> bool:
    """A banking word within ``width`` characters before ``start`` or after ``end``."""

    return bool(_BANKING.search(text[max(0, start - width) : start]) or _BANKING.search(text[end : end + width]))


# -- card labels, IBANs, device numbers ---------------------------------------------------------
_CARD_LABEL = re.compile(
    r"\b(?:card|cc|pan|visa|mastercard|maestro|amex|jcb|diners)\b(?:\s*(?:no|num|number)\b\.?)?"
    r"(?:\s+(?:is|was|reads))?[\s:#=\-]{0,4}$",
    re.IGNORECASE,
)
_IBAN_HEAD = re.compile(r"\b[A-Z]{2}\d{2}[ ]?(?:[A-Z0-9]{4}[ ]?)*$")
_DEVICE_LABEL = re.compile(r"\b(?:imei|device|handset|serial)\b(?:\s*(?:no|num|number|id)\b\.?)?[\s:#=\-]{0,4}$", re.I)


def after_card_label(text: str, start: int, digits: str) -> bool:
    """A Luhn-valid number of 12 to 19 digits just after a card label."""

    return 12 <= len(digits) <= 19 and luhn_valid(digits) and bool(_CARD_LABEL.search(text[max(0, start - 24) : start]))


_CARD_GROUP_SEPARATOR = re.compile(r"[ \-]")


def card_grouping(raw: str) -> bool:
    """Digits written the way card numbers are: unbroken, or in the groups printed on cards.

    Cards print their number as 4-4-4-4 (with a last group of up to four more digits on
    19-digit cards), 4-6-5 (American Express) or 4-6-4 (Diners Club). A run of numbers split
    every two or three digits is something else: a chart's axis ticks ("15 20 25 30 35 40 45"),
    a list of ages or counts. Such a run can pass the Luhn check by chance (one time in ten).
    """

    groups = _CARD_GROUP_SEPARATOR.split(raw)
    if len(groups) == 1:
        return True
    sizes = [len(g) for g in groups]
    if sizes[0] != 4 or not 1 <= sizes[-1] <= 5:
        return False
    middle = sizes[1:-1]
    return all(size == 4 for size in middle) or middle == [6]


def inside_iban(text: str, start: int) -> bool:
    """The digits continue an IBAN (country letters, check digits, then groups of four)."""

    return bool(_IBAN_HEAD.search(text[max(0, start - 40) : start]))


def is_device_number(text: str, start: int, digits: str) -> bool:
    """Fifteen digits after a device label: an IMEI (which has a Luhn digit too), not a card."""

    return len(digits) == 15 and bool(_DEVICE_LABEL.search(text[max(0, start - 24) : start]))


# -- numbers written as phone numbers -----------------------------------------------------------
_INTERNATIONAL = re.compile(r"^(?:\+44|0044)[ \-]?(?:\(0\)[ \-]?)?\(?[1-357-9]")
_BRACKETED_AREA = re.compile(r"^\(0[1-357-9]\d{1,3}\)")


def written_as_phone(raw: str) -> bool:
    """``+44``/``0044`` (optionally with "(0)") or a bracketed area code, then a UK-length number."""

    if not (_INTERNATIONAL.match(raw) or _BRACKETED_AREA.match(raw)):
        return False
    digits = re.sub(r"\D", "", raw.replace("(0)", ""))
    national = digits[2:] if digits.startswith("44") and not raw.startswith("(") else digits[1:]
    if raw.startswith("0044"):
        national = digits[4:]
    return len(national) in (9, 10)


# -- a date of birth in a delimited record ------------------------------------------------------
_FIELD_BEFORE = re.compile(r"(?:^|[,|\t;])[ \t]*$")
_FIELD_AFTER = re.compile(r"[ \t]*(?:$|[,|\t;\r\n])")
_RECORD_SEPARATOR = re.compile(r"[,|\t;]")
#: Identifiers that make a row a person's record.
RECORD_TYPES = frozenset(
    {PiiType.EMAIL, PiiType.PHONE, PiiType.NI_NUMBER, PiiType.NHS_NUMBER, PiiType.POSTCODE, PiiType.PAYMENT_CARD}
)


def fills_a_field(text: str, start: int, end: int) -> bool:
    """Does ``text[start:end]`` fill a field of a delimited row on its own (commas, pipes, tabs, semicolons)?"""

    line_start = text.rfind("\n", 0, start) + 1
    return bool(_FIELD_BEFORE.search(text, line_start, start) and _FIELD_AFTER.match(text, end))


def record_birth_date(text: str, dates: list[tuple[int, int, str]], identifiers: int) -> tuple[int, int] | None:
    """The earliest past date that fills a field of its own, in a row with two or more identifiers.

    ``dates`` are (start, end, raw) date matches in ``text``; ``identifiers``
    counts the spans of :data:`RECORD_TYPES` already found in it.
    """

    if identifiers < 2 or not _RECORD_SEPARATOR.search(text):
        return None
    today = _dt.date.today()
    best: tuple[_dt.date, int, int] | None = None
    for start, end, raw in dates:
        if not fills_a_field(text, start, end):
            continue
        when = parse_uk_date(raw)
        if when is not None and when < today and (best is None or when < best[0]):
            best = (when, start, end)
    return None if best is None else (best[1], best[2])
