"""Opening delimited text (CSV, TSV): encoding, header, and the whole-file scan, now or in a thread.

Why a module of its own: text files are the commonest export and the only format whose rows
must be scanned end to end before they can be trusted (ragged rows, stray bytes, giant lines).
"""

from __future__ import annotations

import codecs
import csv
import hashlib
import io
import os
import tempfile
import threading
from dataclasses import KW_ONLY, dataclass
from pathlib import Path
from typing import Any

import community_insights.safety.readers.limits as limits
from community_insights.safety.headers import generated_names, no_header_problem
from community_insights.safety.readers.cells import unlink_quietly
from community_insights.safety.readers.limits import fail
from community_insights.safety.readers.scan import TextScan, scan_text
from community_insights.safety.readers.sniff import detect_encoding, header_names, looks_binary, sniff_delimiter
from community_insights.safety.readers.table import Table


def open_text(
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
            raise fail(f"The encoding {encoding} is not one Python knows.") from exc
        enc = encoding
    else:
        enc = detect_encoding(head, p.name, size)
    try:
        sample_text = codecs.getincrementaldecoder(enc)(errors="strict").decode(head, final=size <= len(head))
    except UnicodeDecodeError as exc:
        raise fail(f"The file {p.name} is not valid {enc} text.") from exc
    sample_text = sample_text.lstrip("\ufeff")
    if looks_binary(sample_text[:65536]):
        raise fail(f"The file {p.name} is binary data, not a table.")
    if "\n" not in sample_text and "\r" not in sample_text and size > limits.MAX_LINE_BYTES:
        raise limits.line_too_long(p.name)
    longest = _longest_first_line(p) if size > min(limits.MAX_CELL_BYTES, limits.MAX_LINE_BYTES) else 0
    if longest > limits.MAX_LINE_BYTES:
        raise limits.line_too_long(p.name)
    if longest > limits.MAX_CELL_BYTES:
        # One of the first rows may hold a cell too long to be a value: the scan judges the
        # whole file before any row is parsed (parsing it first could cost gigabytes).
        background = False
    if delimiter is None:
        delimiter = "\t" if fmt == "tsv" else sniff_delimiter(sample_text)
    if delimiter == "\t":
        fmt = "tsv"
    try:
        header = next(csv.reader(io.StringIO(sample_text, newline=""), delimiter=delimiter))
    except (StopIteration, csv.Error) as exc:
        raise fail(f"The file {p.name} has no header row.") from exc
    columns = header_names(header)
    has_header = not _first_row_is_data(columns)
    if not has_header:
        columns = generated_names(len(columns))

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
        has_header=has_header,
    )
    # A transcoded copy was validated while it was written, and the original hashed then.
    table._utf8_unchecked = utf8_path is None and not check_utf8
    pending = PendingScan(
        utf8_path or p,
        delimiter,
        p.name,
        check_utf8=utf8_path is None and check_utf8,
        digest=digest,
        hash_in_scan=utf8_path is None,
        header=has_header,
    )
    if background:
        if not defer:
            pending.start(len(columns))
        table._pending = pending
    else:
        pending.apply(table)
    return table


@dataclass(eq=False)
class PendingScan:
    """The whole-file scan of a delimited text file, run now or in a thread."""

    source: Path
    delimiter: str
    name: str
    _: KW_ONLY
    check_utf8: bool
    # the transcoding pass has hashed the original already; otherwise the scan does it
    digest: Any
    hash_in_scan: bool
    #: False when the first record is data, not column names (see ``headers``)
    header: bool = True
    result: TextScan | BaseException | None = None
    thread: threading.Thread | None = None

    def _run(self, width: int) -> None:
        try:
            self.result = scan_text(
                self.source,
                self.delimiter,
                width,
                self.name,
                check_utf8=self.check_utf8,
                digest=self.digest if self.hash_in_scan else None,
                header=self.header,
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
                unlink_quietly(table._utf8_path)
            raise result
        assert result is not None
        _apply_scan(table, result)
        table._sha256 = self.digest.hexdigest()


def _apply_scan(table: Table, scan: TextScan) -> None:
    columns = table._columns
    problems: list[str] = [] if table.has_header else [no_header_problem(table.path.name)]
    file_columns = len(columns)
    if scan.max_fields > len(columns):
        extra = [f"extra_field_{i}" for i in range(1, scan.max_fields - len(columns) + 1)]
        columns = header_names(columns + extra)
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
        shown = ", ".join(str(r) for r in scan.ragged_rows[: limits.MAX_REPORTED_ROWS])
        more = " and more" if len(scan.ragged_rows) > limits.MAX_REPORTED_ROWS else ""
        problems.append(f"Ragged rows (0-based data row numbers): {shown}{more}.")
    if scan.blank:
        problems.append(f"{scan.blank} blank {'row' if scan.blank == 1 else 'rows'}.")
    table._columns = columns
    table._file_columns = file_columns
    table._problems = problems
    # records counts the header (or, for a file without one, stands in for it); blank rows are no rows
    table._row_count = max(scan.records - 1 - scan.blank, 0)
    table._blank_rows = scan.blank
    table.quoted_line_feeds = scan.quoted_line_feeds


def _first_row_is_data(columns: list[str]) -> bool:
    """Whether the first record holds values no one uses as column names (see ``headers``)."""

    from community_insights.safety.headers import HeaderKind, assess_header

    return assess_header(columns).kind is HeaderKind.ABSENT


def _transcode(p: Path, enc: str, digest: Any = None) -> Path:
    """Copy a non-UTF-8 file to a private UTF-8 temporary file, chunk by chunk."""

    decoder = codecs.getincrementaldecoder(enc)(errors="strict")
    fd, tmp = tempfile.mkstemp(prefix="insights-", suffix=".csv")
    out_path = Path(tmp)
    try:
        with p.open("rb") as src, os.fdopen(fd, "wb") as out:
            first = True
            while chunk := src.read(limits.CHUNK_BYTES):
                if digest is not None:
                    digest.update(chunk)
                text = decoder.decode(chunk)
                if first:
                    text = text.lstrip("\ufeff")
                    first = False
                out.write(text.encode("utf-8"))
            out.write(decoder.decode(b"", final=True).encode("utf-8"))
    except UnicodeDecodeError as exc:
        unlink_quietly(out_path)
        raise fail(f"The file {p.name} is not valid {enc} text all the way through.") from exc
    except BaseException:
        unlink_quietly(out_path)
        raise
    return out_path


#: Lines from the top checked before the first rows are parsed (they are what ``head()`` reads first).
FIRST_LINES_CHECKED = 64


def _longest_first_line(p: Path) -> int:
    """The longest of the first lines (or more than the line limit), found by reading bytes, not parsing.

    Why: the first rows are parsed before the whole-file scan has finished, and parsing a
    70 MB line costs seconds and most of a gigabyte before the scan refuses it. Reading
    up to the limit in chunks costs a fraction of a second and one chunk of memory.
    """

    line = longest = lines = 0
    with open(p, "rb") as handle:
        while lines < FIRST_LINES_CHECKED:
            chunk = handle.read(1 << 20)
            if not chunk:
                return max(longest, line)
            start = 0
            while (end := chunk.find(b"\n", start)) != -1:
                longest = max(longest, line + end - start)
                line, start, lines = 0, end + 1, lines + 1
            line += len(chunk) - start
            if max(longest, line) > limits.MAX_LINE_BYTES:
                return max(longest, line)
    return longest
