"""The check's free-text step: every distinct note of a free-text column through the span finder.

Why a module of its own: this is the one part of the check that runs in worker processes,
with its own pool, chunking and fallback when the workers cannot start; the check itself only
adds batches and reads the counts and masked examples at the end.
"""

from __future__ import annotations

import os
from collections import Counter, deque
from collections.abc import Callable
from concurrent.futures.process import BrokenProcessPool
from typing import Any

import polars as pl

from community_insights.safety.masking import mask_value
from community_insights.safety.types import PiiType, Span

__all__ = ["FindingsSink", "FreeTextScanner"]

FindingsSink = Callable[[list[Span]], None]

#: Distinct texts per job sent to a worker process.
_CHUNK_TEXTS = 2_000
#: Below this many distinct texts in the first batch, free text is scanned in-process.
_PARALLEL_MIN_TEXTS = 5_000

SpanTuple = tuple[int, int, int, str, float, str]


def scan_texts(texts: list[str], column: str, gated: pl.DataFrame | None = None) -> list[SpanTuple]:
    """Worker entry point: spans as plain tuples (cheap to send between processes).

    ``gated`` holds the texts' rows of the batch's gate frame (see :meth:`FreeTextScanner.add`).
    """

    from community_insights.safety.text import find_span_tuples

    return find_span_tuples(texts, gated=gated)


def warm_worker() -> None:
    """Load the name lists and spaCy as each worker starts, not inside the first batch; then freeze them.

    What warm-up loads (spaCy's model, the name lists, the vocabularies and their patterns) lives as
    long as the worker, yet Python's full garbage collections walked all of it again and again as
    the span caches grew: about a tenth of a worker's CPU on generated notes. ``gc.freeze()`` sets
    what exists now aside from every later collection; nothing is freed or kept differently.
    """

    import gc

    from community_insights.safety.text import warm_up

    warm_up()
    gc.freeze()


class _Job:
    __slots__ = ("column", "parts", "row_offset", "rows", "sizes", "texts")

    def __init__(
        self, column: str, texts: list[str], rows: list[list[int]] | None, sizes: list[int], row_offset: int
    ) -> None:
        self.column = column
        self.texts = texts
        self.rows = rows  # the rows holding each text, kept only when spans go to a sink
        self.sizes = sizes  # how many rows hold each text
        self.row_offset = row_offset
        self.parts: list[Any] = []  # futures or finished span lists, one per chunk of _CHUNK_TEXTS


class FreeTextScanner:
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
            groups = frame.group_by("t", maintain_order=True).agg(pl.col("r"), pl.len().alias("n"))
            # Each text's rows become Python lists only for a sink; counting needs how many there are.
            rows = groups.get_column("r").to_list() if self.sink is not None else None
            job = _Job(col, groups.get_column("t").to_list(), rows, groups.get_column("n").to_list(), row_offset)
            from community_insights.safety.text.gates import gate_frame

            # Every gate of the span finder in one Polars pass over the batch's distinct texts, here, once:
            # per chunk in each worker, the large patterns were compiled again for every 2,000 notes.
            gated = gate_frame(groups.get_column("t"))
            if self._pool is None and self.workers != 0:
                n = self._want_pool(len(job.texts))
                if n > 1:
                    import multiprocessing
                    from concurrent.futures import ProcessPoolExecutor

                    # spawn, not fork: Polars and spaCy threads do not survive a fork.
                    self._pool = ProcessPoolExecutor(
                        n, mp_context=multiprocessing.get_context("spawn"), initializer=warm_worker
                    )
                    self.workers = n
                else:
                    self.workers = 0
            for i in range(0, len(job.texts), _CHUNK_TEXTS):
                chunk = job.texts[i : i + _CHUNK_TEXTS]
                chunk_gates = gated.slice(i, len(chunk))
                if self._pool is not None and self.workers:
                    job.parts.append(self._pool.submit(scan_texts, chunk, col, chunk_gates))
                else:
                    job.parts.append(scan_texts(chunk, col, chunk_gates))
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
                    spans = scan_texts(chunk, job.column)
                    self.workers = 0
            base = index * _CHUNK_TEXTS
            sizes = job.sizes
            for span in spans:  # most spans only add to a count: read only what that needs
                counts[span[3]] += sizes[base + span[0]]
            for row, start, end, pii, _score, _source in spans:
                if len(examples) >= 5:
                    break
                masked = mask_value(job.texts[base + row][start:end], pii)
                if masked and masked not in examples:
                    examples.append(masked)
            if job.rows is not None:
                for row, start, end, pii, score, source in spans:
                    kind = PiiType(pii)
                    members = job.rows[base + row]
                    out.extend(Span(job.column, job.row_offset + r, start, end, kind, score, source) for r in members)
        if self.sink is not None and out:
            out.sort(key=lambda s: (s.row, s.start))
            self.sink(out)
