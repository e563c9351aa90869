"""The mosaic effect: details that are harmless alone single people out together.

The guide asks whether whoever receives the data could cross-reference it
with what they already hold to make a match. This module measures that with:

* **k-anonymity** over the quasi-identifiers (age, area, gender, ethnicity …):
  the size of the smallest group of records sharing one combination, and how
  many records sit in groups smaller than the threshold;
* **l-diversity** of each special-category column inside those groups: a
  group where everyone has the same health condition discloses it for all of
  them, however large the group;
* **the combinations that do the damage**: every subset of the
  quasi-identifiers (up to four columns) is scored, so a report can say
  "age band + ward + ethnicity singles out 312 people" and the team knows
  which column to generalise first.

Work is done on an aggregated table of counts (:class:`MosaicCounter`), built
batch by batch, so memory grows with the number of distinct combinations, not
with rows. Subsets are scored on integer codes, which keeps dozens of
group-bys over a million records to a second or two.
"""

from __future__ import annotations

import itertools
from collections.abc import Sequence

import polars as pl

from community_insights.safety.types import CombinationRisk, DiversityFinding, MosaicFinding

__all__ = ["MosaicCounter", "assess_mosaic", "column_label"]

MAX_SUBSET_SIZE = 4
MAX_QUASI_FOR_SUBSETS = 8
MAX_REPORTED_COMBINATIONS = 8
_COUNT = "__records"


def column_label(name: str) -> str:
    """A column name as words for a sentence (``age_band`` → ``age band``)."""

    return " ".join(name.replace("_", " ").replace("-", " ").split()).lower() or name


class MosaicCounter:
    """Counts records per combination of quasi-identifiers and sensitive values."""

    def __init__(self, quasi: Sequence[str], sensitive: Sequence[str] = ()) -> None:
        self.quasi = list(quasi)
        self.sensitive = [c for c in sensitive if c not in self.quasi]
        self.keys = self.quasi + self.sensitive
        self._parts: list[pl.DataFrame] = []
        self._pending = 0
        self.records = 0

    def add(self, batch: pl.DataFrame) -> None:
        if not self.keys:
            self.records += batch.height
            return
        # 64-bit hashes stand in for the values: counts never need the values back (sentences
        # name columns, not values), and group-bys on integers run far faster than on strings.
        # Blank cells stay null so l-diversity can leave them out.
        cols = []
        for c in self.keys:
            text = pl.col(c).cast(pl.String).str.strip_chars()
            cols.append(pl.when(text.is_null() | (text == "")).then(None).otherwise(text.hash(seed=7)).alias(c))
        agg = batch.select(cols).group_by(self.keys).len(name=_COUNT)
        self._parts.append(agg)
        self._pending += agg.height
        self.records += batch.height
        if len(self._parts) > 16 and self._pending > 4 * max(self._parts[0].height, 1):
            self._parts = [self._merge()]
            self._pending = self._parts[0].height

    def _merge(self) -> pl.DataFrame:
        return pl.concat(self._parts).group_by(self.keys).agg(pl.col(_COUNT).sum())

    def table(self) -> pl.DataFrame:
        if not self._parts:
            schema: dict[str, pl.DataType] = {c: pl.UInt64() for c in self.keys}
            schema[_COUNT] = pl.UInt32()
            return pl.DataFrame(schema=schema)
        return self._merge()


def _risk(codes: pl.DataFrame, cols: list[str], threshold: int) -> CombinationRisk:
    groups = codes.group_by(cols).agg(pl.col(_COUNT).sum())
    sizes = groups.get_column(_COUNT)
    smallest = int(sizes.min() or 0)  # type: ignore[arg-type]
    unique = int((sizes == 1).sum())
    below = int(sizes.filter(sizes < threshold).sum() or 0)
    return CombinationRisk(
        columns=list(cols),
        groups=groups.height,
        smallest_group=smallest,
        unique_records=unique,
        records_below_threshold=below,
    )


def _people(n: int) -> str:
    return "1 person" if n == 1 else f"{n:,} people"


def assess_mosaic(counter: MosaicCounter, *, threshold: int = 10) -> MosaicFinding:
    """k-anonymity, l-diversity and the riskiest column combinations from ``counter``'s counts."""

    finding = MosaicFinding(quasi_identifiers=list(counter.quasi), threshold=threshold)
    if not counter.quasi:
        finding.sentences.append("No quasi-identifiers were found, so the mosaic effect was not measured.")
        return finding
    table = counter.table()
    if table.height == 0:
        return finding
    codes = table  # already integer hashes per column (nulls stay null and form their own group)
    whole = _risk(codes, counter.quasi, threshold)
    finding.k = whole.smallest_group
    finding.groups = whole.groups
    finding.records_below_threshold = whole.records_below_threshold
    finding.unique_records = whole.unique_records

    subset_cols = counter.quasi[:MAX_QUASI_FOR_SUBSETS]
    risks: list[CombinationRisk] = []
    for size in range(1, min(MAX_SUBSET_SIZE, len(subset_cols)) + 1):
        for combo in itertools.combinations(subset_cols, size):
            risks.append(_risk(codes, list(combo), threshold))
    if len(counter.quasi) > MAX_SUBSET_SIZE and all(r.columns != counter.quasi for r in risks):
        risks.append(whole)
    # Keep a combination only when it singles out clearly more people than any of its parts
    # (a quarter more): "postcode + date of birth" adds nothing when date of birth alone
    # already singles everyone out, while "age band + ward + ethnicity" may.
    by_cols = {frozenset(r.columns): r for r in risks}
    risky = []
    for r in risks:
        if r.unique_records == 0:
            continue
        best_part = max(
            (
                by_cols[frozenset(sub)].unique_records
                for sub in itertools.combinations(r.columns, len(r.columns) - 1)
                if frozenset(sub) in by_cols
            ),
            default=0,
        )
        if len(r.columns) == 1 or r.unique_records >= 1.25 * best_part + 1:
            risky.append(r)
    risky.sort(key=lambda r: (-r.unique_records, len(r.columns)))
    chosen: list[CombinationRisk] = []
    for r in risky:
        chosen.append(r)
        if len(chosen) >= MAX_REPORTED_COMBINATIONS:
            break
    chosen.sort(key=lambda r: (-r.unique_records, len(r.columns)))
    for r in chosen:
        r.sentence = f"{' + '.join(column_label(c) for c in r.columns)} singles out {_people(r.unique_records)}."
    finding.combinations = chosen

    for col in counter.sensitive:
        per_group = codes.group_by(counter.quasi).agg(
            pl.col(col).drop_nulls().n_unique().alias("l"),
            pl.col(_COUNT).sum(),
        )
        informative = per_group.filter(pl.col("l") > 0)
        if informative.height == 0:
            continue
        one = informative.filter((pl.col("l") == 1) & (pl.col(_COUNT) >= 2))
        finding.l_diversity.append(
            DiversityFinding(
                column=col,
                l_min=int(informative.get_column("l").min() or 0),  # type: ignore[arg-type]
                groups_with_one_value=one.height,
                records_in_those_groups=int(one.get_column(_COUNT).sum() or 0),
            )
        )

    labels = " + ".join(column_label(c) for c in counter.quasi)
    if whole.unique_records:
        finding.sentences.append(f"Together, {labels} single out {_people(whole.unique_records)}.")
    if whole.records_below_threshold:
        finding.sentences.append(
            f"{whole.records_below_threshold:,} records sit in groups of fewer than {threshold} "
            f"(the smallest group has {whole.smallest_group})."
        )
    else:
        finding.sentences.append(f"Every combination of {labels} covers at least {threshold} records.")
    finding.sentences.extend(r.sentence for r in chosen[:3] if r.columns != counter.quasi)
    for d in finding.l_diversity:
        if d.groups_with_one_value:
            finding.sentences.append(
                f"In {d.groups_with_one_value:,} groups everyone has the same {column_label(d.column)}, "
                f"which discloses it for {_people(d.records_in_those_groups)}."
            )
    return finding
