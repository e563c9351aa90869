"""Rules for notes written elsewhere, run after the span finder's own rules.

Text that the engine's generator never wrote showed the span finder missing
and inventing things an information rights officer would not accept (see
``docs/safety-detection.md``). Each rule here is general, and each is tested
with sentences from another source than the one that revealed it:

* **Phone numbers in context, dates of birth written month first, emails with
  accented letters** (:mod:`safety.text.cued_identifiers`).
* **Street addresses** with every Royal Mail street word ("Approach",
  "Parade", "Wynd") and Welsh ones written before the name ("12 Heol y
  Bont", "3 Rhodfa'r Gorllewin"), in any case when the note is written all
  in lower case or capitals.
* **Special-category data** (:mod:`safety.text.special`).
* **Names after a naming or reporting cue** ("my name is Thilini", "Neighbour
  says Tomasz moved out") when the word is on the name lists or is not an
  English word; a given name after "I am" or "this is" ("Hello I am June");
  a name the sentence calls a person ("Chelsea is a very kind woman").
* **Firms and places named like people** (:mod:`safety.text.firms`).
* **Not a person:** a name inside a web address, or one that is exactly an
  organisation or a place ("John Lewis", "Sue Ryder", "Derry", "Hong Kong"),
  unless the words around it say a person is meant (a title or a family word
  before it, a reporting verb after it: "my daughter Chelsea", "Derby
  said"); and a name inside a special-category answer ("White: Roma").
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable, Sequence
from typing import cast

import polars as pl

from community_insights.safety.detectors.dates import MONTHS
from community_insights.safety.names import name_lists
from community_insights.safety.text.addresses import abroad_addresses, abroad_gate, run_on_to_town
from community_insights.safety.text.cued_identifiers import PHONE_SHAPE, births, emails, free, phones
from community_insights.safety.text.firms import drop_firms_and_places, firm_gate
from community_insights.safety.text.letters import LETTERS_GATE, letter_names
from community_insights.safety.text.people import (
    BLOCKER_FILES,
    UNLESS_SURNAME,
    beside_people,
    blocker_words,
    has_blocker_word,
    how_plain,
    list_gate,
    listed_people,
    not_a_person,
    pair_end,
    with_particles,
)
from community_insights.safety.text.phrases import PhraseIndex, tokens
from community_insights.safety.text.special import find_special_spans, special_gate
from community_insights.safety.types import PiiType
from community_insights.safety.vocabularies import canonical, vocabulary

__all__ = ["refine_spans"]

Found = tuple[int, int, PiiType, str]
#: The types the per-span tests compare with, as constants: reading ``PiiType.PERSON`` looks it up on the
#: enum class each time, and these tests run for every span of every note.
_PERSON, _PHONE, _EMAIL, _ADDRESS = PiiType.PERSON, PiiType.PHONE, PiiType.EMAIL, PiiType.ADDRESS

# -- names after a cue, and what is not a name ------------------------------------------------
_NAME_CUE = re.compile(
    r"\b(?:(?:my |his |her |their |maiden |first |last )?name is|named|called|known as|call me|calls me|"
    r"says|said|told|asked|reports|reported|confirmed|explained|mentioned)\s+(?:that\s+)?"
    r"([A-ZÀ-Þ][^\W\d_]+(?:[\-'’][^\W\d_]+)*)",
)
#: "Her maiden name is Derby": after "name is", a capitalised word is the name, whatever else it may mean.
_NAME_IS = re.compile(r"name is\s+$")
_RX_URL = re.compile(r"(?:https?://|www\.)\S+|\b[\w\-]+(?:\.[\w\-]+)*\.(?:org|com|net|gov|ac|co|nhs|io)(?:\.uk)?\b\S*")
_PERSON_BEFORE = frozenset(
    {"son", "daughter", "mum", "mother", "dad", "father", "wife", "husband", "partner", "brother", "sister",
     "nan", "gran", "grandson", "granddaughter", "aunt", "uncle", "cousin", "niece", "nephew", "child", "baby",
     "neighbour", "friend", "carer", "tenant", "client", "named", "called", "resident", "sibling", "girlfriend",
     "boyfriend", "stepson", "stepdaughter"}
)  # fmt: skip
_PERSON_AFTER = frozenset(
    {"said", "says", "told", "asked", "rang", "called", "phoned", "visited", "attended", "explained", "agreed",
     "reported", "confirmed", "wants", "wanted", "needs", "shouted", "cried", "moved", "lives", "lived", "came",
     "arrived"}
)  # fmt: skip


@functools.cache
def _blocker_index() -> PhraseIndex:
    phrases: list[tuple[str, str]] = []
    for name in BLOCKER_FILES:
        label = "ORG" if name.startswith("organisations") else "PLACE"
        phrases += [(p, label) for p in vocabulary(name).entries]
    return PhraseIndex(phrases)


@functools.cache
def _street_patterns() -> tuple[re.Pattern[str], re.Pattern[str], re.Pattern[str], str]:
    """House number and street in mixed case, in one case, and the Welsh forms (type before the name)."""

    streets = vocabulary("thoroughfares")
    welsh = {e for e, t in streets.tags.items() if t == "welsh"}
    english = sorted((e for e in streets.entries if e not in welsh), key=len, reverse=True)
    welsh_words = sorted(welsh, key=len, reverse=True)
    eng = "|".join(re.escape(w) for w in english)
    cym = "|".join(re.escape(w) for w in welsh_words)
    number = r"(?:\b(?:flat|apartment|apt|unit)\.? ?\d+[a-z]?,? )?\b\d{1,4}[a-z]?,? "
    capital = r"[A-ZÀ-Þ][\w'’\-]+"
    joined = r"(?:way|gate|walk|side)\b"  # one-word streets: Kingsway, Eastgate, Ropewalk, Moorside
    mixed = re.compile(rf"(?i:{number})(?:(?:{capital} ){{1,3}}(?:{eng})s?\b\.?|{capital}{joined})")
    # one_case also runs on mixed notes: "I now live at 89 green lanes" is an address in any note.
    name_word = rf"(?!(?:{_NOT_STREET_NAME})\b)[a-z][\w'’\-]+"
    one_case = re.compile(rf"{number}(?:(?:{name_word} ){{1,3}}(?:{eng})s?\b|[a-z]{{3,}}{joined})", re.IGNORECASE)
    welsh_rx = re.compile(rf"{number}(?:{cym})(?:['’]r)?(?: (?:y|yr|'r|[\w'’\-]+)){{1,3}}", re.IGNORECASE)
    # For Polars (Rust): a superset of the three patterns above, written so that its fast matcher runs.
    word = r"[^\s,;:.!?()]+"
    gate = rf"(?i)\d{{1,4}}[a-z]?,? (?:(?:{word} ){{1,3}}(?:{eng})|(?:{cym})|[a-z]{{3,}}{joined})"
    return mixed, one_case, welsh_rx, gate


#: Words that never name a street between a number and a street word ("2 minutes walk", "3 times a week").
_NOT_STREET_NAME = (
    "a|an|the|and|or|of|to|for|in|on|at|by|with|from|my|his|her|their|our|your|its|some|many|few|more|each|per|"
    "minutes?|mins?|hours?|hrs?|days?|weeks?|months?|years?|times?|people|children|kids|miles?|metres?|steps?|"
    "doors?|flights?|floors?|storeys?|bedrooms?|dogs?|cats?|bags?|boxes|pounds?|pence|calls?|visits?|nights?"
)


def _addresses(text: str, taken: Sequence[Found]) -> list[Found]:
    mixed, one_case, welsh, _gate = _street_patterns()
    single_case = text.islower() or text.isupper()  # every cased letter in one case
    out: list[Found] = []
    for rx in (welsh, one_case) if single_case else (welsh, mixed, one_case):
        for m in rx.finditer(text):
            s, e = m.start(), m.end()
            if free(s, e, taken) and free(s, e, out):
                out.append((s, e, PiiType.ADDRESS, "rule"))
    return out


def _cued_names(text: str, taken: Sequence[Found]) -> list[Found]:
    """A word named by a cue before it ("my name is X", "says X") or a reporting verb after it ("X said").

    After a cue, the word must be a listed name or no English word (nor an
    acronym such as "HMRC", nor a role such as "carer"). Before a reporting
    verb, it must be a listed name or a place name: people are named Chelsea,
    Derby or Florence, and "Derby said he would call back" is about one of them.
    """

    cued = [(m, "cue") for m in _NAME_CUE.finditer(text)] + [(m, "speech") for m in _NAME_BEFORE_VERB.finditer(text)]
    return _names_from(text, taken, cued)


def _named_by_deed(text: str, taken: Sequence[Found]) -> list[Found]:
    """A word before a verb only people (and, for some verbs, companies) use, or after "starring" and the like.

    Its own rule with its own gate (a capitalised word before the verb), so the
    many notes that say "gave advice" or "given a leaflet" cost nothing.
    """

    cued = [(m, "cue") for m in _NAME_CUE_MORE.finditer(text)] + [(m, "deed") for m in _NAME_BEFORE_DEED.finditer(text)]
    return _names_from(text, taken, cued)


def _names_from(text: str, taken: Sequence[Found], cued: list[tuple[re.Match[str], str]]) -> list[Found]:
    lists = name_lists()
    out: list[Found] = []
    for m, how in cued:
        word = m.group(1)
        key = word.lower()
        s, e = m.start(1), m.end(1)
        if not free(s, e, taken) or not free(s, e, out) or key in lists.titles or key in _CALENDAR:
            continue
        unlisted = key not in lists.english and not word.isupper() and key not in _PERSON_BEFORE
        if how == "cue" and _NAME_IS.search(text, max(0, s - 12), s) and not word.isupper():
            out.append((s, e, PiiType.PERSON, "rule"))  # "her maiden name is Derby"
        elif lists.is_name(key) or (how == "speech" and canonical(word) in _places()):
            out.append((s, e, PiiType.PERSON, "rule"))
        elif unlisted and (how == "cue" or _key_of_no_thing(word)):
            out.append((s, e, PiiType.PERSON, "rule"))  # an unlisted name after "says", or before "spent"
    return [(with_particles(text, s, taken), e, t, how) for s, e, t, how in out]  # "Virgil van Dijk said"


#: "Hello, I am June", "Hi, I'm Frank", "this is Priya from the council": a speaker names themself.
_INTRO = re.compile(r"\b(?:I am|I['’]m|[Tt]his is)[ \t]+([A-ZÀ-Þ][^\W\d_]+(?:[\-'’][^\W\d_]+)*)(?![\w'’\-]| ?\d)")
_NEXT_CAPITAL = re.compile(r" ([A-ZÀ-Þ][^\W\d_]+)")
_PERSON_NOUNS = (
    r"person|man|woman|lady|gentleman|girl|boy|child|kid|teenager|friend|neighbour|bloke|guy|mum|mother|dad|"
    r"father|grandmother|grandfather|granddad|grandad|nan|wife|husband|son|daughter|listener|worker|carer|tenant"
)
#: "Chelsea is a very sympathetic person": what the sentence calls the word says a person is meant.
_IS_A_TAIL = rf" (?:is|was) (?:a|an|such a|my|our|her|his|their) (?:[^\W\d_]+ ){{0,3}}?(?:{_PERSON_NOUNS})\b"
_IS_A_PERSON = re.compile(rf"(?<![\w'’\-])([^\W\d_]+(?:[\-'’][^\W\d_]+)*){_IS_A_TAIL}")
_IS_A_PERSON_AFTER = re.compile(_IS_A_TAIL)


def _introduced_names(text: str, taken: Sequence[Found]) -> list[Found]:
    """A given name a speaker introduces themself with ("Hello I am June"), and a name the sentence calls a
    person ("Chelsea is a very sympathetic person", "mária is a friendly person").

    After "I am", only a listed first name counts, months too ("I am June"): "I am English", "I am Black"
    or "I am Christian" name no one (a religion found first keeps its span). Before "is a … person", a
    listed name or, in mixed case, a capitalised word that is no English word, places too ("Derby is my
    son"): "He is a kind man" and "Everyone is a friend" name no one.
    """

    lists = name_lists()
    out: list[Found] = []
    for m in _INTRO.finditer(text):
        word = m.group(1)
        nxt = _NEXT_CAPITAL.match(text, m.end(1))  # "this is Victoria Station", "Hope House": a place's name
        if nxt and (nxt.group(1).lower() in lists.blockers or not lists.is_name(nxt.group(1).lower())):
            continue
        if word.lower() in lists.first and not word.isupper() and free(m.start(1), m.end(1), [*taken, *out]):
            out.append((m.start(1), m.end(1), PiiType.PERSON, "rule"))
    single_case = text.islower() or text.isupper()
    for m in _IS_A_PERSON.finditer(text):
        word, key = m.group(1), m.group(1).lower()
        capital = word[:1].isupper() and not word.isupper()
        listed = (lists.is_name(key) and (capital or (single_case and key not in lists.english))) or (
            capital and canonical(word) in _places()  # people are named Derby or Chelsea, as after "said"
        )
        unlisted = capital and key not in lists.english and not lists.is_name(key)  # "Derby is my son"
        if (
            (listed or unlisted)
            and key not in lists.titles
            and key not in _CALENDAR  # "Thursday is my son's birthday"
            and free(m.start(1), m.end(1), [*taken, *out])
        ):
            out.append((m.start(1), m.end(1), PiiType.PERSON, "rule"))
    return out


def _key_of_no_thing(word: str) -> bool:
    """The word names no organisation or place ("Tesco said" is a company speaking)."""

    return _canonical_key(word) not in _blocker_keys() and word.lower() not in blocker_words()


_NAME_BEFORE_VERB = re.compile(
    r"([A-ZÀ-Þ][^\W\d_]+(?:[\-'’][^\W\d_]+)*)\s+(?:said|says|rang|phoned|told|asked|texted|emailed|explained|"
    r"confirmed|visited|attended)\b"
)
#: What people do (and companies or places may be said to do: "Leeds spent £2m"): a listed name, or an
#: unlisted word that is no organisation or place, before them is a person ("Thilini spent a year …").
_DEEDS = r"shouted|screamed|replied|answered|laughed|smiled|whispered|spent|gave|ha[sd] (?:given|told|shown|asked)"
_NAME_BEFORE_DEED = re.compile(rf"([A-ZÀ-Þ][^\W\d_]+(?:[\-'’][^\W\d_]+)*)\s+(?:{_DEEDS})\b")
_NAME_CUE_MORE = re.compile(r"\b(?:starring|featuring|features)\s+([A-ZÀ-Þ][^\W\d_]+(?:[\-'’][^\W\d_]+)*)")
_CALENDAR = frozenset(MONTHS) | frozenset(
    {"monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday", "today", "tomorrow", "yesterday"}
)


@functools.cache
def _place_keys() -> frozenset[str]:
    """Places people are named after ("Chelsea", "Derby"), as exact look-up keys; organisations are not among them."""

    return frozenset(_canonical_key(p) for name in ("uk_places", "countries") for p in vocabulary(name).entries)


@functools.cache
def _places() -> frozenset[str]:
    return vocabulary("uk_places").phrases | vocabulary("countries").phrases


def _person_context(text: str, s: int, e: int) -> bool:
    """A title or family word just before, or a reporting verb just after: a person is meant."""

    before = text[max(0, s - 30) : s].split()
    after = text[e : e + 30].split()
    prev = before[-1].lower().strip(".,:;") if before else ""
    nxt = after[0].lower().strip(".,:;!?") if after else ""
    named = prev == "is" and len(before) > 1 and before[-2].lower() == "name"  # "her maiden name is Derby"
    if prev in name_lists().titles or prev in _PERSON_BEFORE or nxt in _PERSON_AFTER or named:
        return True
    return _IS_A_PERSON_AFTER.match(text, e) is not None  # "Chelsea is a very sympathetic person"


_WEB_HINT = re.compile(r"www|https?:|\.(?:org|com|net|gov|ac|co|nhs|io)\b")
#: For Polars: ``_WEB_HINT`` without its word boundary (a superset, all ASCII, read alike by both engines).
_WEB_GATE = r"www|https?:|\.(?:org|com|net|gov|ac|co|nhs|io)"


def _in_web_address(text: str, s: int, e: int) -> bool:
    window_start = max(0, s - 60)
    window = text[window_start : e + 40]
    if not _WEB_HINT.search(window):
        return False
    return any(m.start() + window_start <= s and e <= m.end() + window_start for m in _RX_URL.finditer(window))


def _not_people(text: str, spans: list[Found], web_gate: bool = True) -> list[Found]:
    """Drop PERSON spans inside a web address or exactly (or inside) an organisation's or a place's name.

    Spans reach here already free of overlaps (the span finder resolved its
    own; :func:`refine_spans` drops names that the new spans explain).
    ``web_gate`` false says that :data:`_WEB_GATE` found nothing in the note.
    """

    web = web_gate and _WEB_HINT.search(text) is not None
    mixed_case = not (text.isupper() or text.islower())
    colon = ":" in text
    out: list[Found] = []
    for sp in spans:
        if sp[2] is _PERSON:
            # Most names are kept as they are, and what decides that is mostly the name itself: cached
            # per name (names recur across thousands of notes), with only the characters beside it read
            # here. Anything else goes through every rule, in _person_or_not.
            s, e = sp[0], sp[1]
            how = how_plain(text[s:e])
            if (
                not how
                or (how == UNLESS_SURNAME and text[e : e + 1] == " " and text[e + 1 : e + 2].isupper())
                or (e < len(text) and text[e].isdigit())
                or (s > 0 and text[s - 1].isdigit())
                or (colon and text[max(0, s - 3) : s].rstrip().endswith(":"))
                or (web and _WEB_HINT.search(text[max(0, s - 60) : e + 40]))  # as _in_web_address looks first
            ):
                judged = _person_or_not(text, sp, spans, web, mixed_case)
                if judged is None:
                    continue
                sp = judged
        out.append(sp)
    return out


def _person_or_not(text: str, sp: Found, spans: Sequence[Found], web: bool, mixed_case: bool) -> Found | None:
    """One name through the rules of :func:`_not_people`: the name (with its surname joined), or None."""

    s, e = sp[0], sp[1]
    joined = pair_end(text, s, e, spans) if text[e : e + 1] == " " else e  # a surname follows a space
    if joined != e:
        sp = (s, joined, sp[2], sp[3])
        e = joined
    if web and _in_web_address(text, s, e):
        return None
    if (
        has_blocker_word(text[s:e])
        and _named_thing(text, s, e)
        and not (_canonical_key(text[s:e]) in _place_keys() and beside_people(text, s, e, spans))
    ):
        return None
    if not_a_person(text, s, e, mixed_case=mixed_case):
        return None
    return sp


def _named_thing(text: str, s: int, e: int) -> bool:
    """The span is exactly (or inside) an organisation's or a place's name, and nothing says a person is meant."""

    if _canonical_key(text[s:e]) in _blocker_keys():
        covered = text[s].isupper()
    elif not (_JOINS_AFTER.match(text, e) or _JOINS_BEFORE.search(text[max(0, s - 12) : s])):
        covered = False  # nothing beside it could make it part of a longer name
    else:  # part of a longer name ("Marie" in "Marie Curie", "Spencer" in "Marks & Spencer")
        lo, hi = max(0, s - 30), min(len(text), e + 40)
        window = text[lo:hi]
        covered = any(
            m.start + lo <= s and e <= m.end + lo and window[m.start : m.end][:1].isupper()
            for m in _blocker_index().find(tokens(window))
        )
    return covered and not _person_context(text, s, e)


_JOINS_AFTER = re.compile(r"['’]?s?\s*(?:&|and\b|of\b|[A-ZÀ-Þ])")
_JOINS_BEFORE = re.compile(r"(?:&|\band|\bof|[A-ZÀ-Þ][^\W\d_]*['’]?s?)\s*$")
_KEY_WORD = re.compile(r"[^\W_]+(?:[\-'’][^\W_]+)*")


def _canonical_key(text: str) -> str:
    """A name reduced to its lower-case words (a possessive 's dropped), for an exact look-up."""

    words = (w[:-2] if w[-2:] in ("'s", "’s") else w for w in _KEY_WORD.findall(text.lower()))
    return " ".join(w if w.isascii() else canonical(w) for w in words)


@functools.cache
def _blocker_keys() -> frozenset[str]:
    """Each organisation's and place's name as its lower-case words, for an exact look-up."""

    return frozenset(_canonical_key(p) for name in BLOCKER_FILES for p in vocabulary(name).entries)


def _special_beside_people(
    text: str, special: Sequence[tuple[int, int, PiiType]], spans: Sequence[Found], solid: Sequence[Found]
) -> list[Found]:
    """Special-category spans that do not clash with what the span finder found.

    An identifier wins ("ni TB 73 17 59 D" is an NI number, not tuberculosis).
    Against a name, the longer reading wins, and the words around the name
    decide a tie: "Nazia Islam", "Mr Islam" and "Islam attended" are people (a
    surname that is also a faith), "converted to Islam" is a faith, and "Roma"
    inside the census answer "White: Roma" is an ethnic group.
    """

    people = [sp for sp in spans if sp[2] is PiiType.PERSON]
    out: list[Found] = []
    for s, e, t in special:
        if not free(s, e, solid):
            continue
        clash = [p for p in people if p[0] < e and s < p[1]]
        inside = all(s <= p[0] and p[1] <= e for p in clash)
        if not inside or any(_person_context(text, p[0], p[1]) for p in clash):
            continue
        out.append((s, e, t, "list"))
    return out


def _matches(patterns: str | tuple[str, ...]) -> pl.Expr:
    """The notes (a Polars column ``t``) that match every one of ``patterns``."""

    both = [pl.col("t").str.contains(p) for p in ((patterns,) if isinstance(patterns, str) else patterns)]
    return pl.all_horizontal(both).fill_null(False)


@functools.cache
def _gates() -> dict[str, str | tuple[str, ...]]:
    *_, street_gate = _street_patterns()
    return {
        "phone": PHONE_SHAPE,
        "birth": r"(?i)(?:born|birth|d\.?o\.?b)",  # then a month name: checked in Python
        "street": street_gate,
        "abroad": abroad_gate(),
        "email": r"[^\x00-\x7F][^\s@]*@",
        "names": _NAMES_GATE,
        "deeds": rf"(?:[A-ZÀ-Þ]\w+ (?:{_DEEDS})|(?:starring|featuring|features) [A-Z])(?-u:\b)",
        "list": list_gate(),
        "intro": _INTRO_GATE,
        "letters": LETTERS_GATE,
    }


#: For Polars: a superset of ``_NAME_CUE`` and ``_NAME_BEFORE_VERB``, case-sensitive as they are, so a cue
#: word ("said", "called") with no capitalised word after it, and a verb with none before it, costs nothing.
#: ``[\s\x1c-\x1f]`` is Python's ``\s`` (Rust's ``\s`` leaves out the four separators Python counts).
_SPACE = r"[\s\x1c-\x1f]+"
_NAMES_GATE = (
    rf"(?:name is|named|called|known as|call me|calls me|says|said|told|asked|reports|reported|confirmed|"
    rf"explained|mentioned){_SPACE}(?:that{_SPACE})?[A-ZÀ-Þ]"
    rf"|[A-ZÀ-Þ]\S*{_SPACE}(?:said|says|rang|phoned|told|asked|texted|emailed|explained|confirmed|visited|attended)"
)
#: For Polars: a superset of ``_INTRO`` and ``_IS_A_PERSON`` (a person noun within four words of "is a").
_INTRO_GATE = (
    rf"(?:I am|I['’]m|[Tt]his is){_SPACE}[A-ZÀ-Þ]"
    rf"|(?:is|was) (?:a|an|such a|my|our|her|his|their) (?:\S+ ){{0,3}}(?:{_PERSON_NOUNS})"
)
_PHONE_FLAG = 0  # the position of "phone" in _gates()
_SEE_NAMES: tuple[Callable[..., list[Found]], ...] = (
    _cued_names,
    _named_by_deed,
    listed_people,
    _introduced_names,
    letter_names,
)  # rules that read found names
_RULES = {
    "phone": phones,
    "birth": births,
    "street": _addresses,
    "abroad": abroad_addresses,
    "email": emails,
    "names": _cued_names,
    "deeds": _named_by_deed,
    "list": listed_people,
    "intro": _introduced_names,
    "letters": letter_names,
}


def gate_exprs() -> list[pl.Expr]:
    """This module's gates as Polars expressions on a column ``t``, one column each (see :func:`refine_spans`)."""

    gates = _gates()
    return [
        *(_matches(gates[n]).alias(n) for n in gates if n != "phone"),
        pl.col("t").str.count_matches(cast(str, gates["phone"])).fill_null(0).alias("phone"),
        pl.col("t").str.contains(special_gate()).fill_null(False).alias("special"),
        pl.col("t").str.contains(firm_gate()).fill_null(False).alias("firms"),
        pl.col("t").str.contains(_WEB_GATE).fill_null(False).alias("web"),
    ]


def refine_spans(
    texts: Sequence[str], found: Sequence[list[Found]], gated: pl.DataFrame | None = None
) -> list[list[Found]]:
    """The span finder's spans of each note with the rules of this module applied, sorted by start.

    Polars first tells which notes each rule could apply to (a pattern that
    matches at least wherever the rule can), all patterns in one pass over the
    batch, so Python looks only at those notes. ``gated`` is that pass already
    made by the caller (the columns of :func:`gate_exprs`, one row per text).
    """

    if not texts:
        return []
    names = list(_gates())
    frame = pl.DataFrame({"t": list(texts)}, schema={"t": pl.Utf8}).select(gate_exprs()) if gated is None else gated
    special = find_special_spans(texts, gate=frame.get_column("special").to_list())
    firms = frame.get_column("firms").to_list()
    web = frame.get_column("web").to_list()
    out: list[list[Found]] = []
    rows = zip(texts, found, special, firms, web, frame.select(names).rows(), strict=True)
    for text, spans, special_here, firm_cue, web_here, flags in rows:
        # Phone numbers: only when the note holds more phone-shaped numbers than the finder called phones.
        if flags[_PHONE_FLAG] and flags[_PHONE_FLAG] <= sum(1 for sp in spans if sp[2] is _PHONE):
            flags = (*flags[:_PHONE_FLAG], 0, *flags[_PHONE_FLAG + 1 :])
        if special_here or any(flags):
            rules = [_RULES[n] for n, on in zip(names, flags, strict=True) if on]
            spans = _apply_rules(text, list(spans), special_here, rules)
        if "," in text and any(sp[2] is _ADDRESS for sp in spans):  # "Flat 4, 12 Elm Road, Leeds"
            spans = run_on_to_town(text, spans)
        # Only names can be "not people": a note without one keeps its spans as they are.
        if any(sp[2] is _PERSON for sp in spans):
            spans = _not_people(text, spans, web_here)
        out.append(drop_firms_and_places(text, spans) if firm_cue and spans else spans)
    return out


def _apply_rules(
    text: str, spans: list[Found], special: Sequence[tuple[int, int, PiiType]], rules: list[Callable[..., list[Found]]]
) -> list[Found]:
    """One note's spans with the special-category spans and the spans of ``rules`` added, sorted."""

    solid = [sp for sp in spans if sp[2] is not _PERSON]  # a name the rules misread never blocks them
    added = _special_beside_people(text, special, spans, solid)
    for rule in rules:
        added += rule(text, (spans if rule in _SEE_NAMES else solid) + added)
    if not added:
        return spans
    taken = [a for a in added if a[2] is not _PERSON]
    # A name the new rules explain away goes, and so does the tail of an accented email the
    # ASCII rule caught ("lefebvre@gmail.com" inside "rené.lefebvre@gmail.com").
    emails = [a for a in taken if a[2] is _EMAIL]
    kept = [
        sp
        for sp in spans
        if (sp[2] is not _PERSON or free(sp[0], sp[1], taken))
        and not any(a[0] <= sp[0] and sp[1] <= a[1] for a in emails)
    ]
    return sorted(kept + added)
