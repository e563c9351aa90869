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
"""

from __future__ import annotations

import dataclasses
import itertools
import math
from collections.abc import Callable, Sequence
from typing import TypeVar

import numpy as np
import polars as pl

from community_insights.safety.defaults import DEFAULT_THRESHOLD
from community_insights.safety.types import CombinationRisk, DiversityFinding, MosaicFinding

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
_COUNT = "__records"
_T = TypeVar("_T")
_R = TypeVar("_R")
_KEY = "__key"
_ROW = "__row"


def column_label(name: str) -> str:
    """A column name as words for a sentence (``age_band`` → ``age band``)."""

    return " ".join(name.replace("_", " ").replace("-", " ").split()).lower() or name


def _hashed(value: pl.Expr) -> pl.Expr:
    """A stripped value's 64-bit hash; blank stays null so l-diversity can leave it out."""

    return pl.when(value.str.len_bytes() > 0).then(value.hash(seed=7))


def count_combinations(
    frame: pl.LazyFrame, keys: Sequence[str], *, limit: int | None = None, group: bool = True
) -> pl.DataFrame:
    """Records per combination of ``keys`` (raw text) in one streaming query.

    Polars reads only the key columns and counts in parallel as it reads, so
    a delimited file is counted at close to the speed of parsing it, with
    memory bounded by the number of distinct combinations. Values are left as
    they are in the file: :func:`encode_counts` strips padding once per
    distinct value, far cheaper than once per row. The result feeds the
    mosaic and the small-area counts alike.

    ``group=False`` skips the grouping and returns one row per record (each
    with ``records`` = 1): when nearly every combination is distinct (a date
    of birth beside a postcode), grouping costs a hash table as large as the
    data and saves nothing; the caller decides from a sample and from the size
    of the key columns (see the check).
    """

    keys = list(dict.fromkeys(keys))
    if limit is not None:
        frame = frame.head(limit)
    if not keys:
        return frame.select(pl.len().cast(pl.UInt32).alias("records")).collect()
    raw = frame.select(pl.col(c).cast(pl.String) for c in keys)
    if not group:
        return raw.with_columns(pl.lit(1, dtype=pl.UInt32).alias("records")).collect(engine="streaming")
    return raw.group_by(keys).agg(pl.len().alias("records")).collect(engine="streaming")


def _distinct_text(values: pl.Series) -> tuple[pl.Series, pl.Series, pl.Series, pl.Series, bool]:
    """Per-row 64-bit hashes of ``values``, and their distinct values: hash, raw text, stripped text.

    The last item says whether any distinct value is padded. Rows are matched
    on hashes (cheap to compute, and integer joins are fast), and the strip
    and blank tests run once per distinct value instead of once per row.
    """

    hashed = values.hash(seed=7).alias("hash")
    first = hashed.arg_unique()
    raw = values.gather(first)
    stripped = raw.str.strip_chars()
    padded = not (stripped.str.len_bytes() == raw.str.len_bytes()).fill_null(True).all()
    return hashed, hashed.gather(first), raw, stripped, padded


def _encode_column(values: pl.Series) -> tuple[np.ndarray, pl.Series]:
    """Dense codes for one column of text: 0 for blank, 1…n for the distinct stripped values."""

    hashed, distinct, raw, stripped, padded = _distinct_text(values)
    filled = (stripped.str.len_bytes() > 0).fill_null(False)
    if not padded:
        code = pl.Series("code", np.where(filled.to_numpy(), np.cumsum(filled.to_numpy()), 0))
        kept = raw.filter(filled)
    else:
        # Padded cells (" North", "North ") share the code of the stripped value.
        kept = stripped.filter(filled).unique(maintain_order=True)
        numbered = pl.DataFrame({"value": kept}).with_row_index("code", offset=1)
        code = (
            pl.DataFrame({"value": stripped})
            .join(numbered, on="value", how="left", maintain_order="left")
            .get_column("code")
            .fill_null(0)
        )
    lookup = pl.DataFrame([distinct, code.cast(pl.Int64).alias("code")])
    joined = hashed.to_frame().join(lookup, on="hash", how="left", maintain_order="left")
    return joined.get_column("code").to_numpy(), kept.alias(values.name)


def _hash_column(values: pl.Series) -> np.ndarray:
    """64-bit hashes of one column's stripped text, 0 for blank: enough where only equality counts.

    l-diversity asks how many different values a group holds, never which
    ones, so sensitive columns skip the numbering that quasi-identifiers need.
    Stripping runs row by row only if some distinct value is padded.
    """

    hashed, _, _, _, padded = _distinct_text(values)
    if padded:
        values = values.str.strip_chars()
        hashed = values.hash(seed=7)
    out = hashed.to_numpy().copy()
    out[~(values.str.len_bytes() > 0).fill_null(False).to_numpy()] = 0
    return out


def _on_two_cores(work: Callable[[_T], _R], items: Sequence[_T], *, parallel: bool) -> list[_R]:
    """``[work(i) for i in items]``, two at a time when ``parallel``.

    For work that spends its time in Polars or NumPy, which release the GIL,
    so two threads use both cores of a small machine.
    """

    if not parallel or len(items) < 2:
        return [work(item) for item in items]
    from concurrent.futures import ThreadPoolExecutor

    with ThreadPoolExecutor(2, thread_name_prefix="insights-mosaic") as pool:
        return list(pool.map(work, items))


@dataclasses.dataclass
class EncodedCounts:
    """Records per combination, each key column as dense integer codes (see :func:`encode_counts`)."""

    #: column → code per row (0 for a blank cell, 1…n for its stripped values; for a column
    #: encoded by hash only, a 64-bit hash of its stripped text)
    codes: dict[str, np.ndarray]
    #: column → the stripped value of each code (code ``i`` is ``values[c][i - 1]``); not kept
    #: for columns encoded by hash only
    values: dict[str, pl.Series]
    #: records in each row
    records: np.ndarray

    def value_counts(self, column: str) -> pl.DataFrame:
        """Records per (stripped, non-blank) value of ``column``: columns ``value`` and ``records``."""

        values = self.values[column]
        per_code = np.bincount(self.codes[column], weights=self.records, minlength=values.len() + 1)
        return pl.DataFrame({"value": values, "records": per_code[1:].round().astype(np.int64)})


def encode_counts(
    counts: pl.DataFrame, keys: Sequence[str], *, records: str = "records", hashed: Sequence[str] = ()
) -> EncodedCounts:
    """Each key column of ``counts`` (from :func:`count_combinations`) as dense codes, two columns at a time.

    Codes let the mosaic pack a whole combination into one integer and let
    area counts be a ``bincount``; columns in ``hashed`` (sensitive columns,
    where only equality matters) get 64-bit hashes instead, which cost less.
    The columns are independent, and Polars releases the GIL, so two threads
    halve the wait.
    """

    keys = list(dict.fromkeys(keys))
    only_hash = set(hashed)

    def encode(column: str) -> tuple[np.ndarray, pl.Series | None]:
        text = counts.get_column(column).cast(pl.String)
        return (_hash_column(text), None) if column in only_hash else _encode_column(text)

    encoded = _on_two_cores(encode, keys, parallel=counts.height > 100_000)
    return EncodedCounts(
        codes={c: e[0] for c, e in zip(keys, encoded, strict=True)},
        values={c: e[1] for c, e in zip(keys, encoded, strict=True) if e[1] is not None},
        records=counts.get_column(records).to_numpy().astype(np.int64, copy=False),
    )


class MosaicCounter:
    """Counts records per combination of quasi-identifiers and sensitive values."""

    def __init__(self, quasi: Sequence[str], sensitive: Sequence[str] = ()) -> None:
        self.quasi = list(quasi)
        self.sensitive = [c for c in sensitive if c not in self.quasi]
        self.keys = self.quasi + self.sensitive
        self._parts: list[pl.DataFrame] = []
        self._pending = 0
        self._counted: pl.DataFrame | None = None
        self.records = 0
        #: True when :meth:`table` holds dense codes (0 for blank) rather than hashes
        self.dense = False

    @classmethod
    def from_encoded(cls, encoded: EncodedCounts, quasi: Sequence[str], sensitive: Sequence[str] = ()) -> MosaicCounter:
        """A counter filled from records already counted and encoded (see :func:`encode_counts`).

        The codes are already dense, so scoring skips its own numbering; rows
        need not be distinct combinations (padded cells, or one row per
        record), because scoring groups them again on one integer key.
        """

        counter = cls(quasi, sensitive)
        counter.records = int(encoded.records.sum())
        if counter.keys:
            table = pl.DataFrame({c: encoded.codes[c] for c in counter.keys})
            counter._counted = table.select(
                *(pl.col(c) for c in counter.quasi),
                # Blank sensitive cells are null so l-diversity leaves them out.
                *(pl.when(pl.col(c) > 0).then(pl.col(c)).alias(c) for c in counter.sensitive),
                pl.Series(_COUNT, encoded.records).cast(pl.UInt32),
            )
            counter.dense = True
        return counter

    def add(self, batch: pl.DataFrame) -> None:
        if not self.keys:
            self.records += batch.height
            return
        # 64-bit hashes stand in for the values: counts never need the values back (sentences
        # name columns, not values), and group-bys on integers run far faster than on strings.
        # Blank cells stay null so l-diversity can leave them out. A hash of the whole
        # combination then lets one single-key group-by count them.
        stripped = batch.select(pl.col(c).cast(pl.String).str.strip_chars() for c in self.keys)
        hashed = stripped.select(_hashed(pl.col(c)).alias(c) for c in self.keys)
        row = pl.struct(self.keys).hash(seed=3).alias(_ROW)
        agg = hashed.group_by(row).agg(*(pl.col(c).first() for c in self.keys), pl.len().alias(_COUNT))
        self._parts.append(agg)
        self._pending += agg.height
        self.records += batch.height
        if len(self._parts) > 16 and self._pending > 4 * max(self._parts[0].height, 1):
            self._parts = [self._merge()]
            self._pending = self._parts[0].height

    def _merge(self) -> pl.DataFrame:
        return pl.concat(self._parts).group_by(_ROW).agg(*(pl.col(c).first() for c in self.keys), pl.col(_COUNT).sum())

    def table(self) -> pl.DataFrame:
        """Records per combination: one column of hashes per key column, and the count."""

        if self._counted is not None:
            return self._counted
        if not self._parts:
            schema: dict[str, pl.DataType] = {c: pl.UInt64() for c in self.keys}
            schema[_COUNT] = pl.UInt32()
            return pl.DataFrame(schema=schema)
        return self._merge().drop(_ROW)


def _dense_codes(table: pl.DataFrame, column: str) -> pl.Series:
    """Codes 1…n for the distinct values of ``column``, 0 for blank.

    A hash join against the distinct values costs about half a sort-based
    dense rank, and any numbering will do: codes only need to be dense.
    """

    distinct = table.select(pl.col(column).unique().drop_nulls()).with_row_index("__code", offset=1)
    joined = table.select(column).join(distinct, on=column, how="left", maintain_order="left")
    return joined.get_column("__code").fill_null(0).cast(pl.Int64)


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
        codes = table if dense else table.with_columns(_dense_codes(table, c).alias(c) for c in quasi)
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
        scored = _on_two_cores(scorer, todo, parallel=records.size > 200_000)
        if prune:
            saturated.extend(frozenset(r.columns) for r in scored if _no_superset_reported(r.unique_records, total))
        risks.extend(scored)
    risks.sort(key=lambda r: (len(r.columns), [position[c] for c in r.columns]))
    return risks


def _people(n: int) -> str:
    return "1 person" if n == 1 else f"{n:,} people"


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


def assess_mosaic(counter: MosaicCounter, *, threshold: int = DEFAULT_THRESHOLD) -> MosaicFinding:
    """k-anonymity, l-diversity and the riskiest column combinations from ``counter``'s counts."""

    finding = MosaicFinding(quasi_identifiers=list(counter.quasi), threshold=threshold)
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
    risks = _subset_risks(codes.column_codes(rows, subset_cols), records, subset_cols, threshold)
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
        r.sentence = f"{' + '.join(column_label(c) for c in r.columns)} singles out {_people(r.unique_records)}."
    finding.combinations = chosen

    finding.l_diversity = diversity

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
