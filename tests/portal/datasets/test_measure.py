"""Figures counted from the safe copy itself, and the warning when a plan wipes out a column."""

from __future__ import annotations

from pathlib import Path

from community_insights.portal.datasets.measure import measure_file, removal_warnings


def test_figures_are_counted_from_the_written_file(tmp_path: Path) -> None:
    path = tmp_path / "safe.csv"
    path.write_text("ward,ethnicity,notes\nCastle,*,ok\nAbbey,*,\nCastle,*,[NAME] called\n", encoding="utf-8")
    measured = measure_file(path)
    assert measured["rows"] == 3
    assert measured["columns"]["ward"] == {"blank": 0, "suppressed": 0, "distinct": 2, "values": 3}
    assert measured["columns"]["ethnicity"]["suppressed"] == 3 and measured["columns"]["ethnicity"]["values"] == 0
    assert measured["columns"]["notes"]["blank"] == 1


def test_a_column_that_lost_more_than_half_its_values_is_warned_about_with_the_ons_groups(tmp_path: Path) -> None:
    path = tmp_path / "safe.csv"
    path.write_text("ward,ethnicity\nCastle,*\nAbbey,*\nCastle,White\n", encoding="utf-8")
    report = {
        "columns": [{"name": "ward", "values_in": 3}, {"name": "ethnicity", "values_in": 3}],
        "measured": measure_file(path),
    }
    (warning,) = removal_warnings(report)
    assert warning.startswith("ethnicity: 2 of 3 values in the safe copy are blank or * (removed).")
    assert "five ONS high-level groups" in warning and "Mixed or Multiple ethnic groups" in warning
    assert removal_warnings({"columns": report["columns"]}) == [], "no figures from the file, no guess"
