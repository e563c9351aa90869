"""Publishable tables on Spark: the cells counted and summed by Spark, protected on the driver.

Why this split: the rows may be tens of millions and stay in the cluster, but
a table has at most :data:`.tables.MAX_CELLS` cells, so only one row
per cell comes back to the driver, where the one-machine code builds the cube
and applies the primary rules, secondary suppression or rounding unchanged
(:func:`.protect.protect_cube`). That is what makes the protected
table equal, cell for cell, to the one Polars makes.

Each value is read the way the one-machine code reads it: the executors run
the same Polars expressions on their Arrow batches (a grouping value as text,
an empty one as "(missing)"; a figure such as "£1,250.50" as a number), and
Spark groups what they give. Sums are added in another order than on one
machine, so a sum of fractions may differ in its last binary digit (never in
the two decimals a table shows).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

import polars as pl

from community_insights.safety.disclosure.rules import Statistic
from community_insights.safety.disclosure.tables import (
    _NUMBER_CLEAN,
    MISSING_LABEL,
    DisclosureError,
    GroupStats,
    _numeric,
    check_grouping,
)

if TYPE_CHECKING:  # pragma: no cover - for type checkers only
    from pyspark.sql import DataFrame

    from community_insights.safety.readers import Table
    from community_insights.safety.spark_backend import SparkBackend

__all__ = ["spark_stats"]

#: Rows of the source the grouping columns are classified from (as ``protect.IDENTIFIER_SAMPLE_ROWS``).
SAMPLE_ROWS = 2000


def spark_stats(
    source: Any,
    by: Sequence[str],
    *,
    statistic: Statistic,
    value: str | None,
    top_n: int,
    refuse: Callable[[pl.DataFrame], None] | None,
    backend: SparkBackend | None = None,
) -> GroupStats:
    """The per-cell figures of a table of ``source`` (a file on this computer, a DataFrame or a path Spark reads).

    ``refuse`` is given the first rows, to refuse grouping columns that hold
    direct personal data before any row is counted.
    """

    from community_insights.safety.spark_backend import SparkBackend

    backend = backend or SparkBackend(getattr(source, "sparkSession", None))
    table, frame, names = _open(source, backend)
    if refuse is not None:  # in the one-machine order: this refusal comes before the others
        refuse(table.head(SAMPLE_ROWS))
    by, value = check_grouping(by, statistic, value)
    missing = [c for c in [*by, *([value] if value else [])] if c not in names]
    if missing:
        raise DisclosureError(f"The file has no column called {', '.join(repr(m) for m in missing)}.")
    wanted = [*by, *([value] if value else [])]
    try:
        counted = _aggregate(frame.select(*(names[c] for c in wanted)), wanted, len(by), statistic, top_n)
    except backend._errors() as exc:
        raise backend._failure(table, exc) from exc
    if counted.height == 0:
        raise DisclosureError("The file has no rows to tabulate.")
    bad_values = int(counted.get_column("__bad").sum())
    if bad_values:
        raise DisclosureError(
            f"The column {value!r} has {bad_values} values that are not numbers; "
            "fix or remove them before making a table of it."
        )
    negative = bool(counted.get_column("__negative").any())
    cells = counted.rename({f"k{i}": c for i, c in enumerate(by)}).drop("__bad", "__negative")
    if value is None:
        cells = cells.select(*by, "rows")
    return GroupStats(
        by=by,
        statistic=statistic,
        value=value,
        frame=cells,
        rows_read=int(cells.get_column("rows").sum()),
        all_non_negative=not negative,
    )


def _open(source: Any, backend: SparkBackend) -> tuple[Table, DataFrame, dict[str, str]]:
    """The source as a table (its first rows, for the grouping columns' check) and as a Spark DataFrame."""

    from community_insights.safety.readers import open_table
    from community_insights.safety.spark_backend import SparkScan, is_spark_source, open_spark_table

    if is_spark_source(source):
        spark_table = open_spark_table(source, backend.session)
        return spark_table, spark_table.frame, spark_table.names
    table = open_table(Path(source))
    scan = backend.scan(table)
    assert isinstance(scan, SparkScan)  # every format the readers open is read by Spark or handed to it
    return table, scan.frame, scan.names


def _cells(keys: int, with_value: bool) -> Callable[[Iterator[Any]], Iterator[Any]]:
    """Executor side: each row's grouping values and number, read by the one-machine expressions."""

    def run(batches: Iterator[Any]) -> Iterator[Any]:
        import pyarrow as pa

        for batch in batches:
            frame = pl.from_arrow(batch)
            assert isinstance(frame, pl.DataFrame)
            names = frame.columns
            out = frame.select(
                *(pl.col(names[i]).cast(pl.Utf8).fill_null(MISSING_LABEL).alias(f"k{i}") for i in range(keys))
            )
            if with_value:
                value = names[keys]
                raw = frame.get_column(value).cast(pl.Utf8).str.replace_all(_NUMBER_CLEAN.pattern, "")
                out = out.with_columns(
                    frame.select(_numeric(value, pl.Utf8()).alias("_v")).to_series(),
                    (raw.is_not_null() & (raw != "")).alias("_present"),
                )
            table = out.to_arrow(compat_level=pl.CompatLevel.oldest())
            for index, field in enumerate(table.schema):
                if pa.types.is_large_string(field.type):
                    table = table.set_column(index, field.name, table.column(index).cast(pa.string()))
            yield from table.to_batches()

    return run


def _aggregate(frame: DataFrame, wanted: list[str], keys: int, statistic: Statistic, top_n: int) -> pl.DataFrame:
    """One row per cell: rows, and for a figure its count, sum, absolute sum, largest values (and all, for a median)."""

    from pyspark.sql import functions as F

    with_value = len(wanted) > keys
    schema = ", ".join(f"k{i} string" for i in range(keys))
    if with_value:
        schema += ", _v double, _present boolean"
    cells = frame.mapInArrow(_cells(keys, with_value), schema)
    aggs = [F.count(F.lit(1)).alias("rows")]
    if with_value:
        v = F.col("_v")
        aggs += [
            F.count(v).alias("n"),
            F.coalesce(F.sum(v), F.lit(0.0)).alias("sum"),
            F.coalesce(F.sum(F.abs(v)), F.lit(0.0)).alias("abs_sum"),
            F.slice(F.sort_array(F.collect_list(F.abs(v)), asc=False), 1, top_n).alias("top"),
            F.sum(F.when(F.col("_present") & v.isNull(), 1).otherwise(0)).alias("__bad"),
            F.max(F.when(v < 0, True).otherwise(False)).alias("__negative"),
        ]
        if statistic == "median":
            aggs.append(F.collect_list(v).alias("values"))
    else:
        aggs += [F.lit(0).alias("__bad"), F.lit(False).alias("__negative")]
    counted = pl.from_arrow(cells.groupBy(*(f"k{i}" for i in range(keys))).agg(*aggs).toArrow())
    assert isinstance(counted, pl.DataFrame)
    return counted
