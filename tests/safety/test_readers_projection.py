"""Reading only some columns, and the whole table as one query."""

from __future__ import annotations

from pathlib import Path

import polars as pl

from community_insights.safety.readers import open_table


def test_projected_batches_and_lazy_frame_match_the_full_read(tmp_path: Path) -> None:
    path = tmp_path / "people.csv"
    path.write_text('id,name,ward\n1,"Begum, Amina",North\n2,Kwame,South\n3,Siobhán,\n', encoding="utf-8")
    table = open_table(path)
    full = pl.concat(list(table.iter_batches(2)))
    projected = pl.concat(list(table.iter_batches(2, columns=["ward", "name"])))
    assert projected.columns == ["ward", "name"]
    assert projected.to_dicts() == full.select("ward", "name").to_dicts()
    lazy = table.lazy()
    assert lazy is not None
    assert lazy.collect().to_dicts() == full.to_dicts()


def test_lazy_frame_is_for_delimited_text_only(tmp_path: Path) -> None:
    path = tmp_path / "people.jsonl"
    path.write_text('{"id": 1, "ward": "North"}\n{"id": 2, "ward": "South"}\n', encoding="utf-8")
    table = open_table(path)
    assert table.lazy() is None
    assert [b.columns for b in table.iter_batches(columns=["ward"])] == [["ward"]]
