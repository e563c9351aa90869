"""Street addresses named with another country's street types, found by the town written after them.

Why a rule of its own: the street-word rule (``context``) knows Royal Mail's
thoroughfare words, and an address with no postcode and a street type Royal
Mail does not use ("Hill Shores", "Rockefeller Plaza", "Harbor Landing") was
missed. Notes hold such addresses: people move from or write to the United
States and Canada, and data sets are filled with them. Those street types are
everyday words in British English ("the Plaza cinema", "the shores of the
lake", "the youth club", "as well"), so the rule asks for more than the street
word:

* a house number (or "Flat 4,", "Studio 46,") right before;
* one to three words of the street's name, capitalised (in a note written all
  in one case: not the joining words of a sentence, nor a unit such as
  "miles");
* a street type from the United States Postal Service's list
  (``thoroughfares_abroad.txt``; Publication 28, Appendix C1) that Royal
  Mail's list does not hold;
* then, after a comma, the town (a capitalised word that is no title, day or
  month), as every postal layout writes it, optionally followed by a US state
  and ZIP code ("30 Rockefeller Plaza, New York, NY 10112").

The address runs from the number to the end of the town (and ZIP code). A
four-digit number after "in", "since", "by" … is a year, not a house.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Sequence

from community_insights.safety.detectors.dates import MONTH_NAMES_PATTERN
from community_insights.safety.names import name_lists
from community_insights.safety.types import PiiType
from community_insights.safety.vocabularies import canonical, kind_phrases, vocabulary

__all__ = ["abroad_addresses", "abroad_gate"]

Found = tuple[int, int, PiiType, str]

_UNIT = r"(?:flat|apartment|apt|unit|studio|suite|maisonette)\.?[ \t]?\d{1,4}[A-Za-z]?,?[ \t]+"
_HOUSE = r"\d{1,4}[A-Za-z]?,?[ \t]+"
#: Labels whose number is no house number ("Section 2", "Year 9", "Key Stage 2", "page 4").
_NOT_HOUSE_BEFORE = re.compile(
    r"\b(?:section|part|chapter|schedule|article|regulation|reg|clause|year|page|step|phase|level|stage|grade|"
    r"band|tier|question|item|version|type|class|group|team|round|week|day|aged?)\.?[ \t]*$",
    re.IGNORECASE,
)
_YEAR_BEFORE = re.compile(r"\b(?:in|since|by|until|till|from|during|of|before|after|circa|c\.)[ \t]*$", re.IGNORECASE)
_CAPITAL = r"[A-ZÀ-Þ][\w'’.\-]*"
_NOT_TOWN = rf"(?:Mr|Mrs|Ms|Miss|Mx|Dr|Prof|Sir|Dame|Rev|Cllr|I|Mon|Tue|Wed|Thu|Fri|Sat|Sun|{MONTH_NAMES_PATTERN})\b"
_DAYS = r"(?:Mon|Tues|Wednes|Thurs|Fri|Satur|Sun)days?\b"
_PARTICLE = r"(?:upon|on|under|next|the|of|in|by|le|la|de|du|super|cum)\b"
#: Words never in a street's or town's name in a note written in one case: a sentence's joining words and units.
_NOT_NAME = (
    r"(?:a|an|the|and|or|of|to|for|in|on|at|by|with|from|as|is|was|are|were|has|had|have|will|would|then|that|this|"
    r"who|which|when|while|but|not|no|yes|my|his|her|their|our|your|its|some|many|few|more|each|per|very|so|"
    r"last|next|this|yesterday|today|tonight|tomorrow|ago|now|again|too|also|here|there|since|until|"
    r"minutes?|mins?|hours?|hrs?|days?|weeks?|months?|years?|times?|people|children|kids|miles?|metres?|steps?|"
    r"pounds?|pence|calls?|visits?|nights?|goals?|points?|tablets?|bags?|boxes|doors?|floors?)\b"
)
_LOWER = r"[a-zà-þ][\w'’.\-]*"
_ZIP = r"(?:,?[ \t]+[A-Z]{2}[ \t]+\d{5}(?:-\d{4})?\b)?"


@functools.cache
def _words() -> list[str]:
    return sorted(vocabulary("thoroughfares_abroad").entries, key=len, reverse=True)


@functools.cache
def _patterns() -> tuple[re.Pattern[str], re.Pattern[str]]:
    """The rule in a note of mixed case (capitalised words) and in a note written all in one case."""

    title = "|".join(re.escape(w) for w in _words())
    upper = "|".join(re.escape(w.upper()) for w in _words())
    start = rf"(?<![\w£$€.,/:\-])(?:(?i:{_UNIT})(?:{_HOUSE})?|{_HOUSE})"
    town = rf"(?!{_NOT_TOWN}|{_DAYS}){_CAPITAL}(?:[ \t]+(?:{_CAPITAL}|{_PARTICLE})){{0,3}}"
    mixed = re.compile(rf"{start}(?:{_CAPITAL}[ \t]+){{1,3}}(?:{title}|{upper})(?P<town>,[ \t]*{town}){_ZIP}")
    name = rf"(?!{_NOT_NAME}){_LOWER}"
    one_case = re.compile(
        rf"{start}(?:{name}[ \t]+){{1,3}}(?:{title})(?P<town>,[ \t]*{name}(?:[ \t]+{name})?)", re.IGNORECASE
    )
    return mixed, one_case


@functools.cache
def abroad_gate() -> str:
    """For Polars (Rust): a superset of both patterns, so only notes that could hold such an address reach Python."""

    words = "|".join(re.escape(w) for w in _words())
    return rf"(?i)\d[a-z]?,?\s+(?:\S+\s+){{1,3}}(?:{words}),"


def abroad_addresses(text: str, taken: Sequence[Found]) -> list[Found]:
    """Addresses with a street type of the US Postal Service's list, a house number before and a town after."""

    mixed, one_case = _patterns()
    rx = one_case if text.islower() or text.isupper() else mixed
    out: list[Found] = []
    for m in rx.finditer(text):
        s, end = m.start(), m.end()
        if _named_person(m.group("town")):  # "… at 10 Harbor Landing, John said": the street, not John
            end = m.start("town")
        while end > s and text[end - 1] in ".,'’-":  # "…, Hughesfurt." ends at the town
            end -= 1
        if any(a < end and s < b for a, b, *_ in taken) or _not_a_house(text, s, m.group()):
            continue
        out.append((s, end, PiiType.ADDRESS, "rule"))
    return out


def _named_person(town: str) -> bool:
    """The words after the comma start with a listed first name that names no place: a person, not the town."""

    words = town.lstrip(", \t").split()
    first = words[0].strip(".,'’").lower() if words else ""
    return first in name_lists().first and canonical(" ".join(words).strip(".,")) not in kind_phrases("place")


def _not_a_house(text: str, start: int, found: str) -> bool:
    """A number after a label ("Year 9 Science Club, …") or a year after "in" ("in 2019 …") is no house."""

    before = text[max(0, start - 16) : start]
    if _NOT_HOUSE_BEFORE.search(before):
        return True
    number = found[: len(found) - len(found.lstrip("0123456789"))]
    return len(number) == 4 and number[:2] in ("19", "20") and _YEAR_BEFORE.search(before) is not None
