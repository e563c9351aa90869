"""Firms named after people, and places no list holds.

Company names are built from surnames ("Slater and Gordon", "Rolls-Royce",
"Taylor Wimpey plc") and towns are named like people ("Stanley", "Shirley",
"West Kirby"), so a name list alone reads them as people, and a firm named
after a surname that is also a condition ("Parkinson Cowan Ltd") as health
data. No list can hold every firm or hamlet; the words around them say what
they are. Each rule is general and tested with real UK company and place
names (``tests/safety/test_firm_rules.py``):

* **A firm's ending.** A capitalised phrase (names joined by commas, "and",
  "&" or a hyphen) followed by a Companies House ending (Ltd, Limited, plc,
  LLP, CIC, Cyf) or a trading word (Group, Holdings, "& Sons", "& Co",
  "and Partners", Associates, Solicitors …) is a firm: no name or
  special-category word inside it counts. So is a public body's word after
  such a phrase ("Northborough Council", "Barnsley Hospital", "Leeds and York
  Partnership NHS Foundation Trust").
* **An employer, a party to letters or contracts, a contractor.** After
  "works for", "employed by", "job at", "correspondence with", "contract
  with", "Contractor:", "Supplier:" …, a list of single words of which one is
  a surname and no first name ("Slater and Gordon", "Mills & Reeve"), or a
  double-barrelled name with a part that is no first name ("Rolls-Royce"), is
  a firm: people are worked for, written to and hired as "Mrs Smith-Jones",
  "John Smith" or "Sarah".
* **A place.** A name after "lives in", "moved to", "born in", "the town
  of" …, before "is a town in …", or after a compass word ("West Kirby",
  "North Shields") is a place.

A title before the phrase ("Mrs Parkinson", "Mr West") keeps the person.
Notes without any of these cues skip the rules (a Polars gate, :func:`firm_gate`).
"""

from __future__ import annotations

import functools
import re
from collections.abc import Sequence

from community_insights.safety.names import name_lists
from community_insights.safety.types import PiiType

__all__ = ["drop_firms_and_places", "firm_gate"]

Found = tuple[int, int, PiiType, str]

_NAME_WORD = r"[A-ZÀ-Þ][^\W\d_]*(?:['’\-][^\W\d_]+)*"
#: Companies House's required endings and the words firms trade under, written after the name.
_ENDINGS = (
    r"Ltd|LTD|Limited|LIMITED|plc|PLC|Plc|LLP|LLC|Inc|CIC|Cyf|Cyfyngedig|Corp|Corporation|Group|Holdings|"
    r"Associates|Solicitors|Accountants|Architects|Surveyors|Builders|Motors|Bros"
)
#: The legal endings, which may follow a comma ("Acme, Inc."); a trading word after a comma is a new phrase
#: ("Priya, Group leader").
#: Public bodies named after a place or a person: "Northborough Council", "Calderdale and Huddersfield NHS
#: Foundation Trust", "Barnsley Hospital". "Council Tax" after a name is a subject, not a body.
_BODY_ENDINGS = (
    r"(?:(?:Borough|County|City|District|Town|Parish|Metropolitan Borough) )?Council(?! [Tt]ax)|"
    r"(?:NHS )?(?:Foundation )?Trust|Hospital|Constabulary|Housing Association|Health Board|University|College|"
    r"Academy"
)
_LEGAL_ENDINGS = r"Ltd|LTD|Limited|LIMITED|plc|PLC|LLP|LLC|Inc"
_JOINED_ENDINGS = r"Sons|Son|Co|Company|Partners|Daughters|Associates"
_MEMBER_SEP = r"(?:, (?:and |& )?| and | & )"
_FIRM = re.compile(
    rf"(?<![\w'’\-])({_NAME_WORD}(?:(?:{_MEMBER_SEP}| ){_NAME_WORD})*)"
    rf"(?:,? (?:{_LEGAL_ENDINGS})\b\.?| (?:{_ENDINGS})\b\.?| (?:and|&) (?:{_JOINED_ENDINGS})\b\.?)"
)
#: A public body: capitalised words, never across a comma ("Dear Ms Patel, Leeds City Council"), then its word.
_BODY = re.compile(rf"(?<![\w'’\-])({_NAME_WORD}(?: (?:and |& )?{_NAME_WORD}){{0,3}}) (?:{_BODY_ENDINGS})\b")
#: Words after which an organisation is named: an employer ("works for"), a party to letters or contracts
#: ("correspondence with", "contract with"), a firm's role in a record ("Contractor:", "Supplier:").
_FIRM_CUES = (
    r"work(?:s|ed|ing)? (?:for|at)|employed by|employer(?: is|:)|job (?:at|with)"
    r"|(?:correspondence|communications?|contracts?|agreements?) with"
    r"|(?:[Cc]ontractor|[Ss]ub-?contractor|[Ss]upplier)(?::| is| was)"
)
_EMPLOYER = re.compile(
    rf"\b(?:{_FIRM_CUES})\s+"
    rf"({_NAME_WORD}(?:{_MEMBER_SEP}{_NAME_WORD})*)(?![\w'’\-]| [A-ZÀ-Þ])"
)
_PLACE_NOUNS = (
    r"city|town|market town|village|suburb|borough|parish|county|district|hamlet|ward|region|port|capital|"
    r"settlement|conurbation|neighbourhood"
)
#: Words before a name that make it a place: where someone lives, moved, was born; "the town of".
_PLACE_BEFORE = re.compile(
    r"(?:\b(?:live[sd]?|living|based|born|raised|grew up|resides|residing|settled|situated|located) in"
    r"|\b(?:mov(?:ed|es|ing)|relocat(?:ed|es|ing)) (?:to|from)|\boriginally from"
    rf"|\b(?:{_PLACE_NOUNS}) of) $",
    re.IGNORECASE,
)
#: After a name: "… is a town in County Durham", "… is a market town."
_PLACE_AFTER = re.compile(
    rf" (?:is|was) (?:a|an|the) (?:[^\W\d_]+ ){{0,2}}?(?:{_PLACE_NOUNS})(?:[ ,]+(?:in|of|on|near|within|and)\b|[.,;]|$)"
)
_COMPASS = frozenset({"north", "south", "east", "west", "upper", "lower", "nether", "greater"})
_COMPASS_BEFORE = re.compile(r"(?<![\w'’\-])(?:North|South|East|West|Upper|Lower|Nether|Greater) $")
_TITLE_BEFORE = re.compile(r"([A-Za-z]+)\.? $")


@functools.cache
def firm_gate() -> str:
    """A Polars pattern matching wherever a rule of this module could apply (a superset of the rules)."""

    words = rf"{_ENDINGS}|{_JOINED_ENDINGS}|Council|Trust|Hospital|Constabulary|Housing|Health Board|University|"
    words += "College|Academy"
    cues = (
        r"work(?:s|ed|ing)? (?:for|at)|employed by|employer|job (?:at|with)|live[sd]? in|living in|based in|"
        r"(?:correspondence|communications?|contracts?|agreements?) with|contractor|supplier|"
        r"born in|raised in|grew up in|resid(?:es|ing) in|settled in|situated in|located in|"
        r"(?:mov(?:ed|es|ing)|relocat(?:ed|es|ing)) (?:to|from)|originally from|"
        rf"(?:{_PLACE_NOUNS}) of |(?:is|was) (?:a|an|the) "
    )
    compass = r"(?:North|South|East|West|Upper|Lower|Nether|Greater) [A-ZÀ-Þ]"
    return rf"(?-u:\b)(?:{words})(?-u:\b)|(?i:{cues})|{compass}"


def _titled(text: str, s: int) -> bool:
    """A title just before ``s`` ("Mrs Parkinson", "Mr West"): a person is meant, whatever follows."""

    m = _TITLE_BEFORE.search(text, max(0, s - 12), s)
    return m is not None and m.group(1).lower() in name_lists().titles


def _firm_ranges(text: str) -> list[tuple[int, int]]:
    """Character ranges of phrases that name a firm (an ending after them, or an employer cue before them)."""

    lists = name_lists()
    out: list[tuple[int, int]] = []
    for m in _FIRM.finditer(text):
        words = [w.lower() for w in re.findall(r"[^\W\d_]+", m.group(1))]
        if not _titled(text, m.start(1)) and not (words and words[0] in lists.titles):
            out.append((m.start(1), m.end()))
    for m in _BODY.finditer(text):
        words = m.group(1).split(" ")
        # "Dear Mr Oak Budmouth Council": the body's name starts after a title and the name it goes with
        cut = max((i + 2 for i, w in enumerate(words) if w.lower() in lists.titles or w == "Dear"), default=0)
        if cut < len(words):
            out.append((m.start(1) + len(" ".join(words[:cut])) + (1 if cut else 0), m.end()))
    for m in _EMPLOYER.finditer(text):
        members = [w for w in re.split(_MEMBER_SEP, m.group(1)) if w]
        parts = [p.lower() for w in members for p in re.split(r"-", re.sub(r"['’]s$", "", w))]
        if any(p in lists.titles for p in parts):
            continue
        firm_like = len(members) > 1 or "-" in m.group(1)
        if firm_like and any(p not in lists.first for p in parts):
            out.append((m.start(1), m.end(1)))
    return out


def _a_place(text: str, s: int, e: int) -> bool:
    """The words around a name say it is a place (a cue before or after it, or a compass word before it)."""

    span = text[s:e]
    first, _, rest = span.partition(" ")
    if rest and first.lower() in _COMPASS and first[:1].isupper():
        return True  # "North Shields" read as one name
    compass = _COMPASS_BEFORE.search(text, max(0, s - 8), s)
    if compass and text[s : s + 1].isupper():
        return not _titled(text, compass.start())  # "Mr West Kirby"? a person
    if text[e : e + 2] in ("'s", "’s"):
        return False  # "moved to Sarah's": a person's home
    return bool(_PLACE_BEFORE.search(text, max(0, s - 30), s) or _PLACE_AFTER.match(text, e))


def drop_firms_and_places(text: str, spans: Sequence[Found]) -> list[Found]:
    """The note's spans without names (or special-category words) inside a firm's name, and without places."""

    if not any(sp[2] is PiiType.PERSON or sp[2] in _SPECIAL for sp in spans):
        return list(spans)  # the gate let the note through, but it holds nothing these rules could drop
    firms = _firm_ranges(text)
    out: list[Found] = []
    for sp in spans:
        s, e, kind = sp[0], sp[1], sp[2]
        if kind is PiiType.PERSON or kind in _SPECIAL:
            if any(a <= s and e <= b for a, b in firms):
                continue
            if kind is PiiType.PERSON and _a_place(text, s, e) and not _titled(text, s):
                continue
        out.append(sp)
    return out


_SPECIAL = frozenset({PiiType.HEALTH, PiiType.RELIGION, PiiType.ETHNICITY, PiiType.SEXUAL_ORIENTATION})
