"""The safe copy's before/after figures on Spark, counted from the written copy against the input.

Why: the report's figures must be those of :func:`.compare.compare_with_input`
to the digit, but on a cluster neither file can be walked on the driver. So
the written Parquet folder is read back by Spark and each of its rows is put
beside the input row it came from (the rows small-group suppression removed are
known, so the two line up); the rows are then grouped into the very batches the
one-machine comparison reads (``batch_rows`` input rows each), and each batch
goes through the same Polars code (``compare._count``) in an executor. Only
per-batch figures, up to five masked examples per column, and the different
values of each column (counted in Spark) come back to the driver; the
driver adds them up in batch order, as the one-machine loop does.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Callable, Iterator, Sequence
from typing import TYPE_CHECKING, Any

import polars as pl

from community_insights.safety.remedies.actions import Remedies, _ColumnState, _mask
from community_insights.safety.remedies.compare import (
    _PLACEHOLDER_TYPES,
    DISTINCT_CAP,
    EXAMPLES,
    _after_example,
    _count,
    _present,
    _Tally,
)
from community_insights.safety.remedies.plan import RemedyPlan
from community_insights.safety.remedies.report import ColumnRemedy
from community_insights.safety.types import Action

if TYPE_CHECKING:  # pragma: no cover - for type checkers only
    from pyspark.sql import DataFrame, SparkSession

__all__ = ["compare_on_spark"]

_FIGURES = ("values_in", "values_kept", "values_changed", "values_suppressed", "values_blanked", "values_removed")
_OUT = "kind string, col int, batch long, text string"
#: Masked examples a batch offers: the driver skips up to two already shown, then takes three.
_CANDIDATES = EXAMPLES + 2


def compare_on_spark(
    session: SparkSession,
    numbered: DataFrame,
    target: str,
    columns: Sequence[str],
    remedies: Remedies,
    removed_rows: Sequence[int],
    batch_rows: int,
    rows: int,
) -> None:
    """Fill each column's figures and examples in the report (see the module's docstring).

    ``numbered`` is the input: ``__row`` (from 0, in file order) then one
    column per name of ``columns``, in order, as ``c0``, ``c1`` …; it has ``rows`` rows.
    """

    from pyspark import StorageLevel
    from pyspark.sql import functions as F

    copy, written = _copy_by_input_row(session, target, removed_rows)
    joined = numbered.join(copy, "__row", "left").withColumn("__batch", F.floor(F.col("__row") / batch_rows))
    # One batch to each task (which task does not matter: the driver adds them up in order). Not the
    # session's few shuffle partitions: ten million rows in four parts put 2.5 million joined rows
    # into each task's sort, and the local session's 1 GiB heap ran out; a batch is bounded.
    parts = max(1, -(-rows // batch_rows))
    ordered = joined.repartition(parts, "__batch").sortWithinPartitions("__row")
    plan = remedies.plan
    present_in_copy = [name in written for name in columns]
    counted = ordered.mapInArrow(_batch_figures(plan, list(columns), written, present_in_copy), _OUT)
    counted = counted.persist(StorageLevel.MEMORY_AND_DISK)
    try:
        figures = counted.filter(F.col("kind") == "f").select("col", "batch", "text").toArrow().to_pylist()
        firsts = (
            counted.filter(F.col("kind") == "d")
            .groupBy("col", "text")
            .agg(F.min("batch").alias("first"))
            .groupBy("col", "first")
            .count()
            .toArrow()
            .to_pylist()
        )
    finally:
        counted.unpersist()
    _fill(remedies, list(columns), figures, firsts)


def _copy_by_input_row(session: SparkSession, target: str, removed_rows: Sequence[int]) -> tuple[DataFrame, list[str]]:
    """The written copy, each row with the input row number it came from (``__row``), and its column names.

    Spark reads a folder's files in an order of its own (largest first), so
    each row's place is taken from its file (the parts are named in the
    order they were written) and its index within that file.
    """

    from pyspark.sql import functions as F

    raw = session.read.parquet(target)
    written = list(raw.columns)
    copy = raw.select(
        F.col("_metadata.file_name").alias("__file"),
        F.col("_metadata.row_index").alias("__index"),
        *(F.col(_quoted(name)).alias(f"o{i}") for i, name in enumerate(written)),
    )
    sizes = sorted((r["__file"], r["count"]) for r in copy.groupBy("__file").count().collect())
    offsets, done = [], 0
    for name, size in sizes:
        offsets.append((name, done))
        done += size
    starts = session.createDataFrame(offsets or [("", 0)], "__file string, __offset long")
    copy = copy.join(F.broadcast(starts), "__file").select(
        (F.col("__offset") + F.col("__index")).alias("__k"), *(f"o{i}" for i in range(len(written)))
    )
    thresholds = [row - i for i, row in enumerate(sorted(removed_rows))]
    schema = "__row long, __in_copy boolean, " + ", ".join(f"o{i} string" for i in range(len(written)))
    return copy.mapInArrow(_input_rows(thresholds), schema), written


def _quoted(name: str) -> str:
    """A column name Spark takes as it is, dots and all."""

    return "`" + name.replace("`", "``") + "`"


def _input_rows(thresholds: list[int]) -> Callable[[Iterator[Any]], Iterator[Any]]:
    """Executor side: the input row of the copy's k-th row (k plus the removed rows before it)."""

    def run(batches: Iterator[Any]) -> Iterator[Any]:
        import numpy as np
        import pyarrow as pa

        edges = np.asarray(thresholds, dtype=np.int64)
        for batch in batches:
            k = batch.column(0).to_numpy(zero_copy_only=False).astype(np.int64)
            rows = k + np.searchsorted(edges, k, side="right")
            yield pa.RecordBatch.from_arrays(
                [pa.array(rows, pa.int64()), pa.array(np.ones(len(rows), dtype=bool)), *batch.columns[1:]],
                names=["__row", "__in_copy", *batch.schema.names[1:]],
            )

    return run


def _batch_figures(
    plan: RemedyPlan, columns: list[str], written: list[str], present_in_copy: list[bool]
) -> Callable[[Iterator[Any]], Iterator[Any]]:
    """Executor side: each input batch's figures, examples and different values, by ``compare._count``."""

    def run(batches: Iterator[Any]) -> Iterator[Any]:
        pending: list[pl.DataFrame] = []
        current: int | None = None
        for batch in batches:
            frame = pl.from_arrow(batch)
            assert isinstance(frame, pl.DataFrame)
            for (number,), part in frame.group_by("__batch", maintain_order=True):
                if current is not None and number != current:
                    yield _one_batch(plan, columns, written, present_in_copy, current, pl.concat(pending))
                    pending = []
                current = int(number)  # type: ignore[call-overload]
                pending.append(part)
        if current is not None:
            yield _one_batch(plan, columns, written, present_in_copy, current, pl.concat(pending))

    return run


def _one_batch(
    plan: RemedyPlan, columns: list[str], written: list[str], present_in_copy: list[bool], number: int, frame: Any
) -> Any:
    import pyarrow as pa

    in_copy = frame.get_column("__in_copy").fill_null(False)
    rows, gone = frame.filter(in_copy), frame.filter(~in_copy)
    out: dict[str, list[Any]] = {"kind": [], "col": [], "batch": [], "text": []}

    def emit(kind: str, col: int, text: str) -> None:
        out["kind"].append(kind)
        out["col"].append(col)
        out["batch"].append(number)
        out["text"].append(text)

    for index, name in enumerate(columns):
        rule = plan.rule(name)
        state = _ColumnState(rule=rule, remedy=ColumnRemedy(name, rule.action.value, {}, "", ""))
        tally = _Tally()
        before = rows.get_column(f"c{index}").alias(name)
        after = rows.get_column(f"o{written.index(name)}").alias(name) if present_in_copy[index] else None
        _count(state, tally, before, after, gone.get_column(f"c{index}").alias(name))
        figures = {f: getattr(state.remedy, f) for f in _FIGURES}
        figures["in"], figures["out"] = dict(tally.placeholders_in), dict(tally.placeholders_out)
        figures["examples"] = _candidates(state, before, after)
        emit("f", index, json.dumps(figures))
        for value in sorted(tally.distinct.to_list()):  # the values' 64-bit hashes, as the one-machine tally
            emit("d", index, str(value))
    schema = pa.schema([("kind", pa.string()), ("col", pa.int32()), ("batch", pa.int64()), ("text", pa.string())])
    return pa.RecordBatch.from_pydict(out, schema=schema)


def _candidates(state: _ColumnState, before: pl.Series, after: pl.Series | None) -> list[list[str]]:
    """The batch's first different masked values (of its first 200 present), as ``compare._examples`` walks them."""

    if state.rule.action is Action.KEEP:
        return []
    seen: set[str] = set()
    found: list[list[str]] = []
    raw = before.cast(pl.Utf8, strict=False)
    for i in _present(before).arg_true().head(200).to_list():
        masked = _mask(str(raw[i]), state.rule)
        if masked in seen:
            continue
        seen.add(masked)
        found.append([masked, _after_example(state, str(raw[i]), masked, after, i)])
        if len(found) >= _CANDIDATES:
            break
    return found


def _fill(remedies: Remedies, columns: list[str], figures: list[dict[str, Any]], firsts: list[dict[str, Any]]) -> None:
    """Add the batches up in order, as the one-machine comparison does, into each column's report."""

    by_column: dict[int, list[tuple[int, dict[str, Any]]]] = {}
    for row in figures:
        by_column.setdefault(row["col"], []).append((row["batch"], json.loads(row["text"])))
    new_values: dict[int, dict[int, int]] = {}
    for row in firsts:
        new_values.setdefault(row["col"], {})[row["first"]] = row["count"]
    for index, name in enumerate(columns):
        state = remedies.states[name]
        remedy = state.remedy
        placeholders_in: Counter[str] = Counter()
        placeholders_out: Counter[str] = Counter()
        for field in _FIGURES:
            setattr(remedy, field, 0)
        remedy.examples_before, remedy.examples_after = [], []
        for _, part in sorted(by_column.get(index, []), key=lambda item: item[0]):
            for field in _FIGURES:
                setattr(remedy, field, getattr(remedy, field) + part[field])
            placeholders_in.update(part["in"])
            placeholders_out.update(part["out"])
            for masked, shown in part["examples"]:
                if len(remedy.examples_before) < EXAMPLES and masked not in remedy.examples_before:
                    remedy.examples_before.append(masked)
                    remedy.examples_after.append(shown)
        distinct = 0
        for _, count in sorted(new_values.get(index, {}).items()):
            if distinct < DISTINCT_CAP:  # as the one-machine loop: a batch is added while under the cap
                distinct += count
        remedy.distinct_after = distinct
        if state.rule.action is Action.REDACT_SPANS:
            gained = {
                _PLACEHOLDER_TYPES.get(k[1:-1], k[1:-1]): n - placeholders_in.get(k, 0)
                for k, n in placeholders_out.items()
            }
            remedy.span_types = {k: v for k, v in sorted(gained.items()) if v > 0}
            remedy.spans_redacted = sum(remedy.span_types.values())
