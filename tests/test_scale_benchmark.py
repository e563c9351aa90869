"""``benchmarks/scale.py`` still runs: each engine's job in a child, its figures, and the comparison.

Why: the figures in docs/benchmarks/scale.md are made with this script, on files
too large for the test suite; a change to the engine's API or to the script's
options would otherwise be found only by the next person measuring. Here it runs
on a small generated export, on the Polars path only (Spark's side is the
equivalence tests' business), and nothing is timed.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

import pytest

from community_insights.safety.synth import generate_export

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "benchmarks"))
import scale

ROWS = 400


@pytest.fixture(scope="module")
def export(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("scale") / "export.csv"
    generate_export(ROWS, seed=3).frame.write_csv(path)
    return path


def _run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, dict[str, Any], dict[str, Any]]:
    """The script's exit code, its figures, and its one engine's result."""
    code = scale.main(list(argv))
    out = json.loads(capsys.readouterr().out)
    (result,) = out["results"]
    return code, out, result


@pytest.mark.slow
def test_the_structured_check_gives_its_figures_and_the_same_report(
    export: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, result = _run(capsys, str(export), "--engines", "polars", "--no-free-text", "--once")
    assert code == 0 and out["same_report"] is True and out["operation"] == "check"
    assert result["engine"] == "polars" and result["rows"] == ROWS
    assert result["cpu_seconds"] > 0 and result["peak_mib"] > 50  # a Python process with Polars loaded
    assert result["wall_seconds_with_start"] >= result["seconds"]
    assert len(out["load_average_at_start"]) == 3


@pytest.mark.slow
def test_a_safe_copy_is_planned_once_made_and_read_back(export: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, result = _run(capsys, str(export), "--engines", "polars", "--operation", "redact", "--no-free-text")
    assert code == 0 and out["same_copy"] is True
    assert 0 < result["rows"] <= ROWS  # small groups may be removed
    assert not list(export.parent.glob("scale-redact-*"))  # the plan, key and copies are removed


def test_the_safe_copy_is_asked_for_one_way_only(export: Path) -> None:
    with pytest.raises(SystemExit):
        scale.main([str(export), "--redact", "plan.yaml", "--key", "partnership.key"])
