"""Identifiers a reader still recognises where a published rule says they cannot be, or their cue comes after them.

Why a module of its own: the rules of ``identifiers`` follow the published
formats (DVLA's letter rules, the card schemes' issuer ranges), and the birth
words are looked for before a date. Text written by people breaks both, and
what it leaves is still an identifier to anyone who reads the copy. The same
reasoning as for phone numbers in ranges the plan has not allocated (issue 17:
a caseworker's typo is still a phone number) holds here:

* **A number plate in context.** After "registration", "reg", "number plate",
  "licence plate", "vehicle", "car" …, two letters, two digits and three
  letters are a plate even when DVLA would not issue it (a "Q", "I" or "Z"
  where DVLA never puts one, an age identifier not yet used): a mistyped or
  foreign-looking plate still points at one vehicle. Without such a word only
  a plate DVLA could issue counts, so "Ticket QO54 BHZ" stays.
* **A date of birth before its cue.** "1995-01-28 is my birthday", "12/03/1980
  (DOB)", "04.07.1966 was the day she was born": the words that make a date a
  birth date can come after it as well as before. With "birthday" the date must
  be more than a year ago, because "1 May 2026 was her birthday" is more often
  the day of the party than the date of birth.
* **A date of birth in brackets after a name.** "Ada Lovelace (10 December
  1815 – 27 November 1852)", "Maud (2 April 1939) has …": encyclopaedias and
  clinical letters put the birth date in brackets straight after the person,
  with no birth word at all. The word before the bracket must read as a name
  (a listed name, or a capitalised word that is neither an English word nor a
  place), the bracket must open with a full date and hold nothing else but an
  end date, and the date must be more than a year ago ("the meeting with Smith
  (2 April 2026)" is an event).
* **A card number outside the published ranges.** Sixteen digits, the length
  of nearly every scheme's cards, that pass the Luhn check and start with a
  digit ISO/IEC 7812 gives to card issuers (3 travel and entertainment, 4 and
  5 banking, 6 merchandising and banking) are a card number even when no
  scheme lists the range: schemes publish new ranges after they issue cards
  in them, and smaller schemes' and test cards are cards too (a mistyped
  number fails the Luhn check, so this is not about typos). One random
  number in ten passes the Luhn check, so shorter and longer numbers, and
  numbers starting with another digit, still need a listed range or a card
  label.
"""

from __future__ import annotations

import datetime as _dt
import re

from community_insights.safety.detectors.dates import parse_uk_date
from community_insights.safety.detectors.identifiers import VEHICLE_PATTERN, luhn_valid
from community_insights.safety.names import name_lists
from community_insights.safety.vocabularies import kind_phrases

__all__ = [
    "BRACKET_BIRTH_GATE",
    "PLATE_SHAPE",
    "birth_cue_after",
    "bracketed_birth",
    "card_outside_ranges",
    "plate_in_context",
]

#: Two letters, two digits, three letters: the shape of every current-format plate, issued or not.
PLATE_SHAPE = r"[A-Z]{2}\d{2} ?[A-Z]{3}"
_ISSUED = re.compile(rf"^{VEHICLE_PATTERN}$")
_VEHICLE_CUE = re.compile(
    r"\b(?:reg(?:istration)?|vrm|(?:number|licen[cs]e|registration)\s*plates?|plates?|vehicles?|cars?|vans?|"
    r"motorbikes?|motorcycles?|taxis?|lorry|lorries)\b\.?(?:\s*(?:no|num|number|mark)\b\.?)?[^\w\n]{0,4}"
    r"(?:(?:is|was|of|reads)\s+)?$",
    re.IGNORECASE,
)


def plate_in_context(text: str, start: int, raw: str) -> bool:
    """Is the plate-shaped ``raw`` at ``start`` a number plate: one DVLA could issue, or one after a vehicle word?"""

    return bool(_ISSUED.match(raw)) or bool(_VEHICLE_CUE.search(text[max(0, start - 32) : start]))


_BIRTH_AFTER = re.compile(
    r"\)?\s*(?:[,(:\-–—]\s*)?(?:(?:is|was|being|=)\s+(?:(?:my|his|her|their|your|our|the\s+\w+['’]s|\w+['’]s)\s+)?)?"
    r"(?:(?P<birthday>birthday)|birth\s?date|date\s+of\s+birth|d\.?o\.?b\b|"
    r"(?:when|the\s+day)\s+(?:i|he|she|they|we|you)\s+(?:was|were)\s+born)",
    re.IGNORECASE,
)


def birth_cue_after(text: str, end: int, raw: str) -> bool:
    """Do birth words follow the date ``raw`` that ends at ``end``, and is it a past date (over a year ago for a
    birthday)?"""

    m = _BIRTH_AFTER.match(text, end)
    when = None if m is None else parse_uk_date(raw)
    if m is None or when is None:
        return False
    today = _dt.date.today()
    return when < (today - _dt.timedelta(days=366) if m.group("birthday") else today)


_BRACKET_DATE = (
    r"\d{1,2}(?:st|nd|rd|th)?\s+[A-Za-z]{3,9}\.?,?\s+\d{4}|[A-Za-z]{3,9}\.?\s+\d{1,2}(?:st|nd|rd|th)?,?\s+\d{4}"
    r"|\d{1,2}[/.\-]\d{1,2}[/.\-]\d{4}|\d{4}-\d{2}-\d{2}"
)
#: The shape the span finder's gate looks for: a capitalised word, then a bracket opening with a full date.
BRACKET_BIRTH_GATE = rf"[A-Z][^\W\d_]+[ \t]\((?:{_BRACKET_DATE})"
_BRACKET_BIRTH = re.compile(rf"(?P<word>[^\W\d_][^\W\d_'’\-]*)[ \t]\((?P<date>{_BRACKET_DATE})\s*(?:\)|[–—\-]|to\b)")


def _reads_as_name(word: str) -> bool:
    lists, lower = name_lists(), word.lower()
    if not word[0].isupper() or lower in lists.blockers:
        return False
    return lists.is_strong_name(lower) or (lower not in lists.english and lower not in kind_phrases("place"))


_CAPITALISED_BEFORE = re.compile(r"[A-Z][^\W\d_'’\-]*[ \t]+$")


def bracketed_birth(text: str) -> list[tuple[int, int, int | None]]:
    """Dates of birth in brackets straight after a name ("Maud (2 April 1939) has …").

    Each as (start, end, name_start): ``name_start`` is where the name begins
    when it is one word with no capitalised word before it, so the word itself
    is a first name the span finder should report too (the name rules need a
    second name or a cue); None otherwise.
    """

    out = []
    limit = _dt.date.today() - _dt.timedelta(days=366)
    for m in _BRACKET_BIRTH.finditer(text):
        when = parse_uk_date(m.group("date"))
        if when is not None and when < limit and _reads_as_name(m.group("word")):
            lone = not _CAPITALISED_BEFORE.search(text[max(0, m.start() - 40) : m.start()])
            out.append((m.start("date"), m.end("date"), m.start("word") if lone else None))
    return out


def card_outside_ranges(digits: str) -> bool:
    """Sixteen Luhn-valid digits starting 3, 4, 5 or 6 (ISO/IEC 7812 card issuers), whatever the scheme's range."""

    return len(digits) == 16 and digits[0] in "3456" and luhn_valid(digits)
