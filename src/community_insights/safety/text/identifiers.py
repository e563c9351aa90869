"""Identifiers found by rule inside free text: NHS and NI numbers, postcodes, phone numbers,
emails, cards, bank details and IBANs, handles, dates of birth, street addresses.

Why a module of its own: this is the first layer of the span finder, all regular expressions
and checksums, gated batch by batch in Polars so the slower Python patterns only run over
notes that could hold a match. The formats themselves come from the detectors, shared with
the column checks.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

import polars as pl

from community_insights.safety import detectors as d
from community_insights.safety.detectors.dates import MONTH_NAMES_PATTERN
from community_insights.safety.detectors.identifiers import INWARD_PATTERN, OUTWARD_PATTERN
from community_insights.safety.detectors.phones import NOT_DIGIT_PLUS, PHONE_PLAN, phone_ok
from community_insights.safety.names import name_lists
from community_insights.safety.text.online import (
    HANDLE_GATE,
    IBAN_GATE,
    USERNAME_GATE,
    handle_spans,
    iban_spans,
    username_spans,
    without_overlaps,
)
from community_insights.safety.text.outside_rules import (
    BRACKET_BIRTH_GATE,
    PLATE_SHAPE,
    birth_cue_after,
    bracketed_birth,
    card_outside_ranges,
    plate_in_context,
)
from community_insights.safety.text.records import (
    RECORD_TYPES,
    after_card_label,
    banking_context,
    card_grouping,
    inside_iban,
    is_device_number,
    postcode_address,
    record_birth_date,
    written_as_phone,
)
from community_insights.safety.types import PiiType

_B = r"(?<![\w@])"  # left boundary: not inside a word or an email
_E = r"(?![\w@])"
# The same, but an underscore counts as a separator, not as part of a word. File names and
# export keys glue an identifier to its neighbours with underscores ("P60_AB123456C.pdf",
# "ni_ab123456c_p60.pdf", "NHS_4857773457.pdf"), and to a regular expression an underscore
# is a word character, so ``\b`` or ``\w`` would hide the number. Used for the NI and NHS
# rules, whose checks (HMRC prefixes, modulus 11) keep a stray code out; a letter or digit
# beside the number still makes it part of a longer code ("REFAB123456C9").
_B_US = r"(?<![^\W_])(?<!@)"
_E_US = r"(?![^\W_])(?!@)"

_RX_EMAIL = re.compile(rf"{_B}{d.EMAIL_PATTERN}(?![\w])")
# An address spelt out for a human reader: "jane.doe at gmail dot com", "a.khan(at)nhs.net",
# "j [at] leeds [dot] gov [dot] uk". It leaks as much as the written form. The bracketed
# forms are never anything else. The bare " at " form needs an email word just before it
# ("email is …", "e: …"), because "booked at eventbrite.co.uk" is not an address, and a
# mailbox that is not a plain English word ("emailed her at home.uk" is not one either).
_SPOKEN_AT = r"(?:\s+at\s+|\s*[(\[{]at[)\]}]\s*)"
_SPOKEN_DOT = r"(?:\.|\s*[(\[{]dot[)\]}]\s*|\s+dot\s+)"
_SPOKEN_TLD = r"(?:com|org|net|uk|gov|edu|info|biz|io|me|ie|eu|wales|scot|cymru|london)"
_SPOKEN_WORD = r"[a-z0-9][a-z0-9._%+'\-]*"
_SPOKEN_LABEL = r"[a-z0-9](?:[a-z0-9\-]*[a-z0-9])?"
_RX_SPOKEN_EMAIL = re.compile(
    rf"{_B}({_SPOKEN_WORD}(?:\s+dot\s+{_SPOKEN_WORD})*)({_SPOKEN_AT})"
    rf"((?:{_SPOKEN_LABEL}{_SPOKEN_DOT})+{_SPOKEN_TLD})(?!\w)(?!\.\w)",
    re.IGNORECASE,
)
_EMAIL_WORD = re.compile(r"\be-?mail|(?<!\w)e:", re.IGNORECASE)
# Ten digits as 3-3-4 with spaces, dashes or nothing between, or dotted (943.476.5919).
_NHS_SHAPE = r"\d{3}(?:[ \-]?\d{3}[ \-]?|\.\d{3}\.)\d{4}"
#: The pattern as read; :data:`_RX_DIGIT10` is the same pattern written so that Python's engine skips
#: ahead to digits. Its boundaries come after the first digit, each extended by that digit (a lookbehind
#: of fixed width that ends in the digit just read says the same of the place before it), because a
#: pattern that opens with a lookbehind is tried at every character. ``tests/safety/test_text_speed_rules.py``
#: checks that both find the same spans.
DIGIT10_AS_READ = rf"{_B_US}(?<!\d\.){_NHS_SHAPE}{_E_US}(?!\.\d)"
_RX_DIGIT10 = re.compile(
    rf"\d(?<![^\W_]\d)(?<!@\d)(?<!\d\.\d)\d{{2}}(?:[ \-]?\d{{3}}[ \-]?|\.\d{{3}}\.)\d{{4}}{_E_US}(?!\.\d)"
)
# Ten digits after +44 or 0044 are a phone number whatever their checksum.
_PHONE_BEFORE = re.compile(r"(?:\+44|0044)[ \-]?(?:\(0\)[ \-]?)?$")
# A ten-digit number introduced as another scheme's number is not an NHS number even when
# its check digit happens to work out (one in eleven do): "Invoice 2023915031", "Order no.
# …", "Council tax account …", "Case ref …", an HMRC taxpayer reference ("UTR …"). Only
# labels naming another scheme count: a bare "ref" or "no." could introduce an NHS number,
# and missing one costs more than masking an invoice number.
# Underscores join the label to the number in file names ("invoice_2023915031.pdf",
# "case_ref_9434765919.pdf") and count as spaces here.
_REF_WORD = r"(?:no|num|number|ref|reference|id)(?![^\W_])\.?"
_NOT_NHS_BEFORE = re.compile(
    r"(?<!nhs )(?<!nhs_)(?<![^\W_])"
    r"(?:(?:order|invoice|inv|tracking|booking|ticket|policy|receipt|transaction|account|acct|a/c|utr)"
    rf"\.?(?:[\s_]*{_REF_WORD})?|(?:case|claim)[\s_]*{_REF_WORD})[\s_]*[:#=\-]?[\s_]*$",
    re.IGNORECASE,
)
#: The pattern as read; :data:`_RX_PHONE` is the same written so that Python's engine skips ahead to a
#: "+", "0" or "(": each alternative opens with its first character and checks the boundary after it.
PHONE_AS_READ = rf"{_B}(?:\+44[ \-]?(?:\(0\)[ \-]?)?|0044[ \-]?|\(?0)\d{{2,4}}\)?(?:[ \-]?\d){{6,8}}{_E}"
_RX_PHONE = re.compile(
    r"(?:\+(?<![\w@]\+)44[ \-]?(?:\(0\)[ \-]?)?|0(?<![\w@]0)044[ \-]?|\((?<![\w@]\()0|0(?<![\w@]0))"
    rf"\d{{2,4}}\)?(?:[ \-]?\d){{6,8}}{_E}"
)
# NI numbers as typed: "AB123456C", "AB 12 34 56 C", "AB 123456 C", "AB 123 456 C" (the six
# digits in two threes, as people group any six digits), and with dashes for spaces
# ("AB-12-34-56-C", "AB-123456-C"), glued into file names by underscores.
_NI_GAP = r"[ \-]?"
_NI_SHAPE = (
    rf"[A-Za-z]{{2}}{_NI_GAP}(?:\d{{2}}{_NI_GAP}\d{{2}}{_NI_GAP}\d{{2}}|\d{{3}}{_NI_GAP}\d{{3}}){_NI_GAP}[A-Da-d]"
)
_RX_NI = re.compile(rf"{_B_US}{_NI_SHAPE}{_E_US}")
# A number written with dashes and joined by another dash to a letter or digit is one group
# of a longer dashed code ("AB-12-34-56-C-01", "X1-AB-123456-C"), where the dashes are the
# code's own separators. A number without dashes keeps a dash beside it as a plain
# separator ("P60-AB123456C.pdf").
_DASH_GLUE_AFTER = re.compile(r"-[^\W_]")
_DASH_GLUE_BEFORE = re.compile(r"[^\W_]-")
# … except a National Insurance label glued on the same way ("NI-AB-12-34-56-C"): there the
# dash joins the label to the number, as in "NI-AB123456C".
_NI_LABEL_GLUED = re.compile(r"(?i)(?:^|[^\w])(?:ni|nin|nino)-$")
# Up to two spaces between the halves: "LS6  2AB" is a common slip in typed addresses.
_RX_POSTCODE = re.compile(rf"{_B}(?:{OUTWARD_PATTERN} {{0,2}}{INWARD_PATTERN}|GIR {{0,2}}0AA){_E}", re.IGNORECASE)
# "off the A6 2nd exit", "M6 1st junction": a road and an ordinal, not a postcode. An
# inward code written as a lower-case ordinal is taken for the ordinal.
_ORDINAL_INWARD = frozenset({"0th", "1st", "2nd", "3rd", "4th", "5th", "6th", "7th", "8th", "9th"})
# Only an outward code that is also a road number (A, B or M and digits) reads as a road: "sl1 7th" is a postcode.
_ROAD = re.compile(r"[ABMabm]\d{1,4}\W")
_RX_IPV4 = re.compile(rf"{_B}{d.IPV4_PATTERN}(?!\w)(?!\.\d)")
# 12 to 19 digits: Maestro issues 12-digit cards (counted only after a card label, see records.py).
_RX_CARD = re.compile(rf"{_B}(?:\d[ \-]?){{11,18}}\d{_E}")
_RX_UPN = re.compile(rf"{_B}[A-HJ-NP-RT-Z]\d{{11}}[0-9A-HJ-NP-RT-Z]{_E}")
# Every plate-shaped run; outside_rules decides (one DVLA could issue, or any after a vehicle word).
_RX_VRM = re.compile(rf"{_B}{PLATE_SHAPE}{_E}")
_RX_SORT = re.compile(rf"{_B}\d{{2}}[\- ]\d{{2}}[\- ]\d{{2}}{_E}")
_RX_ACCOUNT = re.compile(rf"{_B}\d{{8}}{_E}")
_RX_PASSPORT = re.compile(rf"{_B}\d{{9}}{_E}")
_RX_DATE = re.compile(
    rf"{_B}(?:\d{{1,2}}[/\-.]\d{{1,2}}[/\-.](?:\d{{4}}|\d{{2}})|\d{{4}}-\d{{2}}-\d{{2}}"
    rf"|\d{{1,2}}(?:st|nd|rd|th)?[ \-](?:{MONTH_NAMES_PATTERN})\.?,?[ \-](?:\d{{4}}|\d{{2}}))(?![\w/])",
    re.IGNORECASE,
)
_DOB_CONTEXT = re.compile(r"(?:\bd\.?o\.?b\b|\bborn\b|date of birth|\bbirthday\b|\bb\.)", re.I)
_SORT_CONTEXT = re.compile(r"sort\s*code|\bs/c\b", re.I)
_ACCOUNT_CONTEXT = re.compile(r"\bacc(?:oun)?t\b|\ba/c\b|\bacc\b\.?|\bbank\b", re.I)
_PASSPORT_CONTEXT = re.compile(r"passport", re.I)
# An account a council or landlord keeps for a person ("Council Tax account 40012345", "rent
# account no. 10293847", "Housing Benefit claim reference"): eight digits after it are that
# body's reference to the person, not a bank account, so they are a SYSTEM_ID (still redacted).
_REFERENCE_ACCOUNT = re.compile(
    r"(?:council\s+tax|business\s+rates?|non[\s\-]domestic\s+rates?|rent|housing\s+benefit|tenancy)"
    r"(?:\s+(?:reduction|support))?\s+(?:acc(?:oun)?t|a/c)\.?(?:\s+(?:no\.?|number|ref(?:erence)?))?\s*[:#]?\s*$",
    re.I,
)
_STREET_WORDS = (
    "Street|St|Road|Rd|Avenue|Ave|Lane|Close|Way|Drive|Court|Crescent|Gardens|Place|"
    "Square|Terrace|Grove|Walk|Row|Mews|Parade|Hill|View|Rise|Green|Park|Estate|Vale"
)
ADDRESS_AS_READ = (
    rf"(?:\b(?:Flat|Apartment|Apt)\.? ?\d+[A-Za-z]?,? )?\b\d{{1,4}}[A-Za-z]?,? "
    rf"(?:[A-Z][a-z'’]+ ){{1,3}}(?:{_STREET_WORDS})\b"
)
#: A match starts with "F", "A" or a digit; saying so first lets Python's engine pass every other character.
_RX_ADDRESS = re.compile(rf"(?=[FA\d]){ADDRESS_AS_READ}")


_ANY_DIGIT = re.compile(r"\d")
_NOT_DIGIT = re.compile(r"\D")


# Batch gates. Polars runs a lookaround-free version of each pattern (a
# superset of what the Python pattern can match) over the whole batch in
# Rust, so the Python patterns, which scan slowly, only run over notes that
# could hold a match. Keyword rules are gated on their keyword the same way.
_G_EMAIL = 1 << 0
_G_NHS = 1 << 1
_G_PHONE = 1 << 2
_G_NI = 1 << 3
_G_POSTCODE = 1 << 4
_G_IPV4 = 1 << 5
_G_CARD = 1 << 6
_G_UPN = 1 << 7
_G_VRM = 1 << 8
_G_SORT = 1 << 9
_G_ACCOUNT = 1 << 10
_G_PASSPORT = 1 << 11
_G_DATE = 1 << 12
_G_ADDRESS = 1 << 13
_G_SPOKEN_EMAIL = 1 << 14
_G_RECORD_DATE = 1 << 15
_G_IBAN = 1 << 16
_G_HANDLE = 1 << 17
_G_USERNAME = 1 << 18
_G_BRACKET_BIRTH = 1 << 19
ALL_GATES = (1 << 20) - 1
_BANKING_GATE = (
    r"(?i)sort|s/c|bank|acc|a/c|iban|swift|bic|bacs|chaps|payee|routing|branch|direct debit|standing order"
    r"|building soc"
)
_FIELD_DATE_GATE = (
    r"(?im)(?:^|[,|\t;])[ \t]*(?:\d{1,2}[/\-.]\d{1,2}[/\-.]\d{2}|\d{4}-\d{2}-\d{2}"
    rf"|\d{{1,2}}(?:st|nd|rd|th)?[ \-](?:{MONTH_NAMES_PATTERN}))"
)
_GATE_PATTERNS: tuple[tuple[int, tuple[str, ...]], ...] = (
    (_G_EMAIL, (d.EMAIL_PATTERN,)),
    (_G_NHS, (_NHS_SHAPE,)),
    (_G_PHONE, (r"(?:\+44[ \-]?(?:\(0\)[ \-]?)?|0044[ \-]?|\(?0)\d{2,4}\)?(?:[ \-]?\d){6,8}",)),
    (_G_NI, (_NI_SHAPE,)),
    (_G_POSTCODE, (rf"(?i)(?:{OUTWARD_PATTERN} {{0,2}}{INWARD_PATTERN}|GIR {{0,2}}0AA)",)),
    (_G_IPV4, (d.IPV4_PATTERN,)),
    # 13 to 19 digits, or 12 after a card label (Maestro): "+44 7700 900077" has twelve digits too
    (_G_CARD, (r"(?:\d[ \-]?){12,18}\d|(?i:card|cc|pan|maestro)[^\d]{0,12}(?:\d[ \-]?){11}\d",)),
    (_G_UPN, (r"[A-HJ-NP-RT-Z]\d{11}[0-9A-HJ-NP-RT-Z]",)),
    (_G_VRM, (PLATE_SHAPE,)),
    (_G_SORT, (r"\d{2}[\- ]\d{2}[\- ]\d{2}", _BANKING_GATE)),
    (_G_ACCOUNT, (r"\d{8}", r"(?i)acc|a/c|bank")),
    (_G_PASSPORT, (r"\d{9}", r"(?i)passport")),
    (_G_DATE, (r"\d", r"(?i)d\.?o\.?b|born|date of birth|birthday|b\.")),
    (_G_ADDRESS, (r"\d", rf" (?:{_STREET_WORDS})")),
    # "at" with a domain straight after it: " at gmail.", " at leeds dot", "(at)nhs."
    # A field holding a date, in a row of fields: "…,24/09/1947,…", "| 1958-02-14 |" (records.py).
    (_G_RECORD_DATE, (_FIELD_DATE_GATE,)),
    (_G_IBAN, (IBAN_GATE,)),
    (_G_HANDLE, (HANDLE_GATE,)),
    (_G_USERNAME, (USERNAME_GATE,)),
    (_G_BRACKET_BIRTH, (BRACKET_BIRTH_GATE,)),
    (_G_SPOKEN_EMAIL, (r"(?i)(?:\sat\s+|[(\[{]at[)\]}]\s*)[a-z0-9\-]+(?:\.[a-z0-9]|\s*[(\[{]dot[)\]}]|\s+dot\s)",)),
)


def gate_mask_expr() -> pl.Expr:
    """The bit mask of :func:`gate_masks` as a Polars expression on a column ``t``, for one pass of every gate."""

    col = pl.col("t")
    terms = []
    for bit, patterns in _GATE_PATTERNS:
        cond = col.str.contains(patterns[0])
        for extra in patterns[1:]:
            cond = cond & col.str.contains(extra)
        terms.append(pl.when(cond).then(pl.lit(bit, dtype=pl.Int64)).otherwise(pl.lit(0, dtype=pl.Int64)))
    return pl.sum_horizontal(terms)


def gate_masks(texts: Sequence[str]) -> list[int]:
    """For each text, a bit mask of the identifier patterns worth running on it."""

    if not texts:
        return []
    frame = pl.DataFrame({"t": pl.Series(list(texts), dtype=pl.String)})
    return frame.select(gate_mask_expr().alias("m")).get_column("m").to_list()


def _context_before(text: str, start: int, rx: re.Pattern[str], width: int = 30) -> bool:
    return bool(rx.search(text[max(0, start - width) : start]))


def _bare_at_is_email(text: str, m: re.Match[str]) -> bool:
    """Is "<word> at <domain>" an address spelt out, rather than a sentence about a place or a website?"""

    if not _context_before(text, m.start(), _EMAIL_WORD, 40):
        return False
    mailbox = m.group(1).lower()
    if not mailbox.isalpha() or "dot" in m.group(3).lower():
        return True
    lists = name_lists()
    return mailbox not in lists.english or mailbox in lists.all_names


def identifier_spans(text: str, gates: int = ALL_GATES) -> list[tuple[int, int, PiiType]]:
    """Every identifier found by rule, as (start, end, type).

    ``gates`` (from :func:`gate_masks`) says which patterns could match at
    all; the default runs every pattern.
    """

    found: list[tuple[int, int, PiiType]] = []
    if gates & _G_EMAIL and "@" in text:
        for m in _RX_EMAIL.finditer(text):
            found.append((m.start(), m.end(), PiiType.EMAIL))
    if gates & _G_SPOKEN_EMAIL:
        for m in _RX_SPOKEN_EMAIL.finditer(text):
            if m.group(2).strip().lower() == "at" and not _bare_at_is_email(text, m):
                continue
            found.append((m.start(), m.end(), PiiType.EMAIL))
    nhs_at: set[int] = set()
    if gates & _G_NHS:
        for m in _RX_DIGIT10.finditer(text):
            start = m.start()
            if (
                d.is_nhs_number(m.group().replace(".", ""))
                and not _context_before(text, start, _PHONE_BEFORE, 9)
                and not _context_before(text, start, _NOT_NHS_BEFORE, 40)
            ):
                found.append((start, m.end(), PiiType.NHS_NUMBER))
                nhs_at.add(start)
    if gates & _G_PHONE:
        for m in _RX_PHONE.finditer(text):
            if m.start() in nhs_at:
                continue
            raw = m.group()
            if (PHONE_PLAN.match(NOT_DIGIT_PLUS.sub("", raw)) and phone_ok(raw)) or written_as_phone(raw):
                found.append((m.start(), m.end(), PiiType.PHONE))
    if gates & _G_NI:
        for m in _RX_NI.finditer(text):
            raw, start, end = m.group(), m.start(), m.end()
            if not d.is_ni_number(raw):
                continue
            glued_before = (
                start >= 2
                and _DASH_GLUE_BEFORE.match(text, start - 2) is not None
                and not _NI_LABEL_GLUED.search(text[max(0, start - 6) : start])
            )
            if "-" in raw and (_DASH_GLUE_AFTER.match(text, end) or glued_before):
                continue
            found.append((start, end, PiiType.NI_NUMBER))
    if gates & _G_POSTCODE:
        for m in _RX_POSTCODE.finditer(text):
            raw = m.group()
            # Lower-case postcode-shaped words ("in 2ab") are rare; a postcode in
            # running text is nearly always written in capitals or with digits
            # in both halves, which the pattern already requires.
            if d.normalise_postcode(raw) is not None and not (raw[-3:] in _ORDINAL_INWARD and _ROAD.match(raw)):
                found.append((m.start(), m.end(), PiiType.POSTCODE))
                address = postcode_address(text, m.start())  # "Flat 4, Harris Trafficway, Leeds, LS1 1AA"
                if address is not None:
                    found.append((*address, PiiType.ADDRESS))
    if gates & _G_IPV4:
        for m in _RX_IPV4.finditer(text):
            found.append((m.start(), m.end(), PiiType.IP_ADDRESS))
    if gates & _G_CARD:
        found += _card_spans(text)
    if gates & _G_UPN:
        for m in _RX_UPN.finditer(text):
            if d.is_upn(m.group()):
                found.append((m.start(), m.end(), PiiType.UPN))
    if gates & _G_VRM:
        for m in _RX_VRM.finditer(text):
            if plate_in_context(text, m.start(), m.group()):
                found.append((m.start(), m.end(), PiiType.VEHICLE_REGISTRATION))
    if gates & _G_SORT:
        for m in _RX_SORT.finditer(text):
            if _context_before(text, m.start(), _SORT_CONTEXT) or banking_context(text, m.start(), m.end()):
                found.append((m.start(), m.end(), PiiType.SORT_CODE))
    if gates & _G_ACCOUNT:
        for m in _RX_ACCOUNT.finditer(text):
            if _context_before(text, m.start(), _ACCOUNT_CONTEXT):
                held_by = PiiType.SYSTEM_ID if _context_before(text, m.start(), _REFERENCE_ACCOUNT, 40) else None
                found.append((m.start(), m.end(), held_by or PiiType.BANK_ACCOUNT))
    if gates & _G_PASSPORT:
        for m in _RX_PASSPORT.finditer(text):
            if _context_before(text, m.start(), _PASSPORT_CONTEXT):
                found.append((m.start(), m.end(), PiiType.PASSPORT))
    if gates & _G_DATE:
        found += _birth_dates(text)
    if gates & _G_BRACKET_BIRTH:  # "Maud (2 April 1939) has …" (outside_rules.py)
        for start, end, name_start in bracketed_birth(text):
            found.append((start, end, PiiType.DATE_OF_BIRTH))
            if name_start is not None:  # a lone first name before " ("
                found.append((name_start, start - 2, PiiType.PERSON))
    if gates & _G_RECORD_DATE:
        found += _record_birth(text, found)
    if gates & _G_ADDRESS:
        for m in _RX_ADDRESS.finditer(text):
            found.append((m.start(), m.end(), PiiType.ADDRESS))
    return _with_online(text, gates, _resolve(found) if len(found) > 1 else found)


def _card_spans(text: str) -> list[tuple[int, int, PiiType]]:
    """Card numbers: in a scheme's published range, after a card label, or 16 digits of a card issuer."""

    out = []
    for m in _RX_CARD.finditer(text):
        start, digits = m.start(), _NOT_DIGIT.sub("", m.group())
        if not card_grouping(m.group()) or inside_iban(text, start) or is_device_number(text, start, digits):
            continue
        if d.is_payment_card(m.group()) or after_card_label(text, start, digits) or card_outside_ranges(digits):
            out.append((start, m.end(), PiiType.PAYMENT_CARD))
    return out


def _birth_dates(text: str) -> list[tuple[int, int, PiiType]]:
    """Dates with birth words just before them ("DOB 12/03/1980") or just after ("1995-01-28 is my birthday")."""

    out = []
    for m in _RX_DATE.finditer(text):
        if _context_before(text, m.start(), _DOB_CONTEXT, 20):
            birth = d.parse_uk_date(m.group()) is not None
        else:
            birth = birth_cue_after(text, m.end(), m.group())
        if birth:
            out.append((m.start(), m.end(), PiiType.DATE_OF_BIRTH))
    return out


def _with_online(text: str, gates: int, found: list[tuple[int, int, PiiType]]) -> list[tuple[int, int, PiiType]]:
    """IBANs, handles and usernames (online.py) added, each winning over what was found inside it."""

    in_record = bool(gates & _G_IBAN) and sum(1 for f in found if f[2] in RECORD_TYPES) >= 2
    winners = iban_spans(text, in_record=in_record) if gates & _G_IBAN else []
    winners += handle_spans(text) if gates & _G_HANDLE else []
    winners += username_spans(text) if gates & _G_USERNAME else []
    return without_overlaps(found, winners)


def _record_birth(text: str, found: list[tuple[int, int, PiiType]]) -> list[tuple[int, int, PiiType]]:
    """A person's record laid out as fields: a field holding only a date is the date of birth (records.py)."""

    in_record = sum(1 for f in found if f[2] in RECORD_TYPES)
    if in_record < 2 or any(f[2] is PiiType.DATE_OF_BIRTH for f in found):
        return []
    dates = [(m.start(), m.end(), m.group()) for m in _RX_DATE.finditer(text)]
    birth = record_birth_date(text, dates, in_record)
    return [] if birth is None else [(*birth, PiiType.DATE_OF_BIRTH)]


_PRIORITY = {
    PiiType.EMAIL: 0,
    PiiType.NHS_NUMBER: 1,
    PiiType.UPN: 1,
    PiiType.PAYMENT_CARD: 1,
    PiiType.NI_NUMBER: 2,
    PiiType.POSTCODE: 2,
    PiiType.PHONE: 3,
    PiiType.DATE_OF_BIRTH: 3,
    PiiType.SORT_CODE: 3,
    PiiType.BANK_ACCOUNT: 4,
    PiiType.SYSTEM_ID: 4,
    PiiType.PASSPORT: 4,
    PiiType.IP_ADDRESS: 4,
    PiiType.VEHICLE_REGISTRATION: 5,
    PiiType.ONLINE_ID: 5,
    PiiType.ADDRESS: 6,
    PiiType.PERSON: 7,
}


def _resolve(found: list[tuple[int, int, PiiType]]) -> list[tuple[int, int, PiiType]]:
    """Drop spans overlapping a span of higher priority (then longer, then earlier)."""

    ordered = sorted(found, key=lambda s: (_PRIORITY.get(s[2], 9), -(s[1] - s[0]), s[0]))
    kept: list[tuple[int, int, PiiType]] = []
    for span in ordered:
        if all(span[1] <= k[0] or span[0] >= k[1] for k in kept):
            kept.append(span)
    return sorted(kept)
