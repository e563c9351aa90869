"""Smaller refusals: a pipe as input, a file of column names only, a table by names, a foreign plan or key."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import polars as pl
import pytest
from typer.testing import CliRunner

from community_insights.cli import app

runner = CliRunner()
FIRST = ["Amira", "John", "Sarah", "Mohammed", "Emily", "David", "Grace", "Oliver", "Fatima", "Liam"]
LAST = ["Khan", "Smith", "Jones", "Taylor", "Brown", "Wilson", "Evans", "Patel", "Ahmed", "Walker"]


def invoke(*args: str | Path) -> tuple[int, str]:
    result = runner.invoke(app, [str(a) for a in args])
    return result.exit_code, result.stdout + result.stderr


def _people(path: Path, seed: int) -> Path:
    rows = 60
    pl.DataFrame(
        {
            "client_name": [f"{FIRST[(i * seed) % 10]} {LAST[(i + seed) % 10]}" for i in range(rows)],
            "nhs_number": [f"{943476 + seed:06d}{i:04d}" for i in range(rows)],
            "ward": [f"W{i % 3}" for i in range(rows)],
            "service": [["food", "debt"][i % 2] for i in range(rows)],
        }
    ).write_csv(path)
    return path


@pytest.mark.parametrize("command", ["check", "plan", "table", "redact"])
def test_a_pipe_as_input_is_refused_at_once(tmp_path: Path, command: str) -> None:
    fifo = tmp_path / "data.csv"
    os.mkfifo(fifo)
    extra = {
        "check": [],
        "plan": ["-o", str(tmp_path / "p.yaml")],
        "table": ["--by", "ward", "--count"],
        "redact": ["--plan", str(fifo), "-o", str(tmp_path / "s.csv")],
    }[command]
    code = "from community_insights.cli import main; main()"
    done = subprocess.run(
        [sys.executable, "-c", code, command, str(fifo), *extra], capture_output=True, text=True, timeout=60
    )
    assert done.returncode == 2, done.stderr
    assert "not a regular file" in done.stderr and "Traceback" not in done.stderr
    assert not (tmp_path / "p.yaml").exists() and not (tmp_path / "s.csv").exists()


def test_a_file_of_column_names_only_is_not_safe_to_share(tmp_path: Path) -> None:
    path = tmp_path / "header.csv"
    path.write_text("client_name,ward\n", encoding="utf-8")
    code, out = invoke("check", path)
    assert code == 2
    assert "no rows" in out


def test_a_table_by_names_is_refused_unless_forced(tmp_path: Path) -> None:
    source = _people(tmp_path / "people.csv", 3)
    code, out = invoke("table", source, "--by", "client_name", "--count", "-o", tmp_path / "t.csv")
    assert code == 2 and "direct personal data" in out
    assert "Amira" not in out and not (tmp_path / "t.csv").exists()
    code, out = invoke("table", source, "--by", "ward", "--count")
    assert code == 0, out
    code, out = invoke("table", source, "--by", "client_name", "--count", "--force")
    assert code == 0, out


def test_a_foreign_plan_or_key_is_refused_unless_forced_and_the_report_says_so(tmp_path: Path) -> None:
    planned = _people(tmp_path / "planned.csv", 3)
    other = _people(tmp_path / "other.csv", 7)
    keys = [tmp_path / "a.key", tmp_path / "b.key"]
    for key in keys:
        assert invoke("keygen", key)[0] == 0
    plan = tmp_path / "plan.yaml"
    args = ["--pseudonymise", "nhs_number", "--key-file", keys[0], "--reference-date", "2025-01-31"]
    code, out = invoke("plan", planned, "-o", plan, *args)
    assert code == 0, out
    safe, report = tmp_path / "safe.csv", tmp_path / "report.json"

    code, out = invoke("redact", planned, "--plan", plan, "--key-file", keys[1], "-o", safe)
    assert code == 2 and "not the key this plan was made with" in out and not safe.exists()
    code, out = invoke("redact", other, "--plan", plan, "--key-file", keys[0], "-o", safe)
    assert code == 2 and "made for a different file" in out and not safe.exists()

    code, out = invoke("redact", planned, "--plan", plan, "--key-file", keys[0], "-o", safe, "--report", report)
    assert code == 0, out
    assert json.loads(report.read_text(encoding="utf-8"))["forced"] == []
    forced = ["--force", "--report", report]
    code, out = invoke("redact", other, "--plan", plan, "--key-file", keys[1], "-o", safe, *forced)
    assert code == 0, out
    reasons = json.loads(report.read_text(encoding="utf-8"))["forced"]
    assert any("different file" in r for r in reasons) and any("not the one the plan" in r for r in reasons)
