"""Finding the spans to redact in free text, spread over worker processes for big batches.

Why a module of its own: the span finder is the slow part of making a safe copy, and the pool
of worker processes, its chunks of text and their results are a concern apart from what is
done to each column.
"""

from __future__ import annotations

import dataclasses
from typing import Any

from community_insights.safety.types import PiiType, Span

_CHUNK_TEXTS = 2_000
_PARALLEL_MIN_TEXTS = 5_000
_SpanTuple = tuple[int, int, int, str, float, str]


def _scan_texts(texts: list[str], column: str) -> list[_SpanTuple]:
    """Worker entry point: spans as plain tuples (cheap to send between processes)."""

    from community_insights.safety.text import find_spans

    return [(s.row, s.start, s.end, s.type.value, s.score, s.source) for s in find_spans(texts, column=column)]


@dataclasses.dataclass(slots=True)
class PendingSpans:
    texts: list[str]
    parts: list[Any]  # per chunk: a Future or a finished list of span tuples


class SpanScanner:
    """Finds spans in distinct texts, spread over worker processes for big batches.

    spaCy is the slow part of redaction; with several cores, chunks of text go
    to a pool (spawned, because Polars and spaCy threads do not survive a
    fork) while the main process remedies the other columns and writes.
    Results are the same whichever process finds them.
    """

    def __init__(self, workers: int | None = None) -> None:
        self.workers = workers
        self._pool: Any = None

    def _ensure_pool(self, distinct: int) -> None:
        if self._pool is not None or self.workers == 0:
            return
        import os

        cores = os.cpu_count() or 1
        n = self.workers if self.workers is not None else (min(cores, 4) if cores > 1 else 0)
        if n > 1 and (self.workers is not None or distinct >= _PARALLEL_MIN_TEXTS):
            import multiprocessing
            from concurrent.futures import ProcessPoolExecutor

            self._pool = ProcessPoolExecutor(n, mp_context=multiprocessing.get_context("spawn"))

    def submit(self, texts: list[str], column: str) -> list[Any]:
        self._ensure_pool(len(texts))
        parts: list[Any] = []
        for i in range(0, len(texts), _CHUNK_TEXTS):
            chunk = texts[i : i + _CHUNK_TEXTS]
            if self._pool is not None:
                parts.append(self._pool.submit(_scan_texts, chunk, column))
            else:
                parts.append(_scan_texts(chunk, column))
        return parts

    def result(self, pending: PendingSpans) -> list[list[Span]]:
        found: list[list[Span]] = [[] for _ in pending.texts]
        for index, part in enumerate(pending.parts):
            spans = part if isinstance(part, list) else part.result()
            base = index * _CHUNK_TEXTS
            for row, start, end, kind, score, source in spans:
                found[base + row].append(Span("", base + row, start, end, PiiType(kind), score, source))
        return found

    def close(self) -> None:
        if self._pool is not None:
            self._pool.shutdown(wait=True, cancel_futures=True)
            self._pool = None
