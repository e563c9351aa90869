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
   (:mod:`.mosaic`) are counted: for delimited text by one streaming query
   over just those columns (straight after classification when there is no
   free text, else after it), for other formats batch by batch in step 2;
4. the verdict and the plain-word reasons come last.

Memory is bounded by the batch size and the number of distinct areas and
combinations, never by the number of rows, with one exception chosen for
speed: when nearly every combination in the first rows is distinct (a date of
birth beside a postcode) and the key columns of the whole file would fit in
:data:`UNGROUPED_BYTES`, they are read as they are instead of grouped, since
grouping would build a table as large as the data (:func:`_group_when_counting`).
"""

from __future__ import annotations

import gc
import os
import threading
import time
from collections import Counter, deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures.process import BrokenProcessPool
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
from community_insights.safety.masking import mask_value
from community_insights.safety.mosaic import (
    EncodedCounts,
    MosaicCounter,
    assess_mosaic,
    column_label,
    encode_counts,
)
from community_insights.safety.readers import Table, open_table
from community_insights.safety.types import (
    Action,
    CheckOptions,
    CheckReport,
    CheckSummary,
    ColumnFinding,
    ColumnKind,
    PiiType,
    SmallAreasFinding,
    SourceInfo,
    Span,
    Verdict,
)

__all__ = ["CLASSIFY_ROWS", "check_dataset", "exit_code"]

#: Rows used to decide what each column is.
CLASSIFY_ROWS = 10_000
BATCH_ROWS = 100_000
#: A column with fewer non-empty values than this in the classification sample is decided again at the end.
SPARSE = 20
_TOPUP_VALUES = 2_000
#: Key columns of at most this many (estimated) bytes in memory may be read without grouping.
UNGROUPED_BYTES = 512 * 1024 * 1024
#: Share of distinct combinations in the classification sample above which grouping is skipped.
UNGROUPED_DISTINCT = 0.5
#: Special-category columns that also act as quasi-identifiers (people know them about each other).
_QUASI_SPECIAL = {PiiType.ETHNICITY}

ProgressCallback = Callable[[int, int | None], None]
FindingsSink = Callable[[list[Span]], None]


def exit_code(report: CheckReport) -> int:
    """0 when the dataset is safe to share, 1 when personal data or a re-identification risk was found."""

    return 0 if report.summary.verdict == Verdict.SAFE_TO_SHARE else 1


def _limited(batches: Iterable[pl.DataFrame], limit: int | None) -> Iterator[pl.DataFrame]:
    done = 0
    for batch in batches:
        if limit is not None and done + batch.height > limit:
            batch = batch.head(limit - done)
        if batch.height:
            yield batch
        done += batch.height
        if limit is not None and done >= limit:
            return


#: Distinct texts per job sent to a worker process.
_CHUNK_TEXTS = 2_000
#: Below this many distinct texts in the first batch, free text is scanned in-process.
_PARALLEL_MIN_TEXTS = 5_000

_SpanTuple = tuple[int, int, int, str, float, str]


def _scan_texts(texts: list[str], column: str) -> list[_SpanTuple]:
    """Worker entry point: spans as plain tuples (cheap to send between processes)."""

    from community_insights.safety.text import find_span_tuples

    return find_span_tuples(texts)


def _warm_worker() -> None:
    """Load the name lists and spaCy as each worker starts, not inside the first batch."""

    from community_insights.safety.text import warm_up

    warm_up()


class _Job:
    __slots__ = ("column", "parts", "row_offset", "rows", "texts")

    def __init__(self, column: str, texts: list[str], rows: list[list[int]], row_offset: int) -> None:
        self.column = column
        self.texts = texts
        self.rows = rows
        self.row_offset = row_offset
        self.parts: list[Any] = []  # futures or finished span lists, one per chunk of _CHUNK_TEXTS


class _FreeTextScanner:
    """Sends each distinct text of a free-text column to the span finder once.

    Notes repeat a lot in real exports ("No answer", "Called, no reply"), so
    texts are deduplicated per batch and spans mapped back to every row that
    holds the text. With several cores, chunks of texts go to worker
    processes while the main process reads the next batch; results are
    consumed in order, so the findings stream stays sorted by row.
    """

    def __init__(self, columns: list[str], sink: FindingsSink | None, workers: int | None) -> None:
        self.columns = columns
        self.sink = sink
        self.counts: dict[str, Counter[str]] = {c: Counter() for c in columns}
        self.examples: dict[str, list[str]] = {c: [] for c in columns}
        self.available = bool(columns)
        self.workers = workers
        self._pool: Any = None
        self._pending: deque[_Job] = deque()

    def _want_pool(self, distinct: int) -> int:
        if self.workers is not None:
            return self.workers
        cores = os.cpu_count() or 1
        return min(cores, 4) if cores > 1 and distinct >= _PARALLEL_MIN_TEXTS else 0

    def add(self, batch: pl.DataFrame, row_offset: int) -> None:
        if not self.available:
            return
        for col in self.columns:
            frame = (
                batch.select(pl.col(col).cast(pl.String).alias("t"))
                .with_row_index("r")
                .filter(pl.col("t").is_not_null() & (pl.col("t").str.len_chars() > 1))
            )
            if frame.height == 0:
                continue
            groups = frame.group_by("t", maintain_order=True).agg(pl.col("r"))
            job = _Job(col, groups.get_column("t").to_list(), groups.get_column("r").to_list(), row_offset)
            if self._pool is None and self.workers != 0:
                n = self._want_pool(len(job.texts))
                if n > 1:
                    import multiprocessing
                    from concurrent.futures import ProcessPoolExecutor

                    # spawn, not fork: Polars and spaCy threads do not survive a fork.
                    self._pool = ProcessPoolExecutor(
                        n, mp_context=multiprocessing.get_context("spawn"), initializer=_warm_worker
                    )
                    self.workers = n
                else:
                    self.workers = 0
            for i in range(0, len(job.texts), _CHUNK_TEXTS):
                chunk = job.texts[i : i + _CHUNK_TEXTS]
                if self._pool is not None and self.workers:
                    job.parts.append(self._pool.submit(_scan_texts, chunk, col))
                else:
                    job.parts.append(_scan_texts(chunk, col))
            self._pending.append(job)
        # Keep a bounded number of batches in flight: memory stays flat.
        while len(self._pending) > max(2, 2 * len(self.columns)):
            self._consume(self._pending.popleft())

    def finish(self) -> None:
        try:
            while self._pending:
                self._consume(self._pending.popleft())
        finally:
            self.close()

    def close(self) -> None:
        if self._pool is not None:
            self._pool.shutdown(wait=True, cancel_futures=True)
            self._pool = None

    def _consume(self, job: _Job) -> None:
        counts = self.counts[job.column]
        examples = self.examples[job.column]
        out: list[Span] = []
        for index, part in enumerate(job.parts):
            if isinstance(part, list):
                spans = part
            else:
                try:
                    spans = part.result()
                except BrokenProcessPool:
                    # Worker processes could not start (e.g. an unguarded script under spawn):
                    # finish the job here instead.
                    chunk = job.texts[index * _CHUNK_TEXTS : (index + 1) * _CHUNK_TEXTS]
                    spans = _scan_texts(chunk, job.column)
                    self.workers = 0
            base = index * _CHUNK_TEXTS
            for row, start, end, pii, score, source in spans:
                text_index = base + row
                members = job.rows[text_index]
                counts[pii] += len(members)
                if len(examples) < 5:
                    masked = mask_value(job.texts[text_index][start:end], pii)
                    if masked and masked not in examples:
                        examples.append(masked)
                if self.sink is not None:
                    kind = PiiType(pii)
                    out.extend(Span(job.column, job.row_offset + r, start, end, kind, score, source) for r in members)
        if self.sink is not None and out:
            out.sort(key=lambda s: (s.row, s.start))
            self.sink(out)


def _plan_counters(
    findings: list[ColumnFinding], quasi_override: list[str] | None
) -> tuple[dict[str, str], list[str], list[str], list[str]]:
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
        sensitive = [c for c in sensitive if c not in quasi]
    return areas, quasi, sensitive, free_text


def check_dataset(
    path: str | os.PathLike[str],
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
    the whole table (default: :class:`PolarsBackend`, on this machine). Raises
    :class:`InputError` for unreadable input before any work is reported.
    """

    with _CollectorPaused() as collector:
        return _check_dataset(path, options, progress, findings_sink, collector, backend or PolarsBackend())


class _CollectorPaused:
    """Pauses Python's cycle collector while the check counts and scores.

    Why: the check makes few reference cycles, but each full pass of the
    collector walks every object the process holds (Polars', NumPy's and the
    engine's modules just imported), tens of milliseconds at a time with the
    GIL held, while the reader's and classifier's threads wait for it.
    Reference counting still frees everything at once; any cycles are
    collected when the collector resumes. The free-text walk runs with it
    resumed, because spaCy's objects can form cycles on long files.

    Checks may run side by side in threads (the portal's task worker), so the
    pauses are counted for the whole process: the first check to pause
    remembers whether the collector was on, and the last one to resume puts
    it back as it was.
    """

    _lock = threading.Lock()
    _paused = 0
    _was_enabled = True

    def __init__(self) -> None:
        self._counted = False

    def pause(self) -> None:
        cls = type(self)
        with cls._lock:
            if self._counted:
                return
            if cls._paused == 0:
                cls._was_enabled = gc.isenabled()
                gc.disable()
            cls._paused += 1
            self._counted = True

    def resume(self) -> None:
        cls = type(self)
        with cls._lock:
            if not self._counted:
                return
            cls._paused -= 1
            self._counted = False
            if cls._paused == 0 and cls._was_enabled:
                gc.enable()

    def __enter__(self) -> _CollectorPaused:
        self.pause()
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.resume()


def _check_dataset(
    path: str | os.PathLike[str],
    options: CheckOptions | None,
    progress: ProgressCallback | None,
    findings_sink: FindingsSink | None,
    collector: _CollectorPaused,
    backend: Backend,
) -> CheckReport:
    opts = options or CheckOptions()
    started = time.perf_counter()
    if opts.threshold < 1:
        from community_insights.safety.errors import InputError

        raise InputError("The threshold must be a whole number of at least 1.")
    # The classifier's word lists and modules load while the file is opened and its first rows read.
    warm = threading.Thread(target=_prepare_classifier, name="insights-warm", daemon=True)
    warm.start()
    # The whole-file scan (encoding, ragged rows, row count, SHA-256) runs in a thread while
    # the columns are classified from the first rows and counted, started once those rows are
    # read, which then have both cores. Unless only a sample is read, every row then goes
    # through Polars, which refuses bytes that are not UTF-8 wherever they are, so the scan
    # leaves that check to it (see Backend.count).
    table = open_table(
        path,
        sheet=opts.sheet,
        delimiter=opts.delimiter,
        encoding=opts.encoding,
        background_scan=True,
        check_utf8=opts.sample is not None,
        defer_scan=True,
    )
    try:
        households = load_households(opts.households) if opts.households else None
        if opts.sample is not None and opts.sample < 1:
            from community_insights.safety.errors import InputError

            raise InputError("The sample must be at least 1 row.")
        classify_rows = min(CLASSIFY_ROWS, opts.sample) if opts.sample is not None else CLASSIFY_ROWS
        sample = table.head(classify_rows)
        table.start_scan()
        warm.join()
        findings = _classify_all(sample, list(sample.columns), opts.threshold)
        # Count while the whole-file scan finishes in its thread (both run outside the GIL). The
        # count assumes the header's columns; it is dropped if the scan finds longer rows.
        keys = _count_keys(findings, opts)
        group = _group_when_counting(sample, keys, path, opts.sample)
        early = _count_early(backend, table, findings, opts, group=group)
    finally:
        table.wait()  # the scan's InputError (a bad byte or a giant line far into the file) wins
    if list(sample.columns) != table.columns:
        # Some row is longer than the header: classify again with its extra fields.
        sample = table.head(classify_rows)
        findings = _classify_all(sample, table.columns, opts.threshold)
        keys = _count_keys(findings, opts)
        group = _group_when_counting(sample, keys, path, opts.sample)
        early = None
    if opts.quasi:
        missing = [c for c in opts.quasi if c not in table.columns]
        if missing:
            from community_insights.safety.errors import InputError

            raise InputError(f"The quasi-identifier columns {', '.join(missing)} are not in the file.")
    total: int | None = table.known_row_count  # known for CSV, TSV, spreadsheets and Parquet
    if opts.sample is not None:
        total = min(total, opts.sample) if total is not None else opts.sample

    sparse = [f.name for f in findings if f.evidence.non_empty < SPARSE]
    topup: dict[str, list[Any]] = {c: [] for c in sparse}

    areas, quasi, sensitive, free_text = _plan_counters(findings, list(opts.quasi) if opts.quasi else None)
    area_counter = AreaCounter(areas)
    scanner = _FreeTextScanner(free_text if opts.free_text else [], findings_sink, opts.workers)

    # Delimited text: areas and combinations are counted in one streaming query that reads only
    # their columns, in parallel; batches are walked in Python only for what needs each row
    # (free text, columns that started empty). Other formats count batch by batch.
    lazy = backend.scan(table)
    counted: pl.DataFrame | None = None
    encoded: EncodedCounts | None = None
    mosaic_counter = MosaicCounter(quasi, sensitive)
    if lazy is None:
        walk = list(table.columns)
    elif scanner.available:
        # Free text first, counting after: the text workers and the count's table are not held
        # in memory at the same time.
        walk = [*scanner.columns, *(c for c in sparse if c not in scanner.columns)]
    else:
        walk = sparse
        counted = early if early is not None else backend.count(table, lazy, keys, limit=opts.sample, group=group)

    done = 0
    if scanner.available:
        collector.resume()
    try:
        if walk:
            projected = None if lazy is None else walk
            for batch in _limited(table.iter_batches(BATCH_ROWS, columns=projected), opts.sample):
                scanner.add(batch, done)  # first: workers start on the text while counting goes on here
                if lazy is None:
                    area_counter.add(batch)
                    mosaic_counter.add(batch)
                if done + batch.height > classify_rows:
                    # Values after the classification sample, for columns that started (nearly) empty.
                    later = batch.slice(max(classify_rows - done, 0))
                    for col in sparse:
                        if len(topup[col]) < _TOPUP_VALUES:
                            values = later.get_column(col).drop_nulls()
                            if values.dtype == pl.String:
                                values = values.filter(values.str.strip_chars() != "")
                            topup[col].extend(values.head(_TOPUP_VALUES - len(topup[col])).to_list())
                done += batch.height
                if progress is not None:
                    progress(done, total)
        scanner.finish()
    finally:
        scanner.close()
        collector.pause()
    if lazy is not None:
        if counted is None:
            counted = backend.count(table, lazy, keys, limit=opts.sample, group=group)
        # Sensitive columns that are not also areas need only equality (l-diversity).
        encoded = encode_counts(counted, keys, hashed=[c for c in sensitive if c not in quasi and c not in areas])
        mosaic_counter = MosaicCounter.from_encoded(encoded, quasi, sensitive)
        if not walk:
            done = mosaic_counter.records
            if progress is not None:
                progress(done, total)

    # Columns that were (nearly) empty in the classification sample are decided on what came later.
    for i, f in enumerate(findings):
        if topup.get(f.name):
            values = pl.Series(f.name, topup[f.name]).cast(pl.String, strict=False)
            refreshed = classify_column(f.name, values, threshold=opts.threshold)
            refreshed.evidence.notes.append("decided on values after the first rows (the column starts sparse)")
            findings[i] = refreshed

    for f in findings:
        if f.name in scanner.counts:
            counts = scanner.counts[f.name]
            f.span_count = sum(counts.values())
            f.pii_types = sorted({PiiType(t) for t in counts}, key=lambda p: p.value)
            f.evidence.masked_examples = scanner.examples[f.name]
            f.evidence.match_share = {t: n for t, n in counts.most_common()}
            if f.span_count:
                f.recommended_action = Action.REDACT_SPANS
                kinds = ", ".join(_span_words(t) for t, _ in counts.most_common())
                f.reason = f"Free text that mentions {kinds} ({f.span_count:,} places); redact those spans."
            else:
                f.recommended_action = Action.KEEP
                f.reason = "Free text; no personal data was found in it."

    def small_areas_from_counts() -> SmallAreasFinding:
        if encoded is not None:
            for col in areas:
                area_counter.add_counts(col, encoded.value_counts(col))
        return assess_small_areas(
            area_counter,
            threshold=opts.threshold,
            households=households,
            households_source=Path(opts.households).name if opts.households else None,
        )

    # Small areas (Polars) in a thread beside the mosaic's column subsets (mostly numpy): two cores.
    from concurrent.futures import ThreadPoolExecutor

    with ThreadPoolExecutor(1, thread_name_prefix="insights-areas") as pool:
        areas_job = pool.submit(small_areas_from_counts)
        mosaic = assess_mosaic(mosaic_counter, threshold=opts.threshold)
        small_areas = areas_job.result()
    source = SourceInfo(
        file_name=Path(path).name,
        format=table.format,
        rows=table._row_count if table._row_count is not None and opts.sample is None else done,
        columns=len(table.columns),
        sha256=table.sha256(),
        sheet=table.sheet,
        encoding=table.encoding,
        delimiter=table.delimiter,
        rows_checked=done,
        sampled=opts.sample is not None and (table._row_count is None or done < table._row_count),
        problems=list(table.problems),
    )
    summary = _summarise(findings, small_areas, mosaic, scanner, opts.threshold)
    summary.seconds = round(time.perf_counter() - started, 3)
    return CheckReport(source=source, columns=findings, small_areas=small_areas, mosaic=mosaic, summary=summary)


def _count_keys(findings: list[ColumnFinding], opts: CheckOptions) -> list[str]:
    areas, quasi, sensitive, _ = _plan_counters(findings, list(opts.quasi) if opts.quasi else None)
    return list(dict.fromkeys([*quasi, *sensitive, *areas]))


def _group_when_counting(
    sample: pl.DataFrame, keys: list[str], path: str | os.PathLike[str], limit: int | None
) -> bool:
    """Whether to group records by combination while counting, or read the key columns as they are.

    Grouping pays when combinations repeat. When nearly every combination
    in the classification sample is distinct, the grouped table is as large
    as the data and building it costs a second pass over every value, so the
    key columns are read as they are, but only if the whole file's key
    columns fit :data:`UNGROUPED_BYTES` (Polars keeps a 16-byte view per cell
    plus the text): memory then stays bounded for any file.
    """

    keys = [k for k in dict.fromkeys(keys) if k in sample.columns]
    if not keys or sample.height < 1_000:
        return True
    distinct = sample.select(keys).n_unique() / sample.height
    if distinct <= UNGROUPED_DISTINCT:
        return True
    try:
        size = os.stat(path).st_size
    except OSError:
        return True
    text = sample.select(pl.col(c).cast(pl.String).str.len_bytes().sum() for c in sample.columns).row(0)
    per_row = max(sum(int(n or 0) for n in text) / sample.height, 1.0)
    rows = size / per_row
    if limit is not None:
        rows = min(rows, limit)
    key_text = sum(int(n or 0) for c, n in zip(sample.columns, text, strict=True) if c in keys) / sample.height
    return rows * (key_text + 16 * len(keys)) > UNGROUPED_BYTES


def _count_early(
    backend: Backend, table: Table, findings: list[ColumnFinding], opts: CheckOptions, *, group: bool = True
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
    return backend.count_if_possible(table, keys, limit=opts.sample, group=group)


def _prepare_classifier() -> None:
    from community_insights.safety.classify import prepare
    from community_insights.safety.detectors import prepare_phone_rules

    prepare()
    prepare_phone_rules()


def _classify_all(sample: pl.DataFrame, columns: list[str], threshold: int) -> list[ColumnFinding]:
    """Classify columns side by side: most of the work is in Polars, which releases the GIL."""

    from concurrent.futures import ThreadPoolExecutor

    from community_insights.safety.classify import prepare

    prepare()  # the word lists, once, before the threads start, so they do not race to load them
    workers = min(4, os.cpu_count() or 1)
    if workers < 2 or len(columns) < 4:
        return [classify_column(c, sample.get_column(c), threshold=threshold) for c in columns]
    with ThreadPoolExecutor(workers) as pool:
        return list(pool.map(lambda c: classify_column(c, sample.get_column(c), threshold=threshold), columns))


def _span_words(pii: str) -> str:
    return {
        "PERSON": "names",
        "EMAIL": "email addresses",
        "PHONE": "phone numbers",
        "POSTCODE": "postcodes",
        "ADDRESS": "addresses",
        "DATE_OF_BIRTH": "dates of birth",
        "NHS_NUMBER": "NHS numbers",
        "NI_NUMBER": "National Insurance numbers",
    }.get(pii, pii.replace("_", " ").lower())


def _summarise(
    findings: list[ColumnFinding],
    small_areas: Any,
    mosaic: Any,
    scanner: _FreeTextScanner,
    threshold: int,
) -> CheckSummary:
    reasons: list[str] = []
    direct = [f.name for f in findings if f.kind == ColumnKind.DIRECT_IDENTIFIER]
    special = [f.name for f in findings if f.kind == ColumnKind.SPECIAL_CATEGORY]
    system = [f.name for f in findings if f.kind == ColumnKind.SYSTEM_ID]
    text_hits = [f for f in findings if f.kind == ColumnKind.FREE_TEXT and f.recommended_action == Action.REDACT_SPANS]
    span_counts: Counter[str] = Counter()
    for c in scanner.counts.values():
        span_counts.update(c)

    if direct:
        reasons.append(f"Columns that identify people directly: {', '.join(direct)}. Remove them before sharing.")
    if text_hits:
        for f in text_hits:
            reasons.append(f"{f.name}: {f.reason}")
    if system:
        reasons.append(f"System IDs tie rows back to records: {', '.join(system)}. Pseudonymise or remove them.")
    if special:
        reasons.append(
            f"Special category data (UK GDPR Article 9): {', '.join(special)}. Share it only with a lawful basis "
            "and a sharing agreement, and suppress small groups."
        )
    reasons.extend(small_areas.recommendations)
    if mosaic.quasi_identifiers and mosaic.records_below_threshold:
        labels = " + ".join(column_label(c) for c in mosaic.quasi_identifiers)
        reasons.append(
            f"Mosaic effect: {mosaic.records_below_threshold:,} records sit in groups of fewer than {threshold} "
            f"people sharing the same {labels}; generalise one of these columns."
        )
    for d in mosaic.l_diversity:
        if d.groups_with_one_value:
            reasons.append(
                f"{d.column}: in {d.groups_with_one_value:,} groups everyone has the same value, "
                "so it is disclosed for all of them."
            )

    if direct and special:
        verdict = Verdict.NOT_SHAREABLE
        reasons.insert(
            0,
            "Not shareable as it is: it links named or numbered people to special category data. "
            "It needs a sharing agreement, or remedies that make a different, de-identified dataset.",
        )
    elif reasons:
        verdict = Verdict.NEEDS_REMEDIES
    else:
        verdict = Verdict.SAFE_TO_SHARE
        reasons.append("No personal data, small areas or combinations that single people out were found.")
    return CheckSummary(
        verdict=verdict,
        reasons=reasons,
        personal_data_found=verdict != Verdict.SAFE_TO_SHARE,
        direct_identifiers=direct,
        special_category=special,
        span_counts=dict(span_counts.most_common()),
    )
