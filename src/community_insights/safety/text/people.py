"""People named in lists and pairs, and words that look like names but are not people.

Rules of :mod:`safety.text.context` for names, kept apart so each stays small.
Each is general and tested with sentences from another source than the one
that revealed it (``tests/safety/test_people_rules.py``):

* **Lists of people.** "Present: Llewellyn, Raghunathan and Boswell": when
  at least two members of a list (commas, "and", "&") are names already
  found, a capitalised member of one or two words that is a listed name, or
  no English word, is a name too. Writers list like with like, so the
  others say what the unknown one is; a member that is an organisation or a
  place and no listed name ("Leeds", "Age UK") is left alone.
* **A first name and its surname** stay one person even when both are also
  places ("Florence Derby"), as long as the pair is not itself a place or
  an organisation.
* **Not a person:** a single word that names streets, organisations or
  places and no one ("Lane" in "Abbey Hey Lane"), a word in capitals that
  labels an identifier ("IBAN", "MRN", "UTR"), and a word glued to digits
  ("GB12"), which is part of a code.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Sequence

from community_insights.safety.names import name_lists
from community_insights.safety.text.cued_identifiers import free
from community_insights.safety.text.name_words import PARTICLES
from community_insights.safety.text.phrases import tokens
from community_insights.safety.types import PiiType
from community_insights.safety.vocabularies import canonical, vocabulary

__all__ = [
    "BLOCKER_FILES",
    "IDENTIFIER_LABELS",
    "PARTICLE_PATTERN",
    "UNLESS_SURNAME",
    "beside_people",
    "blocker_words",
    "has_blocker_word",
    "how_plain",
    "list_gate",
    "listed_people",
    "member_is_name",
    "name_alone",
    "not_a_person",
    "pair_end",
    "with_particles",
]

Found = tuple[int, int, PiiType, str]

#: Labels of identifiers and codes, written in capitals before the value ("IBAN GB12 …", "MRN 123").
IDENTIFIER_LABELS = frozenset(
    {"iban", "bic", "swift", "mrn", "ssn", "utr", "paye", "vat", "nino", "upn", "uln", "vin", "imei", "mac", "dob",
     "nhs", "ni", "ref", "id", "gb", "uk", "pin", "otp", "url", "ip"}
)  # fmt: skip
_MEMBER = r"[A-ZÀ-Þ][^\W\d_]+(?:[\-'’][^\W\d_]+)*(?: [A-ZÀ-Þ][^\W\d_]+(?:[\-'’][^\W\d_]+)*)?"
_SEP = r"(?:, (?:and |& )?| and | & )"
#: Two or more members of one or two capitalised words each.
LIST_AS_READ = rf"(?<![\w\-'’]){_MEMBER}(?:{_SEP}{_MEMBER})+(?![\w\-'’])"
#: The same, written so that Python's engine skips ahead to capitals: the first member's capital comes first
#: and the boundary is checked after it, extended by that capital (``tests/safety/test_text_speed_rules.py``).
_LIST = re.compile(rf"[A-ZÀ-Þ](?<![\w\-'’][A-ZÀ-Þ]){_MEMBER.removeprefix('[A-ZÀ-Þ]')}(?:{_SEP}{_MEMBER})+(?![\w\-'’])")
_SPLIT = re.compile(_SEP)


def list_gate() -> tuple[str, str]:
    """Polars patterns for the notes the list rule reads: a note must match both.

    The first is a comma between capitalised words ("X and Y" alone the span finder joins).
    The second is a superset of the list pattern itself, a capitalised word, a separator and
    a capital with a letter after it, so that "Grace Street, W12 9AT" (a postcode after the
    comma) costs nothing; ``tests/safety/test_people_rules.py`` checks it lets every list through.
    """

    return r"[A-Z][^\s,]*, (?:and |& )?[A-Z]", _LIST_GATE


#: For Polars: a superset of ``_LIST``. A member's last word starts with a capital and holds no space; the
#: next starts with a capital and a letter, which is never a space, an ASCII digit or this punctuation.
_LIST_GATE = rf"[A-ZÀ-Þ]\S*{_SEP}[A-ZÀ-Þ][^\s0-9_,.;:!?()]"


@functools.cache
def _not_people_keys() -> frozenset[str]:
    """Places and organisations (and their single words), as lower-case keys."""

    out: set[str] = set()
    for name in ("organisations_charities", "organisations_nhs", "organisations_retailers", "uk_places", "countries"):
        out |= vocabulary(name).phrases
    return frozenset(out)


def member_is_name(word: str, *, english_ok: bool = False) -> bool:
    """A list member that can be a person: every word a listed name, or no English word and no place.

    ``english_ok``: the context has already said a person is meant, so English words may be names too
    ("Mads"), but still no organisation, place or title.
    """

    lists = name_lists()
    keys = [re.sub(r"['’]s$", "", w.lower()) for w in word.split()]
    if all(lists.is_name(k) or lists.is_name(canonical(k)) for k in keys):
        return True
    if canonical(word) in _not_people_keys() or any(k in lists.blockers or k in lists.titles for k in keys):
        return False
    return english_ok or all(k not in lists.english for k in keys)


#: Lower-case surname particles ("van", "der", "de", "bin") as one pattern.
PARTICLE_PATTERN = "|".join(
    sorted((re.escape(p) for p in PARTICLES if p.isalpha() and p.isascii()), key=len, reverse=True)
)
_NAME_WORD = r"[A-ZÀ-Þ][^\W\d_]+(?:['’\-][^\W\d_]+)*"
_PARTICLES_BEFORE = re.compile(rf"(?<![\w'’\-])({_NAME_WORD})[ \t]+(?:(?:{PARTICLE_PATTERN})[ \t]+){{1,2}}$")


def with_particles(text: str, s: int, taken: Sequence[Found]) -> int:
    """Where a surname found by a rule really starts: "Virgil van Dijk said", not just "Dijk".

    A capitalised word and lower-case particles before it join it, when that word reads as a name and
    no other span holds it.
    """

    m = _PARTICLES_BEFORE.search(text, max(0, s - 40), s)
    if m is None or not member_is_name(m.group(1)) or not free(m.start(1), s, taken):
        return s
    return m.start(1)


def listed_people(text: str, spans: Sequence[Found]) -> list[Found]:
    """Members of a list of which at least two are names found already."""

    people = [sp for sp in spans if sp[2] is PiiType.PERSON]
    if not people:
        return []
    out: list[Found] = []
    for m in _LIST.finditer(text):
        members: list[tuple[int, int]] = []
        pos = m.start()
        for sep in _SPLIT.finditer(text, m.start(), m.end()):
            members.append((pos, sep.start()))
            pos = sep.end()
        members.append((pos, m.end()))
        found = [mb for mb in members if not free(mb[0], mb[1], people)]
        new = [(s, e) for s, e in members if free(s, e, spans) and free(s, e, out)]
        named = [mb for mb in new if member_is_name(text[mb[0] : mb[1]])]
        # Two names found make it a list of people; with one, every other member must read as a name.
        if len(found) >= 2 or (found and len(named) == len(new)):
            out += [(with_particles(text, s, spans), e, PiiType.PERSON, "rule") for s, e in named]
    return out


_LIST_BEFORE = re.compile(r"(?:, (?:and |& )?| and | & )$")
_LIST_AFTER = re.compile(r"(?:, (?:and |& )?| and | & )")


def beside_people(text: str, s: int, e: int, spans: Sequence[Found]) -> bool:
    """The span is a member of a list whose next or previous member is a person ("Priya, Chelsea and Grace")."""

    before = _LIST_BEFORE.search(text, max(0, s - 7), s)
    after = _LIST_AFTER.match(text, e)
    for a, b, t, _ in spans:
        if t is PiiType.PERSON and ((before and b == before.start()) or (after and a == after.end())):
            return True
    return False


def pair_end(text: str, s: int, e: int, spans: Sequence[Found]) -> int:
    """Where a found first name ends once its surname is joined, even if both are places ("Florence Derby")."""

    if text[e : e + 1] != " " or not text[e + 1 : e + 2].isupper() or " " in text[s:e]:
        return e
    lists = name_lists()
    m = _NEXT_WORD.match(text, e)
    if m is None or text[s:e].lower() not in lists.first:
        return e
    surname = m.group(1).lower()
    if surname not in lists.surnames or surname in lists.blockers or not free(m.start(1), m.end(1), spans):
        return e
    return m.end(1) if canonical(text[s : m.end(1)]) not in _not_people_keys() else e


_NEXT_WORD = re.compile(r" ([A-ZÀ-Þ][^\W\d_]+)(?![\w\-'’])")


@functools.lru_cache(maxsize=100_000)
def name_alone(name: str) -> tuple[bool, bool]:
    """What a name's own letters settle for :func:`not_a_person` and :func:`pair_end`, cached per name.

    The first answer: whether nothing in the name itself can make :func:`not_a_person` say yes,
    so that only a digit glued to it or a form's label before it could (no month, not only
    identifier labels in capitals, and not a single street, organisation or place word). The second: whether
    :func:`pair_end` could join a surname to it (a single word that is a first name). A rule
    added to either that reads the name must be reflected here;
    ``tests/safety/test_people_rules.py`` checks that they agree.
    """

    key = name.lower()
    lists = name_lists()
    labels = name.isupper() and all(w.lower() in IDENTIFIER_LABELS for w in name.split())
    plain = key not in _MONTH_WORDS and not labels and (" " in name or key not in lists.blockers)
    return plain, " " not in name and key in lists.first


def not_a_person(text: str, s: int, e: int, *, mixed_case: bool) -> bool:
    """A single street, organisation or place word; an identifier's label in capitals; a word glued to digits.

    Cheapest tests first: this runs on every name the span finder reports. (What it decides from
    the name alone is also answered, per name, by :func:`name_alone`.)
    """

    if (e < len(text) and text[e].isdigit()) or (s > 0 and text[s - 1].isdigit()):
        return True  # "GB" in "GB12 NWBK …", "bor" in "8dzn6y3bor": part of a code
    if text[max(0, s - 3) : s].rstrip().endswith(":") and _ANSWER_LABEL.search(text, max(0, s - 30), s):
        return True  # "Nationality: German", "Ethnic origin: African American": the answer to a form's question
    seg = text[s:e]
    if seg.lower() in _MONTH_WORDS and _DAY_BEFORE.search(text, max(0, s - 6), s) and _YEAR_AFTER.match(text, e):
        return True  # "04 Jun 1942": a month inside a date
    if mixed_case and seg.isupper():
        return all(w.lower() in IDENTIFIER_LABELS for w in seg.split())
    if " " in seg:
        return False
    lists = name_lists()
    if seg.lower() not in lists.blockers:
        return False
    # "Abbey Hey Lane": the word closes a capitalised phrase that is no name, so it names the street.
    prev = _PREVIOUS_WORD.search(text, max(0, s - 30), s)
    return prev is not None and prev.group(1).lower() not in lists.titles and not lists.is_name(prev.group(1).lower())


#: Form labels whose answer is a thing, never a person's name (a person is named under "Name:").
_ANSWER_LABEL = re.compile(
    r"\b(?:nationality|citizenship|ethnicity|ethnic (?:group|origin|background)|race|religion|faith|belief|"
    r"gender|sex|country(?: of birth)?|(?:first |main )?language|diagnosis|occupation|job title|employer|"
    r"city|town|county|region)[ \t]*:[ \t]*$",
    re.IGNORECASE,
)
_MONTH_WORDS = frozenset(
    {"jan", "feb", "mar", "apr", "may", "jun", "june", "jul", "july", "aug", "august", "sep", "sept", "oct", "nov",
     "dec"}
)  # fmt: skip
_DAY_BEFORE = re.compile(r"\d{1,2}(?:st|nd|rd|th)?[ \-]$")
_YEAR_AFTER = re.compile(r"\.?,?[ \-]\d{2,4}\b")
_PREVIOUS_WORD = re.compile(r"([A-ZÀ-Þ][^\W\d_]*)\.? $")


_WORD = re.compile(r"[^\W\d_]+")
#: The vocabularies of organisations and places a name may be part of.
BLOCKER_FILES = ("organisations_charities", "organisations_nhs", "organisations_retailers", "uk_places", "countries")


@functools.cache
def blocker_words() -> frozenset[str]:
    """Every word of an organisation or place name: a name with none of them needs no closer look."""

    return frozenset(t.key for name in BLOCKER_FILES for p in vocabulary(name).entries for t in tokens(p))


@functools.lru_cache(maxsize=100_000)
def has_blocker_word(name: str) -> bool:
    """A word of the name is a word of an organisation's or a place's name.

    Cached by the name alone (the answer reads nothing around it): the same
    names recur across thousands of notes, and this runs on every one of them.
    """

    words = blocker_words()
    return any(w.lower() in words for w in _WORD.findall(name))


#: :func:`how_plain`'s answers: the name's letters leave the decision to the rules, the name is kept
#: unless a capitalised word follows it (``pair_end`` may join a surname), or it is kept.
RULES_DECIDE, UNLESS_SURNAME, KEPT = 0, 1, 2


@functools.lru_cache(maxsize=100_000)
def how_plain(name: str) -> int:
    """What the name alone settles for the "not a person" rules (cached: the same names recur note after note).

    A name is kept whatever surrounds it, short of a web address, a digit glued to it, a form's
    label before it or (for a first name) a capitalised word after it, when it holds no word of
    an organisation's or a place's name and :func:`name_alone` finds nothing in it.
    """

    plain, may_lead_pair = name_alone(name)
    if not plain or has_blocker_word(name):
        return RULES_DECIDE
    return UNLESS_SURNAME if may_lead_pair else KEPT
