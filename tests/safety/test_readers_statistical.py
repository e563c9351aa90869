"""Stata (.dta) and SPSS (.sav) files are read in batches, with value labels, or refused in one sentence."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pyreadstat
import pytest

from community_insights.safety import InputError, open_table, protect_table


@pytest.fixture
def frame() -> pd.DataFrame:
    return pd.DataFrame(
        {"ward": ["Castle", "Abbey", "Riverside"] * 10, "sex": [1.0, 2.0, 1.0] * 10, "hours": [1.5, 2.0, 3.5] * 10}
    )


def test_a_stata_file_is_read_in_batches(tmp_path: Path, frame: pd.DataFrame) -> None:
    path = tmp_path / "visits.dta"
    pyreadstat.write_dta(frame, str(path))
    table = open_table(path)
    assert table.format == "dta" and table.columns == ["ward", "sex", "hours"] and table.row_count() == 30
    batches = list(table.iter_batches(batch_rows=7))
    assert [b.height for b in batches] == [7, 7, 7, 7, 2]
    assert batches[0]["ward"].to_list()[:3] == ["Castle", "Abbey", "Riverside"]


def test_an_spss_file_reads_its_value_labels(tmp_path: Path, frame: pd.DataFrame) -> None:
    path = tmp_path / "visits.sav"
    pyreadstat.write_sav(frame, str(path), variable_value_labels={"sex": {1.0: "Female", 2.0: "Male"}})
    table = open_table(path)
    assert table.format == "sav"
    first = next(table.iter_batches())
    assert first["sex"].to_list()[:3] == ["Female", "Male", "Female"]  # as the analyst sees it in SPSS
    protected = protect_table(path, by=["sex"], statistic="mean", value="hours")
    assert protected.levels["sex"] == ["Female", "Male"]


def test_a_file_named_like_stata_that_is_not_one_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "visits.dta"
    path.write_text("ward,hours\nCastle,1\n", encoding="utf-8")
    with pytest.raises(InputError, match="named like a Stata file but is not one"):
        open_table(path)


def test_a_damaged_spss_file_is_one_sentence(tmp_path: Path, frame: pd.DataFrame) -> None:
    path = tmp_path / "visits.sav"
    pyreadstat.write_sav(frame, str(path))
    path.write_bytes(path.read_bytes()[:200])
    with pytest.raises(InputError, match=r"The SPSS file visits\.sav is damaged and cannot be read\."):
        list(open_table(path).iter_batches())
