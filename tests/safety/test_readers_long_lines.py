"""A line too long to be a row is refused when the file is opened, before any row is parsed."""

from __future__ import annotations

from pathlib import Path

import pytest

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
