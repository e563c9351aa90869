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
with rows. Values are 64-bit hashes, and a whole combination is counted by a
single-key group-by on the hash of the row. For scoring, each quasi-identifier
gets a bit field of one integer key (:class:`_Codes`): a subset's key is a
superset's key with a mask applied, its counts come from one sort of packed
integers, and small subsets are counted from the table of a larger one. The
30 subsets of five quasi-identifiers over a million distinct combinations
take about a second.
"""

from __future__ import annotations

import itertools
from collections.abc import Sequence

import numpy as np
import polars as pl

from community_insights.safety.types import CombinationRisk, DiversityFinding, MosaicFinding

__all__ = ["MosaicCounter", "assess_mosaic", "column_label"]

MAX_SUBSET_SIZE = 4
MAX_QUASI_FOR_SUBSETS = 8
MAX_REPORTED_COMBINATIONS = 8
_COUNT = "__records"
_KEY = "__key"
_ROW = "__row"


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
        # Blank cells stay null so l-diversity can leave them out. A hash of the whole
        # combination then lets one single-key group-by count them.
        stripped = batch.select(pl.col(c).cast(pl.String).str.strip_chars() for c in self.keys)
        hashed = stripped.select(
            pl.when(pl.col(c).str.len_bytes() > 0).then(pl.col(c).hash(seed=7)).alias(c) for c in self.keys
        )
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

        if not self._parts:
            schema: dict[str, pl.DataType] = {c: pl.UInt64() for c in self.keys}
            schema[_COUNT] = pl.UInt32()
            return pl.DataFrame(schema=schema)
        return self._merge().drop(_ROW)


#: Bits available for a combined key (a signed 64-bit integer).
_KEY_BITS = 63


class _Codes:
    """Quasi-identifier combinations as one integer key per row of the aggregated table.

    Each column's hashes become dense codes (0 for blank, 1…n for values), and
    each column gets its own bit field of a 64-bit integer, so every subset is
    scored with a single-key group-by on integers instead of a multi-column
    one, and a subset's key is its superset's key with the other columns'
    bits masked off (one AND). Small subsets are therefore grouped from the
    (much smaller) table of a larger subset rather than from every
    combination in the file.
    """

    def __init__(self, table: pl.DataFrame, quasi: list[str]) -> None:
        self.quasi = quasi
        codes = table.select(
            *(pl.col(c).rank("dense").fill_null(0).cast(pl.Int64).alias(c) for c in quasi),
            *(pl.col(c) for c in table.columns if c not in quasi),
        )
        self.mask: dict[str, int] = {}
        shift = 0
        shifts: dict[str, int] = {}
        for c in quasi:
            bits = max(int(codes.get_column(c).max() or 0).bit_length(), 1)  # type: ignore[arg-type]
            shifts[c] = shift
            self.mask[c] = ((1 << bits) - 1) << shift
            shift += bits
        self.bits = shift
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

    def subset_mask(self, subset: Sequence[str]) -> int:
        """The bits of ``subset``'s columns: a superset's key AND this mask is the subset's key."""

        out = 0
        for c in subset:
            out |= self.mask[c]
        return out


def _sizes_risk(groups: pl.DataFrame, cols: list[str], threshold: int) -> CombinationRisk:
    """Score one combination from its group sizes, in one pass."""

    size = pl.col(_COUNT)
    stats = groups.select(
        size.min().alias("smallest"),
        (size == 1).sum().alias("unique"),
        size.filter(size < threshold).sum().alias("below"),
    ).row(0)
    return CombinationRisk(
        columns=list(cols),
        groups=groups.height,
        smallest_group=int(stats[0] or 0),
        unique_records=int(stats[1] or 0),
        records_below_threshold=int(stats[2] or 0),
    )


def _risk(codes: pl.DataFrame, cols: list[str], threshold: int) -> CombinationRisk:
    """Score one combination by grouping ``codes`` on ``cols`` (the general, multi-column path)."""

    groups = codes.group_by(cols).agg(pl.col(_COUNT).sum())
    return _sizes_risk(groups, cols, threshold)


_Groups = tuple[np.ndarray, np.ndarray]  # distinct keys, records per key


def _sum_by_key(keys: np.ndarray, records: np.ndarray) -> _Groups | None:
    """Records per distinct key with one sort: each count rides in the low bits of its key.

    A plain sort of 64-bit integers is several times faster than a hash
    group-by or an argsort, and the weights come along for free. Returns
    ``None`` when key and count do not fit in 63 bits together.
    """

    if keys.size == 0:
        return keys, records
    bits = max(int(records.max()).bit_length(), 1)
    if int(keys.max()) >= (1 << (62 - bits)):
        return None
    packed = np.sort((keys << bits) | records)
    sorted_keys = packed >> bits
    starts = np.flatnonzero(np.concatenate(([True], sorted_keys[1:] != sorted_keys[:-1])))
    # records per key: differences of the running total at each key's last row
    running = np.cumsum(packed & ((1 << bits) - 1))
    ends = np.concatenate((starts[1:], [packed.size])) - 1
    totals = np.diff(np.concatenate(([0], running[ends])))
    return sorted_keys[starts], totals


def _array_risk(sizes: np.ndarray, cols: list[str], threshold: int) -> CombinationRisk:
    return CombinationRisk(
        columns=list(cols),
        groups=int(sizes.size),
        smallest_group=int(sizes.min()) if sizes.size else 0,
        unique_records=int((sizes == 1).sum()),
        records_below_threshold=int(sizes[sizes < threshold].sum()),
    )


def _subset_risks(codes: _Codes, whole: pl.DataFrame, subset_cols: list[str], threshold: int) -> list[CombinationRisk]:
    """Every subset of up to :data:`MAX_SUBSET_SIZE` of ``subset_cols``, smallest first.

    Larger subsets are built first, and each subset is grouped from the
    smallest table already built for one of its supersets (its key derived by
    arithmetic); tables are kept only while they are at most half the size of
    the whole, so memory stays within a few copies of the aggregated table.
    """

    risks: list[CombinationRisk] = []
    if not codes.packed:
        for size in range(1, min(MAX_SUBSET_SIZE, len(subset_cols)) + 1):
            for combo in itertools.combinations(subset_cols, size):
                risks.append(_risk(codes.frame, list(combo), threshold))
        return risks
    full = frozenset(codes.quasi)
    base: _Groups = (
        whole.get_column(_KEY).to_numpy().astype(np.int64, copy=False),
        whole.get_column(_COUNT).to_numpy().astype(np.int64, copy=False),
    )
    built: dict[frozenset[str], _Groups] = {full: base}
    top = min(MAX_SUBSET_SIZE, len(subset_cols))
    for size in range(top, 0, -1):
        level: dict[frozenset[str], _Groups] = {}
        for combo in itertools.combinations(subset_cols, size):
            want = frozenset(combo)
            parent_keys, parent_records = min((t for cols, t in built.items() if want <= cols), key=lambda t: t[0].size)
            if want == full:
                groups: _Groups = (parent_keys, parent_records)
            else:
                keys = parent_keys & codes.subset_mask(combo)
                summed = _sum_by_key(keys, parent_records)
                if summed is None:  # counts too large to pack: a hash group-by instead
                    frame = pl.DataFrame({_KEY: keys, _COUNT: parent_records})
                    frame = frame.group_by(_KEY).agg(pl.col(_COUNT).sum())
                    summed = (frame.get_column(_KEY).to_numpy(), frame.get_column(_COUNT).to_numpy())
                groups = summed
            risks.append(_array_risk(groups[1], list(combo), threshold))
            if size > 1 and groups[0].size * 2 <= base[0].size:
                level[want] = groups
        built = {full: base, **level}
    risks.sort(key=lambda r: len(r.columns))
    return risks


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
    codes = _Codes(table, counter.quasi)
    # One group-by over all the quasi-identifiers gives k-anonymity and, in the same pass,
    # the number of distinct sensitive values per group (l-diversity).
    group_keys: list[str] = [_KEY] if codes.packed else list(counter.quasi)
    per_group = codes.frame.group_by(group_keys).agg(
        pl.col(_COUNT).sum(),
        *(pl.col(c).drop_nulls().n_unique().alias(f"__l_{i}") for i, c in enumerate(counter.sensitive)),
    )
    whole = _sizes_risk(per_group, counter.quasi, threshold)
    finding.k = whole.smallest_group
    finding.groups = whole.groups
    finding.records_below_threshold = whole.records_below_threshold
    finding.unique_records = whole.unique_records

    subset_cols = counter.quasi[:MAX_QUASI_FOR_SUBSETS]
    risks = _subset_risks(codes, per_group.select(*group_keys, _COUNT), subset_cols, threshold)
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

    for i, col in enumerate(counter.sensitive):
        diversity = per_group.select(pl.col(f"__l_{i}").alias("l"), pl.col(_COUNT))
        informative = diversity.filter(pl.col("l") > 0)
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
