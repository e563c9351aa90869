"""Small-group suppression: afterwards every group of quasi-identifiers holds at least min_group_size records."""

from __future__ import annotations

import random

import polars as pl
from hypothesis import given, settings
from hypothesis import strategies as st

from community_insights.safety.generalisation import SUPPRESSED
from community_insights.safety.remedies.suppress import (
    GroupCounter,
    apply_suppression,
    group_stats,
    plan_suppression,
)

QIS = ["age", "sector", "ethnicity"]
LADDERS = {"age": "age", "sector": "postcode", "ethnicity": "other"}


def frame(n: int, seed: int) -> pl.DataFrame:
    rng = random.Random(seed)
    return pl.DataFrame(
        {
            "age": [rng.choice(["0-9", "10-19", "30-39", "40-49", "70-79", "90+", None]) for _ in range(n)],
            "sector": [rng.choice(["SW1A 1", "SW1A 2", "NW1 6", "E1 7", "E17 4", "N1 9"]) for _ in range(n)],
            "ethnicity": [rng.choice(["White British", "Asian", "Black", "Mixed", "Other"]) for _ in range(n)],
            "visits": list(range(n)),
        }
    )


def run(df: pl.DataFrame, k: int, method: str, batch: int = 97) -> tuple[pl.DataFrame, object]:
    counter = GroupCounter(QIS, compact_every=3)
    for start in range(0, df.height, batch):
        counter.add(df.slice(start, batch))
    decided = plan_suppression(counter.counts(), QIS, LADDERS, min_group_size=k, method=method)
    parts = [apply_suppression(df.slice(s, batch), QIS, decided.mapping)[0] for s in range(0, df.height, batch)]
    return pl.concat(parts), decided


def smallest_group(df: pl.DataFrame) -> int:
    return int(df.group_by(QIS).len()["len"].min())  # type: ignore[arg-type]


@settings(max_examples=25, deadline=None)
@given(n=st.integers(30, 1500), seed=st.integers(0, 10_000), k=st.integers(2, 25))
def test_generalise_leaves_no_group_below_k(n: int, seed: int, k: int) -> None:
    df = frame(n, seed)
    out, decided = run(df, k, "generalise")
    assert out.height + decided.records_removed == n  # type: ignore[attr-defined]
    if out.height:
        assert smallest_group(out) >= k
        assert decided.after.k == smallest_group(out)  # type: ignore[attr-defined]
    # Only quasi-identifiers change, and rows keep their order.
    kept = df.filter(pl.col("visits").is_in(out["visits"].implode()))
    assert out["visits"].to_list() == kept["visits"].to_list()


@settings(max_examples=25, deadline=None)
@given(n=st.integers(1, 800), seed=st.integers(0, 10_000), k=st.integers(2, 25))
def test_remove_drops_exactly_the_small_groups(n: int, seed: int, k: int) -> None:
    df = frame(n, seed)
    out, decided = run(df, k, "remove")
    sizes = df.group_by(QIS).len()
    small = int(sizes.filter(pl.col("len") < k)["len"].sum())
    assert decided.records_removed == small  # type: ignore[attr-defined]
    assert out.height == n - small
    if out.height:
        assert smallest_group(out) >= k
        assert out.drop("visits").equals(df.filter(pl.col("visits").is_in(out["visits"].implode())).drop("visits"))


def test_large_groups_are_left_alone_and_small_ones_coarsened_step_by_step() -> None:
    rows = [("30-39", "SW1A 1", "Asian")] * 12 + [("30-39", "SW1A 2", "Asian")] * 4 + [("30-39", "SW1A 3", "Asian")] * 7
    df = pl.DataFrame(rows, schema=QIS, orient="row").with_row_index("visits")
    out, decided = run(df, 10, "generalise", batch=5)
    assert out.filter(pl.col("sector") == "SW1A 1").height == 12
    # The 11 records of the two small sectors climb to the district together, nothing more.
    coarse = out.filter(pl.col("sector") != "SW1A 1")
    assert set(coarse["sector"]) == {"SW1A"} and set(coarse["age"]) == {"30-39"}
    assert decided.records_generalised == 11 and decided.records_removed == 0  # type: ignore[attr-defined]


def test_a_lonely_record_is_removed_when_suppressing_everything_is_not_enough() -> None:
    df = pl.DataFrame([("30-39", "SW1A 1", "Asian")] * 10 + [("90+", "E1 7", "Other")], schema=QIS, orient="row")
    out, decided = run(df.with_row_index("visits"), 10, "generalise")
    assert decided.records_removed == 1 and out.height == 10  # type: ignore[attr-defined]
    assert SUPPRESSED not in out["ethnicity"].to_list()


def test_group_stats() -> None:
    counter = GroupCounter(["a"])
    counter.add(pl.DataFrame({"a": ["x"] * 12 + ["y"] * 3 + [None] * 2}))
    stats = group_stats(counter.counts(), 10)
    assert (stats.k, stats.groups, stats.records, stats.groups_below, stats.records_below) == (2, 3, 17, 2, 5)
