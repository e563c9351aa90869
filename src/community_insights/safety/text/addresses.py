"""Street addresses: another country's street types before a town, and every address run on to its town.

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
four-digit number after "in", "since", "by" … is a year, not a house, and
words after the comma that name a person ("…, John said") are no town.

**Every address runs on to its town** (:func:`run_on_to_town`), whichever
rule found its street: Royal Mail's layout writes the premises, the street
and the post town in that order, so the town of "Flat 3, 2 Marsham Street,
London" is redacted with the street rather than left behind (or read as a
person, when it is a made-up or uncommon town).
"""

from __future__ import annotations

import functools
import re
from collections.abc import Sequence

from community_insights.safety.detectors.dates import MONTH_NAMES_PATTERN
from community_insights.safety.names import name_lists
from community_insights.safety.types import PiiType
from community_insights.safety.vocabularies import canonical, kind_phrases, vocabulary

__all__ = ["abroad_addresses", "abroad_gate", "run_on_to_town", "town_end"]

Found = tuple[int, int, PiiType, str]
_ADDRESS, _PERSON = PiiType.ADDRESS, PiiType.PERSON

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
_NOT_TOWN = (
    rf"(?:Mr|Mrs|Ms|Miss|Mx|Dr|Prof|Sir|Dame|Rev|Cllr|I|Mon|Tue|Wed|Thu|Fri|Sat|Sun|(?i:{MONTH_NAMES_PATTERN}))\b"
)
_DAYS = r"(?:Mon|Tues|Wednes|Thurs|Fri|Satur|Sun)days?\b"
_PARTICLE = r"(?:upon|on|under|next|the|of|in|by|le|la|de|du|super|cum)\b"
#: Words never in a street's or town's name in a note written in one case: a sentence's joining words and units.
_NOT_NAME = (
    r"(?:a|an|the|and|or|of|to|for|in|on|at|by|with|from|as|is|was|are|were|has|had|have|will|would|then|that|this|"
    r"who|which|when|while|but|not|no|yes|my|his|her|their|our|your|its|some|many|few|more|each|per|very|so|"
    r"last|next|yesterday|today|tonight|tomorrow|ago|now|again|too|also|here|there|since|until|"
    r"minutes?|mins?|hours?|hrs?|days?|weeks?|months?|years?|times?|people|children|kids|miles?|metres?|steps?|"
    r"pounds?|pence|calls?|visits?|nights?|goals?|points?|tablets?|bags?|boxes|doors?|floors?)\b"
)
_LOWER = r"[a-zà-þ][\w'’.\-]*"
_ZIP = r"(?P<zip>,?[ \t]+[A-Z]{2}[ \t]+\d{5}(?:-\d{4})?\b)?"


@functools.cache
def _words() -> list[str]:
    return sorted(vocabulary("thoroughfares_abroad").entries, key=len, reverse=True)


@functools.cache
def _patterns() -> tuple[re.Pattern[str], re.Pattern[str]]:
    """The rule in a note of mixed case (capitalised words) and in a note written all in one case."""

    title = "|".join(re.escape(w) for w in _words())
    upper = "|".join(re.escape(w.upper()) for w in _words())
    start = rf"(?<![\w£$€.,/:\-])(?:(?i:{_UNIT})(?:{_HOUSE})?|{_HOUSE})"
    mixed = re.compile(rf"{start}(?:{_CAPITAL}[ \t]+){{1,3}}(?:{title}|{upper})(?=,[ \t]*[A-ZÀ-Þ])")
    name = rf"(?!{_NOT_NAME}){_LOWER}"
    one_case = re.compile(
        rf"{start}(?:{name}[ \t]+){{1,3}}(?:{title})(?P<town>,[ \t]*{name}(?:[ \t]+{name})?)", re.IGNORECASE
    )
    return mixed, one_case


#: The town after an address's comma: capitalised words (and small words of place names), then a US state and ZIP.
_TOWN_WORD = rf"(?!{_NOT_TOWN}|{_DAYS}){_CAPITAL}"
_TOWN = re.compile(rf",[ \t]*(?P<town>{_TOWN_WORD}(?:(?:[ \t]+{_PARTICLE})*[ \t]+{_TOWN_WORD}){{0,3}}){_ZIP}")
#: What may follow a town for it to be read as one whatever its words: the end of a clause, or a postcode.
_CLAUSE_END = re.compile(r"[ \t]*(?:[.,;:!?)\]\n]|$)|[ \t]+[A-Z]{1,2}\d")
_UNIT_BEFORE = re.compile(r"\b(?:flat|apartment|apt|unit|studio|suite|maisonette)\.?[ \t]?$", re.IGNORECASE)


@functools.cache
def abroad_gate() -> str:
    """For Polars (Rust): a superset of both patterns, so only notes that could hold such an address reach Python."""

    words = "|".join(re.escape(w) for w in _words())
    return rf"(?i)\d[a-z]?,?\s+(?:\S+\s+){{1,3}}(?:{words}),"


def abroad_addresses(text: str, taken: Sequence[Found]) -> list[Found]:
    """Addresses with a street type of the US Postal Service's list, a house number before and a town after.

    Words after the comma that name a person rather than a town ("… at 10
    Harbor Landing, John said") are no town, and then there is no address.
    """

    mixed, one_case = _patterns()
    single_case = text.islower() or text.isupper()
    out: list[Found] = []
    for m in (one_case if single_case else mixed).finditer(text):
        s, end = m.start(), m.end()
        if single_case:
            if _named_person(m.group("town")):
                end = m.start("town")
            while end > s and text[end - 1] in ".,'’-":  # "…, hughesfurt." ends at the town
                end -= 1
        else:
            town = town_end(text, s, end)
            if town is None:  # the town is the evidence: "3 Rockefeller Plaza, Mrs Shah told us" is not enough
                continue
            end = town
        if any(a < end and s < b for a, b, *_ in taken) or _not_a_house(text, s, m.group()):
            continue
        out.append((s, end, PiiType.ADDRESS, "rule"))
    return out


def town_end(text: str, start: int, pos: int) -> int | None:
    """Where the town after the address ``start``..``pos`` ends, or None when no town follows its comma.

    The words after the comma are no town when they start with a listed first
    name ("…, John said"), when they are one listed name and the clause goes on
    ("…, Patel said"), or when they are capitals after an address that is not
    ("…, NHS said"); a listed place, or one with a US ZIP code after it, is
    always a town ("…, Stanley").
    """

    m = _TOWN.match(text, pos)
    if m is None:
        return None
    end = m.end()
    while text[end - 1] in ".,'’-":  # "…, Hughesfurt." ends at the town
        end -= 1
    town = m.group("town").rstrip(".,'’-")
    if m.group("zip") or canonical(town) in kind_phrases("place"):
        return end
    words = [w.strip(".'’").lower() for w in town.split()]
    lists = name_lists()
    if words[0] in lists.first or (town.isupper() and not text[start:pos].isupper()):
        return None
    if len(words) == 1 and lists.is_name(words[0]) and not _CLAUSE_END.match(text, end):
        return None  # "…, Patel said"
    return end


def run_on_to_town(text: str, spans: Sequence[Found]) -> list[Found]:
    """Each address with the flat or studio word before its number and the town after its comma.

    Royal Mail's layout writes the premises, the street and the post town in
    that order, so "Flat 41B, Farmer Spurs, Leanneberg" is one address; a word
    of the town read as a name is no person. In a note written all in one case
    the town cannot be told from the words after it, and addresses are left
    as found.
    """

    if text.islower() or text.isupper():
        return list(spans)
    grown: list[Found] = []
    out: list[Found] = []
    for sp in spans:
        if sp[2] is _ADDRESS:
            s, e = sp[0], sp[1]
            unit = _UNIT_BEFORE.search(text, max(0, s - 14), s)
            s = unit.start() if unit else s
            if text.startswith(",", e):
                e = town_end(text, s, e) or e
            others = [o for o in spans if o is not sp and o[2] is not _PERSON]
            if (s, e) != sp[:2] and all(e <= o[0] or o[1] <= s for o in others):
                sp = (s, e, _ADDRESS, sp[3])
                grown.append(sp)
        out.append(sp)
    if not grown:
        return list(spans)
    return [sp for sp in out if sp[2] is not _PERSON or all(sp[1] <= g[0] or g[1] <= sp[0] for g in grown)]


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
