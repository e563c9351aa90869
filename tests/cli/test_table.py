"""``insights table``: a thin twin of protect_table, with files written atomically."""

from __future__ import annotations

import json
import random
from pathlib import Path

import pytest
from openpyxl import load_workbook
from typer.testing import CliRunner

from community_insights.cli import app

runner = CliRunner()


@pytest.fixture
def referrals(tmp_path: Path) -> Path:
    rnd = random.Random(2)
    path = tmp_path / "referrals.csv"
    lines = ["ward,age_band,hours"]
    for _ in range(300):
        ward = rnd.choices(["Abbey", "Bridge", "Castle", "Dock"], [5, 4, 3, 0.3])[0]
        band = rnd.choices(["18-29", "30-49", "50-64", "65+"], [4, 4, 2, 0.5])[0]
        lines.append(f"{ward},{band},{rnd.randint(1, 20)}")
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def test_count_table_on_screen_and_in_json(referrals: Path, tmp_path: Path) -> None:
    out = tmp_path / "table.json"
    result = runner.invoke(app, ["table", str(referrals), "--by", "ward,age_band", "--count", "--output", str(out)])
    assert result.exit_code == 0, result.output
    assert "[c]" in result.output and "Total" in result.output
    data = json.loads(out.read_text(encoding="utf-8"))
    assert data["metadata"]["threshold"] == 10
    assert data["metadata"]["hidden_by_rule"]["threshold"] >= 1
    for cell in data["cells"]:
        assert cell["value"] is None or not 1 <= cell["value"] < 10
    assert not list(tmp_path.glob(".*.tmp"))


def test_explain_goes_to_the_screen_never_the_file(referrals: Path, tmp_path: Path) -> None:
    out = tmp_path / "table.csv"
    args = ["table", str(referrals), "--by", "ward,age_band", "--count", "--output", str(out), "--explain"]
    result = runner.invoke(app, args)
    assert result.exit_code == 0, result.output
    assert "(threshold rule)" in result.output and "hidden so that" in result.output
    written = out.read_text(encoding="utf-8") + (tmp_path / "table.notes.txt").read_text(encoding="utf-8")
    # Which cells are primary (1-9 people) and which secondary must not leave the screen.
    assert "(threshold rule)" not in written and "the other hidden cells" not in written
    assert written.startswith("ward,age_band,count\n")
    assert "[c]" in written


def test_xlsx_has_table_and_notes(referrals: Path, tmp_path: Path) -> None:
    out = tmp_path / "table.xlsx"
    result = runner.invoke(app, ["table", str(referrals), "--by", "ward", "--mean", "hours", "--output", str(out)])
    assert result.exit_code == 0, result.output
    book = load_workbook(out)
    assert book.sheetnames == ["Table", "Notes"]
    rows = list(book["Table"].values)
    assert rows[0] == ("ward", "mean of hours")
    assert any(r[1] == "[c]" for r in rows[1:])


def test_rounding_option(referrals: Path, tmp_path: Path) -> None:
    out = tmp_path / "rounded.json"
    result = runner.invoke(
        app, ["table", str(referrals), "--by", "ward,age_band", "--count", "--round", "5", "-o", str(out)]
    )
    assert result.exit_code == 0, result.output
    data = json.loads(out.read_text(encoding="utf-8"))
    assert data["metadata"]["rounding_base"] == 5
    assert all(c["value"] is None or c["value"] % 5 == 0 for c in data["cells"])
    assert "rounded independently" in data["metadata"]["note"]


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--by", "nope", "--count"], "no column called 'nope'"),
        (["--by", "ward"], "Choose exactly one"),
        (["--by", "ward", "--count", "--sum", "hours"], "Choose exactly one"),
        (["--by", "ward,age_band", "--mean", "hours", "--round", "5"], "Rounding protects counts and sums"),
        (["--by", "ward", "--count", "--round", "3"], "--round takes 5 or 10"),
        (["--by", "ward", "--sum", "ward2"], "no column called"),
    ],
)
def test_bad_input_is_one_sentence_and_exit_2(referrals: Path, args: list[str], message: str) -> None:
    result = runner.invoke(app, ["table", str(referrals), *args])
    assert result.exit_code == 2
    assert message in result.output
    assert "Traceback" not in result.output


def test_missing_file_and_bad_output_folder(tmp_path: Path, referrals: Path) -> None:
    result = runner.invoke(app, ["table", str(tmp_path / "absent.csv"), "--by", "a", "--count"])
    assert result.exit_code == 2
    target = tmp_path / "no-such-folder" / "out.csv"
    result = runner.invoke(app, ["table", str(referrals), "--by", "ward", "--count", "-o", str(target)])
    assert result.exit_code == 2
    assert not target.exists()


def test_non_numeric_values_are_refused(tmp_path: Path) -> None:
    path = tmp_path / "bad.csv"
    path.write_text("ward,hours\nA,3\nA,lots\n", encoding="utf-8")
    result = runner.invoke(app, ["table", str(path), "--by", "ward", "--sum", "hours"])
    assert result.exit_code == 2
    assert "not numbers" in result.output
    assert "lots" not in result.output


def test_an_unusable_output_is_refused_before_the_table_is_built(tmp_path: Path) -> None:
    # The data file does not exist: the answer is about the output, so nothing was read.
    missing = str(tmp_path / "missing.csv")
    result = runner.invoke(app, ["table", missing, "--by", "ward", "--count", "--output", str(tmp_path / "t.txt")])
    assert result.exit_code == 2 and "must end in .csv, .xlsx or .json" in result.output
    result = runner.invoke(app, ["table", missing, "--by", "ward", "--count", "-o", str(tmp_path / "no" / "t.csv")])
    assert result.exit_code == 2 and "does not exist" in result.output


def test_the_table_never_overwrites_its_own_data(referrals: Path) -> None:
    before = referrals.read_bytes()
    result = runner.invoke(app, ["table", str(referrals), "--by", "ward", "--count", "--output", str(referrals)])
    assert result.exit_code == 2 and "also an input" in result.output
    assert referrals.read_bytes() == before


def test_the_nhs_preset_shows_hidden_cells_as_a_star(referrals: Path, tmp_path: Path) -> None:
    out = tmp_path / "table.csv"
    result = runner.invoke(app, ["table", str(referrals), "--by", "ward", "--count", "--preset", "nhs", "-o", str(out)])
    assert result.exit_code == 0, result.output
    written = out.read_text(encoding="utf-8") + (tmp_path / "table.notes.txt").read_text(encoding="utf-8")
    assert ",*\n" in written and "[c]" not in written and "Cells marked * are hidden" in written


def test_a_preset_and_a_single_rule_together(referrals: Path) -> None:
    result = runner.invoke(app, ["table", str(referrals), "--by", "ward", "--count", "--preset", "round5"])
    assert result.exit_code == 0 and "rounded to the nearest 5" in result.output
    bad = runner.invoke(app, ["table", str(referrals), "--by", "ward", "--count", "--rule", "colour=red"])
    assert bad.exit_code == 2 and "There is no rule called 'colour'" in bad.output


def test_blank_lines_are_not_counted_as_rows(referrals: Path, tmp_path: Path) -> None:
    """Blank lines (and lines of commas only) are no rows: the table and the safe copy count what the check does."""

    lines = referrals.read_text(encoding="utf-8").splitlines()
    gappy = tmp_path / "gappy.csv"
    gappy.write_text("\n".join([lines[0], "", *lines[1:150], "", ",,", "\r", *lines[150:], "", ""]), encoding="utf-8")
    out = tmp_path / "t.json"
    result = runner.invoke(app, ["table", str(gappy), "--by", "ward", "--count", "--round", "5", "-o", str(out)])
    assert result.exit_code == 0, result.output
    cells = json.loads(out.read_text(encoding="utf-8"))["cells"]
    assert not [c for c in cells if c["categories"]["ward"] is None and not c["is_total"]], "no group of empty rows"
    assert [c["value"] for c in cells if c["is_total"]] == [300]
    plan = tmp_path / "plan.yaml"
    plan.write_text(
        "plan_version: 1\nsource: {file_name: gappy.csv, format: csv, columns: [ward, age_band, hours]}\n"
        "reference_date: 2025-01-31\ncolumns:\n  - {column: ward, action: keep}\n"
        "  - {column: age_band, action: keep}\n  - {column: hours, action: keep}\n",
        encoding="utf-8",
    )
    safe = tmp_path / "safe.csv"
    result = runner.invoke(app, ["redact", str(gappy), "--plan", str(plan), "-o", str(safe)])
    assert result.exit_code == 0, result.output
    assert "300 of 300 records" in result.output
    assert safe.read_text(encoding="utf-8").count("\n") == 301
