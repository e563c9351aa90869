"""The first row is judged on the command line: read as a row when it is data, masked when in doubt.

A file exported without its header row must still be checked (its first
record is the first row of data, under the names ``column_1`` …), and a file
whose first row only *may* be a record must never show it: not in the check,
not in the plan written from it, not in the safe copy's report.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from openpyxl import Workbook
from typer.testing import CliRunner

from community_insights.cli import app
from community_insights.safety.readers import open_table

runner = CliRunner()
FIRST = ["Amira", "John", "Sarah", "Mohammed", "Emily", "David", "Grace", "Oliver", "Fatima", "Liam"]
LAST = ["Khan", "Smith", "Jones", "Taylor", "Brown", "Wilson", "Evans", "Patel", "Ahmed", "Walker"]
#: A record where the header should be: a name, an email address, an NHS number, a ward.
RECORD = ["Zebedee Quockerwodger", "zq.secret@example.org", "943 476 5919", "Abbey"]
#: A first row that only may be a record: an unknown name and two words a label could be.
DOUBTFUL = ["Zebedee Quockerwodger", "Abbey", "food"]


def invoke(*args: str | Path) -> tuple[int, str]:
    result = runner.invoke(app, [str(a) for a in args])
    return result.exit_code, result.stdout + result.stderr


def _names(n: int = 60) -> list[str]:
    return [f"{FIRST[i % 10]} {LAST[(i * 3) % 10]}" for i in range(n)]


def _headerless(path: Path) -> Path:
    rows = [f"{name},x{i}@example.org,401 023 2137,Castle" for i, name in enumerate(_names())]
    path.write_text("\n".join([",".join(RECORD), *rows]) + "\n", encoding="utf-8")
    return path


def _doubtful(path: Path) -> Path:
    rows = [f"{name},{['Abbey', 'Castle'][i % 2]},debt" for i, name in enumerate(_names())]
    path.write_text("\n".join([",".join(DOUBTFUL), *rows]) + "\n", encoding="utf-8")
    return path


def _leaks(text: str, values: list[str]) -> list[str]:
    return [v for v in values if v in text]


def test_a_file_without_a_header_row_is_read_with_generated_names(tmp_path: Path) -> None:
    data = _headerless(tmp_path / "referrals.csv")
    table = open_table(data)
    assert table.columns == ["column_1", "column_2", "column_3", "column_4"]
    assert table.row_count() == 61 and table.head(1).row(0)[1] == RECORD[1], "the first row is data"
    assert any("not column names" in p for p in table.problems)

    code, out = invoke("check", data, "--format", "json", "-o", tmp_path / "report.json")
    assert code == 1, out
    report = json.loads((tmp_path / "report.json").read_text(encoding="utf-8"))
    assert [c["name"] for c in report["columns"]] == table.columns
    assert report["source"]["rows"] == 61
    assert any("called column_1, column_2 and so on" in p for p in report["source"]["problems"])
    assert not _leaks(out + (tmp_path / "report.json").read_text(encoding="utf-8"), RECORD[:3])


def test_a_sheet_without_a_header_row_is_read_with_generated_names(tmp_path: Path) -> None:
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = "Zebedee Quockerwodger"
    for row in [RECORD, *([n, f"x{i}@example.org", "401 023 2137", "Castle"] for i, n in enumerate(_names(20)))]:
        sheet.append(row)
    book.save(tmp_path / "referrals.xlsx")
    table = open_table(tmp_path / "referrals.xlsx")
    assert table.columns == ["column_1", "column_2", "column_3", "column_4"]
    assert table.row_count() == 21 and table.head(1).row(0)[0] == RECORD[0]

    code, out = invoke("check", tmp_path / "referrals.xlsx", "--sheet", "Amira Khan")
    assert code == 2 and "no sheet called" in out and "Amira" not in out, "a sheet name is masked like a value"


def test_a_doubtful_first_row_never_shows_in_the_plan_or_the_safe_copys_report(tmp_path: Path) -> None:
    data = _doubtful(tmp_path / "referrals.csv")
    code, out = invoke("plan", data, "-o", tmp_path / "plan.yaml")
    assert code == 0, out
    plan = (tmp_path / "plan.yaml").read_text(encoding="utf-8")
    assert not _leaks(out + plan, ["Zebedee", "Quockerwodger"])
    assert "column: column 1 (Z****** Q************)\n  action: drop" in plan, "the names column is planned away"

    invoke("keygen", tmp_path / "k.key")
    code, out = invoke(
        "redact", data, "--plan", tmp_path / "plan.yaml", "--key-file", tmp_path / "k.key",
        "-o", tmp_path / "safe.csv", "--report", tmp_path / "report.html",
    )  # fmt: skip
    assert code == 0, out
    report = (tmp_path / "report.html").read_text(encoding="utf-8")
    assert not _leaks(out + report, ["Zebedee", "Quockerwodger"])
    safe = (tmp_path / "safe.csv").read_text(encoding="utf-8")
    assert not _leaks(safe, _names()), "the names column was dropped by its masked name"
    assert safe.splitlines()[0] == "column 2 (A****),column 3 (f***)", "the safe copy's names are masked too"


@pytest.mark.parametrize("edit", ["column 9 (x)", "Zebedee Quockerwodger"])
def test_a_refused_plan_names_the_columns_masked(tmp_path: Path, edit: str) -> None:
    data = _doubtful(tmp_path / "referrals.csv")
    invoke("plan", data, "-o", tmp_path / "plan.yaml")
    plan = (tmp_path / "plan.yaml").read_text(encoding="utf-8")
    (tmp_path / "plan.yaml").write_text(plan.replace("column 3 (f***)", edit), encoding="utf-8")
    code, out = invoke("redact", data, "--plan", tmp_path / "plan.yaml", "-o", tmp_path / "safe.csv")
    assert code == 2, out
    assert not _leaks(out, ["Zebedee", "Quockerwodger", "food"])
