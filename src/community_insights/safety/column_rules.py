"""Column rules for what exports written elsewhere hold: references, coded flags, place categories.

The classifier's first rules read values one at a time (is this an NHS
number, a census answer, a name?). Exports from other systems defeat them in
three ways, and each rule here looks at the column as a whole instead:

* **References by shape.** A unique code with a prefix (``ABC-1F2E3``,
  ``HB/2024/00017X``) is a reference into a system even though no single
  value looks like an identifier: most values share one shape (letters
  and digits in the same places), nearly every value is different, and most
  mix letters with digits. Kept raw, it links the copy back to the source.
* **Coded special-category flags.** ``stroke`` or ``hypertension`` holding
  0/1, ``race`` holding codes, ``religiousness`` holding 1–5: the header
  names the category and the values are a handful of short codes, so the
  column is special-category data although no value is a census answer.
* **Place categories.** "Urban"/"Rural", "North"/"South", town names: a
  column of a few place words repeated many times is a category, never a
  list of people, even when a word is also someone's name.
* **Categories of everyday words.** "sun"/"fog"/"rain", "hot"/"mild"/"cool":
  a few ordinary English words repeated many times are answers to a question
  about a thing, not people, even when "Sun" or "Snow" is also a surname.
"""

from __future__ import annotations

import dataclasses
import functools
import re
from collections.abc import Collection
from typing import Any

import polars as pl

from community_insights.safety import header_abbreviations
from community_insights.safety.detectors.columns import written_phone_share
from community_insights.safety.detectors.iban import is_iban
from community_insights.safety.detectors.phones import phone_ok, phone_shaped
from community_insights.safety.header_abbreviations import header_words as _header_words
from community_insights.safety.names import name_lists
from community_insights.safety.text.records import written_as_phone
from community_insights.safety.types import Action, ColumnKind, PiiType
from community_insights.safety.vocabularies import canonical, kind_phrases, vocabulary

__all__ = [
    "SPECIAL_REASON",
    "Verdict",
    "coded_special_category",
    "coded_values",
    "exposure_categories",
    "few_long_answers",
    "health_measure",
    "mixed_types",
    "named_by_header",
    "phones_in_context",
    "place_category",
    "place_share",
    "reference_by_shape",
    "reference_like",
    "sex_life",
    "short_addresses",
    "special_header",
    "test_results",
    "word_category",
]

#: A number, then words ending in a street word. Beside Royal Mail's commonest, the words
#: North American addresses use ("2740 W. Olympic Blvd.", "1200 Pacific Coast Hwy"): an
#: address is an address wherever the street is.
ADDRESS_PATTERN = (
    r"(?i)^\s*(flat|apartment|unit)?\s*\d+[a-z]?\b.*\b(road|rd|street|st|avenue|ave|lane|ln|close|way|drive|"
    r"court|ct|place|pl|crescent|grove|gardens|terrace|hill|row|walk|mews|square|park|view|rise|green|"
    r"boulevard|blvd|highway|hwy|freeway|fwy|parkway|pkwy|dr)\b"
)
#: Share of short cells that must read as street addresses for a wordy column to be addresses, not notes.
ADDRESS_NOT_TEXT = 0.3
#: Notes run longer than this on average; a column of addresses does not.
ADDRESS_MAX_WORDS = 8


def short_addresses(mean_words: float, address_share: float) -> bool:
    """Short cells, many of them street addresses: an address column, though its cells have several words."""

    return mean_words < ADDRESS_MAX_WORDS and address_share >= ADDRESS_NOT_TEXT


#: Share of values that must have the commonest shapes for a column to be one reference scheme.
SHAPE_SHARE = 0.8
#: Share of distinct values (of all values) that makes a column unique enough to be a reference.
UNIQUE_SHARE = 0.9
#: With a header that says "id", "ref" or "number", half the values being distinct is enough.
UNIQUE_SHARE_WITH_HEADER = 0.5
#: At most this many distinct short values make a column "coded" (0/1, Y/N, 1–5, A–Z).
CODED_MAX_DISTINCT = 12
CODED_MAX_LEN = 24

#: Share of a column's values that makes it a kind (the classifier's own threshold).
STRONG = 0.5


@dataclasses.dataclass(slots=True)
class Verdict:
    """What a rule decided about a column, as the classifier reads it: kind, types, action, reason,
    and the type its examples are masked as (``None``: no masking, or examples only if frequent)."""

    kind: ColumnKind
    types: list[PiiType]
    action: Action
    reason: str
    example_type: PiiType | None = None


_HEADER_WORDS: dict[PiiType, tuple[str, ...]] = {
    # With the US census headings American public microdata use ("hispanic", "afam": African American, and
    # "hisp", which also starts the CDC's "_HISPANC").
    PiiType.ETHNICITY: (
        "ethnic", "ethnicity", "race", "racial", "racegrp", "bame", "ethnic origin", "hispanic", "latino", "latina",
        "afam", "african american", "hisp",
    ),
    PiiType.RELIGION: ("religion", "religious", "religiousness", "religiosity", "faith", "belief", "beliefs"),
    PiiType.SEXUAL_ORIENTATION: ("sexual orientation", "sexuality", "orientation", "lgb", "lgbt"),
    PiiType.HEALTH: (
        "health", "condition", "conditions", "disability", "disabled", "illness", "impairment", "diagnosis",
        "medical", "mental", "chronic", "substance", "alcohol", "drug", "drugs", "medication", "pregnant",
        "pregnancy", "heart disease", "blood pressure", "bmi", "glucose", "cholesterol", "smoking", "smoker",
        # The census disability question ("day-to-day activities limited …") and the social-care assessment of
        # activities of daily living.
        "limit", "limited", "limitation", "limitations", "adl", "adls", "daily living",
    ),
}  # fmt: skip
#: Header words that make "condition" or "health" about a thing, not a person.
_THING_WORDS = frozenset(
    {"property", "house", "housing", "building", "vehicle", "car", "road", "stock", "repair", "item", "asset",
     "equipment", "room", "weather", "financial", "account", "credit", "system", "server", "contract", "speed",
     "spending", "budget", "time", "age", "upper", "lower", "size", "loan", "overdraft", "rate"}
)  # fmt: skip
#: Words a column of area categories holds besides place names.
_AREA_WORDS = frozenset(
    {"urban", "rural", "suburban", "town", "city", "village", "inner", "outer", "north", "south", "east", "west",
     "central", "northern", "southern", "eastern", "western", "coastal", "inland", "metropolitan", "county",
     "north east", "north west", "south east", "south west", "east midlands", "west midlands", "inner london",
     "outer london", "urban city and town", "rural town and fringe", "rural village", "rural hamlet",
     "urban major conurbation", "urban minor conurbation", "rest of england", "rest of uk"}
)  # fmt: skip


@functools.cache
def _health_header_phrases() -> frozenset[str]:
    """Condition names as they appear in headers ("heart_disease" → "heart disease"), from the health list,
    with the clinical abbreviations headers use ("htn", "sbp", "chd") from the header list."""

    phrases = {p for p in kind_phrases("health") if p.replace(" ", "").isalpha() and len(p) >= 4}
    return frozenset(phrases | set(_HEADER_WORDS[PiiType.HEALTH]) | vocabulary("health_headers").phrases)


@functools.cache
def _health_measures() -> frozenset[str]:
    """Clinical measurements ("sbp", "bmi", "glucose"): under such a header even a column of numbers is health."""

    return vocabulary("health_headers").tagged("measure")


def _about_a_thing(words: str) -> bool:
    return any(f" {w} " in words for w in _THING_WORDS)


def special_header(name: str) -> PiiType | None:
    """The special category a header names (``stroke``, ``HeartDisease``, ``race``), if any."""

    words = _header_words(name)
    if _about_a_thing(words):
        return None
    for pii in (PiiType.ETHNICITY, PiiType.RELIGION, PiiType.SEXUAL_ORIENTATION):
        if any(f" {w} " in words or words.startswith(f" {w}") for w in _HEADER_WORDS[pii]):
            return pii
    if any(f" {p} " in words for p in _health_header_phrases()):
        return PiiType.HEALTH
    if header_abbreviations.abbreviated_health_word(words):  # "genhlth", "hlthp", "physlm", "disea"
        return PiiType.HEALTH
    return None


#: At most this many distinct values, each seen at least this often on average, make wordy cells a category.
CATEGORY_MAX_DISTINCT = 60
CATEGORY_MIN_REPEATS = 10


def few_long_answers(distinct: int, n: int) -> bool:
    """Wordy cells that are a few answers repeated (census labels), not notes written one by one.

    "Black, Black British, Black Welsh, Caribbean or African: African" has the
    words of a note, but a column of such answers holds a few dozen of them,
    each many times; notes are nearly all different.
    """

    return 0 < distinct <= CATEGORY_MAX_DISTINCT and distinct * CATEGORY_MIN_REPEATS <= n


def mostly_ibans(values: pl.DataFrame) -> bool:
    """Most of a sample of distinct values (``s``) are IBANs that check (``detectors.iban``).

    An IBAN in its paper form ("FR14 2004 1010 0505 0001 3M02 606") has the
    length and the many "words" of a note, so the free-text rule asks this
    first: groups of four characters are an account number, not writing.
    """

    sample = values.get_column("s").head(50).to_list()
    return bool(sample) and sum(1 for v in sample if isinstance(v, str) and is_iban(v)) * 2 >= len(sample)


def coded_values(values: pl.DataFrame) -> bool:
    """A few short distinct values (``s``, with counts ``n``): 0/1, Y/N, yes/no, 1–5, single letters."""

    if values.height == 0 or values.height > CODED_MAX_DISTINCT:
        return False
    return bool(values.select((pl.col("s").str.len_chars() <= CODED_MAX_LEN).all()).item())


def reference_like(values: pl.DataFrame, n: int, *, header_says_id: bool) -> float:
    """Share of values in the column's commonest shapes, when the column reads as one reference scheme; else 0.

    ``values`` holds each distinct value once (``s``) with its count (``n``).
    A shape keeps the punctuation and length and writes every letter or digit
    as ``x``: ``ABC-1F2E3`` and ``XYZ-99A0B`` share ``xxx-xxxxx``. The column
    must be unique enough, mostly in at most three shapes, and most of its
    values must mix letters with digits (a column of numbers or of words is
    left to the other rules), except that whole numbers, nearly all
    different, under a header that says id or number are record numbers.
    """

    if n < 20 or values.height == 0:
        return 0.0
    unique = values.height / n
    if unique < (UNIQUE_SHARE_WITH_HEADER if header_says_id else UNIQUE_SHARE):
        return 0.0
    s = pl.col("s")
    if header_says_id and unique >= UNIQUE_SHARE:  # record numbers: "patient_id" 1, 2, 3 …
        numbers = float(values.select(pl.col("n").filter(s.str.contains(r"^\d{1,12}$")).sum()).item() or 0) / n
        if numbers >= SHAPE_SHARE:
            return round(numbers, 6)
    shaped = values.with_columns(
        s.str.replace_all(r"[^\W_]", "x").alias("shape"),
        (s.str.contains(r"[A-Za-z]") & s.str.contains(r"\d") & ~s.str.contains(r"\s")).alias("mixed"),
        s.str.len_chars().is_between(4, 24).alias("sized"),
    )
    mixed = float(shaped.select(pl.col("n").filter(pl.col("mixed") & pl.col("sized")).sum()).item() or 0) / n
    if mixed < SHAPE_SHARE:
        return 0.0
    top = shaped.group_by("shape").agg(pl.col("n").sum()).sort("n", descending=True).head(3)
    share = float(top.get_column("n").sum()) / n
    return round(share, 6) if share >= SHAPE_SHARE else 0.0


@functools.cache
def _place_words() -> frozenset[str]:
    return frozenset(kind_phrases("place") | _AREA_WORDS)


def place_share(values: pl.DataFrame, n: int) -> float:
    """Share of the column's values that are places or area categories ("Urban", "Leeds", "North West")."""

    if n == 0 or values.height == 0:
        return 0.0
    places = _place_words()
    hits = sum(int(c) for v, c in values.select("s", "n").iter_rows() if canonical(str(v)) in places)
    return round(hits / n, 6)


# --------------------------------------------------------------------------
# The rules as the classifier runs them (each returns a verdict or None)
# --------------------------------------------------------------------------

#: Distinct values a column headed first name, surname or full name needs: a made-up extract of 27 surnames
#: is still a column of names, while a code list under such a header has a handful.
NAMES_MIN_DISTINCT = 20
#: Share of values a second kind of identifier needs to be listed beside the first in a mixed column.
MIXED_SHARE = 0.1
_GENDER_HEADER = re.compile(r"(?:^|[^a-z])(?:fe)?males?(?:[^a-z]|$)|(?:^|[^a-z])sex(?:[^a-z]|$)|gender", re.I)
_PERSON_HEADER = re.compile(r"(?:first|last|sur|fore|given|family|full|middle)[ _\-]?names?\b|^(?:sur|fore)name", re.I)
_REASONS = {
    "place": "An area category (place names, urban or rural): combined with other details it narrows people down.",
    "words": "A category of everyday words (not people's names): no personal data found in this column.",
    "names": "The header says these are people's names and the values read as names; remove the column "
    "(or pseudonymise it).",
    "reference": "A reference: nearly every value is different and they share one pattern, so each row can be "
    "traced back to a record in the source system; pseudonymise it with a key (or remove it).",
    "sex": "Sex or gender as codes: harmless alone, but it narrows groups when combined with age and area.",
    "special": "special category data under UK GDPR; share only with a lawful basis and suppress small groups.",
}
#: The end of every sentence that calls a column special category data (the rules beside the table's too).
SPECIAL_REASON = _REASONS["special"]
_SPECIAL_LABEL = {
    PiiType.ETHNICITY: "ethnicity",
    PiiType.RELIGION: "religion or belief",
    PiiType.HEALTH: "health or disability",
    PiiType.SEXUAL_ORIENTATION: "sexual orientation",
}


def mixed_types(
    matches: dict[PiiType, float], candidates: tuple[PiiType, ...], hint: str | None, needs_header: Collection[PiiType]
) -> list[PiiType]:
    """Every identifier type with at least :data:`MIXED_SHARE` of the values, commonest first.

    A contact column holding emails and phone numbers is both, and a safe
    copy must treat it as both; types that need the header to be believed
    (sort codes, bank accounts …) count only when the header names them.
    """

    present = [
        p for p in candidates if matches.get(p, 0.0) >= MIXED_SHARE and (p not in needs_header or hint == p.value)
    ]
    return sorted(present, key=lambda p: -matches.get(p, 0.0))


#: Header words that say a column holds ways to reach people ("contact", "tel_no", "Mobile2", "fax").
_CONTACT_HEADER = re.compile(
    r" (?:phone|telephone|mobile|mob|tel|landline|fax|contact|whatsapp|sms)(?:s|no|\d+)? ", re.IGNORECASE
)


def phones_in_context(c: Any) -> None:
    """Count every number written as a UK phone number as a phone, where the column says it holds them.

    A caseworker's typo, or a number in a range Ofcom keeps for drama
    (07700 900xxx), is still written to be dialled; counted only by the
    numbering plan, a contact column with a fifth of such numbers listed only
    EMAIL. The column says it holds phone numbers when its header says phone,
    mobile, tel or contact, when emails make up :data:`MIXED_SHARE` of it, or
    when at least half of its phone-shaped numbers are in allocated ranges.
    Not in such a column, eleven-digit references that start with 0 (a third
    of which fall in allocated ranges by chance) stay what they were, and only
    a number written to be dialled ("+44 …", "(0113) …") counts, as in notes.
    """

    allocated = c.matches.get(PiiType.PHONE, 0.0)
    header = c.hint == "PHONE" or _CONTACT_HEADER.search(_header_words(c.name)) is not None
    emails = c.matches.get(PiiType.EMAIL, 0.0) >= MIXED_SHARE
    written = written_phone_share(c.st.distinct_values) if header or emails or allocated else 0.0
    if written > allocated and (header or emails or allocated >= STRONG * written):
        why = "the header names phones" if header else "emails beside them" if emails else "most are allocated"
    else:
        # Written to be dialled ("+44 (0)7700 900123", "(0113) 496 0000"), as the span finder reads notes.
        written = _dialled_share(c.st.distinct_values)
        why = "written with +44 or a bracketed area code"
        if written <= allocated:
            return
    c.matches[PiiType.PHONE] = written
    c.ev.notes.append(f"{written:.0%} of values are written as UK phone numbers, counted as phones ({why})")


def _dialled_share(values: pl.DataFrame) -> float:
    """Share of rows written as a UK number to be dialled (+44, 0044, a bracketed area code), or allocated."""

    lead = pl.col("s").str.strip_chars_start()
    if not values.select((lead.str.starts_with("+") | lead.str.starts_with("(")).any()).item():
        return 0.0
    return written_phone_share(values, lambda v: phone_ok(v) or (phone_shaped(v) and written_as_phone(v.strip())))


def coded_special_category(c: Any) -> Verdict | None:
    """A header that names a special category (or sex) over a handful of short codes; test results; sex life."""

    if not coded_values(c.st.distinct_values):
        return None
    verdict = test_results(c) or sex_life(c)
    if verdict is not None:
        return verdict
    pii = special_header(c.name)
    if pii is not None:
        c.ev.notes.append(f"the header names {_SPECIAL_LABEL[pii]} and the values are {c.st.distinct} short codes")
        reason = f"The header names {_SPECIAL_LABEL[pii]} and the values are codes or flags: " + _REASONS["special"]
        return Verdict(ColumnKind.SPECIAL_CATEGORY, [pii], Action.SUPPRESS_SMALL_GROUPS, reason)
    if _GENDER_HEADER.search(c.name) and c.st.distinct <= 4:
        return Verdict(ColumnKind.QUASI_IDENTIFIER, [PiiType.GENDER], Action.KEEP, _REASONS["sex"])
    return None


#: Share of a column's values that must be numbers for a clinical measurement header to make it health data.
MEASURE_SHARE = 0.8
_NUMBER = r"^[-+]?\d+(?:\.\d+)?$"


def health_measure(c: Any) -> Verdict | None:
    """A header naming a clinical measurement (``SysBP``, ``bmi``, ``HbA1c``) or a count of diseases over numbers.

    Blood pressure, glucose or a depression score recorded for a person is data
    concerning their health whatever the numbers are, but the coded rule above
    sees only a handful of codes; a measurement takes many values.
    """

    words = _header_words(c.name)
    named = [m for m in _health_measures() if f" {m} " in words]
    # A count of diseases or chronic conditions ("disea", "numchron") is health data whatever the number.
    named += [w for w in words.split() if header_abbreviations.counts_health(w)]
    rest = functools.reduce(lambda w, m: w.replace(f" {m} ", " "), named, words)
    if not named or _about_a_thing(rest):  # "rate" in "heart rate" is the measure, in "bmi_rate_table" a thing
        return None
    values = c.st.distinct_values
    numbers = float(values.select(pl.col("n").filter(pl.col("s").str.contains(_NUMBER)).sum()).item() or 0)
    if numbers < MEASURE_SHARE * c.st.n:
        return None
    c.ev.notes.append("the header names a clinical measurement and the values are numbers")
    reason = "The header names a clinical measurement and the values are its readings: " + _REASONS["special"]
    return Verdict(ColumnKind.SPECIAL_CATEGORY, [PiiType.HEALTH], Action.SUPPRESS_SMALL_GROUPS, reason)


def place_category(c: Any) -> Verdict | None:
    """A few place words repeated many times ("Urban"/"Rural", towns): an area category, never names."""

    st = c.st
    if st.distinct * 5 > st.n or place_share(st.distinct_values, st.n) < STRONG:
        return None
    c.ev.notes.append("the values are place names or area categories, repeated like a category")
    return Verdict(ColumnKind.QUASI_IDENTIFIER, [], Action.SUPPRESS_SMALL_GROUPS, _REASONS["place"])


#: Most distinct values a column of everyday words may have and still be read as a category.
WORD_CATEGORY_MAX_DISTINCT = 30
#: Share of the rows that must be everyday words (not a listed name that is only a name).
WORD_CATEGORY_SHARE = 0.8


def _everyday_words(value: object) -> bool:
    """One to three words, each an English word and none a name that is only a name ("Oliver")."""

    lists = name_lists()
    words = canonical(str(value)).split()
    return 0 < len(words) <= 3 and all(
        len(w) > 1 and w.isalpha() and w in lists.english and not lists.is_strong_name(w) for w in words
    )


def word_category(c: Any) -> Verdict | None:
    """A few everyday English words repeated many times ("sun", "fog", "rain"): a category, never names.

    The name lists hold "Sun", "Snow" and "Rain" as surnames, so without this
    rule a column of weather would read as people's names, and that one false
    finding would make a table with nobody in it "not shareable". A header
    that says names or areas is left to the rules for those.
    """

    st = c.st
    if c.hint in ("PERSON", "AREA") or st.distinct > WORD_CATEGORY_MAX_DISTINCT or st.distinct * 5 > st.n:
        return None
    hits = sum(int(n) for v, n in st.distinct_values.select("s", "n").iter_rows() if _everyday_words(v))
    if hits < WORD_CATEGORY_SHARE * st.n:
        return None
    c.ev.notes.append(f"{hits / st.n:.0%} of values are everyday English words, repeated like a category")
    return Verdict(ColumnKind.OTHER, [], Action.KEEP, _REASONS["words"])


def named_by_header(c: Any) -> Verdict | None:
    """A header that says first name, surname or full name over many short words of letters."""

    st = c.st
    if not _PERSON_HEADER.search(c.name) or st.distinct < NAMES_MIN_DISTINCT:  # names repeat, but many
        return None
    words = pl.col("s").str.contains(r"^[^\W\d_]+(?:['’\- ][^\W\d_]+){0,2}$")
    share = float(st.distinct_values.select(pl.col("n").filter(words).sum()).item() or 0) / st.n
    if share < 0.9:
        return None
    c.ev.notes.append(f"the header names people's names and {share:.0%} of values are words of letters")
    return Verdict(ColumnKind.DIRECT_IDENTIFIER, [PiiType.PERSON], Action.DROP, _REASONS["names"], PiiType.PERSON)


def reference_by_shape(c: Any) -> Verdict | None:
    """A unique code with a fixed shape (``ABC-1F2E3``): a reference into a system, pseudonymised by default."""

    st = c.st
    share = reference_like(st.distinct_values, st.n, header_says_id=c.hint == "SYSTEM_ID")
    if not share:
        return None
    c.ev.match_share[str(PiiType.SYSTEM_ID)] = share
    c.ev.notes.append(f"{st.distinct / st.n:.0%} of values are distinct and {share:.0%} share one shape")
    return Verdict(
        ColumnKind.SYSTEM_ID, [PiiType.SYSTEM_ID], Action.PSEUDONYMISE, _REASONS["reference"], PiiType.SYSTEM_ID
    )


#: How laboratories and test services write a result ("Positive", "not detected", "inconclusive").
_TEST_RESULTS = frozenset(
    {"positive", "negative", "pos", "neg", "detected", "not detected", "inconclusive", "invalid", "equivocal",
     "indeterminate", "pending", "void", "reactive", "non reactive", "non-reactive"}
)  # fmt: skip


def test_results(c: Any) -> Verdict | None:
    """A column of test results: most values "positive" or "negative" (a COVID or HIV test), whatever the header.

    A result says someone was tested and what for, which is data about their
    health; a column that holds nothing but those words is such a result.
    """

    values = c.st.distinct_values
    known = sum(int(n) for v, n in values.select("s", "n").iter_rows() if canonical(str(v)) in _TEST_RESULTS)
    keys = {canonical(str(v)) for v in values.get_column("s")}
    if known < STRONG * c.st.n or not keys & {"positive", "pos", "detected", "reactive"}:
        return None
    c.ev.notes.append("the values are test results (positive, negative …)")
    reason = "Test results: each says a person was tested and what the test found: " + _REASONS["special"]
    return Verdict(ColumnKind.SPECIAL_CATEGORY, [PiiType.HEALTH], Action.SUPPRESS_SMALL_GROUPS, reason)


#: Headers about a person's sex life, a special category of UK GDPR (Article 9) with no type of its own here.
_SEX_LIFE = re.compile(r"\b(?:affairs?|sex ?life|sexual (?:partners?|activity|behaviou?r|history)|infidelity)\b")


def sex_life(c: Any) -> Verdict | None:
    """A header naming sex life over codes ("affairs" 0–12): special category, with no type of its own."""

    if not _SEX_LIFE.search(_header_words(c.name)):
        return None
    c.ev.notes.append("the header names sex life and the values are short codes")
    reason = "The header names a person's sex life and the values are codes: " + _REASONS["special"]
    return Verdict(ColumnKind.SPECIAL_CATEGORY, [], Action.SUPPRESS_SMALL_GROUPS, reason)


#: Distinct values that must name a route of HIV exposure ("msm", "heterosexual contact") for the rule below.
EXPOSURE_MIN_ROUTES = 2


@functools.cache
def _exposure_routes() -> dict[str, frozenset[str]]:
    """Canonical exposure category → its tags ("route", "msm"); untagged everyday words have none."""

    vocab = vocabulary("hiv_exposure")
    return {_exposure_key(e): frozenset(vocab.tags.get(e, "").split()) for e in vocab.entries}


def _exposure_key(value: str) -> str:
    return re.sub(r"[\s\-/&+]+", " ", canonical(value)).strip()


def exposure_categories(c: Any) -> Verdict | None:
    """A few categories of how people acquired HIV ("MSM", "heterosexual contact", "perinatal").

    Whatever the header, a column of such categories says each person has HIV,
    and "sex between men" says a man's sexual orientation. Most of the distinct
    values must be categories, two of them naming a route (so "blood",
    "mother" and "other" alone never make it one).
    """

    values = c.st.distinct_values
    if values.height == 0 or values.height > CODED_MAX_DISTINCT:
        return None
    routes = _exposure_routes()
    tags = [routes.get(_exposure_key(str(v))) for v in values.get_column("s")]
    known = [t for t in tags if t is not None]
    named = [t for t in known if "route" in t]
    if len(named) < EXPOSURE_MIN_ROUTES or len(known) * 2 < len(tags):
        return None
    types = [PiiType.HEALTH] + ([PiiType.SEXUAL_ORIENTATION] if any("msm" in t for t in named) else [])
    c.ev.notes.append(f"{len(known)} of {len(tags)} distinct values are HIV exposure categories")
    reason = "Categories of how people acquired HIV: each says a person has HIV, some their sexual orientation: "
    return Verdict(ColumnKind.SPECIAL_CATEGORY, types, Action.SUPPRESS_SMALL_GROUPS, reason + _REASONS["special"])
