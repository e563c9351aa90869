"""Apply a remedy plan to a dataset and write the safe copy, streaming.

``redact_dataset`` reads the input batch by batch, applies each column's
action with vectorised Polars expressions (pseudonyms and span finding work
on the distinct values or texts of a batch), and hands the batches straight to
``write_table``, so memory stays flat however many rows the file has and a
failure leaves no partial safe copy behind.

When the plan names quasi-identifiers, the file is read twice: the first pass
only counts the combinations of those (already generalised) columns, so that
small-group suppression can decide what to coarsen before the second pass
writes anything. Once the copy is written, input and copy are read side by
side and every figure of the report is counted from that comparison
(:mod:`.compare`). The same input, plan and key always give byte-identical
output: nothing depends on the clock, the order of a hash map or randomness.
"""

from __future__ import annotations

import dataclasses
from collections import deque
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np
import polars as pl

from community_insights.safety.errors import InputError, PlanError, no_rows
from community_insights.safety.files import make_xlsx_reproducible, refuse_overwrite, same_file, sha256_file
from community_insights.safety.generalisation import ladder_kind
from community_insights.safety.remedies.actions import Remedies
from community_insights.safety.remedies.compare import compare_with_input
from community_insights.safety.remedies.plan import (
    RemedyPlan,
    validate_plan,
)
from community_insights.safety.remedies.report import (
    FileSummary,
    RedactReport,
    SmallGroupsSummary,
)
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
from community_insights.safety.remedies.spans import PendingSpans, SpanScanner
from community_insights.safety.remedies.suppress import (
    GROUP,
    GroupCounter,
    SensitiveCounter,
    apply_suppression,
    group_stats,
    plan_suppression,
)
from community_insights.safety.types import Action, ColumnKind

if TYPE_CHECKING:  # pragma: no cover - for type checkers only
    from community_insights.safety.backend import Backend

Progress = Callable[[int, int | None], None]

BATCH_ROWS = 100_000
_OUTPUT_SUFFIXES = {
    ".csv": "csv",
    ".tsv": "tsv",
    ".xlsx": "xlsx",
    ".parquet": "parquet",
    ".jsonl": "jsonl",
    ".delta": "delta",  # a Delta table: a folder (readers.delta)
}


def redact_dataset(
    path: str | Path | Any,
    plan: RemedyPlan | str | Path,
    key: bytes | str | Path | None,
    output: str | Path,
    report: str | Path | None = None,
    *,
    sheet: str | None = None,
    batch_rows: int = BATCH_ROWS,
    progress: Progress | None = None,
    workers: int | None = None,
    escape_formulas: bool = True,
    force: bool = False,
    backend: Backend | None = None,
) -> RedactReport:
    """Write a safe copy of *path* to *output* by applying *plan*; return the before/after report.

    *key* is the pseudonymisation key as bytes or the path of a key file (it
    may be None when the plan pseudonymises nothing). *report*, when given, is
    written as HTML (``.html``) or JSON. Raises ``InputError``, ``PlanError``
    or ``KeyFileError`` with one plain sentence for bad input, before any
    output exists. *workers* is the number of processes that look for
    personal data in free text (default: up to four when the machine has
    several cores and the text is large; 0 keeps it in this process).
    *escape_formulas* (on unless a program, not a person, reads the copy)
    makes CSV, TSV and XLSX cells that a spreadsheet would run inert.
    A plan made for another file, or a key other than the one the plan names,
    is refused unless *force* is True; the report's ``forced`` then says what
    was overridden. No output may be one of the inputs (the data, the plan or
    the key). A Spark DataFrame, a path only Spark reads, or Spark's ``backend``
    makes the copy on Spark (``safety.remedies.spark_redact``): a Parquet folder, with the same report.
    An *output* named ``*.delta`` is written as a new Delta table (a folder; the ``delta`` extra).
    On Spark, *progress* is told Spark's tasks finished and known, as Spark's status tracker counts them.
    """

    from community_insights.safety.readers import open_table
    from community_insights.safety.spark_backend import is_spark_source

    if is_spark_source(path) or (backend is not None and backend.name == "spark"):
        from community_insights.safety.remedies.spark_redact import redact_on_spark

        spark: Any = backend
        return redact_on_spark(
            path,
            plan,
            key,
            output,
            report,
            backend=spark,
            batch_rows=batch_rows,
            force=force,
            sheet=sheet,
            progress=progress,
        )

    source = Path(path)
    target = Path(output)
    plan_path = None if isinstance(plan, RemedyPlan) else plan
    key_path = None if isinstance(key, bytes) else key
    _refuse_output(target, report, [source, plan_path, key_path])
    plan_obj, plan_sha, plan_name = plan_and_digest(plan)
    table = open_table(source, sheet=sheet or plan_obj.source.sheet)
    if table.known_row_count == 0:
        raise no_rows(source.name)
    with _names_masked_in_errors(table):
        plan_obj = _in_file_names(plan_obj, table)
        validate_plan(plan_obj, table.columns)
        key_bytes = _resolve_key(plan_obj, key)
        source_sha = table.sha256()
        same_as_planned = None if plan_obj.source.sha256 is None else plan_obj.source.sha256 == source_sha
        forced = _overrides(plan_obj, key_bytes, same_as_planned, force)
        scanner = SpanScanner(workers)
        try:
            return _redact(
                table,
                plan_obj,
                key_bytes,
                scanner,
                source,
                target,
                report,
                plan_name=plan_name,
                plan_sha=plan_sha,
                source_sha=source_sha,
                same_as_planned=same_as_planned,
                batch_rows=batch_rows,
                progress=progress,
                escape_formulas=escape_formulas,
                forced=forced,
            )
        finally:
            scanner.close()


def _refuse_output(target: Path, report: str | Path | None, inputs: list[Any]) -> None:
    """Every refusal of where the copy and its report would go, before anything is read or written."""

    if target.suffix.lower() == ".delta":  # a folder: said in its own sentence, and deltalake must be there
        from community_insights.safety.readers.delta import refuse_delta_target

        refuse_delta_target(target, inputs)
    refuse_overwrite(target, inputs)
    if report is not None:
        if same_file(target, Path(report)):
            raise InputError("The report path must differ from the output.")
        refuse_overwrite(report, inputs)
    if target.suffix.lower() not in _OUTPUT_SUFFIXES:
        raise InputError(
            f"Cannot write {target.name}: the safe copy's format must be one of "
            f"{', '.join(sorted(set(_OUTPUT_SUFFIXES)))}."
        )
    if not (target.parent if str(target.parent) else Path(".")).is_dir():
        raise InputError(f"The folder for {target.name} does not exist.")


def _redact(
    table: Any,
    plan_obj: RemedyPlan,
    key_bytes: bytes | None,
    scanner: SpanScanner,
    source: Path,
    target: Path,
    report: str | Path | None,
    *,
    plan_name: str | None,
    plan_sha: str,
    source_sha: str,
    same_as_planned: bool | None,
    batch_rows: int,
    progress: Progress | None,
    escape_formulas: bool = True,
    forced: list[str] | None = None,
) -> RedactReport:
    """The steps of a safe copy: decide small groups (first pass), write the copy (second pass), report."""

    remedies = Remedies(plan_obj, key_bytes, scanner)
    if not remedies.output_columns:
        raise PlanError("The plan drops every column, so the safe copy would be empty.")
    qis = plan_obj.effective_quasi_identifiers()
    small, total_rows, mapping = (
        _decide_small_groups(table, plan_obj, remedies, qis, batch_rows, progress) if qis else (None, None, None)
    )
    written = _write_safe_copy(
        table, plan_obj, remedies, target, qis, mapping, batch_rows, progress, total_rows, escape_formulas, source
    )
    # Every figure and example of a column is counted from the written copy against the input.
    removed_rows = np.concatenate(written.removed_rows) if written.removed_rows else np.empty(0, dtype=np.int64)
    compare_with_input(table, target, remedies, removed_rows, batch_rows)
    if small is not None:
        for column, n in small.columns_coarsened.items():
            remedies.states[column].remedy.coarsened_in_small_groups = n
        small.sensitive_details = [_one_value_groups(c, [GROUP], counter) for c, counter in written.diversity.items()]
    result = _report(
        source=FileSummary(
            file_name=source.name,
            format=table.format,
            rows=written.rows_in,
            columns=list(table.columns),
            sha256=source_sha,
        ),
        output=FileSummary(
            file_name=target.name,
            format=target.suffix.lower().lstrip("."),
            rows=written.rows_out,
            columns=list(remedies.output_columns),
            sha256=_digest(target),
        ),
        plan=(plan_obj, plan_name, plan_sha, same_as_planned),
        remedies=remedies,
        in_columns=list(table.columns),
        small=small,
        key_bytes=key_bytes,
    )
    result.forced = list(forced or [])
    from community_insights.safety.headers import mask_names, shown_columns

    if shown_columns(table.columns, table.sheet) != list(table.columns):
        result = mask_names(result, table.columns, table.sheet)  # as in the check: names shown masked
    if report is not None:
        result.write(report, inputs=[source])
    return result


def _decide_small_groups(
    table: Any,
    plan_obj: RemedyPlan,
    remedies: Remedies,
    qis: list[str],
    batch_rows: int,
    progress: Progress | None,
) -> tuple[SmallGroupsSummary, int, Any]:
    """First pass: count the combinations of the (remedied) quasi-identifiers and decide what to coarsen."""

    k = plan_obj.min_group_size
    # Before: raw combinations are nearly as many as rows, so only a 64-bit hash of each
    # is counted (a collision would merge two groups once in ~10^10 files of a million rows).
    before = GroupCounter(["__ci_combination"], as_text=False)
    level0 = GroupCounter(qis)
    rows = 0
    for batch in table.iter_batches(batch_rows):
        before.add(batch.select(pl.struct(qis).hash(seed=0).alias("__ci_combination")))
        remedied = pl.DataFrame(
            [remedies.column(c, batch, rows) for c in qis]  # type: ignore[misc]
        )
        level0.add(remedied)
        rows += batch.height
        if progress is not None:
            progress(rows, None)
    ladders = {
        c: ladder_kind(
            plan_obj.rule(c).action.value,
            plan_obj.rule(c).params,
            [t.value for t in plan_obj.rule(c).pii_types],
        )
        for c in qis
    }
    before_stats = group_stats(before.counts(), k)
    del before
    decided = plan_suppression(level0.counts(), qis, ladders, min_group_size=k, method=plan_obj.small_groups)
    del level0
    small = SmallGroupsSummary(
        quasi_identifiers=list(qis),
        min_group_size=k,
        method=plan_obj.small_groups,
        before=_stats(before_stats),
        after=_stats(decided.after),
        records_generalised=decided.records_generalised,
        records_removed=decided.records_removed,
        columns_coarsened=decided.columns_coarsened,
    )
    return small, rows, decided.mapping


@dataclasses.dataclass(slots=True)
class _Written:
    """What the second pass wrote: rows in and out, and the groups of each sensitive column."""

    rows_in: int = 0
    rows_out: int = 0
    #: The input's row numbers that small-group suppression left out, so the copy can be compared row by row:
    #: one array per batch (8 bytes a row, where a list of Python numbers took about 36).
    removed_rows: list[np.ndarray] = dataclasses.field(default_factory=list)
    diversity: dict[str, SensitiveCounter] = dataclasses.field(default_factory=dict)


def _write_safe_copy(
    table: Any,
    plan_obj: RemedyPlan,
    remedies: Remedies,
    target: Path,
    qis: list[str],
    mapping: Any,
    batch_rows: int,
    progress: Progress | None,
    total_rows: int | None,
    escape_formulas: bool,
    source: Path,
) -> _Written:
    """Second pass: remedy each batch, suppress small groups, and write the safe copy (never over *source*)."""

    from community_insights.safety.readers import write_table

    sensitive = [
        r.column
        for r in plan_obj.columns
        if r.kind is ColumnKind.SPECIAL_CATEGORY and r.action is Action.KEEP and r.column not in qis
    ]
    written = _Written(diversity={c: SensitiveCounter(qis, c) for c in sensitive} if qis else {})

    def finish(batch: pl.DataFrame, offset: int, prepared: dict[str, PendingSpans]) -> pl.DataFrame:
        safe = remedies.batch(batch, offset, prepared=prepared)
        if mapping is not None and safe.width:
            safe, removed = apply_suppression(safe, qis, mapping)
            written.removed_rows.append(removed.arg_true().to_numpy().astype(np.int64) + offset)
        written.rows_in += batch.height
        written.rows_out += safe.height
        for counter in written.diversity.values():
            counter.add(safe)
        if progress is not None:
            progress(written.rows_in, total_rows)
        return safe

    def batches() -> Iterator[pl.DataFrame]:
        # One batch of look-ahead: its free text is with the workers while this one is finished.
        waiting: deque[tuple[pl.DataFrame, int, dict[str, PendingSpans]]] = deque()
        done = 0
        produced = False
        for batch in table.iter_batches(batch_rows):
            waiting.append((batch, done, remedies.prepare(batch)))
            done += batch.height
            if len(waiting) > 1:
                produced = True
                yield finish(*waiting.popleft())
        while waiting:
            produced = True
            yield finish(*waiting.popleft())
        if not produced:  # a format whose row count is known only once read (JSON Lines)
            raise no_rows(source.name)

    from community_insights.safety.headers import shown_columns

    # A first row that may be a record is no more written into the safe copy than shown in a report.
    shown = dict(zip(table.columns, shown_columns(table.columns, table.sheet), strict=True))
    named = (b.rename({c: shown.get(c, c) for c in b.columns}) for b in batches())
    if target.suffix.lower() == ".delta":
        from community_insights.safety.readers.delta import write_delta

        write_delta(named, target, inputs=[source])
        return written
    write_table(named, target, escape_formulas=escape_formulas, inputs=[source])
    if target.suffix.lower() == ".xlsx":
        make_xlsx_reproducible(target, plan_obj.reference_date.isoformat())
    return written


def _digest(target: Path) -> str:
    """The copy's SHA-256: the file's, or for a Delta table the digest of its data files (``readers.delta``)."""

    if target.suffix.lower() == ".delta":
        from community_insights.safety.readers.delta import delta_digest

        return delta_digest(target)
    return sha256_file(target)
