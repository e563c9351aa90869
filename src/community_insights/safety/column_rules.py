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
"""

from __future__ import annotations

import functools
import re

import polars as pl

from community_insights.safety.types import PiiType
from community_insights.safety.vocabularies import canonical, kind_phrases

__all__ = [
    "coded_values",
    "place_share",
    "reference_like",
    "special_header",
]

#: Share of values that must have the commonest shapes for a column to be one reference scheme.
SHAPE_SHARE = 0.8
#: Share of distinct values (of all values) that makes a column unique enough to be a reference.
UNIQUE_SHARE = 0.9
#: With a header that says "id", "ref" or "number", half the values being distinct is enough.
UNIQUE_SHARE_WITH_HEADER = 0.5
#: At most this many distinct short values make a column "coded" (0/1, Y/N, 1–5, A–Z).
CODED_MAX_DISTINCT = 12
CODED_MAX_LEN = 24

_HEADER_WORDS: dict[PiiType, tuple[str, ...]] = {
    PiiType.ETHNICITY: ("ethnic", "ethnicity", "race", "racial", "racegrp", "bame", "ethnic origin"),
    PiiType.RELIGION: ("religion", "religious", "religiousness", "religiosity", "faith", "belief", "beliefs"),
    PiiType.SEXUAL_ORIENTATION: ("sexual orientation", "sexuality", "orientation", "lgb", "lgbt"),
    PiiType.HEALTH: (
        "health", "condition", "conditions", "disability", "disabled", "illness", "impairment", "diagnosis",
        "medical", "mental", "chronic", "substance", "alcohol", "drug", "drugs", "medication", "pregnant",
        "pregnancy", "heart disease", "blood pressure", "bmi", "glucose", "cholesterol", "smoking", "smoker",
    ),
}  # fmt: skip
#: Header words that make "condition" or "health" about a thing, not a person.
_THING_WORDS = frozenset(
    {"property", "house", "housing", "building", "vehicle", "car", "road", "stock", "repair", "item", "asset",
     "equipment", "room", "weather", "financial", "account", "credit", "system", "server", "contract"}
)  # fmt: skip
#: Words a column of area categories holds besides place names.
_AREA_WORDS = frozenset(
    {"urban", "rural", "suburban", "town", "city", "village", "inner", "outer", "north", "south", "east", "west",
     "central", "northern", "southern", "eastern", "western", "coastal", "inland", "metropolitan", "county",
     "north east", "north west", "south east", "south west", "east midlands", "west midlands", "inner london",
     "outer london", "urban city and town", "rural town and fringe", "rural village", "rural hamlet",
     "urban major conurbation", "urban minor conurbation", "rest of england", "rest of uk"}
)  # fmt: skip


def _header_words(name: str) -> str:
    spaced = re.sub(r"([a-z])([A-Z])", r"\1 \2", name)
    return " " + " ".join(re.findall(r"[a-z0-9]+", spaced.lower())) + " "


@functools.cache
def _health_header_phrases() -> frozenset[str]:
    """Condition names as they appear in headers ("heart_disease" → "heart disease"), from the health list."""

    phrases = {p for p in kind_phrases("health") if p.replace(" ", "").isalpha() and len(p) >= 4}
    return frozenset(phrases | set(_HEADER_WORDS[PiiType.HEALTH]))


def special_header(name: str) -> PiiType | None:
    """The special category a header names (``stroke``, ``HeartDisease``, ``race``), if any."""

    words = _header_words(name)
    if any(f" {w} " in words for w in _THING_WORDS):
        return None
    for pii in (PiiType.ETHNICITY, PiiType.RELIGION, PiiType.SEXUAL_ORIENTATION):
        if any(f" {w} " in words or words.startswith(f" {w}") for w in _HEADER_WORDS[pii]):
            return pii
    if any(f" {p} " in words for p in _health_header_phrases()):
        return PiiType.HEALTH
    return None


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
    left to the other rules).
    """

    if n < 20 or values.height == 0:
        return 0.0
    unique = values.height / n
    if unique < (UNIQUE_SHARE_WITH_HEADER if header_says_id else UNIQUE_SHARE):
        return 0.0
    s = pl.col("s")
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
