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
  (``data/health_headers_shared.txt``, with its sources). Over a handful of
  codes it is read as health when at least :data:`NEIGHBOURS` other columns
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
from community_insights.safety.column_rules import CODED_MAX_DISTINCT, CODED_MAX_LEN, SPECIAL_REASON
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


def read_beside(sample: pl.DataFrame, findings: list[ColumnFinding], threshold: int) -> list[ColumnFinding]:
    """The findings, with columns no rule found anything in read beside the table's health columns.

    A table with no health column is returned as it is, at the cost of one
    look at each finding's types.
    """

    health = [f for f in findings if PiiType.HEALTH in f.pii_types]
    if not health:
        return findings
    out = []
    for finding in findings:
        verdict = None
        if finding.kind is ColumnKind.OTHER and finding.name in sample.columns:
            verdict = _made_from_measurement(sample, finding, health) or _shared_health(sample, finding, health)
        out.append(finding if verdict is None else _as_health(sample, finding, verdict, threshold))
    return out


def splits_at_one_point(sample: pl.DataFrame, flag: str, measure: str) -> bool:
    """True when the two values of ``flag`` split the numbers of ``measure`` at one point.

    Every row with one value has a smaller number than every row with the
    other, and each value has at least :data:`MIN_SIDE` rows with a number.
    """

    frame = sample.select(_text(flag).alias("f"), _text(measure).cast(pl.Float64, strict=False).alias("x")).filter(
        pl.col("f").is_not_null() & (pl.col("f") != "")
    )
    numbered = frame.filter(pl.col("x").is_not_null())
    if numbered.height < NUMBER_SHARE * frame.height:
        return False
    sides = (
        numbered.group_by("f")
        .agg(pl.len().alias("n"), pl.col("x").min().alias("lo"), pl.col("x").max().alias("hi"))
        .sort("lo")
    )
    if sides.height != 2 or int(sides.get_column("n").min() or 0) < MIN_SIDE:  # type: ignore[arg-type]
        return False
    return bool(sides.item(0, "hi") < sides.item(1, "lo"))


def shared_abbreviation(name: str) -> str | None:
    """The clinical abbreviation other fields share (``ui``, ``ms``) that a header is or holds as a word."""

    words = header_words(name)
    return next((w for w in _shared() if f" {w} " in words), None)


@functools.cache
def _shared() -> tuple[str, ...]:
    return tuple(sorted(canonical(e) for e in vocabulary("health_headers_shared").entries))


def _text(name: str) -> pl.Expr:
    return pl.col(name).cast(pl.String, strict=False).str.strip_chars()


def _made_from_measurement(sample: pl.DataFrame, f: ColumnFinding, health: list[ColumnFinding]) -> str | None:
    """A note when the column is a flag that splits one of the table's health measurements at one point."""

    if f.evidence.distinct != 2:
        return None
    for source in health:
        if source.evidence.distinct < SOURCE_MIN_DISTINCT or source.name not in sample.columns:
            continue
        if splits_at_one_point(sample, f.name, source.name):
            return f"the two values split {source.name} (read as health) at one point: a flag made from it"
    return None


def _shared_health(sample: pl.DataFrame, f: ColumnFinding, health: list[ColumnFinding]) -> str | None:
    """A note when the header is a shared clinical abbreviation over codes, beside other health columns."""

    word = shared_abbreviation(f.name)
    neighbours = [g.name for g in health if g.name != f.name]
    if word is None or len(neighbours) < NEIGHBOURS or not 0 < f.evidence.distinct <= CODED_MAX_DISTINCT:
        return None
    longest = sample.select(_text(f.name).str.len_chars().max()).item()
    if longest is None or longest > CODED_MAX_LEN:
        return None
    meaning = vocabulary("health_headers_shared").tags.get(word, "").split(" | ")[0]
    return (
        f"the header is {word} ({meaning} in clinical data) over {f.evidence.distinct} short codes, beside "
        f"{len(neighbours)} columns read as health ({', '.join(neighbours[:3])})"
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
