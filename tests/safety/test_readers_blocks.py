"""Delimited text read in blocks of whole records gives the rows one Polars query over the whole file gives.

Why: the check and safe copies read files block by block so that memory stays flat; a
block cut inside a quoted cell, a doubled quote or a CRLF would split or merge records.
"""

from __future__ import annotations

from pathlib import Path

import polars as pl
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from community_insights.safety.readers import blocks, open_table

_CELLS = ["a", "Zoë", '"x,y"', '"line\nbreak"', '"say ""hi"""', "", '"cr\r\nlf"', "£5"]


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    cells=st.lists(st.sampled_from(_CELLS), min_size=3, max_size=90),
    block=st.integers(min_value=1, max_value=40),
    crlf=st.booleans(),
    width=st.integers(min_value=2, max_value=4),
)
def test_any_block_size_gives_the_rows_of_the_whole_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, cells: list[str], block: int, crlf: bool, width: int
) -> None:
    end = "\r\n" if crlf else "\n"
    rows = [cells[i : i + width] for i in range(0, len(cells) - width + 1, width)]
    body = ",".join(f"h{i}" for i in range(width)) + end + "".join(",".join(r) + end for r in rows)
    path = tmp_path / f"b-{abs(hash((body, block)))}.csv"
    path.write_text(body, encoding="utf-8", newline="")
    table = open_table(path)
    lazy = table.lazy()
    assert lazy is not None
    whole = lazy.collect()
    monkeypatch.setattr(blocks, "BLOCK_BYTES", block)
    cut = list(table.text_batches(7))
    got = pl.concat(cut) if cut else whole.clear()
    assert got.equals(whole)
    assert all(b.height == 7 for b in cut[:-1])  # batches of the size asked for, the last may be shorter
    assert table.head(5).equals(whole.head(5))
    path.unlink()
