"""Files on this computer that are not delimited text, as Spark DataFrames of text columns.

Why: a user who types ``--engine spark`` should not be refused a file the
polars engine reads. Every cell must reach Spark as the same text the Polars
reader gives it (``Table.iter_batches`` then a cast to text, as the counters
and remedies do), or the report, the safe copy and the table would differ
between engines. How each format gets there:

* **JSON Lines** is read by Spark as lines of text and each Arrow batch of
  lines is parsed in the executors by the Polars reader's own steps (one JSON
  object per line, the first lines' fields and types, lists and objects as
  JSON). Spark's JSON reader is not used: it orders fields alphabetically, in
  nested objects too, and widens a field's type over the whole file, so its
  text would differ.
* **Parquet** is read by Spark and each Arrow batch turned into text in the
  executors by the same Polars code. Spark gives the same values back for
  every type it reads exactly; a file with a type it reads differently or not
  at all (timestamps in other units than microseconds, times of day,
  durations, half-precision floats …) is read as the next point says.
* **Spreadsheets, Stata and SPSS files**, which Spark cannot read, are read by
  the project's readers on the driver in batches and handed to Spark through
  Arrow. They fit on one machine by nature (a sheet holds about a million rows
  at most), and the work on them still runs in the executors.

The columns are named ``c0``, ``c1`` … in the file's order, as for delimited
text (:mod:`.spark_backend`). The report's SHA-256 and format stay the file's
own: the table is still the file on this computer.
"""

from __future__ import annotations

import io
from collections.abc import Callable, Iterator
from typing import TYPE_CHECKING, Any

import polars as pl

from community_insights.safety.readers.cells import as_text_where_needed, conform, longest_text
from community_insights.safety.readers.limits import MAX_CELL_BYTES

if TYPE_CHECKING:  # pragma: no cover - for type checkers only
    from pyspark.sql import DataFrame, SparkSession

    from community_insights.safety.readers import Table

__all__ = ["read_local_file"]

#: Rows the driver reads at a time from a spreadsheet, Stata or SPSS file.
DRIVER_BATCH_ROWS = 100_000


def read_local_file(session: SparkSession, table: Table) -> tuple[DataFrame, dict[str, str]]:
    """``table`` (a local file that is not delimited text) as Spark text columns ``c0`` … (see the module)."""

    from py4j.protocol import Py4JError
    from pyspark.errors import PySparkException

    columns = list(table.columns)
    spark_names = [f"c{i}" for i in range(len(columns))]
    schema = ", ".join(f"{n} string" for n in spark_names)
    frame = None
    if table.format == "jsonl":
        lines = session.read.option("lineSep", "\n").text(str(table.path))
        # Lines of white space alone are no rows, as ``iter_json_lines`` skips them (Java's \S is Python's).
        lines = lines.filter(lines["value"].rlike(r"\S"))
        frame = lines.mapInArrow(_json_as_text(dict(table._json_schema or {}), spark_names), schema)
    elif table.format == "parquet" and _spark_reads_exactly(table):
        try:
            frame = session.read.parquet(str(table.path)).mapInArrow(_as_text(spark_names), schema)
        except (PySparkException, Py4JError):
            frame = None  # a type Spark refuses that the check above did not know of: read it here
    if frame is None:
        frame = _from_driver(session, table, spark_names)
    return frame, dict(zip(columns, spark_names, strict=True))


def _spark_reads_exactly(table: Table) -> bool:
    """Whether Spark reads every column of the Parquet file with the values the Polars reader gives."""

    import pyarrow.parquet as pq  # type: ignore[import-untyped]

    with pq.ParquetFile(table.path) as parquet:
        return all(_exact(field.type) for field in parquet.schema_arrow)


def _exact(kind: Any) -> bool:
    """A type Spark reads back as the same values (tested against the Polars reader, type by type)."""

    import pyarrow as pa

    t = pa.types
    if t.is_dictionary(kind) or t.is_list(kind) or t.is_large_list(kind):
        return _exact(kind.value_type)
    if t.is_struct(kind):
        return all(_exact(kind.field(i).type) for i in range(kind.num_fields))
    if t.is_timestamp(kind):
        return bool(kind.unit == "us")  # Spark keeps microseconds: other units come back changed or refused
    same = (t.is_string, t.is_large_string, t.is_binary, t.is_large_binary, t.is_boolean, t.is_integer)
    return any(test(kind) for test in (*same, t.is_float32, t.is_float64, t.is_decimal, t.is_date32, t.is_null))


def _text_batches(frame: pl.DataFrame, spark_names: list[str]) -> Iterator[Any]:
    """``frame``'s columns as Arrow text named ``spark_names``: the text the Polars reader's cells cast to."""

    import pyarrow as pa

    readable = as_text_where_needed(frame)
    if longest_text(readable) > MAX_CELL_BYTES:
        # The reader refuses such a cell batch by batch; the driver's walk then gives its sentence.
        raise ValueError("a cell is longer than the readers allow")
    text = readable.select(pl.col(c).cast(pl.String).alias(s) for c, s in zip(frame.columns, spark_names, strict=True))
    arrow = text.to_arrow(compat_level=pl.CompatLevel.oldest())
    arrow = arrow.cast(pa.schema([pa.field(s, pa.string()) for s in spark_names]))
    yield from arrow.to_batches()


def _as_text(spark_names: list[str]) -> Callable[[Iterator[Any]], Iterator[Any]]:
    """Executor side: each Arrow batch Spark read from Parquet, as text."""

    def run(batches: Iterator[Any]) -> Iterator[Any]:
        for batch in batches:
            frame = pl.from_arrow(batch)
            assert isinstance(frame, pl.DataFrame)
            yield from _text_batches(frame, spark_names)

    return run


def _json_as_text(schema: dict[str, Any], spark_names: list[str]) -> Callable[[Iterator[Any]], Iterator[Any]]:
    """Executor side: each Arrow batch of JSON lines parsed as ``Table._iter_jsonl`` parses a batch, as text."""

    def run(batches: Iterator[Any]) -> Iterator[Any]:
        for batch in batches:
            if not batch.num_rows:
                continue
            lines = "\n".join(batch.column(0).to_pylist()).encode("utf-8")
            frame = conform(pl.read_ndjson(io.BytesIO(lines), infer_schema_length=None), schema)
            yield from _text_batches(frame, spark_names)

    return run


def _from_driver(session: SparkSession, table: Table, spark_names: list[str]) -> DataFrame:
    """A file Spark cannot read (exactly), read here in batches and handed to Spark as Arrow text."""

    import pyarrow as pa

    schema = pa.schema([pa.field(s, pa.string()) for s in spark_names])
    batches = [b for batch in table.iter_batches(DRIVER_BATCH_ROWS) for b in _text_batches(batch, spark_names)]
    return session.createDataFrame(pa.Table.from_batches(batches, schema=schema))
