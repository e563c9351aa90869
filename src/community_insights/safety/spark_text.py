"""Free text scanned in Spark's executors, with the same span finder and the same findings as one machine.

Why: on one machine the notes columns go through the span finder in worker
processes; on a cluster the notes never come to the driver. Each executor runs
:func:`~community_insights.safety.text.find_span_tuples` on its part of the
rows (``mapInArrow``: Arrow batches in and out, no pandas), and only the spans
come back, each with its row number in file order. The driver then builds the
counts, the masked examples and the findings stream in exactly the order the
one-machine scanner (:mod:`.text_scan`) would: by row, and within a row in the
span finder's own order, so the report is the same.

The executors need this package installed (a local session's executors run
this very interpreter). The spans of the whole table come to the driver as one
Arrow table: memory grows with the number of spans found, not with the rows.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

import polars as pl

from community_insights.safety.types import PiiType, Span

if TYPE_CHECKING:  # pragma: no cover - for type checkers only
    from pyspark.sql import DataFrame

    from community_insights.safety.text_scan import FindingsSink

__all__ = ["scan_free_text"]

_ROW = "__row"
_SPANS = "col int, row long, seq int, start int, end int, pii string, score double, source string, masked string"


def _find_spans(batches: Iterator[Any]) -> Iterator[Any]:
    """Executor side: the spans of each free-text column of each Arrow batch (first column: row numbers)."""

    import pyarrow as pa

    from community_insights.safety.masking import mask_value
    from community_insights.safety.text import find_span_tuples

    schema = pa.schema(
        [
            ("col", pa.int32()),
            ("row", pa.int64()),
            ("seq", pa.int32()),
            ("start", pa.int32()),
            ("end", pa.int32()),
            ("pii", pa.string()),
            ("score", pa.float64()),
            ("source", pa.string()),
            ("masked", pa.string()),
        ]
    )  # as _SPANS says: Spark reads the batches by these types
    names = schema.names
    for batch in batches:
        rows = batch.column(0).to_pylist()
        out: dict[str, list[Any]] = {n: [] for n in names}
        for col in range(1, batch.num_columns):
            texts = batch.column(col).to_pylist()
            # As the one-machine scanner: no empty cells, nor single characters.
            kept = [i for i, t in enumerate(texts) if t is not None and len(t) > 1]
            seq: dict[int, int] = {}
            for at, start, end, pii, score, source in find_span_tuples([texts[i] for i in kept]):
                i = kept[at]
                seq[i] = seq.get(i, -1) + 1
                values = (col - 1, rows[i], seq[i], start, end, pii, score, source)
                for name, value in zip(names, values, strict=False):
                    out[name].append(value)
                out["masked"].append(mask_value(texts[i][start:end], pii) or "")
        yield pa.RecordBatch.from_pydict(out, schema=schema)


def _numbered(frame: DataFrame) -> DataFrame:
    """``frame`` with each row's 0-based number in partition order, without a pass through Python."""

    from pyspark.sql import functions as F

    tagged = frame.select(
        F.spark_partition_id().alias("__part"), F.monotonically_increasing_id().alias("__id"), *frame.columns
    )
    sizes = sorted((r["__part"], r["count"]) for r in tagged.groupBy("__part").count().collect())
    offsets, done = [], 0
    for part, size in sizes:
        offsets.append((part, done))
        done += size
    session = frame.sparkSession
    starts = session.createDataFrame(offsets or [(0, 0)], "__part int, __offset long")
    position = F.col("__id") - F.shiftleft(F.col("__part").cast("long"), 33)  # the id's row within its part
    joined = tagged.join(F.broadcast(starts), "__part")
    return joined.select((F.col("__offset") + position).alias(_ROW), *frame.columns)


def scan_free_text(
    frame: DataFrame,
    names: dict[str, str],
    columns: list[str],
    *,
    limit: int | None,
    sink: FindingsSink | None,
    batch_rows: int,
) -> tuple[dict[str, Counter[str]], dict[str, list[str]]]:
    """Counts per kind and up to five masked examples per column; spans to ``sink`` in the scanner's order.

    ``batch_rows`` is the check's batch size: the one-machine scanner hands
    the sink one column of one batch at a time, so the stream is ordered by
    batch, then column, then row.
    """

    text = frame.select(*(names[c] for c in columns))
    if limit is not None:
        text = text.coalesce(1).limit(limit)
    found = pl.from_arrow(_numbered(text).mapInArrow(_find_spans, _SPANS).toArrow())
    assert isinstance(found, pl.DataFrame)
    found = found.sort("row", "col", "seq")
    counts: dict[str, Counter[str]] = {}
    examples: dict[str, list[str]] = {}
    for index, column in enumerate(columns):
        spans = found.filter(pl.col("col") == index)
        # A kind is counted in the order it was first found, so ties in most_common() fall alike.
        kinds = spans.group_by("pii", maintain_order=True).len()
        counts[column] = Counter(dict(zip(kinds.get_column("pii"), kinds.get_column("len"), strict=True)))
        masked = spans.filter(pl.col("masked") != "").get_column("masked").unique(maintain_order=True)
        examples[column] = masked.head(5).to_list()
    if sink is not None and found.height:
        ordered = found.with_columns((pl.col("row") // batch_rows).alias("batch"))
        ordered = ordered.sort("batch", "col", "row", "start", "seq", maintain_order=True)
        for (_, col), part in ordered.group_by("batch", "col", maintain_order=True):
            sink(
                [
                    Span(columns[col], row, start, end, PiiType(pii), score, source)
                    for row, start, end, pii, score, source in part.select(
                        "row", "start", "end", "pii", "score", "source"
                    ).iter_rows()
                ]
            )
    return counts, examples
