"""Open any table a council or VCS partner is likely to send, in streaming batches.

Exports arrive as CSV from case-management systems (often cp1252 or UTF-16 from
Excel), as spreadsheets, as Parquet from analysts and as JSON Lines from web
forms. Every check and remedy reads through :func:`open_table`, so the rules
that protect the rest of the engine live here once:

* cells of text formats arrive as strings, so leading zeros in NHS numbers,
  phone numbers and case IDs survive;
* memory does not grow with the number of rows (batches of ``batch_rows``);
* anything that is not a readable table fails early with :class:`InputError`
  and one plain sentence that never quotes the file's content;
* ragged rows are reported (counts and row numbers only) and kept, never
  silently dropped.
"""

from __future__ import annotations

import codecs
import contextlib
import csv
import hashlib
import io
import json
import os
import queue
import tempfile
import threading
import weakref
import zipfile
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, BinaryIO

import numpy as np
import polars as pl

from community_insights.safety.errors import InputError
from community_insights.safety.files import atomic_path

__all__ = [
    "FORMATS",
    "Table",
    "open_table",
    "write_table",
]

#: Formats :func:`open_table` understands (``xls`` is read through the same
#: spreadsheet reader as ``xlsx``).
FORMATS = ("csv", "tsv", "xlsx", "xls", "ods", "parquet", "jsonl")
WRITE_FORMATS = ("csv", "tsv", "xlsx", "parquet", "jsonl")

SAMPLE_BYTES = 256 * 1024
CHUNK_BYTES = 8 * 1024 * 1024
#: The whole-file scan of delimited text reads at most this much at a time (and
#: never more than ``CHUNK_BYTES``): a block and its masks then stay in a core's
#: cache between the passes numpy makes over them, which makes the scan faster
#: than bigger reads do.
SCAN_BYTES = 2 * 1024 * 1024
#: A physical line longer than this is not a table row but a broken or hostile file.
MAX_LINE_BYTES = 64 * 1024 * 1024
#: Uncompressed size above which a spreadsheet is refused (a real council export
#: is far smaller; a zip bomb is far larger).
MAX_SPREADSHEET_BYTES = 2 * 1024 * 1024 * 1024
#: Compression ratio above which a large spreadsheet part is treated as a zip bomb.
MAX_ZIP_RATIO = 200
EXCEL_MAX_ROWS = 1_048_576

_SUFFIX_FORMATS = {
    ".csv": "csv",
    ".tsv": "tsv",
    ".tab": "tsv",
    ".xlsx": "xlsx",
    ".xlsm": "xlsx",
    ".xls": "xls",
    ".ods": "ods",
    ".parquet": "parquet",
    ".pq": "parquet",
    ".jsonl": "jsonl",
    ".ndjson": "jsonl",
}
_DELIMITERS = (",", "\t", ";", "|")
_MAX_REPORTED_ROWS = 20


def _fail(message: str) -> InputError:
    return InputError(message)


@dataclass
class _TextScan:
    """What one pass over a delimited text file learnt (no cell values kept)."""

    records: int = 0
    ragged_long: int = 0
    ragged_short: int = 0
    blank: int = 0
    max_fields: int = 0
    ragged_rows: list[int] = field(default_factory=list)


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
        self._pending: _PendingScan | None = None
        self._utf8_path = _utf8_path
        self._file_columns = _file_columns
        self._json_schema = _json_schema
        self._sha256: str | None = None
        #: True when the whole-file scan left UTF-8 validation to the caller's reads (see open_table).
        self._utf8_unchecked = False
        if _utf8_path is not None and _utf8_path != path:
            # The transcoded copy is ours; remove it when the table goes away.
            weakref.finalize(self, _unlink_quietly, _utf8_path)

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
        elif self.format in ("xlsx", "xls", "ods"):
            yield from self._iter_sheet(batch_rows)
        elif self.format == "parquet":
            yield from self._iter_parquet(batch_rows)
        elif self.format == "jsonl":
            yield from self._iter_jsonl(batch_rows)
        else:  # pragma: no cover - open_table never builds one
            raise _fail(f"The format {self.format} cannot be read.")

    def lazy(self, *, settle: bool = True) -> pl.LazyFrame | None:
        """The whole table as a Polars query (delimited text only; ``None`` for other formats).

        Lets a caller read just the columns it needs and aggregate while
        reading, in parallel, instead of walking batches in Python. With
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
            # The row limit goes down into the CSV reader, which stops after ``n`` rows. While
            # the whole-file scan is still running, the header's columns are used.
            lf, rename = self._text_frame(settle=False)
            try:
                return lf.head(max(n, 0)).collect().rename(rename)
            except pl.exceptions.PolarsError as exc:
                raise self.read_failure() from exc
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
        """The sentence for a read of this file that Polars refused.

        When the whole-file scan left UTF-8 to the reads (``check_utf8=False``),
        the refusal may be a byte that is not UTF-8: the file is validated now,
        so the sentence names where, as the scan would have.
        """

        try:
            self.check_utf8()
        except InputError as specific:
            return specific
        return _fail(f"The file {self.path.name} could not be read as a delimited table.")

    def check_utf8(self) -> None:
        """Validate the file as UTF-8 now if the whole-file scan left it out; raises :class:`InputError`."""

        if not self._utf8_unchecked:
            return
        check = _Utf8Check(self.path.name)
        offset = 0
        with self.path.open("rb") as handle, _Chunks(handle, CHUNK_BYTES, None) as chunks:
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
        if self._sha256 is None:
            digest = hashlib.sha256()
            with self.path.open("rb") as handle:
                for chunk in iter(lambda: handle.read(CHUNK_BYTES), b""):
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
            skip_rows=1,
            separator=self.delimiter or ",",
            schema=dict.fromkeys(names, pl.String),
            truncate_ragged_lines=True,
            missing_columns="insert",
            infer_schema=False,
            encoding="utf8",
        )
        return lf, dict(zip(names, self._columns[: len(names)], strict=True))

    def _iter_text(self, batch_rows: int, columns: list[str] | None = None) -> Iterator[pl.DataFrame]:
        lf, rename = self._text_frame()
        lf = lf.rename(rename)
        if columns is not None:
            lf = lf.select(columns)
        try:
            for batch in lf.collect_batches(chunk_size=batch_rows):
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
        sheet = _open_sheet(self.path, self.sheet)
        rows = sheet.iter_rows()
        next(rows, None)  # header
        width = len(self.columns)
        buffer: list[list[str | None]] = []
        for raw in rows:
            cells = [_cell_text(v) for v in raw[:width]]
            if len(cells) < width:
                cells.extend([None] * (width - len(cells)))
            buffer.append(cells)
            if len(buffer) >= batch_rows:
                yield _rows_frame(buffer, self.columns)
                buffer = []
        if buffer:
            yield _rows_frame(buffer, self.columns)

    def _iter_parquet(self, batch_rows: int) -> Iterator[pl.DataFrame]:
        import pyarrow.parquet as pq  # type: ignore[import-untyped]

        try:
            with pq.ParquetFile(self.path) as pf:
                for rb in pf.iter_batches(batch_size=batch_rows):
                    frame = pl.from_arrow(rb)
                    assert isinstance(frame, pl.DataFrame)
                    if frame.height:
                        yield _as_text_where_needed(frame)
        except (OSError, ValueError) as exc:
            raise _fail(f"The Parquet file {self.path.name} is damaged and cannot be read.") from exc

    def _iter_jsonl(self, batch_rows: int) -> Iterator[pl.DataFrame]:
        schema = self._json_schema
        row = 0
        for lines in _iter_json_lines(self.path, batch_rows):
            try:
                frame = pl.read_ndjson(io.BytesIO(b"\n".join(lines)), infer_schema_length=None)
            except pl.exceptions.PolarsError as exc:
                raise _fail(
                    f"Line {row + 1} onwards of {self.path.name} is not valid JSON Lines (one JSON object per line)."
                ) from exc
            row += len(lines)
            if schema is not None:
                frame = _conform(frame, schema)
            yield _as_text_where_needed(frame)


def _unlink_quietly(path: Path) -> None:
    with contextlib.suppress(OSError):
        path.unlink()


def _as_text_where_needed(frame: pl.DataFrame) -> pl.DataFrame:
    """Columns Polars cannot turn into text (lists, structs, bytes, durations) as readable text.

    Why: every check reads cells as text, and a Parquet or JSON Lines file may
    hold a list of tags, a nested object or raw bytes in a column. Lists and
    objects become JSON, bytes their UTF-8 text (hex when they are not text),
    durations their usual spelling. Such columns are rare, so a plain loop
    over their values is fast enough, and the other columns are untouched.
    """

    fixes = [
        pl.Series(name, [_cell_text(v) for v in frame.get_column(name).to_list()], dtype=pl.String)
        for name, dtype in frame.schema.items()
        if isinstance(dtype, (pl.List, pl.Array, pl.Struct, pl.Binary, pl.Duration, pl.Object))
    ]
    return frame.with_columns(fixes) if fixes else frame


def _conform(frame: pl.DataFrame, schema: dict[str, Any]) -> pl.DataFrame:
    """Give a JSON Lines batch the first batch's columns and types (missing → null)."""

    exprs = []
    for name, dtype in schema.items():
        if name in frame.columns:
            col = pl.col(name)
            if frame.schema[name] != dtype:
                col = col.cast(dtype, strict=False)
            exprs.append(col.alias(name))
        else:
            exprs.append(pl.lit(None, dtype=dtype).alias(name))
    return frame.select(exprs)


def _rows_frame(rows: list[list[str | None]], columns: list[str]) -> pl.DataFrame:
    return pl.DataFrame(rows, schema=dict.fromkeys(columns, pl.String), orient="row")


def _cell_text(value: Any) -> str | None:
    """A cell as the text a person would see.

    Integers without ``.0``; lists and records (Parquet, JSON Lines) as JSON;
    bytes as their UTF-8 text, or hex when they are not text.
    """

    if value is None or value == "":
        return None
    if isinstance(value, bytes):
        try:
            return value.decode("utf-8")
        except UnicodeDecodeError:
            return value.hex()
    if isinstance(value, (list, dict, tuple)):
        return json.dumps(value, default=str, ensure_ascii=False)
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, float):
        if value.is_integer() and abs(value) < 1e15:
            return str(int(value))
        return repr(value)
    if hasattr(value, "isoformat"):
        text = value.isoformat()
        return text.removesuffix("T00:00:00")
    return str(value)


# -- opening -----------------------------------------------------------------------
def open_table(
    path: str | os.PathLike[str],
    *,
    sheet: str | None = None,
    delimiter: str | None = None,
    encoding: str | None = None,
    max_bytes: int | None = None,
    background_scan: bool = False,
    check_utf8: bool = True,
    defer_scan: bool = False,
) -> Table:
    """Open ``path`` as a table, deciding its format, encoding and delimiter.

    Raises :class:`InputError` with one plain sentence when the file is
    missing, empty, binary junk, in an unreadable encoding, a zip bomb
    disguised as a spreadsheet, has a single line too long to be a row, or is
    of an unknown format.

    A delimited text file is scanned once end to end (encoding, giant lines,
    ragged rows, row count, SHA-256). With ``background_scan=True`` that scan
    runs in a thread, so the caller can read the first rows and start work at
    once; :meth:`Table.wait` (called by everything that needs the scan's
    result) raises the scan's :class:`InputError`, if any.

    ``check_utf8=False`` leaves UTF-8 validation out of that scan, for a caller
    that is going to read every row of a column through Polars anyway: Polars'
    CSV reader refuses a byte that is not UTF-8 anywhere in what it reads,
    whichever columns are kept, so checking twice only costs time. Such a
    caller turns a failed read into its sentence with :meth:`Table.read_failure`
    and, if it ends up not reading every row, calls :meth:`Table.check_utf8`.

    ``defer_scan=True`` (with ``background_scan``) holds the thread back until
    :meth:`Table.start_scan`, so the first rows are read with every core
    free; anything that needs the scan's result before then runs it at once.
    """

    p = Path(path)
    if not p.exists():
        raise _fail(f"The file {p.name} does not exist.")
    if p.is_dir():
        raise _fail(f"{p.name} is a folder, not a file.")
    try:
        size = p.stat().st_size
        with p.open("rb") as handle:
            head = handle.read(SAMPLE_BYTES)
    except OSError as exc:
        raise _fail(f"The file {p.name} cannot be opened.") from exc
    if size == 0 or not head.strip(b" \t\r\n\x00\xef\xbb\xbf\xff\xfe"):
        raise _fail(f"The file {p.name} is empty.")
    if max_bytes is not None and size > max_bytes:
        raise _fail(f"The file {p.name} is larger than the {_human(max_bytes)} allowed here.")
    if delimiter is not None and (len(delimiter) != 1 or delimiter in '"\r\n'):
        raise _fail("The delimiter must be a single character other than a quote or a line break.")

    fmt = _sniff_format(p, head)
    if fmt in ("xlsx", "xls", "ods"):
        return _open_spreadsheet(p, fmt, sheet)
    if sheet is not None:
        raise _fail(f"The file {p.name} is not a spreadsheet, so it has no sheets to choose from.")
    if fmt == "parquet":
        return _open_parquet(p)
    if fmt == "jsonl":
        return _open_jsonl(p, head)
    return _open_text(
        p,
        head,
        fmt,
        delimiter=delimiter,
        encoding=encoding,
        background=background_scan,
        check_utf8=check_utf8,
        defer=defer_scan,
    )


def _human(n: int) -> str:
    for unit in ("bytes", "KiB", "MiB", "GiB"):
        if n < 1024 or unit == "GiB":
            return f"{n:.0f} {unit}" if unit == "bytes" else f"{n:.1f} {unit}"
        n //= 1024
    return f"{n} bytes"  # pragma: no cover


def _sniff_format(p: Path, head: bytes) -> str:
    suffix_fmt = _SUFFIX_FORMATS.get(p.suffix.lower())
    if head.startswith((b"PK\x03\x04", b"PK\x05\x06")):
        if b"mimetypeapplication/vnd.oasis.opendocument.spreadsheet" in head[:200]:
            return "ods"
        if suffix_fmt == "ods":
            return "ods"
        return "xlsx"
    if head.startswith(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"):
        return "xls"
    if head.startswith(b"PAR1"):
        return "parquet"
    if suffix_fmt in ("xlsx", "xls", "ods", "parquet"):
        raise _fail(f"The file {p.name} is named like a {suffix_fmt.upper()} file but is not one.")
    if suffix_fmt == "jsonl":
        return "jsonl"
    stripped = head.lstrip(b"\xef\xbb\xbf \t\r\n")
    if suffix_fmt is None and stripped.startswith(b"{"):
        return "jsonl"
    return suffix_fmt or "csv"


# -- delimited text ------------------------------------------------------------------
def _detect_encoding(head: bytes, name: str, size: int) -> str:
    """Pick the encoding: BOMs first, then strict UTF-8, then the Windows code pages."""

    if head.startswith(codecs.BOM_UTF8):
        return "utf-8-sig"
    if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return "utf-16"
    sample = head if size <= len(head) else _trim_partial_utf8(head)
    if b"\x00" in sample:
        # UTF-16 without a BOM shows as every other byte zero in mostly-ASCII text.
        zeros_odd = sample[1::2].count(0)
        zeros_even = sample[0::2].count(0)
        half = max(len(sample) // 2, 1)
        if zeros_odd > 0.4 * half and zeros_even < 0.05 * half:
            return "utf-16-le"
        if zeros_even > 0.4 * half and zeros_odd < 0.05 * half:
            return "utf-16-be"
        raise _fail(f"The file {name} is binary data, not a table.")
    try:
        sample.decode("utf-8")
        return "utf-8"
    except UnicodeDecodeError:
        pass
    try:
        sample.decode("cp1252")
        return "cp1252"
    except UnicodeDecodeError:
        pass
    from charset_normalizer import from_bytes

    best = from_bytes(sample[:65536]).best()
    if best is not None and best.encoding and best.chaos < 0.2:
        return str(best.encoding)
    raise _fail(f"The file {name} is not in a text encoding that can be read (tried UTF-8, cp1252 and others).")


def _trim_partial_utf8(data: bytes) -> bytes:
    """Drop a multi-byte character cut in half at the end of a sample."""

    for back in range(1, 4):
        if len(data) < back:
            break
        byte = data[-back]
        if byte < 0x80:
            return data
        if byte >= 0xC0:  # lead byte: cut before it
            return data[:-back]
    return data


def _looks_binary(text: str) -> bool:
    if not text:
        return False
    controls = sum(1 for ch in text if (ord(ch) < 32 and ch not in "\t\r\n\x0c") or ch == "\x7f")
    return controls > max(2, len(text) // 200)


def _sniff_delimiter(sample_text: str) -> str:
    """Choose the delimiter that splits the first records into the most consistent columns."""

    lines = sample_text.splitlines(keepends=True)
    if len(lines) > 1 and not sample_text.endswith(("\n", "\r")):
        lines = lines[:-1]  # last line may be cut by the sample
    text = "".join(lines[:400])
    best, best_score = ",", (-1.0, 0)
    for cand in _DELIMITERS:
        try:
            records = list(csv.reader(io.StringIO(text, newline=""), delimiter=cand))
        except csv.Error:
            continue
        records = [r for r in records if r]
        if not records:
            continue
        width = len(records[0])
        if width < 2:
            continue
        agree = sum(1 for r in records if len(r) == width) / len(records)
        score = (agree, width)
        if score > best_score:
            best, best_score = cand, score
    return best


def _header_names(raw: list[str]) -> list[str]:
    """Header cells as unique, non-blank column names (``column_3``, ``name_2``)."""

    names: list[str] = []
    seen: set[str] = set()
    for i, cell in enumerate(raw, start=1):
        base = cell.strip().lstrip("\ufeff") or f"column_{i}"
        name, n = base, 2
        while name in seen:
            name, n = f"{base}_{n}", n + 1
        seen.add(name)
        names.append(name)
    return names


def _open_text(
    p: Path,
    head: bytes,
    fmt: str,
    *,
    delimiter: str | None,
    encoding: str | None,
    background: bool = False,
    check_utf8: bool = True,
    defer: bool = False,
) -> Table:
    size = p.stat().st_size
    if encoding is not None:
        try:
            codecs.lookup(encoding)
        except LookupError as exc:
            raise _fail(f"The encoding {encoding} is not one Python knows.") from exc
        enc = encoding
    else:
        enc = _detect_encoding(head, p.name, size)
    try:
        sample_text = codecs.getincrementaldecoder(enc)(errors="strict").decode(head, final=size <= len(head))
    except UnicodeDecodeError as exc:
        raise _fail(f"The file {p.name} is not valid {enc} text.") from exc
    sample_text = sample_text.lstrip("\ufeff")
    if _looks_binary(sample_text[:65536]):
        raise _fail(f"The file {p.name} is binary data, not a table.")
    if "\n" not in sample_text and "\r" not in sample_text and size > MAX_LINE_BYTES:
        raise _fail(f"The file {p.name} has a single line longer than {_human(MAX_LINE_BYTES)}, so it is not a table.")
    if delimiter is None:
        delimiter = "\t" if fmt == "tsv" else _sniff_delimiter(sample_text)
    if delimiter == "\t":
        fmt = "tsv"
    try:
        header = next(csv.reader(io.StringIO(sample_text, newline=""), delimiter=delimiter))
    except (StopIteration, csv.Error) as exc:
        raise _fail(f"The file {p.name} has no header row.") from exc
    columns = _header_names(header)

    utf8_path: Path | None = None
    digest = hashlib.sha256()
    if enc.replace("_", "-").lower() not in ("utf-8", "utf8", "utf-8-sig", "ascii"):
        utf8_path = _transcode(p, enc, digest)
    table = Table(
        p,
        fmt,
        columns,
        encoding=enc,
        delimiter=delimiter,
        _utf8_path=utf8_path,
        _file_columns=len(columns),
    )
    # A transcoded copy was validated while it was written, and the original hashed then.
    table._utf8_unchecked = utf8_path is None and not check_utf8
    pending = _PendingScan(
        utf8_path or p,
        delimiter,
        p.name,
        check_utf8=utf8_path is None and check_utf8,
        digest=digest,
        hash_in_scan=utf8_path is None,
    )
    if background:
        if not defer:
            pending.start(len(columns))
        table._pending = pending
    else:
        pending.apply(table)
    return table


class _PendingScan:
    """The whole-file scan of a delimited text file, run now or in a thread."""

    def __init__(
        self, source: Path, delimiter: str, name: str, *, check_utf8: bool, digest: Any, hash_in_scan: bool
    ) -> None:
        self.source = source
        self.delimiter = delimiter
        self.name = name
        self.check_utf8 = check_utf8
        # the transcoding pass has hashed the original already; otherwise the scan does it
        self.digest = digest
        self.hash_in_scan = hash_in_scan
        self.result: _TextScan | BaseException | None = None
        self.thread: threading.Thread | None = None

    def _run(self, width: int) -> None:
        try:
            self.result = _scan_text(
                self.source,
                self.delimiter,
                width,
                self.name,
                check_utf8=self.check_utf8,
                digest=self.digest if self.hash_in_scan else None,
            )
        except BaseException as exc:  # noqa: BLE001 - handed to the caller by apply()
            self.result = exc

    def start(self, width: int) -> None:
        self.thread = threading.Thread(target=self._run, args=(width,), name="insights-scan", daemon=True)
        self.thread.start()

    def apply(self, table: Table) -> None:
        if self.thread is None:
            self._run(len(table._columns))
        else:
            self.thread.join()
        result = self.result
        if isinstance(result, BaseException):
            if table._utf8_path is not None:
                _unlink_quietly(table._utf8_path)
            raise result
        assert result is not None
        _apply_scan(table, result)
        table._sha256 = self.digest.hexdigest()


def _apply_scan(table: Table, scan: _TextScan) -> None:
    columns = table._columns
    problems: list[str] = []
    file_columns = len(columns)
    if scan.max_fields > len(columns):
        extra = [f"extra_field_{i}" for i in range(1, scan.max_fields - len(columns) + 1)]
        columns = _header_names(columns + extra)
        file_columns = scan.max_fields
    if scan.ragged_long:
        problems.append(
            f"{scan.ragged_long} {'row has' if scan.ragged_long == 1 else 'rows have'} more fields than the header; "
            f"the extra fields are kept in columns named extra_field_N."
        )
    if scan.ragged_short:
        problems.append(
            f"{scan.ragged_short} {'row has' if scan.ragged_short == 1 else 'rows have'} fewer fields than the header; "
            "the missing cells are empty."
        )
    if scan.ragged_rows:
        shown = ", ".join(str(r) for r in scan.ragged_rows[:_MAX_REPORTED_ROWS])
        more = " and more" if len(scan.ragged_rows) > _MAX_REPORTED_ROWS else ""
        problems.append(f"Ragged rows (0-based data row numbers): {shown}{more}.")
    if scan.blank:
        problems.append(f"{scan.blank} blank {'row' if scan.blank == 1 else 'rows'}.")
    table._columns = columns
    table._file_columns = file_columns
    table._problems = problems
    table._row_count = max(scan.records - 1, 0)


def _transcode(p: Path, enc: str, digest: Any = None) -> Path:
    """Copy a non-UTF-8 file to a private UTF-8 temporary file, chunk by chunk."""

    decoder = codecs.getincrementaldecoder(enc)(errors="strict")
    fd, tmp = tempfile.mkstemp(prefix="insights-", suffix=".csv")
    out_path = Path(tmp)
    try:
        with p.open("rb") as src, os.fdopen(fd, "wb") as out:
            first = True
            while chunk := src.read(CHUNK_BYTES):
                if digest is not None:
                    digest.update(chunk)
                text = decoder.decode(chunk)
                if first:
                    text = text.lstrip("\ufeff")
                    first = False
                out.write(text.encode("utf-8"))
            out.write(decoder.decode(b"", final=True).encode("utf-8"))
    except UnicodeDecodeError as exc:
        _unlink_quietly(out_path)
        raise _fail(f"The file {p.name} is not valid {enc} text all the way through.") from exc
    except BaseException:
        _unlink_quietly(out_path)
        raise
    return out_path


class _Utf8Check:
    """Strict UTF-8 validation of a file read in chunks, without decoding it.

    Each chunk is checked whole by Polars' vectorised UTF-8 validator (a cast
    of the bytes to text), which is as strict as Python's decoder (no overlong
    forms, surrogates or code points past U+10FFFF) at a small fraction of its
    cost, and needs no other library loaded while the check's other threads
    wait for the interpreter. A character cut by a chunk's end is held back
    and checked with the next chunk; which cut characters are held back (and
    which are refused at once) is asked of Python's own incremental decoder,
    so the verdict and the message are the ones decoding the whole file would
    give.
    """

    def __init__(self, name: str) -> None:
        self.name = name
        self.held = b""  # the start of a character cut by the previous chunk's end

    def feed(self, chunk: memoryview, offset: int) -> None:
        """Check the bytes of one chunk, which starts ``offset`` bytes into the file."""

        data = self.held + chunk if self.held else chunk
        keep = _utf8_cut_tail(data)
        body = data[: len(data) - keep]
        if not self._valid(body):
            try:
                bytes(body).decode("utf-8")
                at = 0  # pragma: no cover - the two validators agree (see the tests)
            except UnicodeDecodeError as exc:
                at = exc.start
            raise _fail(
                f"The file {self.name} starts as UTF-8 but has bytes that are not, "
                f"around byte {offset - len(self.held) + at}; give its encoding explicitly."
            )
        self.held = bytes(data[len(data) - keep :])

    @staticmethod
    def _valid(body: bytes | memoryview) -> bool:
        try:
            pl.Series([bytes(body)], dtype=pl.Binary).cast(pl.String)
        except pl.exceptions.PolarsError:
            return False
        return True

    def finish(self) -> None:
        if self.held:
            raise _fail(f"The file {self.name} ends in the middle of a UTF-8 character.")


def _utf8_cut_tail(data: bytes | memoryview) -> int:
    """How many bytes at the end of ``data`` start a character that the next bytes may still complete."""

    for back in range(1, min(3, len(data)) + 1):
        byte = data[-back]
        if byte < 0x80:
            return 0
        if byte >= 0xC0:  # the lead byte of the last character
            decoder = codecs.getincrementaldecoder("utf-8")(errors="strict")
            try:
                waiting = decoder.decode(bytes(data[-back:])) == ""
            except UnicodeDecodeError:
                return 0  # can never be a character: refused with the rest
            return back if waiting else 0
    return 0


class _Chunks:
    """The file's bytes, block by block, in a few reused buffers, hashed on the side.

    ``digest`` (a hashlib object), when given, is fed the very same buffers in
    a thread of its own: hashlib and numpy both release the GIL on large
    inputs, so on two cores the SHA-256 runs alongside the scan instead of
    after it, and the file is still read only once. A buffer goes back to the
    pool only when both the scan has moved on and the hash has taken it, so
    memory stays at a few chunks whatever the file's size.
    """

    def __init__(self, handle: io.BufferedReader, size: int, digest: Any) -> None:
        self.handle = handle
        self.digest = digest
        threaded = digest is not None and os.fstat(handle.fileno()).st_size > size
        self.free: queue.SimpleQueue[bytearray] = queue.SimpleQueue()
        for _ in range(3 if threaded else 1):
            self.free.put(bytearray(size))
        self.todo: queue.SimpleQueue[tuple[bytearray, memoryview] | None] = queue.SimpleQueue()
        self.failure: BaseException | None = None
        self.thread: threading.Thread | None = None
        if threaded:
            self.thread = threading.Thread(target=self._hash, name="insights-scan-hash", daemon=True)
            self.thread.start()

    def _hash(self) -> None:
        while (item := self.todo.get()) is not None:
            buffer, view = item
            try:
                if self.failure is None:
                    self.digest.update(view)
            except BaseException as exc:  # noqa: BLE001 - re-raised on leaving the with block
                self.failure = exc
            finally:
                self.free.put(buffer)

    def __iter__(self) -> Iterator[memoryview]:
        while True:
            # Taking a buffer blocks while all of them are still waiting to be hashed.
            buffer = self.free.get()
            n = self.handle.readinto(buffer)
            if not n:
                self.free.put(buffer)
                return
            view = memoryview(buffer)[:n]
            if self.thread is not None:
                self.todo.put((buffer, memoryview(buffer)[:n]))
            else:
                if self.digest is not None:
                    self.digest.update(view)
                self.free.put(buffer)  # taken again only once the scan is done with it
            yield view

    def __enter__(self) -> _Chunks:
        return self

    def __exit__(self, *exc_info: object) -> None:
        if self.thread is not None:
            self.todo.put(None)
            self.thread.join()
            self.thread = None
        if self.failure is not None and exc_info[0] is None:
            raise self.failure


def _sparse_positions(mask: np.ndarray) -> np.ndarray:
    """``np.flatnonzero(mask)`` for a boolean mask that is mostly False and whose length is a multiple of 8.

    The mask is looked at as 64-bit words first and only the few words that
    hold a True are looked inside, which takes half the time of one pass of
    ``np.flatnonzero`` over every byte.
    """

    words = mask.view(np.uint64)
    hits = np.flatnonzero(words != 0)
    inner = np.flatnonzero(words[hits].view(np.bool_))
    return (hits[inner >> 3] << 3) + (inner & 7)


def _counts_before(mask: np.ndarray, at: np.ndarray) -> tuple[np.ndarray, int]:
    """How many entries of ``mask`` before each position in ``at`` are True, and how many in all.

    ``mask`` is a boolean mask whose length is a multiple of 64 (False past the
    data) and ``at`` holds positions inside it. The mask is packed 64 to a
    word; a running sum of the words' bit counts plus the bit count of one
    partial word answers each position exactly, which costs far less than
    listing the True entries or summing them stretch by stretch.
    """

    words = np.packbits(mask, bitorder="little").view("<u8")
    whole = np.zeros(words.size + 1, dtype=np.int64)
    np.cumsum(np.bitwise_count(words), dtype=np.int64, out=whole[1:])
    word = at >> 6
    below = (np.uint64(1) << (at & 63).astype(np.uint64)) - np.uint64(1)
    return whole[word] + np.bitwise_count(words[word] & below), int(whole[-1])


def _scan_text(
    source: Path,
    delimiter: str,
    width: int,
    name: str,
    *,
    check_utf8: bool,
    digest: Any = None,
) -> _TextScan:
    """One vectorised pass: validate UTF-8, refuse giant lines, count records and ragged rows.

    Quote state is the parity of quote characters seen so far (a doubled
    ``""`` escape keeps parity), so a delimiter or line feed counts only where
    the parity is even. Each block is cut at its quotes and line feeds, which
    are few; delimiters, which are many, are never listed one by one but
    counted per stretch between two cuts (see :func:`_counts_before`). A
    stretch inside quotes counts for nothing, and the running sum of the rest
    at each line feed outside quotes gives the fields of every record, so the
    work done per record or per delimiter is on small arrays. Blocks are small
    enough to stay in a core's cache and reuse one scratch mask, so memory
    stays flat. ``digest`` (a hashlib object), when given, is fed the same
    bytes alongside (see :class:`_Chunks`).
    """

    if delimiter in '"\n':
        raise ValueError("The delimiter cannot be a quote or a line feed.")
    dchar = ord(delimiter)
    scan = _TextScan()
    utf8 = _Utf8Check(name) if check_utf8 else None
    quoted = False  # inside a quoted stretch (an odd number of quotes so far)
    fields = 1  # fields of the record not yet ended
    record_len = 0  # its bytes so far
    line_len = 0  # bytes of the physical line not yet ended
    after_cr = False  # the previous block ended with a carriage return
    record_index = 0  # 0 = header
    offset = 0
    size = max(min(CHUNK_BYTES, SCAN_BYTES), 1)
    scratch_buf = np.empty((size + 63) & ~63, dtype=bool)  # one mask at a time, reused
    with source.open("rb") as handle, _Chunks(handle, size, digest) as chunks:
        for view in chunks:
            arr = np.frombuffer(view, dtype=np.uint8)
            n = arr.size
            if utf8 is not None:
                utf8.feed(view, offset)
            # Cut at quotes (34) and line feeds (10), found in two passes: x | 0x28 == 0x2A holds
            # for them and only for 2 and 42 ("*") besides, which are harmless extra cuts.
            scratch = scratch_buf[: (n + 63) & ~63]
            np.bitwise_or(arr, 0x28, out=scratch[:n].view(np.uint8))
            np.equal(scratch[:n].view(np.uint8), 0x2A, out=scratch[:n])
            scratch[n:] = False
            marks = _sparse_positions(scratch)
            values = arr[marks]
            is_quote = values == 34
            is_nl = values == 10
            # giant physical lines
            nl = marks[is_nl]
            if nl.size == 0:
                line_len += n
            elif line_len + n <= MAX_LINE_BYTES:
                line_len = n - int(nl[-1]) - 1  # no line in this block can be too long
            else:
                tail = n - int(nl[-1]) - 1
                longest = max(line_len + int(nl[0]), tail)
                if nl.size > 1:
                    longest = max(longest, int((nl[1:] - nl[:-1]).max()) - 1)
                line_len = longest if longest > MAX_LINE_BYTES else tail
            if line_len > MAX_LINE_BYTES:
                raise _fail(
                    f"The file {name} has a single line longer than {_human(MAX_LINE_BYTES)}, so it is not a table."
                )
            # the quotes and line feeds are found: the scratch mask now marks the delimiters
            np.equal(arr, dchar, out=scratch[:n])
            if marks.size == 0:
                # no quote or line feed: the whole block continues the current record
                if not quoted:
                    fields += int(np.count_nonzero(scratch))
                record_len += n
                after_cr = bool(arr[-1] == 13)
                offset += n
                continue
            # stretch 0 is [0, marks[0]), stretch i is [marks[i-1], marks[i]), the last runs to the end
            starts = np.empty(marks.size + 1, dtype=np.intp)
            starts[0] = 0
            starts[1:] = marks
            at, total = _counts_before(scratch, starts)
            counts = np.empty(starts.size, dtype=np.int64)  # delimiters in each stretch
            np.subtract(at[1:], at[:-1], out=counts[:-1])
            counts[-1] = total - at[-1]
            inside = np.empty(marks.size + 1, dtype=bool)
            inside[0] = quoted
            inside[1:] = (np.cumsum(is_quote) + quoted) & 1
            counts[inside] = 0
            before = np.cumsum(counts)  # before[i]: delimiters outside quotes in [0, marks[i])
            quoted = bool(inside[-1])
            ends = np.flatnonzero(is_nl & ~inside[1:])  # line feeds outside quotes end records
            if ends.size:
                end_at = marks[ends]
                cum = before[ends]
                per = np.empty(ends.size, dtype=np.intp)
                per[0] = cum[0] + fields
                np.subtract(cum[1:], cum[:-1], out=per[1:])
                per[1:] += 1
                lens = np.empty(ends.size, dtype=np.intp)
                lens[0] = end_at[0] + record_len
                np.subtract(end_at[1:], end_at[:-1], out=lens[1:])
                lens[1:] -= 1
                # a carriage return just before the line feed ends the line; it is not content
                cr = arr[end_at - 1] == 13
                if end_at[0] == 0:
                    cr[0] = after_cr
                lens -= cr
                _tally(scan, per, lens, width, record_index)
                record_index += int(ends.size)
                fields = int(before[-1] - cum[-1]) + 1
                record_len = n - int(end_at[-1]) - 1
            else:
                fields += int(before[-1])
                record_len += n
            after_cr = bool(arr[-1] == 13)
            offset += n
    if utf8 is not None:
        utf8.finish()
    if record_len > 0:
        _tally(scan, np.array([fields]), np.array([record_len]), width, record_index)
        record_index += 1
    scan.records = record_index
    return scan


def _tally(scan: _TextScan, per: np.ndarray, lens: np.ndarray, width: int, first_index: int) -> None:
    """Add records ``first_index`` onwards (their field counts and lengths) to ``scan``; record 0 is the header."""

    if first_index == 0:
        per, lens, first_index = per[1:], lens[1:], 1
    if per.size == 0:
        return
    blank = lens == 0
    off = per != width
    if not off.any() and not blank.any():  # the usual block: every record as wide as the header
        scan.max_fields = max(scan.max_fields, width)
        return
    scan.blank += int(np.count_nonzero(blank))
    long = per > width
    short = off & ~long & ~blank
    scan.ragged_long += int(np.count_nonzero(long))
    scan.ragged_short += int(np.count_nonzero(short))
    scan.max_fields = max(scan.max_fields, int(per.max()))
    room = _MAX_REPORTED_ROWS + 1 - len(scan.ragged_rows)
    if room > 0:
        bad = np.flatnonzero(long | short)[:room] + (first_index - 1)
        scan.ragged_rows.extend(int(i) for i in bad)


# -- spreadsheets ---------------------------------------------------------------------
def _check_zip(p: Path, fmt: str) -> None:
    """Refuse zip bombs and zips that are not spreadsheets before any XML is parsed."""

    try:
        with zipfile.ZipFile(p) as zf:
            infos = zf.infolist()
    except (zipfile.BadZipFile, OSError, ValueError) as exc:
        raise _fail(f"The file {p.name} looks like a spreadsheet but is damaged.") from exc
    names = {i.filename for i in infos}
    if fmt == "xlsx" and "[Content_Types].xml" not in names:
        raise _fail(f"The file {p.name} is a zip archive, not a spreadsheet.")
    if fmt == "ods" and "content.xml" not in names:
        raise _fail(f"The file {p.name} is a zip archive, not a spreadsheet.")
    total = 0
    for info in infos:
        total += info.file_size
        ratio = info.file_size / max(info.compress_size, 1)
        if total > MAX_SPREADSHEET_BYTES or (info.file_size > 50 * 1024 * 1024 and ratio > MAX_ZIP_RATIO):
            raise _fail(
                f"The file {p.name} would expand to far more data than a real spreadsheet holds "
                "(it looks like a zip bomb), so it was not opened."
            )


def _workbook(p: Path) -> Any:
    from python_calamine import CalamineWorkbook

    try:
        return CalamineWorkbook.from_path(str(p))
    except Exception as exc:  # calamine raises its own error types
        raise _fail(f"The spreadsheet {p.name} is damaged and cannot be read.") from exc


def _open_sheet(p: Path, sheet: str | None) -> Any:
    wb = _workbook(p)
    names: list[str] = list(wb.sheet_names)
    if not names:
        raise _fail(f"The spreadsheet {p.name} has no sheets.")
    if sheet is None:
        return wb.get_sheet_by_index(0)
    if sheet not in names:
        if sheet.isdigit() and 1 <= int(sheet) <= len(names):
            return wb.get_sheet_by_index(int(sheet) - 1)
        raise _fail(f"The spreadsheet {p.name} has no sheet called {sheet!r}; it has {len(names)} sheets.")
    return wb.get_sheet_by_name(sheet)


def sheet_names(path: str | os.PathLike[str]) -> list[str]:
    """Names of the sheets of a spreadsheet (each one a table for :func:`open_table`)."""

    p = Path(path)
    fmt = _sniff_format(p, p.read_bytes()[:SAMPLE_BYTES])
    if fmt not in ("xlsx", "xls", "ods"):
        return []
    if fmt != "xls":
        _check_zip(p, fmt)
    return list(_workbook(p).sheet_names)


def _open_spreadsheet(p: Path, fmt: str, sheet: str | None) -> Table:
    if fmt != "xls":
        _check_zip(p, fmt)
    ws = _open_sheet(p, sheet)
    try:
        first = next(iter(ws.iter_rows()), None)
    except Exception as exc:
        raise _fail(f"The spreadsheet {p.name} is damaged and cannot be read.") from exc
    if first is None or all(_cell_text(v) is None for v in first):
        raise _fail(f"The sheet {ws.name!r} of {p.name} is empty.")
    header = [_cell_text(v) or "" for v in first]
    while header and not header[-1]:
        header.pop()
    columns = _header_names(header)
    rows = max(int(ws.height) - 1, 0)
    problems = []
    count = len(_workbook(p).sheet_names)
    if count > 1 and sheet is None:
        problems.append(
            f"The spreadsheet has {count} sheets; only the first was read (choose another with the sheet option)."
        )
    return Table(
        p,
        "xlsx" if fmt == "xlsx" else fmt,
        columns,
        sheet=ws.name,
        problems=problems,
        row_count=rows,
    )


# -- Parquet and JSON Lines -------------------------------------------------------------
def _open_parquet(p: Path) -> Table:
    import pyarrow.parquet as pq  # type: ignore[import-untyped]

    try:
        with pq.ParquetFile(p) as pf:
            columns = list(pf.schema_arrow.names)
            rows = int(pf.metadata.num_rows)
    except Exception as exc:  # pyarrow raises several error types
        raise _fail(f"The Parquet file {p.name} is damaged and cannot be read.") from exc
    if not columns:
        raise _fail(f"The Parquet file {p.name} has no columns.")
    return Table(p, "parquet", columns, row_count=rows)


def _iter_json_lines(p: Path, batch_rows: int) -> Iterator[list[bytes]]:
    """Non-blank lines in lists of ``batch_rows``, refusing giant lines."""

    batch: list[bytes] = []
    rest = b""
    with p.open("rb") as handle:
        while chunk := handle.read(CHUNK_BYTES):
            data = rest + chunk
            parts = data.split(b"\n")
            rest = parts.pop()
            if len(rest) > MAX_LINE_BYTES:
                raise _fail(
                    f"The file {p.name} has a single line longer than {_human(MAX_LINE_BYTES)}, so it is not a table."
                )
            for line in parts:
                if line.strip():
                    batch.append(line)
                    if len(batch) >= batch_rows:
                        yield batch
                        batch = []
    if rest.strip():
        batch.append(rest)
    if batch:
        yield batch


def _open_jsonl(p: Path, head: bytes) -> Table:
    if b"\x00" in head:
        raise _fail(f"The file {p.name} is binary data, not JSON Lines.")
    try:
        _trim_partial_utf8(head).decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise _fail(f"The file {p.name} is not UTF-8 text, which JSON Lines must be.") from exc
    first_lines = next(_iter_json_lines(p, 1000), [])
    if first_lines:
        first_lines[0] = first_lines[0].lstrip(b"\xef\xbb\xbf")
    try:
        frame = pl.read_ndjson(io.BytesIO(b"\n".join(first_lines)), infer_schema_length=None)
    except pl.exceptions.PolarsError as exc:
        raise _fail(f"The file {p.name} is not valid JSON Lines (one JSON object per line).") from exc
    if not frame.columns:
        raise _fail(f"The file {p.name} has no fields.")
    return Table(
        p,
        "jsonl",
        list(frame.columns),
        encoding="utf-8",
        _json_schema=dict(frame.schema),
    )


# -- writing ----------------------------------------------------------------------------
def write_table(
    batches: Iterable[pl.DataFrame],
    path: str | os.PathLike[str],
    *,
    format: str | None = None,
) -> None:
    """Write batches to ``path`` (format from ``format`` or the suffix), atomically.

    The data goes to a temporary file in the same folder, which replaces
    ``path`` only when every batch is written: a failure half way leaves no
    partial file behind (and an older file at ``path`` untouched).
    """

    p = Path(path)
    fmt = format or _SUFFIX_FORMATS.get(p.suffix.lower())
    if fmt not in WRITE_FORMATS:
        raise _fail(f"Cannot write {p.name}: the format must be one of {', '.join(WRITE_FORMATS)}.")
    writer = _WRITERS[fmt]
    with atomic_path(p) as tmp_path, open(tmp_path, "wb") as handle:
        writer(batches, handle, tmp_path)


def _write_delimited(
    separator: str,
) -> Callable[[Iterable[pl.DataFrame], BinaryIO, Path], None]:
    def write(batches: Iterable[pl.DataFrame], handle: BinaryIO, _tmp: Path) -> None:
        first = True
        for batch in batches:
            batch = _flatten_for_text(batch)
            batch.write_csv(handle, include_header=first, separator=separator)
            first = False

    return write


def _flatten_for_text(batch: pl.DataFrame) -> pl.DataFrame:
    nested = [n for n, t in batch.schema.items() if t.is_nested()]
    if not nested:
        return batch
    return batch.with_columns(pl.col(n).map_elements(str, return_dtype=pl.String) for n in nested)


def _write_jsonl(batches: Iterable[pl.DataFrame], handle: BinaryIO, _tmp: Path) -> None:
    for batch in batches:
        batch.write_ndjson(handle)


def _write_parquet(batches: Iterable[pl.DataFrame], handle: BinaryIO, _tmp: Path) -> None:
    import pyarrow.parquet as pq  # type: ignore[import-untyped]

    writer = None
    schema = None
    try:
        for batch in batches:
            table = batch.to_arrow()
            if writer is None:
                schema = table.schema
                writer = pq.ParquetWriter(handle, schema, compression="zstd")
            else:
                table = table.cast(schema)
            writer.write_table(table)
    finally:
        if writer is not None:
            writer.close()


def _write_xlsx(batches: Iterable[pl.DataFrame], handle: BinaryIO, _tmp: Path) -> None:
    from openpyxl import Workbook  # type: ignore[import-untyped]

    wb = Workbook(write_only=True)
    ws = wb.create_sheet("data")
    rows = 0
    first = True
    for batch in batches:
        batch = _flatten_for_text(batch)
        if first:
            ws.append(list(batch.columns))
            first = False
        rows += batch.height
        if rows >= EXCEL_MAX_ROWS:
            raise _fail("The table has more rows than an XLSX sheet can hold; write CSV or Parquet instead.")
        for row in batch.iter_rows():
            ws.append([_xlsx_cell(ws, v) for v in row])
    wb.save(handle)


def _xlsx_cell(ws: Any, value: Any) -> Any:
    if isinstance(value, str) and value.startswith("="):
        # Text that starts with "=" stays text: a shared file must never carry a formula.
        from openpyxl.cell import WriteOnlyCell  # type: ignore[import-untyped]

        cell = WriteOnlyCell(ws, value=None)
        cell._value = value
        cell.data_type = "s"
        return cell
    return value


_WRITERS: dict[str, Callable[[Iterable[pl.DataFrame], BinaryIO, Path], None]] = {
    "csv": _write_delimited(","),
    "tsv": _write_delimited("\t"),
    "jsonl": _write_jsonl,
    "parquet": _write_parquet,
    "xlsx": _write_xlsx,
}
