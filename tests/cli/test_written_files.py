"""Every command's written files: never over an input, and formula-safe unless asked otherwise."""

from __future__ import annotations

import csv
from pathlib import Path

import polars as pl
import pytest
from typer.testing import CliRunner

from community_insights.cli import app
from community_insights.safety import sample_boundaries_path

runner = CliRunner()


def invoke(*args: str | Path) -> tuple[int, str]:
    result = runner.invoke(app, [str(a) for a in args])
    return result.exit_code, result.stdout + result.stderr


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    rows = 40
    pl.DataFrame(
        {
            "case_id": [f"CASE-{i:05d}" for i in range(rows)],
            "ward": [['=HYPERLINK("http://x")', "Abbey", "+cmd|calc"][i % 3] for i in range(rows)],
            "service": [["food", "debt"][i % 2] for i in range(rows)],
        }
    ).write_csv(tmp_path / "in.csv")
    code, out = invoke("plan", tmp_path / "in.csv", "-o", tmp_path / "plan.yaml", "--reference-date", "2025-01-31")
    assert code == 0, out
    (tmp_path / "k.key").write_text("00" * 32 + "\n", encoding="ascii")
    (tmp_path / "k.key").chmod(0o600)
    # Inputs named like outputs, so only the path and inode check can stop a chart or map replacing them.
    (tmp_path / "in.html").write_bytes((tmp_path / "in.csv").read_bytes())
    (tmp_path / "wards.html").write_bytes(sample_boundaries_path().read_bytes())
    (tmp_path / "near.svg").write_text('{"Abbey": ["Castle"]}', encoding="utf-8")
    (tmp_path / "areas.csv").write_text("ward\n" + "Abbey\nCastle\n" * 20, encoding="utf-8")
    return tmp_path


CASES = {
    "check -o input": ["check", "{in}", "-o", "{in}"],
    "check --findings input": ["check", "{in}", "--findings", "{in}"],
    "check -o through a link": ["check", "{in}", "-o", "{link}"],
    "check -o same as findings": ["check", "{in}", "-o", "{d}/r.json", "--findings", "{d}/r.json"],
    "plan -o input": ["plan", "{in}", "-o", "{in}", "--force"],
    "redact -o input": ["redact", "{in}", "--plan", "{d}/plan.yaml", "-o", "{in}"],
    "redact -o plan": ["redact", "{in}", "--plan", "{d}/plan.yaml", "-o", "{d}/plan.yaml"],
    "redact --report input": ["redact", "{in}", "--plan", "{d}/plan.yaml", "-o", "{d}/s.csv", "--report", "{in}"],
    "redact --report key": [
        "redact", "{in}", "--plan", "{d}/plan.yaml", "--key-file", "{d}/k.key", "-o", "{d}/s.csv",
        "--report", "{d}/k.key",
    ],
    "table -o input": ["table", "{in}", "--by", "service", "--count", "-o", "{in}"],
    "chart -o input": ["chart", "{d}/in.html", "--by", "service", "--count", "-o", "{d}/in.html"],
    "map -o input": [
        "map", "{d}/in.html", "--area", "ward", "--boundaries", "{d}/wards.html", "--count", "-o", "{d}/in.html",
    ],
    "map -o boundaries": [
        "map", "{d}/areas.csv", "--area", "ward", "--boundaries", "{d}/wards.html", "--count", "-o", "{d}/wards.html",
    ],
    "map -o neighbours": [
        "map", "{d}/areas.csv", "--area", "ward", "--boundaries", "{d}/wards.html", "--neighbours", "{d}/near.svg",
        "--count", "-o", "{d}/near.svg",
    ],
}  # fmt: skip


@pytest.mark.parametrize("case", CASES)
def test_no_command_writes_over_an_input(folder: Path, case: str) -> None:
    source = folder / "in.csv"
    (folder / "link.csv").symlink_to(source)
    before = {p.name: p.read_bytes() for p in folder.iterdir() if p.is_file()}
    args = [a.format(**{"in": source, "d": folder, "link": folder / "link.csv"}) for a in CASES[case]]
    code, out = invoke(*args)
    assert code == 2, out
    assert "Traceback" not in out and len(out.strip().splitlines()) == 1, out
    after = {p.name: p.read_bytes() for p in folder.iterdir() if p.is_file()}
    assert after == before


def test_table_notes_file_may_not_replace_the_input(folder: Path) -> None:
    """``-o in.csv`` for a table read from ``in.notes.txt`` would replace it with the notes."""

    data = folder / "t.notes.txt"
    data.write_bytes((folder / "in.csv").read_bytes())
    code, out = invoke("table", "--by", "service", "--count", "-o", folder / "t.csv", data)
    assert code == 2 and "also an input" in out
    assert data.read_bytes() == (folder / "in.csv").read_bytes()


def _cells(path: Path) -> list[str]:
    with open(path, newline="", encoding="utf-8") as handle:
        return [cell for row in csv.reader(handle) for cell in row]


def test_safe_copy_and_table_escape_formulas_by_default(folder: Path) -> None:
    source = folder / "in.csv"
    plan = folder / "plan.yaml"
    code, out = invoke("redact", source, "--plan", plan, "--key-file", folder / "k.key", "-o", folder / "safe.csv")
    assert code == 0, out
    code, out = invoke("table", source, "--by", "ward", "--count", "--threshold", "1", "-o", folder / "t.csv")
    assert code == 0, out
    for written in (folder / "safe.csv", folder / "t.csv"):
        cells = _cells(written)
        assert not [c for c in cells if c[:1] in "=+-@"], written.name
    assert '\'=HYPERLINK("http://x")' in _cells(folder / "t.csv")


def test_no_formula_escape_keeps_cells_for_machines(folder: Path) -> None:
    source = folder / "in.csv"
    args = ["--by", "ward", "--count", "--threshold", "1", "--no-formula-escape", "-o", folder / "t.csv"]
    code, out = invoke("table", source, *args)
    assert code == 0, out
    assert '=HYPERLINK("http://x")' in _cells(folder / "t.csv")
