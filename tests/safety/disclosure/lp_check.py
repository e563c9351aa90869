"""An intruder's view of a published table, written independently of the engine.

Given the published cells (figures and ``[c]`` marks), the test builds the
table's linear system itself — every total equals the sum of the cells it
covers, every hidden cell is non-negative — and asks scipy's LP solver for the
smallest and largest value each hidden cell could take. Nothing here calls the
code under test.
"""

from __future__ import annotations

import itertools
from collections.abc import Mapping, Sequence

import numpy as np
from scipy.optimize import linprog

Key = tuple[str | None, ...]


def all_keys(levels: Sequence[Sequence[str]]) -> list[Key]:
    """Every cell of a table with margins; ``None`` stands for a total."""

    return list(itertools.product(*[[*lv, None] for lv in levels]))


def equations(levels: Sequence[Sequence[str]]) -> list[tuple[Key, list[Key]]]:
    """(total, parts) for every total along every axis."""

    found = []
    for key in all_keys(levels):
        for axis, label in enumerate(key):
            if label is None:
                parts = [(*key[:axis], lab, *key[axis + 1 :]) for lab in levels[axis]]
                found.append((key, parts))
    return found


def feasible_range(
    levels: Sequence[Sequence[str]],
    published: Mapping[Key, float | None],
    target: Key,
    *,
    nonnegative: bool = True,
) -> tuple[float, float]:
    """Min and max of ``target`` over all tables consistent with what is published."""

    hidden = [k for k, v in published.items() if v is None]
    index = {k: i for i, k in enumerate(hidden)}
    rows = []
    rhs = []
    for total, parts in equations(levels):
        row = np.zeros(len(hidden))
        constant = 0.0
        for key, sign in [(total, 1.0), *[(p, -1.0) for p in parts]]:
            value = published[key]
            if value is None:
                row[index[key]] += sign
            else:
                constant -= sign * value
        if np.any(row):
            rows.append(row)
            rhs.append(constant)
        else:
            assert abs(constant) < 1e-6 * max(1.0, abs(published[total] or 0)), "published totals do not add up"
    c = np.zeros(len(hidden))
    c[index[target]] = 1.0
    bounds = (0, None) if nonnegative else (None, None)
    a_eq = np.array(rows) if rows else None
    b_eq = np.array(rhs) if rows else None
    low = linprog(c, A_eq=a_eq, b_eq=b_eq, bounds=bounds, method="highs")
    high = linprog(-c, A_eq=a_eq, b_eq=b_eq, bounds=bounds, method="highs")
    assert low.status in (0, 3) and high.status in (0, 3), "the published system must be feasible"
    lo = low.fun if low.status == 0 else -np.inf
    hi = -high.fun if high.status == 0 else np.inf
    return float(lo), float(hi)
