"""Safe copies on Spark: the same remedy plan applied in the executors, written as Parquet or Delta atomically.

Why the same code: a partner who makes its safe copy on one machine and a
partner who makes it on Spark must get the same pseudonyms for the same people
with the same key, or their copies cannot be joined. So nothing of a remedy is
written twice: each executor runs the Polars remedies (:class:`.actions.Remedies`)
on its Arrow batches (``mapInArrow``), and the driver decides small groups with
the same :func:`.suppress.plan_suppression` on counts Spark made.

The steps follow :func:`.redact.redact_dataset`:

1. With quasi-identifiers, Spark counts the input's combinations (for the
   "before" figures) and the combinations of the remedied quasi-identifiers;
   the driver decides what each too-small combination becomes.
2. The executors remedy every row and apply that decision; the rows left are
   written as a folder of Parquet files beside the target (for a ``.delta``
   target the driver then writes the Delta log with ``deltalake``, no Java)
   and renamed into place (:mod:`.spark_commit`), so nothing is half-written.
3. The written folder is read back and compared with the input
   (:mod:`.spark_compare`), and the report is the one-machine report.

The input is a file on this computer in any format the check reads (read by
Spark, or handed to it: :mod:`..spark_files`), a Spark DataFrame, or a path
Spark reads (``abfss://``, ``s3a://`` …). The copy's columns are text, as the
check reads every cell.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

import polars as pl

from community_insights.safety.errors import InputError, PlanError, no_rows
from community_insights.safety.files import refuse_overwrite, same_file
from community_insights.safety.generalisation import ladder_kind
from community_insights.safety.remedies.actions import Remedies
from community_insights.safety.remedies.plan import RemedyPlan, validate_plan
from community_insights.safety.remedies.report import FileSummary, RedactReport, SmallGroupsSummary
from community_insights.safety.remedies.safe_copy import (
    _in_file_names,
    _names_masked_in_errors,
    _one_value_groups,
    _overrides,
    _report,
    _resolve_key,
    _stats,
    plan_and_digest,
)
from community_insights.safety.remedies.spans import SpanScanner
from community_insights.safety.remedies.suppress import COUNT, GroupCounter, GroupStats, apply_suppression
from community_insights.safety.remedies.suppress import plan_suppression as decide
from community_insights.safety.types import Action, ColumnKind

if TYPE_CHECKING:  # pragma: no cover - for type checkers only
    from pyspark.sql import DataFrame, SparkSession

    from community_insights.safety.readers import Table
    from community_insights.safety.spark_backend import SparkBackend

__all__ = ["redact_on_spark"]

#: Why a Delta table goes to a local folder only: its log is written on the driver by deltalake, through the
#: driver's own file system (Spark's Delta, whose Java libraries would be downloaded when Spark starts, is not used).
NO_REMOTE_DELTA = (
    "On Spark a Delta safe copy is written to a folder on this computer's file system (a local disk or a mounted "
    "volume), not to {name} at a URL; write a .parquet folder there and convert it where Delta is installed."
)


def redact_on_spark(
    source: Any,
    plan: RemedyPlan | str | Path,
    key: bytes | str | Path | None,
    output: str | Path,
    report: str | Path | None = None,
    *,
    backend: SparkBackend | None = None,
    batch_rows: int = 100_000,
    force: bool = False,
    sheet: str | None = None,
    progress: Callable[[int, int | None], None] | None = None,
) -> RedactReport:
    """Write a safe copy of ``source`` to the Parquet folder or Delta table ``output`` on Spark (see the module).

    The arguments mean what they mean for :func:`.redact.redact_dataset`;
    refusals are the same sentences, given before anything is written.
    ``progress`` is told the Spark tasks finished and known so far
    (:mod:`..spark_progress`): the rows are in the executors, not here.
    """

    from community_insights.safety.spark_backend import SparkBackend, is_spark_source
    from community_insights.safety.spark_commit import spark_path
    from community_insights.safety.spark_progress import spark_progress

    backend = backend or SparkBackend()
    plan_path = None if isinstance(plan, RemedyPlan) else plan
    key_path = None if isinstance(key, bytes) else key
    local_source = None if is_spark_source(source) else Path(source)
    _refuse_target(output, report, [local_source, plan_path, key_path], source)
    plan_obj, plan_sha, plan_name = plan_and_digest(plan)
    table, frame, names = _open(source, backend, plan_obj, sheet)
    with _names_masked_in_errors(table):
        plan_obj = _in_file_names(plan_obj, table)
        validate_plan(plan_obj, table.columns)
        key_bytes = _resolve_key(plan_obj, key)
        source_sha = table.sha256()
        same_as_planned = None if plan_obj.source.sha256 is None else plan_obj.source.sha256 == source_sha
        forced = _overrides(plan_obj, key_bytes, same_as_planned, force)
        try:
            with spark_progress(backend.session, progress):
                result = _redact(
                    backend.session,
                    table,
                    frame.select(*(names[c] for c in table.columns)),
                    plan_obj,
                    key_bytes,
                    spark_path(output),
                    batch_rows,
                )
        except backend._errors() as exc:
            raise backend._failure(table, exc) from exc
    rows_in, rows_out, small, remedies, digest = result
    name = str(output).rstrip("/").rpartition("/")[2]
    made = _report(
        source=FileSummary(table.path.name, table.format, rows_in, list(table.columns), source_sha),
        output=FileSummary(name, _format(name), rows_out, list(remedies.output_columns), digest),
        plan=(plan_obj, plan_name, plan_sha, same_as_planned),
        remedies=remedies,
        in_columns=list(table.columns),
        small=small,
        key_bytes=key_bytes,
    )
    made.forced = list(forced)
    from community_insights.safety.headers import mask_names, shown_columns

    if shown_columns(table.columns, table.sheet) != list(table.columns):
        made = mask_names(made, table.columns, table.sheet)
    if report is not None:
        made.write(report, inputs=[local_source])
    return made


def _refuse_target(output: str | Path, report: str | Path | None, inputs: list[Any], source: Any) -> None:
    """Refuse, before any work, a safe copy that is neither Parquet nor Delta, or would replace an input."""

    from community_insights.safety.spark_backend import is_spark_source

    name = str(output).rstrip("/").rpartition("/")[2]
    if _format(name) == "delta":
        if is_spark_source(str(output)):
            raise InputError(NO_REMOTE_DELTA.format(name=name))
        from community_insights.safety.readers.delta import refuse_delta_target

        refuse_delta_target(Path(output), inputs)
    elif _format(name) != "parquet":
        raise InputError(
            f"Cannot write {name}: on Spark the safe copy is a Parquet folder or a Delta table; "
            "name it with .parquet or .delta."
        )
    if isinstance(source, str) and str(output).rstrip("/") == source.rstrip("/"):
        raise InputError("The output must not be the same as the input.")
    if not is_spark_source(str(output)):
        folder = Path(output)
        if folder.is_dir() and not (folder / "_SUCCESS").is_file():
            raise InputError(f"The output {name} is a folder Spark did not write; choose another name.")
        if not folder.is_dir():
            refuse_overwrite(folder, inputs)
        elif any(i is not None and folder.resolve() in (Path(i).resolve(), *Path(i).resolve().parents) for i in inputs):
            raise InputError(f"The output {name} holds an input; choose another name so the input stays as it is.")
        parent = Path(output).parent
        if not (parent if str(parent) else Path(".")).is_dir():
            raise InputError(f"The folder for {name} does not exist.")
    if report is not None:
        if str(report) == str(output) or (not is_spark_source(str(output)) and same_file(Path(output), Path(report))):
            raise InputError("The report path must differ from the output.")
        refuse_overwrite(report, inputs)


def _open(
    source: Any, backend: SparkBackend, plan: RemedyPlan, sheet: str | None
) -> tuple[Table, DataFrame, dict[str, str]]:
    """The input as a table (for its header, name and hash) and as a Spark DataFrame of text columns."""

    from community_insights.safety.readers import open_table
    from community_insights.safety.spark_backend import SparkScan, is_spark_source, open_spark_table

    if is_spark_source(source):
        spark_table = open_spark_table(source, backend.session)
        return spark_table, spark_table.frame, spark_table.names
    table = open_table(Path(source), sheet=sheet or plan.source.sheet)
    if table.known_row_count == 0:
        raise no_rows(table.path.name)
    scan = backend.scan(table)
    assert isinstance(scan, SparkScan)  # every format the readers open is read by Spark or handed to it
    return table, scan.frame, scan.names


def _redact(
    session: SparkSession,
    table: Table,
    frame: DataFrame,
    plan: RemedyPlan,
    key: bytes | None,
    target: str,
    batch_rows: int,
) -> tuple[int, int, SmallGroupsSummary | None, Remedies, str]:
    """The three steps (see the module's docstring): rows in, rows out, small groups, figures, the copy's digest."""

    from community_insights.safety.remedies.spark_compare import compare_on_spark
    from community_insights.safety.spark_commit import commit_parquet, parquet_digest, write_delta
    from community_insights.safety.spark_text import _numbered_rows, in_row_ranges

    columns = list(table.columns)
    remedies = Remedies(plan, key, SpanScanner(workers=0))
    if not remedies.output_columns:
        raise PlanError("The plan drops every column, so the safe copy would be empty.")
    qis = plan.effective_quasi_identifiers()
    numbered, rows_in = _numbered_rows(frame)
    if rows_in == 0:
        raise no_rows(table.path.name)
    numbered = in_row_ranges(numbered, rows_in, batch_rows)  # the remedies on every core, in file order
    small, mapping = _decide_small_groups(frame, columns, plan, key, qis) if qis else (None, None)
    kept = [c for c in columns if plan.rule(c).action is not Action.DROP]
    shown = _shown(table)
    schema = "__row long, __removed boolean, " + ", ".join(f"o{i} string" for i in range(len(kept)))
    remedied = numbered.mapInArrow(_remedy(plan, key, columns, kept, qis, mapping), schema)
    removed_rows: list[int] = []
    if mapping is not None and mapping.height:
        remedied = remedied.persist()
        removed_rows = sorted(r[0] for r in remedied.filter("__removed").select("__row").collect())
    safe = remedied.filter("not __removed").select(*(f"o{i}" for i in range(len(kept)))).toDF(*(shown[c] for c in kept))
    try:
        commit_parquet(safe, target, write=write_delta if _format(target) == "delta" else None)
    finally:
        remedied.unpersist()
    compare_on_spark(session, numbered, target, columns, remedies, removed_rows, batch_rows, rows_in)
    if small is not None:
        for column, n in small.columns_coarsened.items():
            remedies.states[column].remedy.coarsened_in_small_groups = n
        small.sensitive_details = _sensitive_details(session, target, plan, qis, shown)
    return rows_in, rows_in - len(removed_rows), small, remedies, parquet_digest(session, target)


def _format(name: str) -> str:
    """The copy's format from its name: ``parquet``, ``delta`` or what else its suffix says."""

    base = name.rstrip("/").rpartition("/")[2]
    return base.rpartition(".")[2].lower() if "." in base else ""


def _shown(table: Table) -> dict[str, str]:
    """Each column's name as the safe copy writes it (masked when the first row may be a record)."""

    from community_insights.safety.headers import shown_columns

    return dict(zip(table.columns, shown_columns(table.columns, table.sheet), strict=True))


def _as_named(batch: Any, columns: Sequence[str], first: int) -> pl.DataFrame:
    """An Arrow batch of ``c0``, ``c1`` … (from column ``first``) as a Polars frame with the table's names."""

    frame = pl.from_arrow(batch)
    assert isinstance(frame, pl.DataFrame)
    spark_names = frame.columns[first:]
    return frame.select(pl.col(s).cast(pl.String).alias(c) for s, c in zip(spark_names, columns, strict=True))


def _arrow_text(series: pl.Series) -> Any:
    import pyarrow as pa

    return series.cast(pl.String).to_arrow(compat_level=pl.CompatLevel.oldest()).cast(pa.string())


def _remedy(
    plan: RemedyPlan,
    key: bytes | None,
    columns: list[str],
    kept: list[str],
    qis: list[str],
    mapping: pl.DataFrame | None,
) -> Callable[[Iterator[Any]], Iterator[Any]]:
    """Executor side: each batch remedied and small groups suppressed, as the one-machine second pass does."""

    def run(batches: Iterator[Any]) -> Iterator[Any]:
        import pyarrow as pa

        remedies = Remedies(plan, key, SpanScanner(workers=0))
        names = ["__row", "__removed", *(f"o{i}" for i in range(len(kept)))]
        for batch in batches:
            rows = pl.from_arrow(batch.column(0))
            assert isinstance(rows, pl.Series)
            safe = remedies.batch(_as_named(batch, columns, 1), 0)
            removed = pl.Series([False] * safe.height)
            if mapping is not None and mapping.height:
                safe, removed = apply_suppression(safe, qis, mapping)
            gone = rows.filter(removed)
            rows = pl.concat([rows.filter(~removed), gone])
            flags = [False] * safe.height + [True] * gone.len()
            cells = [
                _arrow_text(
                    pl.concat([safe.get_column(c).cast(pl.String), pl.Series([None] * gone.len(), dtype=pl.String)])
                )
                for c in kept
            ]
            yield pa.RecordBatch.from_arrays(
                [pa.array(rows.to_numpy(), pa.int64()), pa.array(flags), *cells], names=names
            )

    return run


def _remedied_quasi_identifiers(
    plan: RemedyPlan, key: bytes | None, columns: list[str], qis: list[str]
) -> Callable[[Iterator[Any]], Iterator[Any]]:
    """Executor side: the remedied quasi-identifiers of each batch, as the one-machine first pass counts them."""

    def run(batches: Iterator[Any]) -> Iterator[Any]:
        import pyarrow as pa

        remedies = Remedies(plan, key, SpanScanner(workers=0))
        for batch in batches:
            frame = _as_named(batch, columns, 0)
            cells = [_arrow_text(remedies.column(q, frame, 0)) for q in qis]  # type: ignore[arg-type]
            yield pa.RecordBatch.from_arrays(cells, names=[f"q{i}" for i in range(len(qis))])

    return run


def _decide_small_groups(
    frame: DataFrame, columns: list[str], plan: RemedyPlan, key: bytes | None, qis: list[str]
) -> tuple[SmallGroupsSummary, pl.DataFrame]:
    """First step: Spark counts the combinations; the driver decides what to coarsen, as on one machine."""

    from pyspark.sql import functions as F

    k = plan.min_group_size
    spark_qis = [frame.columns[columns.index(q)] for q in qis]
    sizes = frame.groupBy(*spark_qis).count()
    below = F.col("count") < k
    row = sizes.agg(
        F.min("count").alias("k"),
        F.count(F.lit(1)).alias("groups"),
        F.sum("count").alias("records"),
        F.sum(F.when(below, 1).otherwise(0)).alias("groups_below"),
        F.sum(F.when(below, F.col("count")).otherwise(0)).alias("records_below"),
    ).first()
    assert row is not None
    before = GroupStats(
        k=row["k"],
        groups=int(row["groups"]),
        records=int(row["records"] or 0),
        groups_below=int(row["groups_below"] or 0),
        records_below=int(row["records_below"] or 0),
    )
    schema = ", ".join(f"q{i} string" for i in range(len(qis)))
    # Spread over the cores first: a CSV with line breaks in its cells is read in one task (order does not matter here).
    spread = frame.repartition(max(frame.sparkSession.sparkContext.defaultParallelism, 1))
    remedied = spread.mapInArrow(_remedied_quasi_identifiers(plan, key, columns, qis), schema)
    counted = pl.from_arrow(remedied.groupBy(*(f"q{i}" for i in range(len(qis)))).count().toArrow())
    assert isinstance(counted, pl.DataFrame)
    level0 = counted.select(
        *(pl.col(f"q{i}").alias(q) for i, q in enumerate(qis)), pl.col("count").cast(pl.UInt32).alias(COUNT)
    )
    ladders = {
        c: ladder_kind(plan.rule(c).action.value, plan.rule(c).params, [t.value for t in plan.rule(c).pii_types])
        for c in qis
    }
    decided = decide(level0, qis, ladders, min_group_size=k, method=plan.small_groups)
    small = SmallGroupsSummary(
        quasi_identifiers=list(qis),
        min_group_size=k,
        method=plan.small_groups,
        before=_stats(before),
        after=_stats(decided.after),
        records_generalised=decided.records_generalised,
        records_removed=decided.records_removed,
        columns_coarsened=decided.columns_coarsened,
    )
    return small, decided.mapping


class _Counted(GroupCounter):
    """Combinations Spark counted, handed to the one-machine code that reads a :class:`GroupCounter`."""

    def __init__(self, counts: pl.DataFrame) -> None:
        super().__init__([])
        self._counts = counts

    def counts(self) -> pl.DataFrame:
        return self._counts


def _sensitive_details(
    session: SparkSession, target: str, plan: RemedyPlan, qis: list[str], shown: dict[str, str]
) -> list[Any]:
    """How many groups of the written copy share one value of each kept special-category column."""

    from pyspark.sql import functions as F

    from community_insights.safety.remedies.spark_compare import _quoted

    sensitive = [
        r.column
        for r in plan.columns
        if r.kind is ColumnKind.SPECIAL_CATEGORY and r.action is Action.KEEP and r.column not in qis
    ]
    copy = session.read.parquet(target)
    details = []
    for column in sensitive:
        keys = [*qis, column]
        grouped = copy.select(*(F.col(_quoted(shown[c])).alias(f"k{i}") for i, c in enumerate(keys)))
        counted = pl.from_arrow(grouped.groupBy(*(f"k{i}" for i in range(len(keys)))).count().toArrow())
        assert isinstance(counted, pl.DataFrame)
        counts = counted.select(
            *(pl.col(f"k{i}").alias(c) for i, c in enumerate(keys)), pl.col("count").cast(pl.UInt32).alias(COUNT)
        )
        details.append(_one_value_groups(column, qis, _Counted(counts)))
    return details
