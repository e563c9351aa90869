"""Property tests: random tables never reveal a small cell, directly or by subtraction.

For every generated table the test recomputes the true figures with polars,
reads only the *published* table, and attacks it with its own linear
programme (``lp_check``): each primary-suppressed cell must have a feasible
range of width > 0 (and, with the default protection, a range reaching the
threshold), visible figures must be true, and totals must agree with what is
shown.
"""

from __future__ import annotations

import itertools

import numpy as np
import polars as pl
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from community_insights.safety.disclosure import DisclosureRules, protect_table
from tests.safety.disclosure.lp_check import Key, all_keys, equations, feasible_range

LABELS = "abcd"
SETTINGS = settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@st.composite
def count_tables(draw: st.DrawFn) -> tuple[list[list[str]], dict[Key, int]]:
    """A 1-, 2- or 3-way table of small and large counts (inner cells only)."""

    ndim = draw(st.integers(1, 3))
    sizes = [draw(st.integers(1, 4 if ndim < 3 else 3)) for _ in range(ndim)]
    levels = [[f"{LABELS[d]}{i}" for i in range(n)] for d, n in enumerate(sizes)]
    small_or_large = st.one_of(st.integers(0, 12), st.integers(10, 40))
    counts = {key: draw(small_or_large) for key in itertools.product(*levels)}
    return levels, counts


def frame_from_counts(levels: list[list[str]], counts: dict[Key, int]) -> pl.DataFrame:
    columns: dict[str, list[str]] = {f"v{d}": [] for d in range(len(levels))}
    for key, n in counts.items():
        for d, label in enumerate(key):
            columns[f"v{d}"].extend([str(label)] * n)
    return pl.DataFrame(columns, schema={name: pl.Utf8 for name in columns})


def true_with_margins(levels: list[list[str]], counts: dict[Key, float]) -> dict[Key, float]:
    truth: dict[Key, float] = {}
    for key in all_keys(levels):
        truth[key] = sum(
            v for inner, v in counts.items() if all(k is None or k == i for k, i in zip(key, inner, strict=True))
        )
    return truth


def published_values(table, by: list[str]) -> dict[Key, float | None]:  # type: ignore[no-untyped-def]
    return {tuple(cell.categories[name] for name in by): cell.value for cell in table.cells}


def observed(levels: list[list[str]], counts: dict[Key, int]) -> list[list[str]]:
    """Levels that occur in the data (an all-zero category is not in the file)."""

    return [[lab for lab in lv if any(n for key, n in counts.items() if key[d] == lab)] for d, lv in enumerate(levels)]


def check_published_counts(
    levels: list[list[str]], counts: dict[Key, int], table, threshold: int, *, reach_threshold: bool
) -> None:  # type: ignore[no-untyped-def]
    by = table.by
    seen = observed(levels, counts)
    kept = {k: v for k, v in counts.items() if all(k[d] in seen[d] for d in range(len(k)))}
    truth = true_with_margins(seen, kept)
    published = published_values(table, by)
    assert set(published) == set(truth)
    for key, value in published.items():
        if value is None:
            continue
        assert value == truth[key], "a visible figure must be the true figure"
        assert not 1 <= value < threshold, "no visible cell may be below the threshold"
    for total, parts in equations(seen):
        shown = [published[p] for p in parts]
        if published[total] is None:
            continue
        if all(v is not None for v in shown):
            assert sum(shown) == published[total]  # type: ignore[arg-type]
        else:
            assert sum(v for v in shown if v is not None) <= published[total]  # type: ignore[operator]
    for key, value in truth.items():
        if 1 <= value < threshold:
            assert published[key] is None
            lo, hi = feasible_range(seen, published, key)
            assert hi - lo > 1e-6, f"hidden cell {key} can be worked out exactly"
            assert lo - 1e-6 <= value <= hi + 1e-6
            if reach_threshold:
                assert hi >= threshold - 1e-6, "the published figures must allow the cell to be at the threshold"


@SETTINGS
@given(count_tables(), st.sampled_from([3, 5, 10]))
def test_counts_are_protected_against_differencing(table_spec, threshold: int) -> None:
    levels, counts = table_spec
    if not any(counts.values()):
        return
    frame = frame_from_counts(levels, counts)
    table = protect_table(frame, by=list(frame.columns), threshold=threshold)
    check_published_counts(levels, counts, table, threshold, reach_threshold=True)
    assert table.metadata.audit["all_protected"] is True
    hidden = sum(1 for c in table.cells if c.value is None)
    assert hidden == table.metadata.hidden == sum(table.metadata.hidden_by_rule.values())


@SETTINGS
@given(count_tables())
def test_minimal_protection_still_stops_exact_recovery(table_spec) -> None:
    levels, counts = table_spec
    if not any(counts.values()):
        return
    frame = frame_from_counts(levels, counts)
    rules = DisclosureRules(count_protection="minimal")
    table = protect_table(frame, by=list(frame.columns), rules=rules)
    check_published_counts(levels, counts, table, 10, reach_threshold=False)


@SETTINGS
@given(count_tables())
def test_hidden_zeros_cannot_be_recovered(table_spec) -> None:
    levels, counts = table_spec
    if not any(counts.values()):
        return
    frame = frame_from_counts(levels, counts)
    table = protect_table(frame, by=list(frame.columns), rules=DisclosureRules(hide_zeros=True))
    seen = observed(levels, counts)
    kept = {k: v for k, v in counts.items() if all(k[d] in seen[d] for d in range(len(k)))}
    truth = true_with_margins(seen, kept)
    published = published_values(table, table.by)
    for key, value in truth.items():
        if value == 0:
            assert published[key] is None
            lo, hi = feasible_range(seen, published, key)
            assert hi - lo > 1e-6


@st.composite
def magnitude_tables(draw: st.DrawFn) -> pl.DataFrame:
    """Rows with two grouping columns and a non-negative amount, some dominated."""

    n_a = draw(st.integers(1, 3))
    n_b = draw(st.integers(1, 3))
    rows = {"a": [], "b": [], "amount": []}  # type: ignore[var-annotated]
    for i, j in itertools.product(range(n_a), range(n_b)):
        size = draw(st.sampled_from([0, 2, 5, 12, 15]))
        amounts = draw(st.lists(st.integers(1, 50), min_size=size, max_size=size))
        if amounts and draw(st.booleans()):
            amounts[0] = draw(st.integers(500, 5000))  # a dominant contributor
        rows["a"] += [f"a{i}"] * size
        rows["b"] += [f"b{j}"] * size
        rows["amount"] += amounts
    return pl.DataFrame(rows, schema={"a": pl.Utf8, "b": pl.Utf8, "amount": pl.Int64})


@settings(max_examples=20, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(magnitude_tables())
def test_sums_hide_small_and_dominated_cells_safely(frame: pl.DataFrame) -> None:
    if frame.height == 0:
        return
    table = protect_table(frame, by=["a", "b"], statistic="sum", value="amount")
    levels = [table.levels["a"], table.levels["b"]]
    published = published_values(table, ["a", "b"])
    for key in all_keys(levels):
        mask = pl.lit(True)
        for name, label in zip(["a", "b"], key, strict=True):
            if label is not None:
                mask = mask & (pl.col(name) == label)
        cell = frame.filter(mask)["amount"].to_numpy().astype(float)
        value = float(cell.sum())
        top = np.sort(cell)[::-1]
        x1 = top[0] if top.size else 0.0
        x2 = top[1] if top.size > 1 else 0.0
        sensitive = (
            (1 <= cell.size < 10)
            or (cell.size and (value - x1 - x2) < 0.1 * x1)
            or (value > 0 and x1 + x2 > 0.9 * value)
        )
        if sensitive:
            assert published[key] is None, f"{key} should be hidden"
            lo, hi = feasible_range(levels, published, key)
            assert hi - lo > 1e-6, f"hidden total {key} can be worked out exactly"
        elif published[key] is not None:
            assert abs(published[key] - value) < 1e-9  # type: ignore[operator]
