"""Writing a table (a safe copy, a protected table) in any of the formats the readers read.

Why beside the readers: a safe copy keeps the format it came in, and is written atomically so
that a failed write never leaves half a file or overwrites its input.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any, BinaryIO

import polars as pl

import community_insights.safety.readers.limits as limits
from community_insights.safety.files import atomic_path
from community_insights.safety.readers.limits import WRITE_FORMATS, fail
from community_insights.safety.readers.sniff import SUFFIX_FORMATS


def write_table(
    batches: Iterable[pl.DataFrame],
    path: str | os.PathLike[str],
    *,
    format: str | None = None,
    escape_formulas: bool = True,
    inputs: Iterable[str | os.PathLike[str] | None] = (),
) -> None:
    """Write batches to ``path`` (format from ``format`` or the suffix), atomically.

    The data goes to a temporary file in the same folder, which replaces
    ``path`` only when every batch is written: a failure half way leaves no
    partial file behind (and an older file at ``path`` untouched). CSV, TSV
    and XLSX are opened by people in spreadsheets, so their text cells that a
    spreadsheet would run as formulas get a leading apostrophe unless
    ``escape_formulas`` is False (machine use); ``inputs`` are the files this
    output must never replace.
    """

    p = Path(path)
    fmt = format or SUFFIX_FORMATS.get(p.suffix.lower())
    if fmt not in WRITE_FORMATS:
        raise fail(f"Cannot write {p.name}: the format must be one of {', '.join(WRITE_FORMATS)}.")
    writer = _WRITERS[fmt]
    if escape_formulas and fmt in ("csv", "tsv", "xlsx"):
        from community_insights.safety.formulas import escape_frame

        batches = (escape_frame(batch) for batch in batches)
    with atomic_path(p, inputs=inputs) as tmp_path, open(tmp_path, "wb") as handle:
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
    write_parquet(batches, handle)


def write_parquet(batches: Iterable[pl.DataFrame], handle: BinaryIO) -> None:
    """Write batches as one Parquet file as they come, in order (also the data of a Delta copy)."""

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
            ws.append([_xlsx_cell(ws, name) for name in batch.columns])
            first = False
        rows += batch.height
        if rows >= limits.EXCEL_MAX_ROWS:
            raise fail("The table has more rows than an XLSX sheet can hold; write CSV or Parquet instead.")
        for row in batch.iter_rows():
            ws.append([_xlsx_cell(ws, v) for v in row])
    wb.save(handle)


def _xlsx_cell(ws: Any, value: Any) -> Any:
    if isinstance(value, str) and value.startswith("="):
        # Text stays text even when formula escaping is off: a written file never carries a live formula.
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
