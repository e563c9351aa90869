"""The Spark backend: the check's whole-table counting as Spark aggregations.

Why Spark: a combined authority or a regional data exchange pools tens of
millions of records, and already runs Spark (Databricks, Synapse, Fabric). The
check's logic is written once (:mod:`.check`); this backend implements the
four hooks of :class:`~community_insights.safety.backend.Backend`, so the areas,
the quasi-identifier combinations and the sensitive columns are counted by a
Spark ``groupBy`` in the executors and only the small table of counts comes
back to the driver; free text goes through the span finder in the executors
too (:mod:`.spark_text`). Classification, the mosaic and small-area rules and the
report then run on those counts unchanged, which is what makes a Spark report
equal to a Polars one.

The file is read by Spark with the same choices the Polars reader makes
(``Table._text_frame``): every column as text, the header line skipped, short
rows padded with empty cells and long rows cut to the header, quotes doubled
inside quoted cells, blank lines left out. Spark columns are named ``c0``,
``c1`` … as in the Polars query, so a column name with a dot or a backtick
in it means nothing to Spark; the counts are renamed on the driver.

pyspark is imported only here, and only when a :class:`SparkBackend` is made:
the default path never pays for the JVM.
"""

from __future__ import annotations

import dataclasses
import functools
import logging
import operator
import os
import re
import sys
import warnings
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

import polars as pl

from community_insights.safety.backend import Backend
from community_insights.safety.errors import EngineMemoryError, InputError, SafetyError
from community_insights.safety.readers import Table
from community_insights.safety.readers.limits import fail

if TYPE_CHECKING:  # pragma: no cover - for type checkers only
    from pyspark.sql import Column, DataFrame, DataFrameReader, SparkSession

    from community_insights.safety.text_scan import FreeTextScanner

__all__ = ["LOCAL_MASTER", "SparkBackend", "SparkTable", "is_spark_source", "open_spark_table", "spark_session"]

#: The session started when none is active: two cores of this machine.
LOCAL_MASTER = "local[2]"

# A local session for a check: no web UI, small memory, few shuffle partitions (the tables of
# counts are small), the driver on the loopback address, Arrow for moving counts to Python.
_LOCAL_CONFIG = {
    "spark.ui.enabled": "false",
    "spark.driver.memory": "1g",
    "spark.sql.shuffle.partitions": "4",
    "spark.driver.host": "127.0.0.1",
    "spark.driver.bindAddress": "127.0.0.1",
    "spark.sql.execution.arrow.pyspark.enabled": "true",
    "spark.sql.session.timeZone": "UTC",
    "spark.ui.showConsoleProgress": "false",
}
_LOG_CONFIG = Path(__file__).parent / "data" / "spark-log4j2.properties"


def spark_session() -> SparkSession:
    """The active SparkSession (a notebook's, or spark-submit's), else a quiet local one on two cores.

    Nothing is downloaded: no Spark packages are asked for, and Java comes from the machine.
    """

    from pyspark.sql import SparkSession

    # pyspark warns about pandas 3 on every Arrow transfer; the backend moves Arrow tables, not pandas.
    warnings.filterwarnings("ignore", message="PySpark does not yet fully support pandas", category=FutureWarning)
    active = SparkSession.getActiveSession()
    if active is not None:
        return active
    # Without this, Spark warns on every start that the host name resolves to a loopback address.
    os.environ.setdefault("SPARK_LOCAL_IP", "127.0.0.1")
    # Python on a local session's executors is this interpreter (its packages), not the first python3 on the PATH.
    os.environ.setdefault("PYSPARK_PYTHON", sys.executable)
    builder = SparkSession.builder.master(LOCAL_MASTER).appName("community-insights-check")
    for key, value in _LOCAL_CONFIG.items():
        builder = builder.config(key, value)

    builder = builder.config("spark.driver.extraJavaOptions", f"-Dlog4j2.configurationFile={_LOG_CONFIG.as_uri()}")
    session = builder.getOrCreate()
    session.sparkContext.setLogLevel("ERROR")
    # py4j notes every closed connection at INFO, even at interpreter exit when streams are closed.
    logging.getLogger("py4j").setLevel(logging.WARNING)
    return session


@dataclasses.dataclass(frozen=True)
class SparkScan:
    """A table as a Spark DataFrame, with the Spark name (``c0`` …) of each of the table's columns."""

    frame: DataFrame
    names: dict[str, str]


class SparkBackend(Backend):
    """Spark, local or on a cluster: areas and combinations counted by one Spark aggregation.

    Delimited text files (CSV, TSV) and Spark DataFrames (:class:`SparkTable`)
    are read by Spark; so are Parquet and JSON Lines files on this machine,
    and spreadsheets, Stata and SPSS files are read here and handed to Spark
    (:mod:`.spark_files`). ``session`` defaults to :func:`spark_session`.
    """

    name = "spark"

    def __init__(self, session: SparkSession | None = None) -> None:
        try:
            import pyspark  # noqa: F401
        except ImportError:
            raise InputError(
                "The spark engine needs pyspark: install Community Insights with its spark extra."
            ) from None
        self._session = session

    @property
    def session(self) -> SparkSession:
        """The session this backend counts with, found or started on first use."""

        if self._session is None:
            self._session = spark_session()
        return self._session

    def _scan(self, table: Table, *, settle: bool) -> SparkScan | None:
        if isinstance(table, SparkTable):
            return SparkScan(table.frame, table.names)
        if not settle:
            # Counting beside the whole-file scan saves time on one machine only; on Spark the
            # count waits for the scan, whose findings (longer rows, blank lines) shape the read.
            return None
        if table.format not in ("csv", "tsv"):
            from community_insights.safety.spark_files import read_local_file

            return SparkScan(*read_local_file(self.session, table))
        table.wait()
        # Spark reads bytes that are not UTF-8 as U+FFFD without a word, where Polars refuses
        # them, so the file is validated here if the whole-file scan left that to the reads.
        table.check_utf8()
        return SparkScan(*_read_text(self.session, table))

    def _count(self, scan: Any, keys: Sequence[str], *, limit: int | None) -> pl.DataFrame:
        # Spark groups in the executors, so only the combinations, not the rows, come back to the driver.
        assert isinstance(scan, SparkScan)
        # The first ``limit`` rows in file (partition) order, as Polars and ``head`` take them: a limit
        # over several partitions may take any rows, so they are joined into one, in order, first.
        frame = scan.frame if limit is None else scan.frame.coalesce(1).limit(limit)
        keys = list(dict.fromkeys(keys))
        if not keys:
            return pl.DataFrame({"records": [frame.count()]}, schema={"records": pl.UInt32})
        spark_names = [scan.names[k] for k in keys]
        counted = frame.groupBy(*spark_names).count().toArrow()
        out = pl.from_arrow(counted)
        assert isinstance(out, pl.DataFrame)
        return out.select(
            *(pl.col(s).cast(pl.String).alias(k) for s, k in zip(spark_names, keys, strict=True)),
            pl.col("count").cast(_INDEX_TYPE).alias("records"),
        )

    def _scan_free_text(
        self, table: Table, scan: Any, scanner: FreeTextScanner, *, limit: int | None, batch_rows: int
    ) -> bool:
        # In the executors, with the same span finder: only the counts and examples come to the driver.
        from community_insights.safety.spark_text import scan_free_text

        assert isinstance(scan, SparkScan)
        counts, examples = scan_free_text(
            scan.frame, scan.names, scanner.columns, limit=limit, sink=scanner.sink, batch_rows=batch_rows
        )
        scanner.counts.update(counts)
        scanner.examples.update(examples)
        scanner.available = False  # done: the check's walk must not scan these columns again
        return True

    def _errors(self) -> tuple[type[BaseException], ...]:
        return spark_errors()

    def _failure(self, table: Table, exc: BaseException) -> SafetyError:
        return spark_failure(table, exc)

    def _check_bytes(self, table: Table) -> None:
        # Done before the read (see _scan): a bare count then has nothing left to check.
        table.check_utf8()


def spark_errors() -> tuple[type[BaseException], ...]:
    """The exceptions by which Spark (or its bridge to the JVM) says it could not read the data."""

    from py4j.protocol import Py4JError
    from pyspark.errors import PySparkException

    return (PySparkException, Py4JError)


def spark_failure(table: Table, exc: BaseException) -> SafetyError:
    """The one sentence for a failed Spark job: running out of memory said as such, anything else as a read failure.

    Why: Spark reports a job whose JVM ran out of memory through the same exceptions as a
    file it could not read, and telling someone their file is unreadable when the session
    was too small sends them to the wrong fix. Only the JVM's own error name is looked for;
    nothing of Spark's message (which may quote a cell) is passed on.
    """

    try:
        text = str(exc)
    except Exception:  # noqa: BLE001 - a JVM that has gone cannot describe its error; it still failed
        text = ""
    if "java.lang.OutOfMemoryError" in text:
        return EngineMemoryError(
            f"Spark ran out of memory while working on {table.path.name}: start the Spark session with more "
            "memory (spark.driver.memory; on a cluster also spark.executor.memory) and try again."
        )
    return table.read_failure()


#: The type Polars gives a count of rows, so the counts match the Polars backend's.
_INDEX_TYPE = pl.select(pl.len()).dtypes[0]


def _read_text(session: SparkSession, table: Table) -> tuple[DataFrame, dict[str, str]]:
    """The delimited file as Spark reads it with the Polars reader's choices (see the module's docstring)."""

    from pyspark.sql.types import StringType, StructField, StructType

    width = table._file_columns
    spark_names = [f"c{i}" for i in range(width)]
    schema = StructType([StructField(n, StringType(), True) for n in spark_names])
    source = table._utf8_path or table.path
    # Only a file with a cell over several lines needs Spark's multiLine read, which one task
    # reads whole; otherwise Spark splits the file by lines and reads the parts side by side.
    multi_line = table.quoted_line_feeds != 0
    reader = _text_options(session.read.schema(schema), table.delimiter or ",", multi_line=multi_line)
    reader = reader.option("header", "true" if table.has_header else "false")
    frame = reader.option("maxColumns", str(max(20_480, width + 1))).csv(str(source))
    frame = _as_polars_reads_text(frame, spark_names, blank_rows=bool(table.blank_rows))
    return frame, dict(zip(table.columns[:width], spark_names, strict=True))


def _as_polars_reads_text(frame: DataFrame, spark_names: list[str], *, blank_rows: bool) -> DataFrame:
    """Delimited text as Spark read it, with the line ends and blank rows the Polars reader gives."""

    from pyspark.sql import functions as F

    # Spark splits lines at the first line end it meets (here "\n") and leaves the "\r" of a later
    # "\r\n" in the row's last cell, where Polars treats "\r\n" as one line end: the "\r" goes.
    frame = frame.select(*(_without_carriage_return(F.col(n)).alias(n) for n in spark_names))
    if blank_rows and spark_names:
        # A line of delimiters alone is no row (the Polars reader drops it too).
        frame = frame.filter(functools.reduce(operator.or_, (F.col(n).isNotNull() for n in spark_names)))
    return frame


def _text_options(reader: DataFrameReader, delimiter: str, *, multi_line: bool = True) -> DataFrameReader:
    """Spark's CSV reader set to read delimited text as the Polars reader does (see the module's docstring).

    ``multi_line`` lets a quoted cell hold line breaks, as notes do; without it,
    lines end at ``"\n"`` alone, as in Polars (a ``"\r"`` before it is dropped later).
    """

    if not multi_line:
        reader = reader.option("lineSep", "\n")
    return (
        reader.option("sep", delimiter)
        .option("quote", '"')
        .option("escape", '"')
        .option("multiLine", "true" if multi_line else "false")
        .option("mode", "PERMISSIVE")  # short rows get empty cells, long ones are cut to the header
        .option("encoding", "UTF-8")
        .option("maxCharsPerColumn", "-1")
        .option("enforceSchema", "true")
    )


def _without_carriage_return(cell: Column) -> Column:
    """``cell`` without one trailing carriage return; a cell that held only that is empty (null), as in Polars."""

    from pyspark.sql import functions as F

    kept = cell.substr(F.lit(1), F.length(cell) - 1)
    return F.when(cell.endswith("\r"), F.when(kept == "", F.lit(None)).otherwise(kept)).otherwise(cell)


#: A path Spark reads itself rather than this machine: ``abfss://``, ``s3a://``, ``dbfs:/``, ``file://`` …
_SPARK_PATH = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]+:/")


def is_spark_source(source: object) -> bool:
    """Whether the check is given a Spark DataFrame or a path with a scheme, which Spark must read.

    Duck-typed on the class's module, so pyspark is never imported to answer ``False``.
    """

    if isinstance(source, str):
        return bool(_SPARK_PATH.match(source))
    kind = type(source)
    return kind.__name__ == "DataFrame" and kind.__module__.startswith("pyspark.sql")


def open_spark_table(source: Any, session: SparkSession | None = None) -> SparkTable:
    """A Spark DataFrame, or a CSV, TSV, Parquet or JSON Lines file at a path Spark can read, as a table."""

    if not isinstance(source, str):
        return SparkTable(source, source.sparkSession, "a Spark DataFrame")
    session = session or spark_session()
    name = source.rstrip("/").rsplit("/", 1)[-1]
    suffix = name.rsplit(".", 1)[-1].lower() if "." in name else ""
    reader = session.read
    if suffix in ("csv", "tsv", "txt"):
        reader = _text_options(reader, "\t" if suffix == "tsv" else ",").option("header", "true")
        return SparkTable(reader.csv(source), session, name, text_file=True)
    elif suffix == "parquet":
        frame = reader.parquet(source)
    elif suffix in ("jsonl", "ndjson", "json"):
        frame = reader.json(source)
    else:
        raise InputError(
            f"Spark reads {name} by path only as CSV, TSV, Parquet or JSON Lines; "
            "read it into a Spark DataFrame and check that instead."
        )
    return SparkTable(frame, session, name)


class SparkTable(Table):
    """A Spark DataFrame seen as the check's :class:`~community_insights.safety.readers.Table`.

    Why a table: the check classifies the first rows and counts and scans the
    whole table through its backend; this gives it those on a DataFrame that
    never leaves the cluster whole (``iter_batches`` serves only columns that
    start nearly empty, or a backend that cannot scan free text itself). Every column is
    read as text (Spark's cast), renamed ``c0``, ``c1`` … inside Spark as with
    files. The first rows (``head``) and the count's ``limit`` both take the
    DataFrame's first rows in partition order. A DataFrame has no bytes to
    hash, so the report's SHA-256 says so instead.
    """

    def __init__(self, frame: DataFrame, session: SparkSession, name: str, *, text_file: bool = False) -> None:
        from pyspark.sql import functions as F

        columns = list(frame.columns)
        spark_names = [f"c{i}" for i in range(len(columns))]
        super().__init__(Path(name), "spark", columns)
        self.session = session
        renamed = frame.toDF(*spark_names)
        self.frame = renamed.select(*(F.col(n).cast("string").alias(n) for n in spark_names))
        if text_file:
            # Delimited text read by Spark: the same line ends and blank rows as a file read here.
            self.frame = _as_polars_reads_text(self.frame, spark_names, blank_rows=True)
        self.names = dict(zip(columns, spark_names, strict=True))
        self._sha256 = NO_FILE_HASH

    def __repr__(self) -> str:
        return f"SparkTable({self.path.name!r}, columns={len(self.header_columns)})"

    def lazy(self, *, settle: bool = True) -> pl.LazyFrame | None:
        return None  # no Polars query: the Spark backend reads ``frame`` instead

    def head(self, n: int = 1000) -> pl.DataFrame:
        try:
            return self._to_polars(self.frame.limit(max(n, 0)).toArrow())
        except spark_errors() as exc:
            raise self.read_failure() from exc

    def iter_batches(self, batch_rows: int = 100_000, *, columns: list[str] | None = None) -> Iterator[pl.DataFrame]:
        """The rows in partition order, ``batch_rows`` at a time, through the driver (for free text)."""

        wanted = list(self.header_columns) if columns is None else columns
        frame = self.frame.select(*(self.names[c] for c in wanted))
        rows: list[tuple[Any, ...]] = []
        try:
            for row in frame.toLocalIterator(prefetchPartitions=True):
                rows.append(tuple(row))
                if len(rows) >= batch_rows:
                    yield pl.DataFrame(rows, schema=dict.fromkeys(wanted, pl.String), orient="row")
                    rows = []
        except spark_errors() as exc:
            raise self.read_failure() from exc
        if rows:
            yield pl.DataFrame(rows, schema=dict.fromkeys(wanted, pl.String), orient="row")

    def read_failure(self) -> InputError:
        return fail(f"Spark could not read {self.path.name}.")

    def _to_polars(self, table: Any) -> pl.DataFrame:
        frame = pl.from_arrow(table)
        assert isinstance(frame, pl.DataFrame)
        by_spark = {s: c for c, s in self.names.items()}
        return frame.select(pl.col(s).cast(pl.String).alias(by_spark[s]) for s in frame.columns)


#: What the report gives as the SHA-256 of a table that is not a file on this machine.
NO_FILE_HASH = "none (read by Spark, not a file on this computer)"
