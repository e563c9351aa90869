"""Open any table a council or VCS partner is likely to send, in streaming batches.

Exports arrive as CSV from case-management systems (often cp1252 or UTF-16 from
Excel), as spreadsheets, as Parquet from analysts and as JSON Lines from web
forms; a safe copy may be a Delta table (a folder). Every check and remedy
reads through :func:`open_table`, so the rules that protect the rest of the
engine live here once:

* cells of text formats arrive as strings, so leading zeros in NHS numbers,
  phone numbers and case IDs survive;
* memory does not grow with the number of rows (batches of ``batch_rows``);
* anything that is not a readable table fails early with :class:`InputError`
  and one plain sentence that never quotes the file's content;
* ragged rows are reported (counts and row numbers only) and kept, never
  silently dropped.

Each step has a module of this package: ``sniff`` (format, encoding, delimiter),
``delimited`` and ``scan`` (text files), ``sources`` (spreadsheets, JSON Lines), ``delta``, ``table``
(streaming batches), ``cells`` (cells as text), ``writers``; ``limits`` holds the guards.
"""

from __future__ import annotations

import io
import os
from pathlib import Path

import polars as pl

import community_insights.safety.readers.limits as limits
from community_insights.safety.headers import HeaderKind, assess_header, generated_names, no_header_problem, shown_sheet
from community_insights.safety.readers.blocks import limited
from community_insights.safety.readers.cells import cell_text
from community_insights.safety.readers.delimited import open_text
from community_insights.safety.readers.delta import is_delta_table, open_delta_columns
from community_insights.safety.readers.limits import FORMATS, WRITE_FORMATS, fail, human
from community_insights.safety.readers.sniff import header_names, sniff_format, trim_partial_utf8
from community_insights.safety.readers.sources import check_zip, iter_json_lines, open_sheet, sheet_names, workbook
from community_insights.safety.readers.statistical import open_statistical
from community_insights.safety.readers.table import Table
from community_insights.safety.readers.writers import write_table

__all__ = [
    "FORMATS",
    "WRITE_FORMATS",
    "Table",
    "limited",
    "open_table",
    "sheet_names",
    "write_table",
]


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

    The first row of a text file or a sheet is judged (``headers``): when it
    holds values no one uses as column names it is read as data, under the
    names ``column_1``, ``column_2`` …, and :attr:`Table.problems` says so.

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
        raise fail(f"The file {p.name} does not exist.")
    if p.is_dir():
        if is_delta_table(p):  # a safe copy written as a Delta table, read back for its report
            columns, rows = open_delta_columns(p)
            return Table(p, "delta", columns, row_count=rows)
        raise fail(f"{p.name} is a folder, not a file.")
    if not p.is_file():  # reading a pipe or a device could wait for ever or never end
        raise fail(f"{p.name} is not a regular file (it is a pipe, device or socket); save the data to a file first.")
    try:
        size = p.stat().st_size
        with p.open("rb") as handle:
            head = handle.read(limits.SAMPLE_BYTES)
    except OSError as exc:
        raise fail(f"The file {p.name} cannot be opened.") from exc
    if size == 0 or not head.strip(b" \t\r\n\x00\xef\xbb\xbf\xff\xfe"):
        raise fail(f"The file {p.name} is empty.")
    if max_bytes is not None and size > max_bytes:
        raise fail(f"The file {p.name} is larger than the {human(max_bytes)} allowed here.")
    if delimiter is not None and (len(delimiter) != 1 or delimiter in '"\r\n'):
        raise fail("The delimiter must be a single character other than a quote or a line break.")

    fmt = sniff_format(p, head)
    if fmt in ("xlsx", "xls", "ods"):
        return _open_spreadsheet(p, fmt, sheet)
    if sheet is not None:
        raise fail(f"The file {p.name} is not a spreadsheet, so it has no sheets to choose from.")
    if fmt == "parquet":
        return _open_parquet(p)
    if fmt in ("dta", "sav"):
        columns, rows = open_statistical(p, fmt)
        return Table(p, fmt, columns, row_count=rows)
    if fmt == "jsonl":
        return _open_jsonl(p, head)
    return open_text(
        p,
        head,
        fmt,
        delimiter=delimiter,
        encoding=encoding,
        background=background_scan,
        check_utf8=check_utf8,
        defer=defer_scan,
    )


def _open_spreadsheet(p: Path, fmt: str, sheet: str | None) -> Table:
    if fmt != "xls":
        check_zip(p, fmt)
    ws = open_sheet(p, sheet)
    try:
        first = next(iter(ws.iter_rows()), None)
    except Exception as exc:
        raise fail(f"The spreadsheet {p.name} is damaged and cannot be read.") from exc
    if first is None or all(cell_text(v) is None for v in first):
        raise fail(f"The sheet {shown_sheet(ws.name)!r} of {p.name} is empty.")
    header = [cell_text(v) or "" for v in first]
    while header and not header[-1]:
        header.pop()
    columns = header_names(header)
    has_header = assess_header(columns).kind is not HeaderKind.ABSENT
    problems = [] if has_header else [no_header_problem(p.name)]
    if not has_header:
        columns = generated_names(len(columns))
    rows = max(int(ws.height) - (1 if has_header else 0), 0)
    count = len(workbook(p).sheet_names)
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
        has_header=has_header,
    )


# -- Parquet and JSON Lines -------------------------------------------------------------
def _open_parquet(p: Path) -> Table:
    import pyarrow.parquet as pq  # type: ignore[import-untyped]

    try:
        with pq.ParquetFile(p) as pf:
            columns = list(pf.schema_arrow.names)
            rows = int(pf.metadata.num_rows)
    except Exception as exc:  # pyarrow raises several error types
        raise fail(f"The Parquet file {p.name} is damaged and cannot be read.") from exc
    if not columns:
        raise fail(f"The Parquet file {p.name} has no columns.")
    return Table(p, "parquet", columns, row_count=rows)


def _open_jsonl(p: Path, head: bytes) -> Table:
    if b"\x00" in head:
        raise fail(f"The file {p.name} is binary data, not JSON Lines.")
    try:
        trim_partial_utf8(head).decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise fail(f"The file {p.name} is not UTF-8 text, which JSON Lines must be.") from exc
    first_lines = next(iter_json_lines(p, 1000), [])
    if first_lines:
        first_lines[0] = first_lines[0].lstrip(b"\xef\xbb\xbf")
    try:
        frame = pl.read_ndjson(io.BytesIO(b"\n".join(first_lines)), infer_schema_length=None)
    except pl.exceptions.PolarsError as exc:
        raise fail(f"The file {p.name} is not valid JSON Lines (one JSON object per line).") from exc
    if not frame.columns:
        raise fail(f"The file {p.name} has no fields.")
    return Table(
        p,
        "jsonl",
        list(frame.columns),
        encoding="utf-8",
        _json_schema=dict(frame.schema),
    )
