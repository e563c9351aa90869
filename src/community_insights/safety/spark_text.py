"""Free text scanned in Spark's executors, with the same span finder and the same findings as one machine.

Why: on one machine the notes columns go through the span finder in worker
processes; on a cluster the notes never come to the driver. Each executor runs
:func:`~community_insights.safety.text.find_span_tuples` on its part of the
rows (``mapInArrow``: Arrow batches in and out, no pandas), each row keeping
its number in file order, and the report is built exactly as the one-machine
scanner (:mod:`.text_scan`) builds it: a kind is counted in the order it was
first found (by row, and within a row in the span finder's order), and a
column's masked examples are the first five different ones in that order.

What comes back to the driver is only what the report needs, so the driver's
memory does not grow with the spans found:

* **Without a findings sink** (a report alone) every executor sums its part
  into counts per column and kind, each with where it was first found, and
  its first five examples per column; one Spark aggregation then adds those
  up and keeps each column's first five examples, and a few rows come back.
* **With a findings sink** (``insights check --findings``) every span must
  reach the sink, in the one-machine order (by batch of rows, then column,
  then row). The rows are split into ranges of about one batch, in file order,
  and the spans of each Arrow batch come back as one Arrow block, a range at a
  time (``toLocalIterator``): the driver holds the spans of about one batch
  of rows while it hands them to the sink, and counts as they pass.

The rows are shared out in row ranges either way, so a file that Spark reads
in one task (a CSV with line breaks in its notes) is still scanned on every
core. The executors need this package installed (a local session's
executors run this very interpreter).
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

__all__ = ["EXAMPLES", "scan_free_text"]

#: Masked examples a column's finding shows (as the one-machine scanner keeps).
EXAMPLES = 5
_ROW = "__row"
_KIND, _EXAMPLE = "kind", "example"
#: One executor's summary of one Arrow batch: a kind's count, or a candidate example, with where it was first found.
_PARTIALS = "col int, tag string, value string, n long, first_row long, first_seq int"
#: One Arrow batch's spans as an Arrow stream, with the first and last row number of the batch and its rows.
_BLOCKS = "lo long, hi long, rows long, spans binary"
_SPAN_FIELDS = ("col", "row", "seq", "start", "end", "pii", "score", "source", "masked")

Position = tuple[int, int]  # (row, the span's place among its row's spans)


def _spans_of(batch: Any) -> dict[str, list[Any]]:
    """Executor side: the spans of each free-text column of one Arrow batch (first column: row numbers)."""

    from community_insights.safety.masking import mask_value
    from community_insights.safety.text import find_span_tuples

    rows = batch.column(0).to_pylist()
    out: dict[str, list[Any]] = {n: [] for n in _SPAN_FIELDS}
    for col in range(1, batch.num_columns):
        texts = batch.column(col).to_pylist()
        # As the one-machine scanner: no empty cells, nor single characters.
        kept = [i for i, t in enumerate(texts) if t is not None and len(t) > 1]
        seq: dict[int, int] = {}
        for at, start, end, pii, score, source in find_span_tuples([texts[i] for i in kept]):
            i = kept[at]
            seq[i] = seq.get(i, -1) + 1
            values = (col - 1, rows[i], seq[i], start, end, pii, score, source)
            for name, value in zip(_SPAN_FIELDS, values, strict=False):
                out[name].append(value)
            out["masked"].append(mask_value(texts[i][start:end], pii) or "")
    return out


def _partials_of(spans: dict[str, list[Any]]) -> dict[str, list[Any]]:
    """Counts per column and kind and the first examples per column of some spans, each with its first place."""

    kinds: dict[tuple[int, str], list[Any]] = {}
    examples: dict[tuple[int, str], Position] = {}
    for col, row, seq, pii, masked in zip(
        spans["col"], spans["row"], spans["seq"], spans["pii"], spans["masked"], strict=True
    ):
        at = (row, seq)
        entry = kinds.setdefault((col, pii), [0, at])
        entry[0] += 1
        entry[1] = min(entry[1], at)
        if masked and at < examples.get((col, masked), (1 << 62, 0)):
            examples[(col, masked)] = at
    out: dict[str, list[Any]] = {n: [] for n in ("col", "tag", "value", "n", "first_row", "first_seq")}

    def put(col: int, tag: str, value: str, n: int, at: Position) -> None:
        for name, item in zip(out, (col, tag, value, n, *at), strict=True):
            out[name].append(item)

    for (col, pii), (n, at) in kinds.items():
        put(col, _KIND, pii, n, at)
    # Only each column's first few can be among the whole table's first few (a value's first
    # place in the whole table is its first place in some part, behind fewer than five others).
    by_column: dict[int, list[tuple[Position, str]]] = {}
    for (col, masked), at in examples.items():
        by_column.setdefault(col, []).append((at, masked))
    for col, found in by_column.items():
        for at, masked in sorted(found)[:EXAMPLES]:
            put(col, _EXAMPLE, masked, 0, at)
    return out


def _span_partials(batches: Iterator[Any]) -> Iterator[Any]:
    """Executor side (``mapInArrow``): each Arrow batch's spans summed up (see :func:`_partials_of`)."""

    import pyarrow as pa

    schema = pa.schema(
        [
            ("col", pa.int32()),
            ("tag", pa.string()),
            ("value", pa.string()),
            ("n", pa.int64()),
            ("first_row", pa.int64()),
            ("first_seq", pa.int32()),
        ]
    )  # as _PARTIALS says: Spark reads the batches by these types
    for batch in batches:
        if batch.num_rows:
            yield pa.RecordBatch.from_pydict(_partials_of(_spans_of(batch)), schema=schema)


def _span_schema() -> Any:
    import pyarrow as pa

    return pa.schema(
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
    )


def _span_blocks(batches: Iterator[Any]) -> Iterator[Any]:
    """Executor side (``mapInArrow``): each Arrow batch's spans as one Arrow stream, with its rows' range."""

    import pyarrow as pa
    import pyarrow.compute as pc

    schema = _span_schema()
    blocks = pa.schema([("lo", pa.int64()), ("hi", pa.int64()), ("rows", pa.int64()), ("spans", pa.binary())])
    for batch in batches:
        if not batch.num_rows:
            continue
        rows = batch.column(0)
        sink = pa.BufferOutputStream()
        with pa.ipc.new_stream(sink, schema) as writer:
            writer.write_batch(pa.RecordBatch.from_pydict(_spans_of(batch), schema=schema))
        ends = pc.min_max(rows)
        lo, hi = ends["min"].as_py(), ends["max"].as_py()
        yield pa.RecordBatch.from_pydict(
            {"lo": [lo], "hi": [hi], "rows": [batch.num_rows], "spans": [sink.getvalue().to_pybytes()]},
            schema=blocks,
        )


class _Tally:
    """The driver's running counts and examples per column: bounded, whatever the number of spans."""

    def __init__(self, columns: int) -> None:
        self.kinds: list[dict[str, list[Any]]] = [{} for _ in range(columns)]
        self.examples: list[dict[str, Position]] = [{} for _ in range(columns)]

    def add(self, col: int, tag: str, value: str, n: int, at: Position) -> None:
        if tag == _KIND:
            entry = self.kinds[col].setdefault(value, [0, at])
            entry[0] += n
            entry[1] = min(entry[1], at)
            return
        examples = self.examples[col]
        examples[value] = min(at, examples.get(value, at))
        if len(examples) > 4 * EXAMPLES:
            # A value dropped here has five ahead of it for good (places only ever move earlier).
            kept = sorted(examples.items(), key=lambda item: item[1])[:EXAMPLES]
            self.examples[col] = dict(kept)

    def add_partials(self, partials: dict[str, list[Any]]) -> None:
        for col, tag, value, n, row, seq in zip(*partials.values(), strict=True):
            self.add(col, tag, value, n, (row, seq))

    def result(self, columns: list[str]) -> tuple[dict[str, Counter[str]], dict[str, list[str]]]:
        """Counts per kind in the order each kind was first found, and each column's first examples."""

        counts: dict[str, Counter[str]] = {}
        examples: dict[str, list[str]] = {}
        for index, column in enumerate(columns):
            kinds = sorted(self.kinds[index].items(), key=lambda item: item[1][1])
            counts[column] = Counter({pii: n for pii, (n, _) in kinds})
            found = sorted(self.examples[index].items(), key=lambda item: item[1])
            examples[column] = [masked for masked, _ in found[:EXAMPLES]]
        return counts, examples


def _numbered_rows(frame: DataFrame) -> tuple[DataFrame, int]:
    """``frame`` with each row's 0-based number in partition order, and the number of rows (counted on the way).

    Without a pass through Python: the numbers come from each part's size and
    Spark's own ids within a part.
    """

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
    return joined.select((F.col("__offset") + position).alias(_ROW), *frame.columns), done


def in_row_ranges(numbered: DataFrame, rows: int, batch_rows: int) -> DataFrame:
    """``numbered`` in ranges of about one batch of rows each, in file order, and at least one per core.

    Why: a CSV whose cells hold line breaks is read by Spark in one task
    (``multiLine`` cannot be split), and everything done to its rows after the
    read would stay in that one task, on one core. Ranges of row numbers, each
    sorted, spread the Python work over the cores and keep the file's order:
    range ``i`` holds rows before range ``i + 1``, so parts written in range
    order are the rows in order.
    """

    parts = max(-(-rows // batch_rows), numbered.sparkSession.sparkContext.defaultParallelism, 1)
    return numbered.repartitionByRange(parts, _ROW).sortWithinPartitions(_ROW)


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
    numbered, rows = _numbered_rows(text)
    ranged = in_row_ranges(numbered, rows, batch_rows)
    tally = _Tally(len(columns))
    if sink is None:
        _sum_in_spark(ranged, tally)
    else:
        _stream_to_sink(ranged, tally, columns, sink, batch_rows, rows)
    return tally.result(columns)


def _sum_in_spark(ranged: DataFrame, tally: _Tally) -> None:
    """Each executor sums its spans; Spark adds up the sums and keeps each column's first examples."""

    from pyspark.sql import Window
    from pyspark.sql import functions as F

    partials = ranged.mapInArrow(_span_partials, _PARTIALS)
    first = F.min(F.struct("first_row", "first_seq")).alias("first")
    summed = partials.groupBy("col", "tag", "value").agg(F.sum("n").alias("n"), first)
    place = F.row_number().over(Window.partitionBy("col", "tag").orderBy("first"))
    kept = summed.withColumn("place", place).filter((F.col("tag") == _KIND) | (F.col("place") <= EXAMPLES))
    for row in kept.select("col", "tag", "value", "n", "first.first_row", "first.first_seq").collect():
        tally.add(row[0], row[1], row[2], int(row[3]), (row[4], row[5]))


def _stream_to_sink(
    ranged: DataFrame, tally: _Tally, columns: list[str], sink: FindingsSink, batch_rows: int, rows: int
) -> None:
    """Every span to ``sink`` in the one-machine order, holding about one batch of rows' spans at a time."""

    import pyarrow as pa

    batches = -(-rows // batch_rows)
    waiting: dict[int, list[pl.DataFrame]] = {}
    seen: Counter[int] = Counter()
    contiguous = True  # each block's rows are one range (a range partition, sorted): batches end in order
    ready = 0
    for lo, hi, count, block in ranged.mapInArrow(_span_blocks, _BLOCKS).toLocalIterator():
        spans = pa.ipc.open_stream(block).read_all()
        tally.add_partials(_partials_of(spans.to_pydict()))
        found = pl.from_arrow(spans)
        assert isinstance(found, pl.DataFrame)
        found = found.with_columns((pl.col("row") // batch_rows).alias("__batch"))
        for (batch,), part in found.partition_by("__batch", as_dict=True, include_key=False).items():
            waiting.setdefault(int(batch), []).append(part)
        contiguous = contiguous and hi - lo + 1 == count
        for batch in range(lo // batch_rows, hi // batch_rows + 1):
            seen[batch] += min(hi, (batch + 1) * batch_rows - 1) - max(lo, batch * batch_rows) + 1
        while contiguous and ready < batches and seen[ready] >= min(batch_rows, rows - ready * batch_rows):
            _to_sink(waiting.pop(ready, []), columns, sink)
            ready += 1
    for batch in sorted(waiting):
        _to_sink(waiting.pop(batch), columns, sink)


def _to_sink(parts: list[pl.DataFrame], columns: list[str], sink: FindingsSink) -> None:
    """One batch of rows' spans to the sink, a column at a time, by row, then place in the row."""

    if not parts:
        return
    ordered = pl.concat(parts).sort("col", "row", "start", "seq", maintain_order=True)
    for (col,), part in ordered.group_by("col", maintain_order=True):
        sink(
            [
                Span(columns[col], row, start, end, PiiType(pii), score, source)
                for row, start, end, pii, score, source in part.select(
                    "row", "start", "end", "pii", "score", "source"
                ).iter_rows()
            ]
        )
