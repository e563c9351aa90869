"""Spreadsheet workbooks and JSON Lines files, opened with the zip-bomb and line-length guards.

Why a module of its own: both the opening of a table and the reading of its batches need them.
"""

from __future__ import annotations

import os
import zipfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import community_insights.safety.readers.limits as limits
from community_insights.safety.readers.limits import fail
from community_insights.safety.readers.sniff import sniff_format


def check_zip(p: Path, fmt: str) -> None:
    """Refuse zip bombs and zips that are not spreadsheets before any XML is parsed."""

    try:
        with zipfile.ZipFile(p) as zf:
            infos = zf.infolist()
    except (zipfile.BadZipFile, OSError, ValueError) as exc:
        raise fail(f"The file {p.name} looks like a spreadsheet but is damaged.") from exc
    names = {i.filename for i in infos}
    if fmt == "xlsx" and "[Content_Types].xml" not in names:
        raise fail(f"The file {p.name} is a zip archive, not a spreadsheet.")
    if fmt == "ods" and "content.xml" not in names:
        raise fail(f"The file {p.name} is a zip archive, not a spreadsheet.")
    total = 0
    for info in infos:
        total += info.file_size
        ratio = info.file_size / max(info.compress_size, 1)
        if total > limits.MAX_SPREADSHEET_BYTES or (info.file_size > 50 * 1024 * 1024 and ratio > limits.MAX_ZIP_RATIO):
            raise fail(
                f"The file {p.name} would expand to far more data than a real spreadsheet holds "
                "(it looks like a zip bomb), so it was not opened."
            )


def workbook(p: Path) -> Any:
    from python_calamine import CalamineWorkbook

    try:
        return CalamineWorkbook.from_path(str(p))
    except Exception as exc:  # calamine raises its own error types
        raise fail(f"The spreadsheet {p.name} is damaged and cannot be read.") from exc


def open_sheet(p: Path, sheet: str | None) -> Any:
    wb = workbook(p)
    names: list[str] = list(wb.sheet_names)
    if not names:
        raise fail(f"The spreadsheet {p.name} has no sheets.")
    if sheet is None:
        return wb.get_sheet_by_index(0)
    if sheet not in names:
        if sheet.isdigit() and 1 <= int(sheet) <= len(names):
            return wb.get_sheet_by_index(int(sheet) - 1)
        from community_insights.safety.headers import shown_sheet

        raise fail(f"The spreadsheet {p.name} has no sheet called {shown_sheet(sheet)!r}; it has {len(names)} sheets.")
    return wb.get_sheet_by_name(sheet)


def sheet_names(path: str | os.PathLike[str]) -> list[str]:
    """Names of the sheets of a spreadsheet (each one a table for :func:`open_table`)."""

    p = Path(path)
    fmt = sniff_format(p, p.read_bytes()[: limits.SAMPLE_BYTES])
    if fmt not in ("xlsx", "xls", "ods"):
        return []
    if fmt != "xls":
        check_zip(p, fmt)
    return list(workbook(p).sheet_names)


def iter_json_lines(p: Path, batch_rows: int) -> Iterator[list[bytes]]:
    """Non-blank lines in lists of ``batch_rows``, refusing giant lines."""

    batch: list[bytes] = []
    rest = b""
    with p.open("rb") as handle:
        while chunk := handle.read(limits.CHUNK_BYTES):
            data = rest + chunk
            parts = data.split(b"\n")
            rest = parts.pop()
            if len(rest) > limits.MAX_LINE_BYTES:
                raise limits.line_too_long(p.name)
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
