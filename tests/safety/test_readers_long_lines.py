"""A line too long to be a row is refused when the file is opened, before any row is parsed."""

from __future__ import annotations

from pathlib import Path

import polars as pl
import pytest
from openpyxl import Workbook

import community_insights.safety.readers.limits as limits
from community_insights.safety import InputError, open_table


def test_a_giant_first_row_is_refused_on_opening(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(limits, "MAX_LINE_BYTES", 4096)
    path = tmp_path / "giant.csv"
    path.write_bytes(b"name,notes\n" + b"Zebedee Quockerwodger " * 1000 + b"\nshort,row\n")
    with pytest.raises(InputError, match="single line longer than") as refused:
        open_table(path, background_scan=True, defer_scan=True)  # no scan runs: the opening itself refuses
    assert "Zebedee" not in str(refused.value)


def test_long_but_allowed_lines_open(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(limits, "MAX_LINE_BYTES", 4096)
    path = tmp_path / "fine.csv"
    path.write_bytes(b"name,notes\n" + (b"Amira Khan," + b"x" * 3000 + b"\n") * 5)
    assert open_table(path).head(10).height == 5


def test_a_giant_cell_in_the_first_rows_is_refused_on_opening(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Lines under the line limit, one cell over the cell limit: judged before any row is parsed."""

    monkeypatch.setattr(limits, "MAX_CELL_BYTES", 4096)
    path = tmp_path / "giant.csv"
    path.write_bytes(b"name,notes\n" + b"Amira Khan," + b"Zebedee Quockerwodger " * 300 + b"\nshort,row\n")
    with pytest.raises(InputError, match="has a cell longer than") as refused:
        open_table(path, background_scan=True, defer_scan=True)
    assert "Zebedee" not in str(refused.value)


def test_many_cells_of_a_long_line_are_each_allowed(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(limits, "MAX_CELL_BYTES", 4096)
    path = tmp_path / "wide.csv"
    path.write_bytes(b"name,notes\n" + (b"Amira Khan," + b"x" * 4000 + b"," * 3 + b"y" * 4000 + b"\n") * 5)
    assert open_table(path).head(10).height == 5


@pytest.mark.parametrize("suffix", [".jsonl", ".parquet", ".xlsx"])
def test_a_giant_cell_of_other_formats_is_refused_while_reading(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, suffix: str
) -> None:
    monkeypatch.setattr(limits, "MAX_CELL_BYTES", 4096)
    frame = pl.DataFrame({"name": ["Amira Khan", "John Smith"], "notes": ["short", "Zebedee Quockerwodger " * 300]})
    path = tmp_path / f"giant{suffix}"
    if suffix == ".xlsx":
        book = Workbook()
        sheet = book.active
        assert sheet is not None
        for row in [frame.columns, *frame.rows()]:
            sheet.append(list(row))
        book.save(path)
    else:
        {".jsonl": frame.write_ndjson, ".parquet": frame.write_parquet}[suffix](path)
    table = open_table(path)
    with pytest.raises(InputError, match="has a cell longer than") as refused:
        table.head(10)
    assert "Zebedee" not in str(refused.value)
