"""Rules that read a column beside the rest of its table: flags made from a health measurement, and
clinical abbreviations that other fields use for something else.

The column rules read one column at a time, from its header and values. Two
kinds of health column cannot be told that way, because what they mean
depends on the table they sit in:

* **A flag made from a measurement.** ``low`` in a table of births is 1
  exactly where the birth weight is under 2,500 g; Wooldridge's ``lbw`` is 1
  where ``bwght`` is 2,000 g or less. A flag whose two values split a health
  measurement of the same table at one point (every row with one value below
  every row with the other) says which side of the cut each person falls:
  it is that measurement, coarsened, and health data like it. Its header may
  be any word ("low" is also a share price). A flag that splits no health
  column (insurance, self-employed, married) stays what it was, however many
  health columns sit beside it.
* **An abbreviation other fields share.** ``ui`` is urinary incontinence in a
  clinical table and unemployment insurance in a labour-market one
  (``data/health_headers_shared.txt``, with its sources). As a flag (two
  values, or three with an unknown: each names a condition someone has or
  not) it is read as health when at least :data:`NEIGHBOURS` other columns
  of the same table were read as health by the column rules: never by this
  rule itself, so one guess cannot carry another.

Both run once the columns are classified, on the same first rows, and change
only columns that no rule found anything in.
"""

from __future__ import annotations

import dataclasses
import functools

import polars as pl

from community_insights.safety.classify import safe_examples
from community_insights.safety.column_rules import SPECIAL_REASON
from community_insights.safety.header_abbreviations import header_words
from community_insights.safety.types import Action, ColumnFinding, ColumnKind, PiiType
from community_insights.safety.vocabularies import canonical, vocabulary

__all__ = ["NEIGHBOURS", "read_beside", "shared_abbreviation", "splits_at_one_point"]

#: Rows a flag needs on each side of the cut: with fewer, a few rows could fall on one side by chance.
MIN_SIDE = 5
#: Distinct values a health column needs to be a measurement a flag can be made from (not another flag).
SOURCE_MIN_DISTINCT = 3
#: Share of the flag's rows whose measurement must be a number for the split to be read.
NUMBER_SHARE = 0.8
#: Other columns of the table read as health that make a shared abbreviation a health one.
NEIGHBOURS = 2
#: A shared abbreviation names a condition someone has or not: a flag of two values, or three with an unknown.
FLAG_MAX_DISTINCT = 3
#: The measurement's column in the one query of a split (a name no file's header has).
_X = "\x00measure"


def read_beside(sample: pl.DataFrame, findings: list[ColumnFinding], threshold: int) -> list[ColumnFinding]:
    """The findings, with columns no rule found anything in read beside the table's health columns.

    A table with no health column is returned as it is, at the cost of one
    look at each finding's types; otherwise each health measurement costs one
    query over the first rows, for every flag at once.
    """

    health = [f for f in findings if PiiType.HEALTH in f.pii_types]
    if not health:
        return findings
    unread = [f for f in findings if f.kind is ColumnKind.OTHER and f.name in sample.columns]
    notes = _made_from_measurements(sample, [f.name for f in unread if f.evidence.distinct == 2], health)
    for f in unread:
        if f.name not in notes and (note := _shared_health(f, health)):
            notes[f.name] = note
    return [f if f.name not in notes else _as_health(sample, f, notes[f.name], threshold) for f in findings]


def splits_at_one_point(sample: pl.DataFrame, flag: str, measure: str) -> bool:
    """True when the two values of ``flag`` split the numbers of ``measure`` at one point.

    Every row with one value has a smaller number than every row with the
    other, each value has at least :data:`MIN_SIDE` rows with a number, and
    :data:`NUMBER_SHARE` of the flag's rows have one.
    """

    return flag in _splits(sample, [flag], measure)


def _splits(sample: pl.DataFrame, flags: list[str], measure: str) -> set[str]:
    """Those of ``flags`` (columns of two values) that split ``measure`` at one point, in one query."""

    frame = sample.select(*(_text(c) for c in flags), _text(measure).cast(pl.Float64, strict=False).alias(_X))
    stats: list[pl.Expr] = []
    sides: list[str] = []
    for flag in flags:
        values = sorted(v for v in frame.get_column(flag).unique().to_list() if v)
        if len(values) != 2:
            continue
        for j, value in enumerate(values):
            on, at = pl.col(flag) == value, f"{len(sides)} {j}"
            x = pl.col(_X).filter(on)
            stats += [on.sum().alias(f"rows {at}"), x.count().alias(f"n {at}")]
            stats += [x.min().alias(f"lo {at}"), x.max().alias(f"hi {at}")]
        sides.append(flag)
    if not stats:
        return set()
    got = frame.select(stats).row(0, named=True)
    out = set()
    for i, flag in enumerate(sides):
        n0, n1, rows = got[f"n {i} 0"], got[f"n {i} 1"], got[f"rows {i} 0"] + got[f"rows {i} 1"]
        if min(n0, n1) < MIN_SIDE or n0 + n1 < NUMBER_SHARE * rows:
            continue
        if got[f"hi {i} 0"] < got[f"lo {i} 1"] or got[f"hi {i} 1"] < got[f"lo {i} 0"]:
            out.add(flag)
    return out


def shared_abbreviation(name: str) -> str | None:
    """The clinical abbreviation other fields share (``ui``, ``ms``) that a header is or holds as a word."""

    words = header_words(name)
    return next((w for w in _shared() if f" {w} " in words), None)


@functools.cache
def _shared() -> tuple[str, ...]:
    return tuple(sorted(canonical(e) for e in vocabulary("health_headers_shared").entries))


def _text(name: str) -> pl.Expr:
    return pl.col(name).cast(pl.String, strict=False).str.strip_chars()


def _made_from_measurements(sample: pl.DataFrame, flags: list[str], health: list[ColumnFinding]) -> dict[str, str]:
    """A note for each flag that splits one of the table's health measurements at one point."""

    notes: dict[str, str] = {}
    for source in health:
        if source.evidence.distinct < SOURCE_MIN_DISTINCT or source.name not in sample.columns:
            continue
        left = [f for f in flags if f not in notes and f != source.name]
        for flag in _splits(sample, left, source.name) if left else ():
            notes[flag] = f"the two values split {source.name} (read as health) at one point: a flag made from it"
    return notes


def _shared_health(f: ColumnFinding, health: list[ColumnFinding]) -> str | None:
    """A note when the header is a shared clinical abbreviation over a flag, beside other health columns."""

    word = shared_abbreviation(f.name)
    neighbours = [g.name for g in health if g.name != f.name]
    if word is None or len(neighbours) < NEIGHBOURS or not 0 < f.evidence.distinct <= FLAG_MAX_DISTINCT:
        return None
    meaning = vocabulary("health_headers_shared").tags.get(word, "").split(" | ")[0]
    named = ", ".join(neighbours[:3]) + (" …" if len(neighbours) > 3 else "")
    return (
        f"the header is {word}, {meaning} in clinical data, over {f.evidence.distinct} codes, beside "
        f"{len(neighbours)} columns read as health ({named})"
    )


def _as_health(sample: pl.DataFrame, f: ColumnFinding, note: str, threshold: int) -> ColumnFinding:
    """The finding as health data, with the note that says why and only frequent values as examples."""

    values = sample.select(_text(f.name)).to_series().drop_nulls()
    values = values.filter(values != "")
    evidence = dataclasses.replace(
        f.evidence, notes=[*f.evidence.notes, note], masked_examples=safe_examples(values, threshold)
    )
    reason = f"Health data read beside the rest of the table ({note}): " + SPECIAL_REASON
    return dataclasses.replace(
        f,
        kind=ColumnKind.SPECIAL_CATEGORY,
        pii_types=[PiiType.HEALTH],
        evidence=evidence,
        recommended_action=Action.SUPPRESS_SMALL_GROUPS,
        reason=reason,
    )
