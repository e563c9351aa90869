"""A table opened for reading: its columns, its problems, and its rows in streaming batches."""

from __future__ import annotations

import hashlib
import io
import weakref
from collections.abc import Iterator
from pathlib import Path
from typing import Any, Protocol

import numpy as np
import polars as pl

import community_insights.safety.readers.limits as limits
from community_insights.safety.errors import InputError
from community_insights.safety.readers.blocks import iter_record_blocks, limited, parse_block, rebatch
from community_insights.safety.readers.cells import (
    as_text_where_needed,
    cell_text,
    conform,
    longest_text,
    rows_frame,
    unlink_quietly,
)
from community_insights.safety.readers.limits import fail
from community_insights.safety.readers.scan import Chunks, Utf8Check
from community_insights.safety.readers.sources import iter_json_lines, open_sheet
from community_insights.safety.readers.statistical import iter_statistical


class BackgroundScan(Protocol):
    """A whole-file scan still running in a thread (``delimited.PendingScan``), as the table sees it.

    Why a protocol: the scan builds on the table and the table holds the scan, so naming the
    class here would make the two modules import each other.
    """

    thread: Any

    def start(self, width: int) -> None: ...

    def apply(self, table: Table) -> None: ...


class Table:
    """One table (one sheet of a spreadsheet), readable as streaming batches.

    Use :func:`open_table` rather than building one directly: it decides the
    format, encoding and delimiter and refuses unreadable files up front.
    """

    def __init__(
        self,
        path: Path,
        format: str,
        columns: list[str],
        *,
        sheet: str | None = None,
        encoding: str | None = None,
        delimiter: str | None = None,
        problems: list[str] | None = None,
        row_count: int | None = None,
        _utf8_path: Path | None = None,
        _file_columns: int = 0,
        _json_schema: dict[str, Any] | None = None,
        has_header: bool = True,
    ) -> None:
        self.path = path
        self.format = format
        self._columns = columns
        self.sheet = sheet
        self.encoding = encoding
        self.delimiter = delimiter
        self._problems: list[str] = problems or []
        self._row_count = row_count
        #: A whole-file scan still running in a thread (see ``open_table(background_scan=True)``).
        self._pending: BackgroundScan | None = None
        self._utf8_path = _utf8_path
        self._file_columns = _file_columns
        self._json_schema = _json_schema
        #: False when the first row is data read under generated names (``column_1`` …; see ``headers``)
        self.has_header = has_header
        #: Rows of a text file without a single value (blank lines, or delimiters only), found by the scan
        self._blank_rows = 0
        #: Line feeds inside quoted cells, found by the scan of a text file (None: not scanned)
        self.quoted_line_feeds: int | None = None
        self._sha256: str | None = None
        #: True when the whole-file scan left UTF-8 validation to the caller's reads (see open_table).
        self._utf8_unchecked = False
        if _utf8_path is not None and _utf8_path != path:
            # The transcoded copy is ours; remove it when the table goes away.
            weakref.finalize(self, unlink_quietly, _utf8_path)

    def __repr__(self) -> str:
        return f"Table({self.path.name!r}, format={self.format!r}, columns={len(self._columns)})"

    @property
    def columns(self) -> list[str]:
        """Column names (header cells, plus ``extra_field_N`` when some rows are longer)."""

        self.wait()
        return self._columns

    @columns.setter
    def columns(self, value: list[str]) -> None:
        self._columns = value

    @property
    def problems(self) -> list[str]:
        """What is wrong with the file's shape (ragged or blank rows): counts and row numbers, never values."""

        self.wait()
        return self._problems

    @problems.setter
    def problems(self, value: list[str]) -> None:
        self._problems = value

    @property
    def header_columns(self) -> list[str]:
        """Column names from the header alone: known at once, even while the file is still being scanned."""

        return self._columns

    @property
    def blank_rows(self) -> int:
        """Rows of a text file without a single value, which no read yields (known once the scan is done)."""

        self.wait()
        return self._blank_rows

    def start_scan(self) -> None:
        """Start a whole-file scan held back by ``open_table(defer_scan=True)``; no-op otherwise."""

        if self._pending is not None and self._pending.thread is None:
            self._pending.start(len(self._columns))

    def wait(self) -> None:
        """Finish the whole-file scan if it runs in the background; raises its :class:`InputError`."""

        pending, self._pending = self._pending, None
        if pending is not None:
            pending.apply(self)

    # -- reading -----------------------------------------------------------------
    def iter_batches(self, batch_rows: int = 100_000, *, columns: list[str] | None = None) -> Iterator[pl.DataFrame]:
        """Yield the rows as DataFrames of at most ``batch_rows`` rows each.

        ``columns`` keeps only those columns; delimited text then parses only them.
        """

        if batch_rows < 1:
            raise ValueError("batch_rows must be at least 1")
        if columns is not None:
            if self.format in ("csv", "tsv"):
                yield from self._iter_text(batch_rows, columns)
            else:
                for batch in self.iter_batches(batch_rows):
                    yield batch.select(columns)
        elif self.format in ("csv", "tsv"):
            yield from self._iter_text(batch_rows)
        else:
            for batch in self._iter_other(batch_rows):
                self._guard_cells(batch)
                yield batch

    def _iter_other(self, batch_rows: int) -> Iterator[pl.DataFrame]:
        if self.format in ("xlsx", "xls", "ods"):
            yield from self._iter_sheet(batch_rows)
        elif self.format == "parquet":
            yield from self._iter_parquet(batch_rows)
        elif self.format == "jsonl":
            yield from self._iter_jsonl(batch_rows)
        elif self.format == "delta":
            from community_insights.safety.readers.delta import iter_delta

            yield from iter_delta(self.path, batch_rows)
        elif self.format in ("dta", "sav"):
            yield from iter_statistical(self.path, self.format, batch_rows)
        else:  # pragma: no cover - open_table never builds one
            raise fail(f"The format {self.format} cannot be read.")

    def _guard_cells(self, batch: pl.DataFrame) -> None:
        """Refuse a batch with a cell longer than ``limits.MAX_CELL_BYTES`` (delimited text: the scan does).

        Why per batch: a spreadsheet, Parquet or JSON Lines file is read a batch at a time, so the
        refusal comes before a second batch of such cells is held in memory.
        """

        if longest_text(batch) > limits.MAX_CELL_BYTES:
            raise limits.cell_too_long(self.path.name)

    def lazy(self, *, settle: bool = True) -> pl.LazyFrame | None:
        """The whole table as a Polars query (delimited text only; ``None`` for other formats).

        Lets a caller read just the columns it needs and aggregate while
        reading, in parallel, instead of walking batches in Python; but Polars'
        CSV reader holds the whole file's bytes in memory while it reads, so
        what must stay within a fixed memory reads :meth:`text_batches`. With
        ``settle=False`` the query does not wait for a whole-file scan still
        running in the background and uses the header's columns, which is
        right unless the scan finds rows longer than the header.
        """

        if self.format not in ("csv", "tsv"):
            return None
        lf, rename = self._text_frame(settle=settle)
        return lf.rename(rename)

    def head(self, n: int = 1000) -> pl.DataFrame:
        """The first ``n`` rows (fewer if the table is shorter)."""

        if self.format in ("csv", "tsv"):
            # Blocks are parsed until ``n`` rows are in hand. While the whole-file scan is still
            # running, the header's columns are used.
            try:
                first = next(limited(self.text_batches(max(n, 1), settle=False), max(n, 0)), None)
            except pl.exceptions.PolarsError as exc:
                raise self.read_failure() from exc
            if first is None:
                names = self._columns[: self._file_columns]
                return pl.DataFrame(schema=dict.fromkeys(names, pl.String))
            # Blank lines are no rows. They are dropped here, not in the read: a filter over
            # every column costs Polars minutes on a file of 20,000 columns.
            return _without_blank_rows(first)
        parts: list[pl.DataFrame] = []
        got = 0
        for batch in self.iter_batches(batch_rows=min(max(n, 1), 100_000)):
            parts.append(batch.head(n - got))
            got += parts[-1].height
            if got >= n:
                break
        if not parts:
            return pl.DataFrame(schema=dict.fromkeys(self._columns, pl.String))
        return pl.concat(parts, how="vertical_relaxed")

    def read_failure(self) -> InputError:
        """The sentence for a read of this file that Polars (or Spark) refused.

        A file that is not delimited text is walked by this reader, whose
        refusal is the sentence the polars engine gives. When the whole-file
        scan left UTF-8 to the reads (``check_utf8=False``), the refusal may
        be a byte that is not UTF-8: the file is validated now, so the
        sentence names where, as the scan would have.
        """

        if self.format not in ("csv", "tsv"):
            # Another engine (Spark) failed on a file this reader walks: its walk names the fault.
            try:
                for _ in self.iter_batches():
                    pass
            except InputError as specific:
                return specific
            return fail(f"The file {self.path.name} could not be read.")
        try:
            self.check_utf8()
        except InputError as specific:
            return specific
        return fail(f"The file {self.path.name} could not be read as a delimited table.")

    def check_utf8(self) -> None:
        """Validate the file as UTF-8 now if the whole-file scan left it out; raises :class:`InputError`."""

        if not self._utf8_unchecked:
            return
        check = Utf8Check(self.path.name)
        offset = 0
        with self.path.open("rb") as handle, Chunks(handle, limits.CHUNK_BYTES, None) as chunks:
            for view in chunks:
                check.feed(view, offset)
                offset += len(view)
        check.finish()
        self._utf8_unchecked = False

    def row_count(self) -> int:
        """Number of data rows (streams through the file once if not yet known)."""

        self.wait()
        if self._row_count is None:
            self._row_count = sum(b.height for b in self.iter_batches())
        return self._row_count

    def sha256(self) -> str:
        """SHA-256 of the file as received, so a report names exactly what was checked."""

        self.wait()
        if self._sha256 is None and self.format == "delta":  # a folder: the digest of its data files
            from community_insights.safety.readers.delta import delta_digest

            self._sha256 = delta_digest(self.path)
        if self._sha256 is None:
            digest = hashlib.sha256()
            with self.path.open("rb") as handle:
                for chunk in iter(lambda: handle.read(limits.CHUNK_BYTES), b""):
                    digest.update(chunk)
            self._sha256 = digest.hexdigest()
        return self._sha256

    def _text_frame(self, *, settle: bool = True) -> tuple[pl.LazyFrame, dict[str, str]]:
        if settle:
            self.wait()
        source = self._utf8_path or self.path
        names = [f"c{i}" for i in range(self._file_columns)]
        lf = pl.scan_csv(
            source,
            has_header=False,
            skip_rows=1 if self.has_header else 0,
            separator=self.delimiter or ",",
            schema=dict.fromkeys(names, pl.String),
            truncate_ragged_lines=True,
            missing_columns="insert",
            infer_schema=False,
            encoding="utf8",
        )
        if settle and self._blank_rows:
            # A blank line (or one of delimiters only) is no row: Polars would read it as a row of nulls.
            lf = lf.filter(pl.any_horizontal(pl.all().is_not_null()))
        return lf, dict(zip(names, self._columns[: len(names)], strict=True))

    def text_batches(
        self, batch_rows: int | None = None, *, columns: list[str] | None = None, settle: bool = True
    ) -> Iterator[pl.DataFrame]:
        """Delimited text's rows, ``batch_rows`` at a time (``None``: as each block of the file is parsed).

        Why not one Polars query: its CSV reader holds the whole file's bytes in memory, so
        the file is cut into blocks of whole records here (``blocks``) and each is parsed
        alone; memory is bounded by a block and a batch, whatever the file's length.
        ``settle=False`` does not wait for a whole-file scan still running and reads the
        header's columns. A read Polars refuses raises its own error, which
        :meth:`read_failure` turns into the file's sentence.
        """

        if settle:
            self.wait()
        names = [f"c{i}" for i in range(self._file_columns)]
        rename = dict(zip(names, self._columns[: len(names)], strict=True))
        by_name = {v: k for k, v in rename.items()}
        blank = settle and self._blank_rows > 0
        # Blank lines are no rows; telling them apart needs every column, so such a file is parsed whole.
        parsed = None if columns is None or blank else [by_name[c] for c in columns]
        blocks = iter_record_blocks(self._utf8_path or self.path, skip_first=self.has_header)
        frames = (parse_block(b, names, separator=self.delimiter or ",", columns=parsed) for b in blocks)
        if blank:
            frames = (_without_blank_rows(f) for f in frames)
        if columns is not None:
            frames = (f.rename(rename, strict=False).select(columns) for f in frames)
        else:
            frames = (f.rename(rename) for f in frames)
        yield from (frames if batch_rows is None else rebatch(frames, batch_rows))

    def _iter_text(self, batch_rows: int, columns: list[str] | None = None) -> Iterator[pl.DataFrame]:
        try:
            for batch in self.text_batches(batch_rows, columns=columns):
                if batch.height:
                    yield batch
        except pl.exceptions.PolarsError as exc:
            raise self.read_failure() from exc

    @property
    def known_row_count(self) -> int | None:
        """The number of data rows if known without reading the rows (after the scan, for text)."""

        self.wait()
        return self._row_count

    def _iter_sheet(self, batch_rows: int) -> Iterator[pl.DataFrame]:
        sheet = open_sheet(self.path, self.sheet)
        rows = sheet.iter_rows()
        if self.has_header:
            next(rows, None)
        width = len(self.columns)
        buffer: list[list[str | None]] = []
        for raw in rows:
            cells = [cell_text(v) for v in raw[:width]]
            if all(c is None for c in cells):
                continue  # a blank row is no row
            if len(cells) < width:
                cells.extend([None] * (width - len(cells)))
            buffer.append(cells)
            if len(buffer) >= batch_rows:
                yield rows_frame(buffer, self.columns)
                buffer = []
        if buffer:
            yield rows_frame(buffer, self.columns)

    def _iter_parquet(self, batch_rows: int) -> Iterator[pl.DataFrame]:
        import pyarrow.parquet as pq  # type: ignore[import-untyped]

        try:
            with pq.ParquetFile(self.path) as pf:
                for rb in pf.iter_batches(batch_size=batch_rows):
                    frame = pl.from_arrow(rb)
                    assert isinstance(frame, pl.DataFrame)
                    if frame.height:
                        yield as_text_where_needed(frame)
        except (OSError, ValueError) as exc:
            raise fail(f"The Parquet file {self.path.name} is damaged and cannot be read.") from exc

    def _iter_jsonl(self, batch_rows: int) -> Iterator[pl.DataFrame]:
        schema = self._json_schema
        row = 0
        for lines in iter_json_lines(self.path, batch_rows):
            try:
                frame = pl.read_ndjson(io.BytesIO(b"\n".join(lines)), infer_schema_length=None)
            except pl.exceptions.PolarsError as exc:
                raise fail(
                    f"Line {row + 1} onwards of {self.path.name} is not valid JSON Lines (one JSON object per line)."
                ) from exc
            row += len(lines)
            if schema is not None:
                frame = conform(frame, schema)
            yield as_text_where_needed(frame)


def _without_blank_rows(frame: pl.DataFrame) -> pl.DataFrame:
    """``frame`` without its rows of nulls only (blank lines of a text file), column by column."""

    if not frame.height:
        return frame
    kept = np.zeros(frame.height, dtype=bool)
    for column in frame.iter_columns():
        kept |= column.is_not_null().to_numpy()
    return frame if kept.all() else frame.filter(pl.Series(kept))
