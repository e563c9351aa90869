"""``--sensitive``: any column can be the attribute no group may give away (l-diversity)."""

from __future__ import annotations

from pathlib import Path

import polars as pl
import pytest
from typer.testing import CliRunner

from community_insights.cli import app
from community_insights.safety import CheckOptions, InputError, check_dataset


def _export(tmp_path: Path) -> Path:
    """Age band and ward (quasi-identifiers) and a benefit column the classifier calls 'other'."""

    rows = 240
    path = tmp_path / "benefits.csv"
    pl.DataFrame(
        {
            "age_band": [["18-24", "25-34", "35-49", "50-64"][i % 4] for i in range(rows)],
            "ward": [["Abbey", "Castle", "Heath"][i % 3] for i in range(rows)],
            # In every (age band, ward) group each person gets the same award: the group gives it away.
            "award": [["Standard", "Enhanced", "None", "Standard"][i % 4] for i in range(rows)],
        }
    ).write_csv(path)
    return path


def test_a_named_sensitive_column_is_measured_for_l_diversity(tmp_path: Path) -> None:
    path = _export(tmp_path)
    plain = check_dataset(path, CheckOptions(free_text=False))
    assert "award" not in [d.column for d in plain.mosaic.l_diversity]
    named = check_dataset(path, CheckOptions(free_text=False, sensitive=["award"]))
    diversity = {d.column: d for d in named.mosaic.l_diversity}
    assert diversity["award"].l_min == 1
    assert diversity["award"].groups_with_one_value > 0
    assert any("award" in s and "%" in s for s in named.mosaic.sentences)


def test_a_sensitive_column_that_is_not_in_the_file_is_one_clear_sentence(tmp_path: Path) -> None:
    with pytest.raises(InputError, match=r"The sensitive columns salary are not in the file\."):
        check_dataset(_export(tmp_path), CheckOptions(free_text=False, sensitive=["salary"]))


def test_the_command_line_takes_sensitive_columns(tmp_path: Path) -> None:
    path = _export(tmp_path)
    out = tmp_path / "report.json"
    result = CliRunner().invoke(app, ["check", str(path), "-f", "json", "-o", str(out), "--sensitive", "award"])
    assert result.exit_code in (0, 1), result.output
    assert '"column": "award"' in out.read_text(encoding="utf-8")
