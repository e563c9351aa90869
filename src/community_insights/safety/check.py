"""The data safety check: one report an information rights officer can read.

Phase 2, Part 2, Step 1 of the guide asks the team to check every dataset for
personal data, special-category data, small areas, system IDs and the mosaic
effect before it goes anywhere. :func:`check_dataset` does that while reading
the file as few times as it can:

1. the first :data:`CLASSIFY_ROWS` rows decide what each column is
   (:mod:`.classify`) — from the values, with the header as a tie-breaker —
   while the reader's whole-file scan, started once those rows are read,
   runs in a thread beside it;
2. every free-text cell goes to the span finder, batch by batch and once per
   distinct text, because notes repeat a lot;
3. areas (:mod:`.areas`) and combinations of quasi-identifiers
   (:mod:`.mosaic`) are counted: for delimited text by the backend, reading
   just those columns block by block (straight after classification when
   there is no free text, else after it), for other formats batch by batch in
   step 2;
4. the verdict and the plain-word reasons come last.

Step 2 lives in :mod:`.text_scan` (it runs in worker processes) and step 4 in
:mod:`.verdict`; :func:`_check_dataset` reads as the steps in this order.

Memory is bounded by the batch size (and, for delimited text, a block of the
file: see ``readers.blocks``) and by the number of distinct areas and
combinations, never by the number of rows: even the key columns of a file whose
combinations nearly never repeat are counted block by block and merged.
"""

from __future__ import annotations

import dataclasses
import os
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import polars as pl

# The span finder's module (and through it the detectors, name-list loader and phonenumbers)
# is imported with the engine, not on the first check: the check needs its phone rules even
# when no free text is scanned. spaCy itself still loads only when notes are scanned.
from community_insights.safety import text as _text  # noqa: F401
from community_insights.safety.areas import AreaCounter, assess_small_areas, load_households
from community_insights.safety.backend import Backend, PolarsBackend
from community_insights.safety.classify import area_level, classify_column
from community_insights.safety.collector import CollectorPaused
from community_insights.safety.errors import InputError, no_rows
from community_insights.safety.mosaic import (
    EncodedCounts,
    MosaicCounter,
    assess_mosaic,
    encode_counts,
)
from community_insights.safety.readers import Table, limited, open_table
from community_insights.safety.text_scan import FindingsSink, FreeTextScanner
from community_insights.safety.types import (
    MEASURES,
    Action,
    CheckOptions,
    CheckReport,
    ColumnFinding,
    ColumnKind,
    MosaicFinding,
    PiiType,
    SmallAreasFinding,
    SourceInfo,
    Span,
    Verdict,
)
from community_insights.safety.verdict import span_words, summarise

__all__ = ["CLASSIFY_ROWS", "check_dataset", "exit_code"]

#: Rows used to decide what each column is.
CLASSIFY_ROWS = 10_000
BATCH_ROWS = 100_000
#: A column with fewer non-empty values than this in the classification sample is decided again at the end.
SPARSE = 20
_TOPUP_VALUES = 2_000
#: Special-category columns that also act as quasi-identifiers (people know them about each other).
_QUASI_SPECIAL = {PiiType.ETHNICITY}

ProgressCallback = Callable[[int, int | None], None]
#: What the check reads: a file on this machine, or (Spark backend) a Spark DataFrame or a path Spark reads.
Dataset = str | os.PathLike[str] | Any


def exit_code(report: CheckReport) -> int:
    """0 when the dataset is safe to share, 1 when personal data or a re-identification risk was found."""

    return 0 if report.summary.verdict == Verdict.SAFE_TO_SHARE else 1


def _plan_counters(
    findings: list[ColumnFinding], quasi_override: list[str] | None, sensitive_extra: Sequence[str] = ()
) -> tuple[dict[str, str], list[str], list[str], list[str]]:
    """Areas, quasi-identifiers, sensitive columns (l-diversity) and free-text columns of the check.

    ``sensitive_extra`` (``--sensitive``) adds any column to the sensitive ones,
    whatever its kind: the officer knows which attribute must not be disclosed.
    """
    areas: dict[str, str] = {}
    quasi: list[str] = []
    sensitive: list[str] = []
    free_text: list[str] = []
    for f in findings:
        if f.kind == ColumnKind.QUASI_IDENTIFIER:
            if PiiType.POSTCODE in f.pii_types:
                areas[f.name] = "postcode"
            elif not f.pii_types:
                areas[f.name] = area_level(f.name) or "area"
            quasi.append(f.name)
        elif f.kind == ColumnKind.SPECIAL_CATEGORY:
            if set(f.pii_types) & _QUASI_SPECIAL:
                quasi.append(f.name)
            else:
                sensitive.append(f.name)
        elif f.kind == ColumnKind.FREE_TEXT:
            free_text.append(f.name)
    if quasi_override is not None:
        quasi = list(dict.fromkeys(quasi_override))  # a column named twice counts once
    sensitive = [c for c in dict.fromkeys([*sensitive, *sensitive_extra]) if c not in quasi]
    return areas, quasi, sensitive, free_text


def check_dataset(
    path: Dataset,
    options: CheckOptions | None = None,
    *,
    progress: ProgressCallback | None = None,
    findings_sink: FindingsSink | None = None,
    backend: Backend | None = None,
) -> CheckReport:
    """Check one dataset for personal data and re-identification risk.

    ``progress(done_rows, total_rows)`` is called after every batch;
    ``findings_sink`` receives the free-text spans batch by batch (row numbers
    are 0-based data rows); ``backend`` counts the areas and combinations of
    the whole table (default: :class:`PolarsBackend`, on this machine).
    ``path`` may also be a Spark DataFrame or a path only Spark can read
    (``abfss://``, ``s3a://`` …): the default backend is then Spark's. Raises
    :class:`InputError` for unreadable input before any work is reported.
    A file whose first row may be a record has every column name (and sheet
    name) in the report and the findings masked by ``headers.display_name``.
    """

    from community_insights.safety.headers import assess_header, mask_names

    opts = options or CheckOptions()
    if backend is None:
        backend = _default_backend(path)
    # The first rows only (the whole-file scan is deferred and never started): names and sheet.
    first = _open(path, opts, backend, background_scan=True, defer_scan=True)
    names = list(first.header_columns)  # the deferred scan is never started for this
    judged = [*names, *([first.sheet] if first.sheet else [])]
    masked = assess_header(judged).masked
    if masked and findings_sink is not None:
        findings_sink = _masked_sink(findings_sink, names)
    with CollectorPaused() as collector:
        report = _check_dataset(path, options, progress, findings_sink, collector, backend)
    if not masked:
        return report
    report.source.problems.append(
        "The first row may be a record rather than column names, so every column name is shown masked."
    )
    return mask_names(report, names, first.sheet)


def _default_backend(source: Dataset) -> Backend:
    """Polars on this machine, or Spark for a Spark DataFrame or a path only Spark can read."""

    from community_insights.safety.spark_backend import is_spark_source

    if not is_spark_source(source):
        return PolarsBackend()
    from community_insights.safety.spark_backend import SparkBackend

    session = None if isinstance(source, str | os.PathLike) else getattr(source, "sparkSession", None)
    return SparkBackend(session)


def _open(source: Dataset, opts: CheckOptions, backend: Backend, **scan: bool) -> Table:
    """The table to check: a file opened here, or a Spark DataFrame (or a path Spark reads) seen as one."""

    from community_insights.safety.spark_backend import is_spark_source

    if is_spark_source(source):
        from community_insights.safety.spark_backend import SparkBackend, open_spark_table

        return open_spark_table(source, backend.session if isinstance(backend, SparkBackend) else None)
    assert isinstance(source, str | os.PathLike)
    return open_table(source, sheet=opts.sheet, delimiter=opts.delimiter, encoding=opts.encoding, **scan)


def _masked_sink(sink: FindingsSink, names: list[str]) -> FindingsSink:
    """The findings sink, with each span's column shown by its masked display name."""

    from community_insights.safety.headers import display_name

    shown = {name: display_name(name, i) for i, name in enumerate(names)}

    def masked(spans: list[Span]) -> None:
        sink([dataclasses.replace(s, column=shown.get(s.column, s.column)) for s in spans])

    return masked


@dataclass(slots=True)
class _Run:
    """One check's state, filled step by step: what the first rows decided, then the counters.

    Why one object: the steps of :func:`_check_dataset` hand the same handful of things to
    each other (the table, the findings, the counters); named fields say what each step
    reads and writes, where a long function kept them as twenty local variables.
    """

    opts: CheckOptions
    backend: Backend
    table: Table
    sample: pl.DataFrame
    classify_rows: int
    findings: list[ColumnFinding]
    keys: list[str]
    early: pl.DataFrame | None
    households: Any
    total: int | None = None
    sparse: list[str] = field(default_factory=list)
    topup: dict[str, list[Any]] = field(default_factory=dict)
    areas: dict[str, str] = field(default_factory=dict)
    quasi: list[str] = field(default_factory=list)
    sensitive: list[str] = field(default_factory=list)
    scanner: FreeTextScanner | None = None
    area_counter: AreaCounter | None = None
    mosaic_counter: MosaicCounter | None = None
    lazy: Any = None  # the backend's whole-table query, or None: read batch by batch
    walk: list[str] = field(default_factory=list)
    counted: pl.DataFrame | None = None
    encoded: EncodedCounts | None = None
    done: int = 0


def _check_dataset(
    path: Dataset,
    options: CheckOptions | None,
    progress: ProgressCallback | None,
    findings_sink: FindingsSink | None,
    collector: CollectorPaused,
    backend: Backend,
) -> CheckReport:
    """The steps of the check, in the order the module's docstring gives them."""

    opts = options or CheckOptions()
    started = time.perf_counter()
    if opts.threshold < 1:
        raise InputError("The threshold must be a whole number of at least 1.")
    run = _classify_first_rows(path, opts, backend)  # step 1, beside the reader's whole-file scan
    _plan_counting(run, findings_sink)
    _walk_batches(run, progress, collector)  # step 2 (and step 3 for formats read batch by batch)
    _count_combinations(run, progress)  # step 3 for delimited text
    _decide_sparse_columns(run)
    _add_span_findings(run.findings, run.scanner)
    small_areas, mosaic = _assess_risks(run)
    source = _source_info(path, run)
    assert run.scanner is not None
    summary = summarise(run.findings, small_areas, mosaic, run.scanner, opts.threshold)  # step 4
    summary.seconds = round(time.perf_counter() - started, 3)
    return CheckReport(source=source, columns=run.findings, small_areas=small_areas, mosaic=mosaic, summary=summary)


def _classify_first_rows(path: Dataset, opts: CheckOptions, backend: Backend) -> _Run:
    """Open the file, classify its first rows, and count early where nothing else needs the rows."""

    # The classifier's word lists and modules load while the file is opened and its first rows read.
    warm = threading.Thread(target=_prepare_classifier, name="insights-warm", daemon=True)
    warm.start()
    # The whole-file scan (encoding, ragged rows, row count, SHA-256) runs in a thread while
    # the columns are classified from the first rows and counted, started once those rows are
    # read, which then have both cores. Unless only a sample is read, every row then goes
    # through Polars, which refuses bytes that are not UTF-8 wherever they are, so the scan
    # leaves that check to it (see Backend.count).
    table = _open(path, opts, backend, background_scan=True, check_utf8=opts.sample is not None, defer_scan=True)
    try:
        households = load_households(opts.households) if opts.households else None
        if opts.sample is not None and opts.sample < 1:
            raise InputError("The sample must be at least 1 row.")
        classify_rows = min(CLASSIFY_ROWS, opts.sample) if opts.sample is not None else CLASSIFY_ROWS
        sample = table.head(classify_rows)
        table.start_scan()
        warm.join()
        findings = _classify_all(sample, list(sample.columns), opts.threshold)
        # Count while the whole-file scan finishes in its thread (both run outside the GIL). The
        # count assumes the header's columns; it is dropped if the scan finds longer rows.
        keys = _count_keys(findings, opts)
        early = _count_early(backend, table, findings, opts)
    finally:
        table.wait()  # the scan's InputError (a bad byte or a giant line far into the file) wins
    if list(sample.columns) != table.columns:
        # Some row is longer than the header: classify again with its extra fields.
        sample = table.head(classify_rows)
        findings = _classify_all(sample, table.columns, opts.threshold)
        keys = _count_keys(findings, opts)
        early = None
    unknown = [m for m in opts.measures if m not in MEASURES]
    if unknown:
        raise InputError(f"The measures must be among {', '.join(MEASURES)}; {', '.join(unknown)} is not one.")
    if table.blank_rows:
        early = None  # counted before the scan knew of blank rows, which a settled read leaves out
    for label, named in (("quasi-identifier", opts.quasi), ("sensitive", opts.sensitive)):
        missing = [c for c in named or () if c not in table.columns]
        if missing:
            raise InputError(f"The {label} columns {', '.join(missing)} are not in the file.")
    return _Run(opts, backend, table, sample, classify_rows, findings, keys, early, households)


def _plan_counting(run: _Run, findings_sink: FindingsSink | None) -> None:
    """Decide the counters, and which columns must be read batch by batch in Python.

    Delimited text: areas and combinations are counted by the backend, which reads only their
    columns (Polars: block by block, grouping each block as it is parsed); batches are walked
    in Python only for what needs each row (free text, columns that started empty). Other
    formats count batch by batch.
    """

    opts, table = run.opts, run.table
    run.total = table.known_row_count  # known for CSV, TSV, spreadsheets and Parquet
    if opts.sample is not None:
        run.total = min(run.total, opts.sample) if run.total is not None else opts.sample
    run.sparse = [f.name for f in run.findings if f.evidence.non_empty < SPARSE]
    run.topup = {c: [] for c in run.sparse}
    run.areas, run.quasi, run.sensitive, free_text = _plan_counters(
        run.findings, list(opts.quasi) if opts.quasi else None, opts.sensitive or ()
    )
    run.area_counter = AreaCounter(run.areas)
    run.scanner = FreeTextScanner(free_text if opts.free_text else [], findings_sink, opts.workers)
    run.lazy = run.backend.scan(table)
    run.mosaic_counter = MosaicCounter(run.quasi, run.sensitive)
    if run.lazy is None:
        run.walk = list(table.columns)
    elif run.scanner.available and not run.backend.scan_free_text(
        table, run.lazy, run.scanner, limit=opts.sample, batch_rows=BATCH_ROWS
    ):
        # Free text first, counting after: the text workers and the count's table are not held
        # in memory at the same time.
        run.walk = [*run.scanner.columns, *(c for c in run.sparse if c not in run.scanner.columns)]
    else:
        run.walk = run.sparse
        run.counted = (
            run.early if run.early is not None else run.backend.count(table, run.lazy, run.keys, limit=opts.sample)
        )


def _walk_batches(run: _Run, progress: ProgressCallback | None, collector: CollectorPaused) -> None:
    """Read the columns that need each row: free text to the span finder, values for sparse columns.

    The cycle collector runs while notes are scanned (spaCy's objects can form cycles).
    """

    scanner = run.scanner
    assert scanner is not None and run.area_counter is not None and run.mosaic_counter is not None
    if scanner.available:
        collector.resume()
    try:
        if run.walk:
            projected = None if run.lazy is None else run.walk
            for batch in limited(run.table.iter_batches(BATCH_ROWS, columns=projected), run.opts.sample):
                scanner.add(batch, run.done)  # first: workers start on the text while counting goes on here
                if run.lazy is None:
                    run.area_counter.add(batch)
                    run.mosaic_counter.add(batch)
                if run.done + batch.height > run.classify_rows:
                    _collect_topup(run, batch.slice(max(run.classify_rows - run.done, 0)))
                run.done += batch.height
                if progress is not None:
                    progress(run.done, run.total)
        scanner.finish()
    finally:
        scanner.close()
        collector.pause()


def _collect_topup(run: _Run, later: pl.DataFrame) -> None:
    """Values after the classification sample, for columns that started (nearly) empty."""

    for col in run.sparse:
        if len(run.topup[col]) < _TOPUP_VALUES:
            values = later.get_column(col).drop_nulls()
            if values.dtype == pl.String:
                values = values.filter(values.str.strip_chars() != "")
            run.topup[col].extend(values.head(_TOPUP_VALUES - len(run.topup[col])).to_list())


def _count_combinations(run: _Run, progress: ProgressCallback | None) -> None:
    """Delimited text: count areas and combinations through the backend, if not counted already."""

    if run.lazy is None:
        return
    if run.counted is None:
        run.counted = run.backend.count(run.table, run.lazy, run.keys, limit=run.opts.sample)
    # Sensitive columns that are not also areas need only equality (l-diversity), unless
    # t-closeness is asked for, which orders numbers by their values.
    hashed = [c for c in run.sensitive if c not in run.quasi and c not in run.areas]
    if "t-closeness" in run.opts.measures:
        hashed = []
    run.encoded = encode_counts(run.counted, run.keys, hashed=hashed)
    run.mosaic_counter = MosaicCounter.from_encoded(run.encoded, run.quasi, run.sensitive)
    if not run.walk:
        run.done = run.mosaic_counter.records
        if progress is not None:
            progress(run.done, run.total)


def _decide_sparse_columns(run: _Run) -> None:
    """Columns that were (nearly) empty in the classification sample are decided on what came later."""

    for i, f in enumerate(run.findings):
        if run.topup.get(f.name):
            values = pl.Series(f.name, run.topup[f.name]).cast(pl.String, strict=False)
            refreshed = classify_column(f.name, values, threshold=run.opts.threshold)
            refreshed.evidence.notes.append("decided on values after the first rows (the column starts sparse)")
            run.findings[i] = refreshed


def _add_span_findings(findings: list[ColumnFinding], scanner: FreeTextScanner | None) -> None:
    """Free-text columns: the spans found in them become their types, examples and action."""

    assert scanner is not None
    for f in findings:
        if f.name in scanner.counts:
            counts = scanner.counts[f.name]
            f.span_count = sum(counts.values())
            f.pii_types = sorted({PiiType(t) for t in counts}, key=lambda p: p.value)
            f.evidence.masked_examples = scanner.examples[f.name]
            f.evidence.match_share = {t: n for t, n in counts.most_common()}
            if f.span_count:
                f.recommended_action = Action.REDACT_SPANS
                kinds = ", ".join(span_words(t) for t, _ in counts.most_common())
                f.reason = f"Free text that mentions {kinds} ({f.span_count:,} places); redact those spans."
            else:
                f.recommended_action = Action.KEEP
                f.reason = "Free text; no personal data was found in it."


def _assess_risks(run: _Run) -> tuple[SmallAreasFinding, MosaicFinding]:
    """Small areas (Polars) in a thread beside the mosaic's column subsets (mostly numpy): two cores."""

    from concurrent.futures import ThreadPoolExecutor

    opts, area_counter, mosaic_counter = run.opts, run.area_counter, run.mosaic_counter
    assert area_counter is not None and mosaic_counter is not None

    def small_areas_from_counts() -> SmallAreasFinding:
        if run.encoded is not None:
            for col in run.areas:
                area_counter.add_counts(col, run.encoded.value_counts(col))
        return assess_small_areas(
            area_counter,
            threshold=opts.threshold,
            households=run.households,
            households_source=Path(opts.households).name if opts.households else None,
            records=records,
        )

    # Rows counted: every count in the report is given with its share of these.
    records = mosaic_counter.records or run.done
    kinds = {f.name: [t.value for t in f.pii_types] for f in run.findings}
    with ThreadPoolExecutor(1, thread_name_prefix="insights-areas") as pool:
        areas_job = pool.submit(small_areas_from_counts)
        mosaic = assess_mosaic(mosaic_counter, threshold=opts.threshold, kinds=kinds, measures=opts.measures)
        return areas_job.result(), mosaic


def _source_info(path: Dataset, run: _Run) -> SourceInfo:
    """What was read: the file, its format, and how many of its rows the check saw."""

    table, sample, done = run.table, run.opts.sample, run.done
    name = Path(path).name if isinstance(path, str | os.PathLike) else table.path.name
    every_cell_empty = all(f.evidence.non_empty == 0 for f in run.findings) and not any(run.topup.values())
    if table.known_row_count == 0 or (table.known_row_count is None and done == 0) or every_cell_empty:
        # Column names alone are not "safe to share": nothing was checked, and they may be data.
        raise no_rows(name)
    return SourceInfo(
        file_name=name,
        format=table.format,
        rows=table._row_count if table._row_count is not None and sample is None else done,
        columns=len(table.columns),
        sha256=table.sha256(),
        sheet=table.sheet,
        encoding=table.encoding,
        delimiter=table.delimiter,
        rows_checked=done,
        sampled=sample is not None and (table._row_count is None or done < table._row_count),
        problems=list(table.problems),
    )


def _count_keys(findings: list[ColumnFinding], opts: CheckOptions) -> list[str]:
    areas, quasi, sensitive, _ = _plan_counters(
        findings, list(opts.quasi) if opts.quasi else None, opts.sensitive or ()
    )
    return list(dict.fromkeys([*quasi, *sensitive, *areas]))


def _count_early(
    backend: Backend, table: Table, findings: list[ColumnFinding], opts: CheckOptions
) -> pl.DataFrame | None:
    """Count areas and combinations before the whole-file scan has finished, if it can be done.

    ``None`` when the table is not delimited text or the query fails: the
    scan then explains the failure (a bad byte, a giant line) or the count
    runs again once the scan is done.
    """

    if opts.free_text and any(f.kind == ColumnKind.FREE_TEXT for f in findings):
        return None  # counted after the free text instead (see check_dataset)
    keys = _count_keys(findings, opts)
    if not keys or not set(keys) <= set(table.header_columns):
        return None  # with no keys, Backend.count counts the rows and checks the bytes itself
    return backend.count_if_possible(table, keys, limit=opts.sample)


def _prepare_classifier() -> None:
    from community_insights.safety.classify import prepare
    from community_insights.safety.detectors import prepare_phone_rules

    prepare()
    prepare_phone_rules()


def _classify_all(sample: pl.DataFrame, columns: list[str], threshold: int) -> list[ColumnFinding]:
    """Classify columns side by side (Polars releases the GIL), then read each beside the others (table_rules)."""

    from concurrent.futures import ThreadPoolExecutor

    from community_insights.safety.classify import prepare
    from community_insights.safety.table_rules import read_beside

    prepare()  # the word lists, once, before the threads start, so they do not race to load them
    workers = min(4, os.cpu_count() or 1)
    if workers < 2 or len(columns) < 4:
        findings = [classify_column(c, sample.get_column(c), threshold=threshold) for c in columns]
    else:
        with ThreadPoolExecutor(workers) as pool:
            findings = list(pool.map(lambda c: classify_column(c, sample.get_column(c), threshold=threshold), columns))
    return read_beside(sample, findings, threshold)
