"""Tables: streaming aggregation, margins, statistics, rounding and perturbation."""

from __future__ import annotations

import itertools
import json
from pathlib import Path

import numpy as np
import polars as pl
import pytest

from community_insights.safety.disclosure import (
    DisclosureError,
    DisclosureRules,
    protect_table,
    write_protected_table,
)
from community_insights.safety.disclosure.tables import aggregate, build_cube
from community_insights.safety.types import to_jsonable


def people(n: int = 2000, seed: int = 7) -> pl.DataFrame:
    rng = np.random.default_rng(seed)
    return pl.DataFrame(
        {
            "ward": rng.choice(["Abbey", "Bridge", "Castle"], n, p=[0.5, 0.45, 0.05]).tolist(),
            "sex": rng.choice(["F", "M"], n).tolist(),
            "band": rng.choice(["0-17", "18-64", "65+"], n, p=[0.2, 0.7, 0.1]).tolist(),
            "need": rng.choice(["food", "fuel", "rent"], n).tolist(),
            "amount": rng.integers(0, 500, n).tolist(),
        }
    )


def test_streaming_batches_give_the_same_table_as_one_pass() -> None:
    frame = people()
    whole = build_cube(aggregate(frame, ["ward", "band"], statistic="sum", value="amount"))
    parts = build_cube(aggregate(frame, ["ward", "band"], statistic="sum", value="amount", batch_rows=37))
    np.testing.assert_array_equal(whole.rows, parts.rows)
    np.testing.assert_allclose(whole.total, parts.total)
    np.testing.assert_allclose(whole.top, parts.top)


def test_margins_and_grand_total_are_true_totals() -> None:
    frame = people()
    cube = build_cube(aggregate(frame, ["ward", "sex", "band"]))
    assert cube.rows[-1, -1, -1] == frame.height
    expected = frame.group_by("ward").len().sort("ward")["len"].to_list()
    assert cube.rows[:-1, -1, -1].tolist() == expected
    # every total equals the sum of what it covers, on every axis
    for axis in range(3):
        inner = np.take(cube.rows, range(cube.shape[axis] - 1), axis=axis).sum(axis=axis)
        np.testing.assert_array_equal(np.take(cube.rows, cube.shape[axis] - 1, axis=axis), inner)


def test_top_contributors_of_margins() -> None:
    frame = pl.DataFrame({"g": ["a", "a", "b", "b"], "v": [5.0, -7.0, 3.0, 1.0]})
    cube = build_cube(aggregate(frame, ["g"], statistic="sum", value="v"))
    assert cube.top[-1].tolist() == [7.0, 5.0]  # absolute values
    assert cube.abs_total[-1] == 16.0 and cube.total[-1] == 2.0
    assert not cube.all_non_negative


def test_four_way_table_is_protected() -> None:
    table = protect_table(people(), by=["ward", "sex", "band", "need"])
    assert table.metadata.cells == 4 * 3 * 4 * 4
    assert table.metadata.audit["all_protected"]
    assert all(c.value is None or not 1 <= c.value < 10 for c in table.cells)


@pytest.mark.parametrize("statistic", ["mean", "median"])
def test_means_and_medians_need_a_minimum_count(statistic: str) -> None:
    frame = people()
    table = protect_table(frame, by=["ward"], statistic=statistic, value="amount")  # type: ignore[arg-type]
    castle = frame.filter(pl.col("ward") == "Castle")
    counts = frame.group_by("ward").len()
    assert counts["len"].min() >= 10  # every ward has ten or more values: nothing hidden by the count rule
    expected = castle["amount"].mean() if statistic == "mean" else castle["amount"].median()
    cell = table.cell(ward="Castle")
    if cell.value is not None:
        assert cell.value == pytest.approx(expected)
    small = frame.head(5)
    few = protect_table(small, by=["ward"], statistic=statistic, value="amount", rules=DisclosureRules())  # type: ignore[arg-type]
    assert all(c.mark == "[c]" for c in few.cells)
    assert few.metadata.min_count == 10


def test_medians_are_exact_across_batches() -> None:
    frame = people()
    table = protect_table(frame, by=["sex"], statistic="median", value="amount", batch_rows=101)
    assert table.cell().value == pytest.approx(float(frame["amount"].median()))
    assert table.cell(sex="F").value == pytest.approx(float(frame.filter(pl.col("sex") == "F")["amount"].median()))


def test_money_text_is_understood_and_empty_cells_are_not_values() -> None:
    frame = pl.DataFrame({"g": ["a"] * 12, "v": ["£1,000", "1,200", "", None, *["900"] * 8]})
    table = protect_table(frame, by=["g"], statistic="mean", value="v", threshold=10)
    assert table.cell(g="a").value == pytest.approx(9400.0 / 10)


def test_rounding_rounds_totals_independently() -> None:
    frame = pl.DataFrame({"g": ["a"] * 12 + ["b"] * 13 + ["c"] * 14})
    table = protect_table(frame, by=["g"], method="rounding", rounding_base=5)
    assert [c.value for c in table.cells] == [10, 15, 15, 40]  # 12→10, 13→15, 14→15, total 39→40
    assert "rounded independently" in table.metadata.note
    assert table.metadata.rounding_base == 5
    ten = protect_table(frame, by=["g"], method="rounding", rounding_base=10)
    assert [c.value for c in ten.cells] == [10, 10, 10, 40]


def test_perturbation_is_keyed_repeatable_and_labelled() -> None:
    frame = pl.DataFrame({"g": list(itertools.chain.from_iterable([[f"g{i}"] * (i + 1) for i in range(12)]))})
    key = b"k" * 32
    first = protect_table(frame, by=["g"], method="perturbation", perturbation_key=key)
    again = protect_table(frame, by=["g"], method="perturbation", perturbation_key=key)
    assert [c.value for c in first.cells] == [c.value for c in again.cells]
    inner = [c.value for c in first.cells if not c.is_total]
    assert all(v is not None and v >= 0 for v in inner)
    assert sum(inner) == first.cell().value  # type: ignore[arg-type]
    assert [c.value for c in first.cells][9:12] == [10, 11, 12]  # counts at or above the threshold untouched
    assert "changed slightly at random" in first.metadata.note
    with pytest.raises(DisclosureError):
        protect_table(frame, by=["g"], method="perturbation")


def test_published_json_has_no_analyst_detail(tmp_path: Path) -> None:
    frame = people()
    table = protect_table(frame, by=["ward", "band"])
    assert table.explain(), "this table should hide something"
    data = table.to_jsonable()
    assert data == to_jsonable(table)
    text = json.dumps(data)
    assert "threshold rule)" not in text and "reason" not in text
    path = tmp_path / "t.json"
    assert write_protected_table(table, path) == [path]
    assert json.loads(path.read_text(encoding="utf-8")) == data


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"by": []}, "between one and four"),
        ({"by": ["ward", "ward"]}, "only once"),
        ({"by": ["a", "b", "c", "d", "e"]}, "between one and four"),
        ({"by": ["ward"], "statistic": "sum"}, "needs a value column"),
        ({"by": ["ward"], "statistic": "sum", "value": "ward"}, "cannot also be"),
        ({"by": ["ward"], "statistic": "mean", "value": "amount", "method": "rounding"}, "Rounding"),
    ],
)
def test_bad_requests_raise_one_plain_sentence(kwargs: dict, message: str) -> None:  # type: ignore[type-arg]
    with pytest.raises(DisclosureError, match=message):
        protect_table(people(50), **kwargs)


def test_too_many_cells_is_refused() -> None:
    frame = pl.DataFrame({"a": [str(i) for i in range(400)], "b": [str(i) for i in range(400)]})
    with pytest.raises(DisclosureError, match="cells"):
        protect_table(frame, by=["a", "b"], max_cells=10_000)


def test_reads_files_through_the_shared_reader(tmp_path: Path) -> None:
    path = tmp_path / "data.csv"
    people(300).write_csv(path)
    table = protect_table(path, by=["ward"])
    assert table.cell().value == 300
