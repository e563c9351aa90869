"""Frequency and magnitude tables, built in one streaming pass.

A table is computed from partial group-bys: each batch of rows is grouped on
its own and the partial results are combined, so memory depends on the number
of cells in the table, not on the number of rows in the file. The exception is
the median, which has to remember every value of the value column (one number
per row) because a median cannot be combined from partial medians.

The result is a :class:`Cube`: dense numpy arrays with one extra position per
grouping column for its total, so margins and the grand total are ordinary
cells that the suppression rules and the linear-programming audit treat like
any other.
"""

from __future__ import annotations

import dataclasses
import itertools
import math
import re
from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path
from typing import Any

import numpy as np
import polars as pl

from community_insights.safety.disclosure.rules import BoolArray, FloatArray, Statistic
from community_insights.safety.errors import InputError

#: Label for an empty grouping value.
MISSING_LABEL = "(missing)"
#: Label shown for margins and the grand total.
TOTAL_LABEL = "Total"
#: Largest table (cells including margins) we agree to build and check.
MAX_CELLS = 250_000

_COMBINE_EVERY = 16  # partial results kept before they are folded together


class DisclosureError(InputError):
    """A table cannot be made as asked (unknown column, bad option, too many cells).

    It is an :class:`InputError` so the command line answers with one sentence
    and exit code 2.
    """


TableSource = str | Path | pl.DataFrame | pl.LazyFrame | Iterable[pl.DataFrame]


def iter_source_batches(source: TableSource, *, batch_rows: int = 100_000) -> Iterator[pl.DataFrame]:
    """Yield the rows of ``source`` in batches, whatever it is.

    Files go through the shared reader (``safety.readers.open_table``) so
    every format and encoding the safety check reads works here too; a frame
    or an iterable of frames (the portal's case) is used as it is.
    """

    if isinstance(source, pl.DataFrame):
        for start in range(0, max(source.height, 1), batch_rows):
            yield source.slice(start, batch_rows)
        return
    if isinstance(source, pl.LazyFrame):
        yield from iter_source_batches(source.collect(), batch_rows=batch_rows)
        return
    if isinstance(source, (str, Path)):
        yield from _file_batches(Path(source), batch_rows=batch_rows)
        return
    yield from source


def _file_batches(path: Path, *, batch_rows: int) -> Iterator[pl.DataFrame]:
    """Read a file with the shared reader, so every format the safety check reads works."""

    from community_insights.safety.readers import open_table

    yield from open_table(path).iter_batches(batch_rows)


_NUMBER_CLEAN = re.compile(r"[£,\s]")


def _numeric(column: str, dtype: pl.DataType) -> pl.Expr:
    """The value column as numbers; text like "£1,250.50" is understood."""

    expr = pl.col(column)
    if dtype == pl.Utf8 or dtype == pl.String:
        cleaned = expr.str.replace_all(_NUMBER_CLEAN.pattern, "")
        return pl.when(cleaned == "").then(None).otherwise(cleaned).cast(pl.Float64, strict=False)
    return expr.cast(pl.Float64, strict=False)


@dataclasses.dataclass(slots=True)
class GroupStats:
    """Per-group partial results of one table (observed combinations only)."""

    by: list[str]
    statistic: Statistic
    value: str | None
    frame: pl.DataFrame
    rows_read: int
    all_non_negative: bool


def check_grouping(by: Sequence[str], statistic: Statistic, value: str | None) -> tuple[list[str], str | None]:
    """The grouping columns as a list and the value column (none for a count), or the sentence refusing them.

    Shared by every engine that builds a table, so a refusal reads the same whoever counts.
    """

    by = list(by)
    if not 1 <= len(by) <= 4:
        raise DisclosureError("A table needs between one and four grouping columns.")
    if len(set(by)) != len(by):
        raise DisclosureError("Each grouping column can be used only once.")
    if statistic != "count" and not value:
        raise DisclosureError(f"A {statistic} table needs a value column.")
    if statistic == "count":
        value = None
    if value is not None and value in by:
        raise DisclosureError("The value column cannot also be a grouping column.")
    return by, value


def aggregate(
    source: TableSource,
    by: Sequence[str],
    *,
    statistic: Statistic = "count",
    value: str | None = None,
    top_n: int = 2,
    batch_rows: int = 100_000,
) -> GroupStats:
    """Group the rows of ``source`` by ``by``, one batch at a time.

    For a frequency table each group keeps its row count; for a magnitude
    table also the number of non-empty values, their sum, the sum of their
    absolute values and the ``top_n`` largest absolute values (what the
    dominance rules need); for a median, every value.
    """

    by, value = check_grouping(by, statistic, value)
    keys = [pl.col(c).cast(pl.Utf8).fill_null(MISSING_LABEL).alias(c) for c in by]
    partials: list[pl.DataFrame] = []
    rows_read = 0
    bad_values = 0
    negative = False
    checked_columns = False
    for batch in iter_source_batches(source, batch_rows=batch_rows):
        if not checked_columns:
            missing = [c for c in [*by, *([value] if value else [])] if c not in batch.columns]
            if missing:
                names = ", ".join(repr(m) for m in missing)
                raise DisclosureError(f"The file has no column called {names}.")
            checked_columns = True
        if batch.height == 0:
            continue
        rows_read += batch.height
        if value is None:
            part = batch.select(keys).group_by(by).agg(pl.len().cast(pl.Int64).alias("rows"))
        else:
            numbers = _numeric(value, batch.schema[value]).alias("_v")
            frame = batch.select([*keys, numbers, pl.col(value).is_not_null().alias("_present")])
            if batch.schema[value] in (pl.Utf8, pl.String):
                raw = batch[value].str.replace_all(_NUMBER_CLEAN.pattern, "")
                frame = frame.with_columns(_present=(raw.is_not_null() & (raw != "")))
            bad_values += frame.filter(pl.col("_present") & pl.col("_v").is_null()).height
            if frame.filter(pl.col("_v") < 0).height:
                negative = True
            aggs = [
                pl.len().cast(pl.Int64).alias("rows"),
                pl.col("_v").count().cast(pl.Int64).alias("n"),
                pl.col("_v").sum().alias("sum"),
                pl.col("_v").abs().sum().alias("abs_sum"),
                pl.col("_v").drop_nulls().abs().top_k(top_n).alias("top"),
            ]
            if statistic == "median":
                aggs.append(pl.col("_v").drop_nulls().alias("values"))
            part = frame.group_by(by).agg(aggs)
        partials.append(part)
        if len(partials) >= _COMBINE_EVERY:
            partials = [_combine(partials, by, statistic, value, top_n)]
    if not checked_columns:
        raise DisclosureError("The file has no rows to tabulate.")
    if bad_values:
        raise DisclosureError(
            f"The column {value!r} has {bad_values} values that are not numbers; "
            "fix or remove them before making a table of it."
        )
    if not partials:
        raise DisclosureError("The file has no rows to tabulate.")
    combined = _combine(partials, by, statistic, value, top_n)
    return GroupStats(
        by=by,
        statistic=statistic,
        value=value,
        frame=combined,
        rows_read=rows_read,
        all_non_negative=not negative,
    )


def _combine(
    partials: list[pl.DataFrame], by: list[str], statistic: Statistic, value: str | None, top_n: int
) -> pl.DataFrame:
    """Fold partial group-bys into one (sums add, top lists merge)."""

    frame = pl.concat(partials, how="vertical_relaxed")
    if value is None:
        return frame.group_by(by).agg(pl.col("rows").sum())
    aggs = [
        pl.col("rows").sum(),
        pl.col("n").sum(),
        pl.col("sum").sum(),
        pl.col("abs_sum").sum(),
        pl.col("top").explode().drop_nulls().top_k(top_n).alias("top"),
    ]
    if statistic == "median":
        aggs.append(pl.col("values").explode().drop_nulls().alias("values"))
    return frame.group_by(by).agg(aggs)


_DIGITS = re.compile(r"(\d+)")


def _sort_key(label: str) -> tuple[int, list[tuple[int, float, str]]]:
    """Natural order: "g2" before "g10", "0-17" before "18-64", "(missing)" last."""

    if label == MISSING_LABEL:
        return (2, [])
    try:
        number = float(label)
    except ValueError:
        number = math.nan
    if not math.isnan(number):
        return (0, [(0, number, label)])
    parts = [(0, float(p), "") if p.isdigit() else (1, 0.0, p.casefold()) for p in _DIGITS.split(label) if p]
    return (1, parts)


@dataclasses.dataclass(slots=True)
class Cube:
    """A table as dense arrays; position ``len(levels[d])`` on axis d is its total.

    ``rows`` counts records; ``contributors`` non-empty values; ``total`` the
    sum of values; ``abs_total`` and ``top`` feed the dominance rules;
    ``values`` holds every value per cell (medians only).
    """

    by: list[str]
    levels: list[list[str]]
    statistic: Statistic
    value: str | None
    rows: FloatArray
    contributors: FloatArray
    total: FloatArray
    abs_total: FloatArray
    top: FloatArray
    values: Any = None  # object array of float arrays, medians only
    rows_read: int = 0
    all_non_negative: bool = True

    @property
    def shape(self) -> tuple[int, ...]:
        return self.rows.shape

    def statistic_values(self) -> FloatArray:
        """The figure each cell would show before protection (nan = not available)."""

        if self.statistic == "count":
            return self.rows
        if self.statistic == "sum":
            return self.total
        with np.errstate(invalid="ignore", divide="ignore"):
            if self.statistic == "mean":
                return np.where(self.contributors > 0, self.total / self.contributors, np.nan)
        medians = np.full(self.shape, np.nan)
        for index in np.ndindex(self.shape):
            cell = self.values[index]
            if cell is not None and len(cell):
                medians[index] = float(np.median(cell))
        return medians

    def non_negative_cells(self) -> BoolArray:
        """Cells whose every contribution is zero or more (their sum equals the sum of absolute values)."""

        result: BoolArray = np.isclose(self.total, self.abs_total, rtol=1e-9, atol=1e-9)
        return result

    def additive_values(self) -> FloatArray:
        """The additive figure behind each cell: counts, or sums for magnitude tables.

        Secondary suppression protects this: a mean is a sum divided by a
        count, so a mean table is safe from differencing only if the sums
        behind it are (counts may well be published elsewhere).
        """

        return self.rows if self.statistic == "count" else self.total

    def labels(self, index: tuple[int, ...]) -> dict[str, str | None]:
        """Category labels of one cell; ``None`` marks a total."""

        return {
            name: (None if i == len(levels) else levels[i])
            for name, levels, i in zip(self.by, self.levels, index, strict=True)
        }


def build_cube(stats: GroupStats, *, top_n: int = 2, max_cells: int = MAX_CELLS) -> Cube:
    """Turn per-group results into a dense table with margins and grand total."""

    frame = stats.frame
    levels = [sorted(frame[c].unique().to_list(), key=_sort_key) for c in stats.by]
    inner = tuple(len(lv) for lv in levels)
    shape = tuple(n + 1 for n in inner)
    cells = math.prod(shape)
    if cells > max_cells:
        raise DisclosureError(
            f"That table would have {cells:,} cells, more than the {max_cells:,} that can be "
            "checked; group some categories together first."
        )
    index_cols = [
        frame[c].replace_strict({lab: i for i, lab in enumerate(lv)}, return_dtype=pl.Int64).to_numpy()
        for c, lv in zip(stats.by, levels, strict=True)
    ]
    position = tuple(index_cols)

    def dense(column: str) -> FloatArray:
        arr = np.zeros(inner)
        arr[position] = frame[column].fill_null(0).to_numpy().astype(float)
        return _add_margins(arr)

    rows = dense("rows")
    if stats.value is None:
        contributors, total, abs_total = rows, rows, rows
        top = np.zeros((*shape, top_n))
        values = None
    else:
        contributors = dense("n")
        total = dense("sum")
        abs_total = dense("abs_sum")
        top_inner = np.zeros((*inner, top_n))
        for k in range(top_n):
            column = frame["top"].list.get(k, null_on_oob=True).fill_null(0.0).to_numpy().astype(float)
            top_inner[(*position, np.full(len(column), k))] = column
        top = _add_top_margins(top_inner, top_n)
        values = None
        if stats.statistic == "median":
            values = np.empty(inner, dtype=object)
            for i, cell_values in enumerate(frame["values"].to_list()):
                values[tuple(col[i] for col in index_cols)] = np.asarray(cell_values, dtype=float)
            values = _add_value_margins(values)
    return Cube(
        by=list(stats.by),
        levels=levels,
        statistic=stats.statistic,
        value=stats.value,
        rows=rows,
        contributors=contributors,
        total=total,
        abs_total=abs_total,
        top=top,
        values=values,
        rows_read=stats.rows_read,
        all_non_negative=stats.all_non_negative,
    )


def _axis_slices(ndim: int, axis: int, length: int) -> tuple[tuple[Any, ...], tuple[Any, ...]]:
    total: list[Any] = [slice(None)] * ndim
    inner: list[Any] = [slice(None)] * ndim
    total[axis] = length
    inner[axis] = slice(0, length)
    return tuple(total), tuple(inner)


def _add_margins(inner: FloatArray) -> FloatArray:
    """Add a total position to every axis; totals of totals come out right
    because each axis is summed after the previous axis's totals exist."""

    shape = tuple(n + 1 for n in inner.shape)
    out = np.zeros(shape)
    out[tuple(slice(0, n) for n in inner.shape)] = inner
    for axis, length in enumerate(inner.shape):
        total, part = _axis_slices(out.ndim, axis, length)
        out[total] = out[part].sum(axis=axis)
    return out


def _add_top_margins(inner: FloatArray, top_n: int) -> FloatArray:
    """Largest contributors of a margin = largest among its cells' largest."""

    dims = inner.shape[:-1]
    out = np.zeros((*(n + 1 for n in dims), top_n))
    out[(*(slice(0, n) for n in dims), slice(None))] = inner
    for axis, length in enumerate(dims):
        total, part = _axis_slices(out.ndim, axis, length)
        block = np.moveaxis(out[part], axis, -2)
        merged = block.reshape(*block.shape[:-2], length * top_n)
        merged = -np.sort(-merged, axis=-1)[..., :top_n]
        out[total] = merged
    return out


def _add_value_margins(inner: Any) -> Any:
    shape = tuple(n + 1 for n in inner.shape)
    out = np.empty(shape, dtype=object)
    for index in itertools.product(*(range(n) for n in inner.shape)):
        cell = inner[index]
        out[index] = cell if cell is not None else np.zeros(0)
    for axis, length in enumerate(inner.shape):
        for index in np.ndindex(shape):
            if index[axis] != length or any(
                i == n and a > axis for a, (i, n) in enumerate(zip(index, inner.shape, strict=True))
            ):
                continue
            parts = [out[(*index[:axis], j, *index[axis + 1 :])] for j in range(length)]
            out[index] = np.concatenate([p for p in parts if p is not None]) if parts else np.zeros(0)
    return out
