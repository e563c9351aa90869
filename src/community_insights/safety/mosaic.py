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

Work is done on a table of counts (:class:`MosaicCounter`). For delimited
text it comes from one streaming query over the key columns
(:func:`count_combinations`), numbered once per distinct value
(:func:`encode_counts`); for other formats it is built batch by batch, values
as 64-bit hashes and a whole combination counted by a single-key group-by on
the hash of the row. Either way memory grows with the number of distinct
combinations, not with rows. For scoring, each quasi-identifier
gets dense codes and a bit field of one integer key (:class:`_Codes`), so
k-anonymity and l-diversity come from one single-key group-by. Column subsets
are then scored size by size (:func:`_subset_risks`): narrow ones by counting
bins, wide ones by sorting a packed integer key (:class:`_SubsetScorer`), and
none that contains a smaller subset already singling out nearly everyone, since
no such superset could be reported.

The counting lives in :mod:`.combinations` (it reads the data); this module
scores the counts (it never does).
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Mapping, Sequence

import numpy as np
import polars as pl

from community_insights.safety.combinations import COUNT as _COUNT
from community_insights.safety.combinations import KEY as _KEY
from community_insights.safety.combinations import (
    EncodedCounts,
    MosaicCounter,
    column_label,
    count_combinations,
    dense_codes,
    encode_counts,
    on_two_cores,
    records_share,
)
from community_insights.safety.defaults import DEFAULT_THRESHOLD
from community_insights.safety.diversity import diversity_measures
from community_insights.safety.fix_first import rank_steps
from community_insights.safety.types import CombinationRisk, DiversityFinding, GeneralisationStep, MosaicFinding

__all__ = [
    "EncodedCounts",
    "MosaicCounter",
    "assess_mosaic",
    "column_label",
    "count_combinations",
    "encode_counts",
]

MAX_SUBSET_SIZE = 4
MAX_QUASI_FOR_SUBSETS = 8
MAX_REPORTED_COMBINATIONS = 8
#: Bits available for a combined key (a signed 64-bit integer).
_KEY_BITS = 63


class _Codes:
    """Quasi-identifier combinations as one integer key per row of the aggregated table.

    Each column's hashes become dense codes (0 for blank, 1…n for values), and
    each column gets its own bit field of a 64-bit integer, so every subset is
    grouped with a single-key group-by on integers instead of a multi-column
    one, and each column's codes come back from the key with a mask and a
    shift for scoring the column subsets.
    """

    def __init__(self, table: pl.DataFrame, quasi: list[str], *, dense: bool = False) -> None:
        self.quasi = quasi
        codes = table if dense else table.with_columns(dense_codes(table, c).alias(c) for c in quasi)
        self.mask: dict[str, int] = {}
        shift = 0
        shifts: dict[str, int] = {}
        for c in quasi:
            bits = max(int(codes.get_column(c).max() or 0).bit_length(), 1)  # type: ignore[arg-type]
            shifts[c] = shift
            self.mask[c] = ((1 << bits) - 1) << shift
            shift += bits
        self.bits = shift
        self.shifts = shifts
        #: False when the bit fields do not fit one integer (many high-cardinality columns):
        #: fall back to multi-column group-bys, slower but exact.
        self.packed = shift <= _KEY_BITS
        if self.packed:
            key = pl.lit(0, dtype=pl.Int64)
            for c in quasi:
                key = key + pl.col(c) * (1 << shifts[c])  # disjoint bit fields: + is OR
            self.frame = codes.select(key.alias(_KEY), *(pl.col(c) for c in codes.columns if c not in quasi))
        else:
            self.frame = codes

    def column_codes(self, groups: pl.DataFrame, columns: Sequence[str]) -> dict[str, np.ndarray]:
        """Each column's dense codes for every row of ``groups`` (grouped on the key or on the columns)."""

        if not self.packed:
            return {c: groups.get_column(c).to_numpy().astype(np.int64, copy=False) for c in columns}
        key = groups.get_column(_KEY).to_numpy().astype(np.int64, copy=False)
        out: dict[str, np.ndarray] = {}
        for c in columns:
            codes = key & self.mask[c]
            codes >>= self.shifts[c]  # in place: one array per column, not two
            out[c] = codes
        return out


def _array_risk(sizes: np.ndarray, cols: list[str], threshold: int) -> CombinationRisk:
    """Score one combination from its group sizes.

    One histogram of the sizes answers all three questions (the smallest
    group, the groups of one, the records in groups below the threshold) in a
    single pass, where separate comparisons would each make a pass and a
    temporary array as long as the groups. The histogram stops at the largest
    group, so a huge threshold costs nothing.
    """

    if sizes.size == 0:
        return CombinationRisk(
            columns=list(cols), groups=0, smallest_group=0, unique_records=0, records_below_threshold=0
        )
    cap = min(threshold, int(sizes.max()) + 1)  # every group is below ``cap`` or at least ``threshold``
    low = np.bincount(np.minimum(sizes, cap), minlength=cap + 1)
    present = np.flatnonzero(low)
    return CombinationRisk(
        columns=list(cols),
        groups=int(sizes.size),
        smallest_group=int(present[0]) if present[0] < cap else int(sizes.min()),
        unique_records=int(low[1]) if cap > 1 else int(np.count_nonzero(sizes == 1)),
        records_below_threshold=int((low[:cap] * np.arange(cap)).sum()),
    )


#: A subset that singles out this many times more people than its best part is worth reporting.
_MORE_THAN_PARTS = 1.25


def _no_superset_reported(unique_records: int, total: int) -> bool:
    """True when no strict superset of a subset singling out ``unique_records`` can be reported.

    A superset splits the subset's groups further, so its parts single out
    at least as many people as the subset does, and it singles out at most
    ``total``: once ``total`` is below what the report asks of a combination
    over its parts, scoring the superset cannot change the report.
    """

    return total < _MORE_THAN_PARTS * unique_records + 1


def _run_sizes(prefix: np.ndarray, running: np.ndarray | None) -> np.ndarray:
    """Records per run of equal values in the sorted ``prefix`` (``running``: cumulative records, or rows)."""

    if prefix.size == 0:
        return np.empty(0, dtype=np.int64)
    # starts[i] is where run i begins; a last entry of len(prefix) closes the final run.
    boundary = np.empty(prefix.size + 1, dtype=bool)
    boundary[0] = boundary[-1] = True
    np.not_equal(prefix[1:], prefix[:-1], out=boundary[1:-1])
    starts = np.flatnonzero(boundary)
    if running is None:
        return np.diff(starts)
    return np.diff(running[starts[1:] - 1], prepend=0)


def _sorted(key: np.ndarray) -> np.ndarray:
    """``key`` sorted, by Polars: three to four times faster than NumPy's sort on 64-bit integers.

    Single-threaded, because :func:`_subset_risks` already scores two subsets
    side by side; the result shares Polars' buffer (no copy back).
    """

    return pl.Series(key).sort(multithreaded=False).to_numpy()


class _SubsetScorer:
    """Group sizes of one column subset, by the cheapest exact way its codes allow.

    * **Counting bins** when the product of the columns' code ranges is small
      (``ethnicity + ward``, or a date of birth beside a gender): the codes
      are mixed into one bin number and ``np.bincount`` counts every group in
      one pass, with no sort at all.
    * **Sorting** a packed key otherwise: each column's codes get their own
      bit field of one 64-bit integer (with the records of a row in the low
      bits when rows are not single records), one sort makes every group a
      contiguous run, and the runs' lengths are the group sizes.
    * **Grouping** with Polars when the bit fields do not fit one integer.
    """

    def __init__(self, codes: dict[str, np.ndarray], records: np.ndarray, threshold: int) -> None:
        self.codes = codes
        self.records = records
        self.threshold = threshold
        self.unit = records.size == 0 or int(records.max()) == 1
        self.record_bits = max(int(records.max()).bit_length(), 1) if records.size else 1
        self.span = {c: int(v.max()) + 1 if v.size else 1 for c, v in codes.items()}
        self.bits = {c: max((self.span[c] - 1).bit_length(), 1) for c in codes}
        # Counting bins beats a sort while there are at most a few bins per row (measured on a
        # million rows with two subsets at a time: 4M bins still win, 8M no longer do).
        self.max_bins = min(max(4 * records.size, 1 << 16), 1 << 22)

    def __call__(self, cols: tuple[str, ...]) -> CombinationRisk:
        if math.prod(self.span[c] for c in cols) <= self.max_bins:
            return _array_risk(self._binned(cols), list(cols), self.threshold)
        if sum(self.bits[c] for c in cols) + (0 if self.unit else self.record_bits) <= _KEY_BITS - 1:
            return _array_risk(self._sorted_runs(cols), list(cols), self.threshold)
        frame = pl.DataFrame({**{c: self.codes[c] for c in cols}, _COUNT: self.records})
        sizes = frame.group_by(list(cols)).agg(pl.col(_COUNT).sum()).get_column(_COUNT).to_numpy()
        return _array_risk(sizes, list(cols), self.threshold)

    def _binned(self, cols: tuple[str, ...]) -> np.ndarray:
        key = self.codes[cols[0]].astype(np.int64, copy=True)
        for c in cols[1:]:
            key *= self.span[c]
            key += self.codes[c]
        if self.unit:
            counts = np.bincount(key)
            return counts[counts > 0]
        weighted = np.bincount(key, weights=self.records)
        return weighted[weighted > 0].round().astype(np.int64)

    def _sorted_runs(self, cols: tuple[str, ...]) -> np.ndarray:
        key = np.zeros(self.records.size, dtype=np.int64)
        for c in cols:
            key <<= self.bits[c]
            key |= self.codes[c]
        if self.unit:
            return _run_sizes(_sorted(key), None)
        key <<= self.record_bits
        key |= self.records
        key = _sorted(key)
        running = np.cumsum(key & ((1 << self.record_bits) - 1))
        return _run_sizes(key >> self.record_bits, running)


def _subset_risks(
    codes: dict[str, np.ndarray],
    records: np.ndarray,
    subset_cols: list[str],
    threshold: int,
    *,
    prune: bool = True,
) -> list[CombinationRisk]:
    """Subsets of up to :data:`MAX_SUBSET_SIZE` of ``subset_cols``, smallest first.

    ``codes`` holds each column's dense codes (0 for blank) for every row of
    the per-group table, ``records`` the records in each row. Subsets are
    scored size by size, two at a time (:class:`_SubsetScorer`). With
    ``prune``, a subset is skipped when it contains a smaller subset that
    already singles out so many people that no superset of it could be
    reported (:func:`_no_superset_reported`): a date of birth beside a full
    postcode singles out nearly everyone, so the eight larger subsets that
    hold both need not be counted. Without ``prune``, every subset is scored.
    """

    position = {c: i for i, c in enumerate(subset_cols)}
    top = min(MAX_SUBSET_SIZE, len(subset_cols))
    total = int(records.sum())
    scorer = _SubsetScorer({c: codes[c] for c in subset_cols}, records, threshold)
    saturated: list[frozenset[str]] = []
    risks: list[CombinationRisk] = []
    for size in range(1, top + 1):
        todo = [
            combo
            for combo in itertools.combinations(subset_cols, size)
            if not any(s < frozenset(combo) for s in saturated)
        ]
        scored = on_two_cores(scorer, todo, parallel=records.size > 200_000)
        if prune:
            saturated.extend(frozenset(r.columns) for r in scored if _no_superset_reported(r.unique_records, total))
        risks.extend(scored)
    risks.sort(key=lambda r: (len(r.columns), [position[c] for c in r.columns]))
    return risks


#: From this many rows of one record each, groups are found by sorting rather than grouping.
_SORTED_GROUPS_ROWS = 100_000


def _whole_set(
    codes: _Codes, counter: MosaicCounter, threshold: int
) -> tuple[CombinationRisk, list[DiversityFinding], pl.DataFrame]:
    """k-anonymity and l-diversity over all the quasi-identifiers, and the rows to score subsets on.

    One group-by over the combined key gives the group sizes and, in the same
    pass, the number of distinct sensitive values per group. When every row
    is one record and there are many (a date of birth beside a postcode, read
    without grouping), most combinations occur once: one sort of the key finds
    the few that repeat, only their rows are grouped, and every other row is a
    group of one. A group of one counts as unique; its sensitive value, if
    any, gives l = 1, but it is not a group "where everyone shares a value",
    which needs two records or more.
    """

    frame = codes.frame
    sensitive = counter.sensitive
    shared_rows = frame
    singles = 0
    alone_with_value: tuple[bool, ...] = (False,) * len(sensitive)
    one_record_each = int(frame.get_column(_COUNT).max() or 0) == 1  # type: ignore[arg-type]
    sorted_path = codes.packed and one_record_each and frame.height >= _SORTED_GROUPS_ROWS
    if sorted_path:
        ordered = _sorted(frame.get_column(_KEY).to_numpy())
        repeats = np.empty(ordered.size, dtype=bool)
        repeats[0] = False
        np.equal(ordered[1:], ordered[:-1], out=repeats[1:])
        repeated = np.unique(ordered[repeats])  # keys held by more than one row: few
        in_shared = pl.col(_KEY).is_in(pl.Series(repeated).implode()) if repeated.size else pl.lit(False)
        shared_rows = frame.filter(in_shared) if repeated.size else frame.clear()
        singles = frame.height - shared_rows.height
        if singles and sensitive:
            alone_with_value = frame.select((pl.col(c).is_not_null() & ~in_shared).any() for c in sensitive).row(0)
    group_keys: list[str] = [_KEY] if codes.packed else list(counter.quasi)
    per_group = shared_rows.group_by(group_keys).agg(
        pl.col(_COUNT).sum(),
        *(pl.col(c).drop_nulls().n_unique().alias(f"__l_{i}") for i, c in enumerate(sensitive)),
    )
    sizes = per_group.get_column(_COUNT).to_numpy().astype(np.int64, copy=False)
    if singles:
        sizes = np.concatenate([sizes, np.ones(singles, dtype=np.int64)])
    whole = _array_risk(sizes, list(counter.quasi), threshold)

    diversity: list[DiversityFinding] = []
    for i, col in enumerate(sensitive):
        groups = per_group.select(pl.col(f"__l_{i}").alias("l"), pl.col(_COUNT))
        informative = groups.filter(pl.col("l") > 0)
        if informative.height == 0 and not alone_with_value[i]:
            continue
        one = informative.filter((pl.col("l") == 1) & (pl.col(_COUNT) >= 2))
        smallest = [int(informative.get_column("l").min())] if informative.height else []  # type: ignore[arg-type]
        diversity.append(
            DiversityFinding(
                column=col,
                l_min=min(smallest + ([1] if alone_with_value[i] else [])),
                groups_with_one_value=one.height,
                records_in_those_groups=int(one.get_column(_COUNT).sum() or 0),
            )
        )
    # Subsets are scored on the rows as they are when nothing was grouped (one record each).
    return whole, diversity, frame if sorted_path else per_group


def _generalise_first(
    counter: MosaicCounter,
    codes: dict[str, np.ndarray],
    records: np.ndarray,
    whole: CombinationRisk,
    kinds: Mapping[str, Sequence[str]],
    threshold: int,
) -> list[GeneralisationStep]:
    """One step of generalisation on each quasi-identifier, re-scored on the group table (:mod:`.fix_first`)."""

    def score(replaced: dict[str, np.ndarray]) -> CombinationRisk:
        return _SubsetScorer(replaced, records, threshold)(tuple(counter.quasi))

    # Records in small groups over every other column alone: no step on a column beats that. Scored
    # here, not read from ``risks``, whose subsets depend on pruning: the report must not.
    scorer = _SubsetScorer(codes, records, threshold)
    floors = {
        c: scorer(rest).records_below_threshold if (rest := tuple(q for q in counter.quasi if q != c)) else 0
        for c in counter.quasi
    }
    return rank_steps(
        codes, counter.labels, records, kinds, whole, score, total=counter.records, threshold=threshold, floors=floors
    )


def assess_mosaic(
    counter: MosaicCounter,
    *,
    threshold: int = DEFAULT_THRESHOLD,
    kinds: Mapping[str, Sequence[str]] | None = None,
    measures: Sequence[str] = (),
) -> MosaicFinding:
    """k-anonymity, l-diversity and the riskiest column combinations from ``counter``'s counts.

    ``kinds`` gives each quasi-identifier's personal data types (``POSTCODE``, ``AGE`` …), which
    say what one step of generalisation is for it (:mod:`.fix_first`); ``measures`` asks for
    entropy l-diversity and t-closeness of the sensitive columns (:mod:`.diversity`).
    """

    finding = MosaicFinding(quasi_identifiers=list(counter.quasi), threshold=threshold, records=counter.records)
    if not counter.quasi:
        finding.sentences.append("No quasi-identifiers were found, so the mosaic effect was not measured.")
        return finding
    table = counter.table()
    if table.height == 0:
        return finding
    codes = _Codes(table, counter.quasi, dense=counter.dense)
    whole, diversity, rows = _whole_set(codes, counter, threshold)
    finding.k = whole.smallest_group
    finding.groups = whole.groups
    finding.records_below_threshold = whole.records_below_threshold
    finding.unique_records = whole.unique_records

    subset_cols = counter.quasi[:MAX_QUASI_FOR_SUBSETS]
    records = rows.get_column(_COUNT).to_numpy().astype(np.int64, copy=False)
    records_total = int(records.sum())
    all_codes = codes.column_codes(rows, counter.quasi)
    risks = _subset_risks({c: all_codes[c] for c in subset_cols}, records, subset_cols, threshold)
    if len(counter.quasi) > MAX_SUBSET_SIZE and all(r.columns != counter.quasi for r in risks):
        risks.append(whole)
    # Keep a combination only when it singles out clearly more people than any of its parts
    # (a quarter more): "postcode + date of birth" adds nothing when date of birth alone
    # already singles everyone out, while "age band + ward + ethnicity" may. Supersets of a
    # subset that leaves no room for that were not scored (see _subset_risks), and the whole
    # set of quasi-identifiers is held to the same rule.
    by_cols = {frozenset(r.columns): r for r in risks}
    saturated = [cols for cols, r in by_cols.items() if _no_superset_reported(r.unique_records, records_total)]
    risky = []
    for r in risks:
        if r.unique_records == 0 or any(s < frozenset(r.columns) for s in saturated):
            continue
        best_part = max(
            (
                by_cols[frozenset(sub)].unique_records
                for sub in itertools.combinations(r.columns, len(r.columns) - 1)
                if frozenset(sub) in by_cols
            ),
            default=0,
        )
        if len(r.columns) == 1 or r.unique_records >= _MORE_THAN_PARTS * best_part + 1:
            risky.append(r)
    risky.sort(key=lambda r: (-r.unique_records, len(r.columns)))
    chosen: list[CombinationRisk] = []
    for r in risky:
        chosen.append(r)
        if len(chosen) >= MAX_REPORTED_COMBINATIONS:
            break
    chosen.sort(key=lambda r: (-r.unique_records, len(r.columns)))
    for r in chosen:
        columns = " + ".join(column_label(c) for c in r.columns)
        r.sentence = f"{columns} singles out {records_share(r.unique_records, counter.records)}."
    finding.combinations = chosen

    finding.l_diversity = diversity
    if measures and counter.sensitive:
        groups = [_KEY] if codes.packed else list(counter.quasi)
        finding.measures = diversity_measures(codes.frame, groups, counter.sensitive, counter.labels, measures)
    if whole.records_below_threshold and counter.labels:
        finding.generalise_first = _generalise_first(counter, all_codes, records, whole, kinds or {}, threshold)

    labels = " + ".join(column_label(c) for c in counter.quasi)
    if whole.unique_records:
        finding.sentences.append(
            f"Together, {labels} single out {records_share(whole.unique_records, counter.records)}."
        )
    if whole.records_below_threshold:
        finding.sentences.append(
            f"{records_share(whole.records_below_threshold, counter.records)} sit in groups of fewer than {threshold} "
            f"(the smallest group has {whole.smallest_group})."
        )
    else:
        finding.sentences.append(f"Every combination of {labels} covers at least {threshold} records.")
    finding.sentences.extend(r.sentence for r in chosen[:3] if r.columns != counter.quasi)
    for d in finding.l_diversity:
        if d.groups_with_one_value:
            finding.sentences.append(
                f"In {d.groups_with_one_value:,} groups every record has the same {column_label(d.column)}, "
                f"which discloses it for {records_share(d.records_in_those_groups, counter.records)}."
            )
    return finding
