"""Counting the combinations of quasi-identifiers, without holding the rows.

Why a module of its own: the mosaic effect is scored on a table of counts, one row per
combination, and that table is built two ways (delimited text grouped block by block as the
backend parses it, other formats batch by batch in the check). Building it is the part that
reads the data; scoring it, in :mod:`.mosaic`, never does.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Iterable, Sequence
from typing import TypeVar

import numpy as np
import polars as pl

__all__ = [
    "EncodedCounts",
    "MosaicCounter",
    "column_label",
    "count_batches",
    "count_combinations",
    "encode_counts",
    "records_share",
]

COUNT = "__records"
_T = TypeVar("_T")
_R = TypeVar("_R")
KEY = "__key"
ROW = "__row"


def column_label(name: str) -> str:
    """A column name as words for a sentence (``age_band`` → ``age band``)."""

    return " ".join(name.replace("_", " ").replace("-", " ").split()).lower() or name


def records_share(n: int, total: int, *, noun: bool = True) -> str:
    """A count of records with its share of the file: "312 records (4%)", "3 records (0.3%)".

    Records, not people: the check counts rows, and one person may have several, so every
    count in a report is of records. Whole percentages read best; a share that would round to
    0% or 100% without being either gets a decimal, or "under 0.1%". ``noun=False`` leaves out
    the word "records" where the sentence already says it ("fall from 25,258 (78%) to …").
    """

    words = ("1 record" if n == 1 else f"{n:,} records") if noun else f"{n:,}"
    if not total:
        return words
    p = n / total
    if n in (0, total) or 0.01 <= p <= 0.99:
        pct = f"{p:.0%}"
    elif p < 0.001:
        pct = "under 0.1%"
    else:
        pct = f"{p:.1%}"
    return f"{words} ({pct})"


def _hashed(value: pl.Expr) -> pl.Expr:
    """A stripped value's 64-bit hash; blank stays null so l-diversity can leave it out."""

    return pl.when(value.str.len_bytes() > 0).then(value.hash(seed=7))


def count_combinations(frame: pl.LazyFrame, keys: Sequence[str], *, limit: int | None = None) -> pl.DataFrame:
    """Records per combination of ``keys`` (raw text) of a Polars query, in one streaming query.

    For queries whose source is already in memory, and for a file's bare row
    count (no keys: Polars counts its lines without holding them). A file's
    combinations are counted by :func:`count_batches` instead, because Polars'
    CSV reader holds the whole file's bytes while it reads. Values are left as
    they are in the file: :func:`encode_counts` strips padding once per
    distinct value, far cheaper than once per row. The result feeds the
    mosaic and the small-area counts alike.
    """

    keys = list(dict.fromkeys(keys))
    if limit is not None:
        frame = frame.head(limit)
    if not keys:
        return frame.select(pl.len().cast(pl.UInt32).alias("records")).collect()
    raw = frame.select(pl.col(c).cast(pl.String) for c in keys)
    # Grouped on categorical codes (one 32-bit number per cell, each distinct text kept once),
    # not on the text: grouping the text itself held memory that grew with the rows read (1.5 GiB
    # for ten million rows of a million combinations, against 0.8 GiB on codes), and the counts
    # are the same, since a code stands for exactly one text.
    coded = raw.select(pl.col(c).cast(pl.Categorical) for c in keys)
    counted = coded.group_by(keys).agg(pl.len().alias("records")).collect(engine="streaming")
    return counted.with_columns(pl.col(c).cast(pl.String) for c in keys)


def count_batches(batches: Iterable[pl.DataFrame], keys: Sequence[str]) -> pl.DataFrame:
    """Records per combination of ``keys`` (raw text), counted batch by batch: :func:`count_combinations`'s table.

    Why: one streaming query over a whole delimited file held memory that grew with the
    rows read (Polars' CSV reader takes the whole file's bytes). Each batch is grouped
    alone and the partial counts are merged whenever they outgrow the merged table (so
    the merging costs at most a few times the distinct combinations, however many
    batches there are): what is held grows with the distinct combinations, never with
    the rows, even when nearly every record is a combination of its own. Cells are
    grouped as categorical codes (one 32-bit number per cell, each distinct text kept
    once), as :func:`count_combinations` does: on the million-row benchmark file that
    held 603 MiB at its peak where plain text held 751 MiB.
    """

    keys = list(dict.fromkeys(keys))
    parts: list[pl.DataFrame] = []
    pending = 0
    for batch in batches:
        coded = batch.select(pl.col(c).cast(pl.String).cast(pl.Categorical) for c in keys)
        parts.append(coded.group_by(keys).agg(pl.len().cast(pl.UInt32).alias("records")))
        pending += parts[-1].height
        if len(parts) > 8 and pending > 2 * parts[0].height:
            parts = [_merge_counts(parts, keys)]
            pending = 0
    if not parts:
        schema: dict[str, pl.DataType] = {c: pl.String() for c in keys}
        return pl.DataFrame(schema={**schema, "records": pl.UInt32()})
    return _merge_counts(parts, keys).with_columns(pl.col(c).cast(pl.String) for c in keys)


def _merge_counts(parts: list[pl.DataFrame], keys: list[str]) -> pl.DataFrame:
    """Partial counts added up per combination."""

    if len(parts) == 1:
        return parts[0]
    whole = pl.concat(parts, rechunk=False)
    return whole.group_by(keys).agg(pl.col("records").sum().cast(pl.UInt32))


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


def on_two_cores(work: Callable[[_T], _R], items: Sequence[_T], *, parallel: bool) -> list[_R]:
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

    encoded = on_two_cores(encode, keys, parallel=counts.height > 100_000)
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
        #: quasi-identifier → its stripped value per code (code ``i`` is ``labels[c][i - 1]``), for
        #: trying generalisation on the distinct values (:mod:`.fix_first`); only with dense codes
        self.labels: dict[str, pl.Series] = {}
        self._distinct: dict[str, list[pl.DataFrame]] = {c: [] for c in self.keys}

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
                pl.Series(COUNT, encoded.records).cast(pl.UInt32),
            )
            counter.dense = True
            counter.labels = {c: encoded.values[c] for c in counter.keys if c in encoded.values}
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
        row = pl.struct(self.keys).hash(seed=3).alias(ROW)
        agg = hashed.group_by(row).agg(*(pl.col(c).first() for c in self.keys), pl.len().alias(COUNT))
        for c in self.keys:
            # Each key column's distinct values, kept beside their hashes so that generalisation
            # can be tried on them, and numbers ordered for t-closeness, once the counts are in.
            seen = pl.DataFrame({"hash": hashed.get_column(c), "value": stripped.get_column(c)})
            self._distinct[c].append(seen.drop_nulls("hash").unique("hash"))
            if len(self._distinct[c]) > 16:
                self._distinct[c] = [pl.concat(self._distinct[c]).unique("hash")]
        self._parts.append(agg)
        self._pending += agg.height
        self.records += batch.height
        if len(self._parts) > 16 and self._pending > 4 * max(self._parts[0].height, 1):
            self._parts = [self._merge()]
            self._pending = self._parts[0].height

    def _merge(self) -> pl.DataFrame:
        return pl.concat(self._parts).group_by(ROW).agg(*(pl.col(c).first() for c in self.keys), pl.col(COUNT).sum())

    def table(self) -> pl.DataFrame:
        """Records per combination: one column of hashes per key column, and the count."""

        if self._counted is not None:
            return self._counted
        if not self._parts:
            schema: dict[str, pl.DataType] = {c: pl.UInt64() for c in self.keys}
            schema[COUNT] = pl.UInt32()
            return pl.DataFrame(schema=schema)
        self._counted = self._dense(self._merge().drop(ROW))
        return self._counted

    def _dense(self, table: pl.DataFrame) -> pl.DataFrame:
        """The key columns' hashes as dense codes, with their values in :attr:`labels`.

        Blank is code 0 in a quasi-identifier (a value of its own) and stays null in a
        sensitive column (l-diversity leaves it out).
        """

        for c in self.keys:
            distinct = pl.concat(self._distinct[c]).unique("hash", maintain_order=True).with_row_index("code", offset=1)
            self.labels[c] = distinct.get_column("value")
            code = (
                table.select(pl.col(c).alias("hash"))
                .join(distinct.select("hash", "code"), on="hash", how="left", maintain_order="left")
                .get_column("code")
                .cast(pl.Int64)
            )
            table = table.with_columns((code.fill_null(0) if c in self.quasi else code).alias(c))
        self._distinct = {c: [] for c in self.keys}
        self.dense = True
        return table


def dense_codes(table: pl.DataFrame, column: str) -> pl.Series:
    """Codes 1…n for the distinct values of ``column``, 0 for blank.

    A hash join against the distinct values costs about half a sort-based
    dense rank, and any numbering will do: codes only need to be dense.
    """

    distinct = table.select(pl.col(column).unique().drop_nulls()).with_row_index("__code", offset=1)
    joined = table.select(column).join(distinct, on=column, how="left", maintain_order="left")
    return joined.get_column("__code").fill_null(0).cast(pl.Int64)
