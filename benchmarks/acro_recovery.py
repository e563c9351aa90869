"""Where we hide a cell that ACRO shows: does ACRO's publication leave a hidden cell recoverable?

``acro_comparison.py`` finds that every cell on which we and ACRO differ is a
secondary cell we hide and ACRO shows. Secondary cells exist to stop a hidden
cell being worked out from the published figures, so this script asks, for
each of those tables: from what ACRO publishes, can an intruder work out a
cell ACRO hid? It uses our own audit function (``attacker_bounds``, the LP
the engine runs after every suppression: smallest and largest value each
hidden cell can take, given every published figure, the table's additive
relations and that counts and sums are not negative).

What ACRO publishes, taken at its word:

* **The table alone.** ACRO recomputes a table's totals from the cells it
  shows, so its totals say nothing about the hidden cells: from one table
  alone no hidden cell is bounded above, let alone recoverable. This needs no
  computation and is reported as such.
* **With its own one-, two- and three-way tables.** A researcher who asks
  ACRO for the same breakdown by fewer variables (``acro.crosstab`` of a
  subset, as ACRO's own tests do) gets the true totals of those groups
  wherever ACRO's checks pass them. So the intruder knows every inner cell
  ACRO shows, and each total that ACRO itself shows in the table of the
  remaining variables (not the grand total, which no ACRO table shows: the
  count is a lower bound). These are the margins we publish, and what our
  secondary cells protect.

A cell only we hide is counted as protecting a cell ACRO gives away when it
shares a total (a row of the table's additive relations) with a cell ACRO
hides that the intruder can work out exactly, or pin down more narrowly than
our protection levels allow.

For means, a cell's mean is its sum over its count: it is recoverable when
both are, with the counts known as ACRO's count tables show them.

    PYTHONPATH=src .acro-env/bin/python benchmarks/acro_recovery.py
"""

from __future__ import annotations

import itertools
import logging

import numpy as np
import pandas as pd
from acro_comparison import CASES, LABELS, acro_hidden, ours_hidden, synthetic

from community_insights.safety.disclosure.suppression import attacker_bounds, table_equations

TOTAL = len(LABELS)  # the position of a total on each axis


def values(frame: pd.DataFrame, by: list[str], statistic: str) -> np.ndarray:
    """The true table with all its totals (the last position on each axis), counts or sums."""

    shape = (len(LABELS) + 1,) * len(by)
    table = np.zeros(shape)
    for index in itertools.product(range(len(LABELS) + 1), repeat=len(by)):
        rows = frame
        for axis, position in enumerate(index):
            if position != TOTAL:
                rows = rows[rows[by[axis]] == LABELS[position]]
        table[index] = len(rows) if statistic == "count" else float(rows["depvar"].sum())
    return table


def acro_shows(frame: pd.DataFrame, by: list[str], statistic: str) -> np.ndarray:
    """Which cells ACRO publishes: the inner cells of this table, and each total as its own smaller table shows it."""

    shown = np.ones((len(LABELS) + 1,) * len(by), dtype=bool)
    for kept in itertools.chain.from_iterable(itertools.combinations(range(len(by)), r) for r in range(1, len(by) + 1)):
        hidden = acro_hidden(frame, [by[a] for a in kept], statistic)
        for index in itertools.product(range(len(LABELS) + 1), repeat=len(by)):
            inner = all(index[a] != TOTAL for a in kept) and all(
                index[a] == TOTAL for a in range(len(by)) if a not in kept
            )
            if inner and tuple(LABELS[index[a]] for a in kept) in hidden:
                shown[index] = False
    shown[(TOTAL,) * len(by)] = False  # ACRO has no table of the grand total; the LP may still work it out
    return shown


def exposed(table: np.ndarray, shown: np.ndarray, statistic: str) -> tuple[np.ndarray, np.ndarray]:
    """Hidden cells an intruder works out exactly, and those pinned down more narrowly than our rules allow.

    Our rules (the engine's protection levels, without its extra levels for
    dominated sums, so this undercounts): a hidden count must be able to be
    as large as the threshold (10) and one less than it is; a hidden sum 10%
    either way.
    """

    hidden = ~shown
    targets = np.flatnonzero(hidden.ravel())
    exact = np.zeros(table.size, dtype=bool)
    narrow = np.zeros(table.size, dtype=bool)
    if targets.size:
        value = table.ravel()[targets]
        lo, hi = attacker_bounds(table, hidden, targets=targets, nonnegative=True)
        tol = 1e-6 * np.maximum(1.0, np.abs(value))
        if statistic == "count":
            up, down = np.maximum(1.0, 10 - value), np.minimum(value, 1.0)
        else:
            up = down = np.maximum(1.0, 0.1 * np.abs(value))
        exact[targets] = (hi - lo) <= tol
        narrow[targets] = (hi < value + up - tol) | (lo > value - down + tol) | exact[targets]
    return exact.reshape(table.shape), narrow.reshape(table.shape)


def recoverable(frame: pd.DataFrame, by: list[str], statistic: str) -> tuple[np.ndarray, np.ndarray]:
    """Cells ACRO hides (inner or total) that ACRO's publication gives away: exactly, and at all."""

    if statistic == "mean":
        sums = exposed(values(frame, by, "sum"), acro_shows(frame, by, "mean"), "sum")
        counts_shown = acro_shows(frame, by, "count")
        counts = exposed(values(frame, by, "count"), counts_shown, "count")[0] | counts_shown
        return sums[0] & counts, sums[1] & counts
    return exposed(values(frame, by, statistic), acro_shows(frame, by, statistic), statistic)


def beside(cells: set[tuple[str, ...]], found: np.ndarray) -> int:
    """How many of ``cells`` share a total (a row of the table's relations) with a cell in ``found``."""

    equations = table_equations(found.shape).tocsr()
    found_flat = np.flatnonzero(found.ravel())
    near = 0
    for key in cells:
        cell = int(np.ravel_multi_index(_position(key), found.shape))
        rows = equations[:, cell].nonzero()[0]
        if found_flat.size and equations[rows][:, found_flat].nnz:
            near += 1
    return near


def _position(key: tuple[str, ...]) -> tuple[int, ...]:
    return tuple(LABELS.index(label) for label in key)


def main() -> None:
    logging.disable(logging.WARNING)
    print(
        "| Table | Statistic | Cells only we hide | ACRO cells worked out exactly | ACRO cells pinned down "
        "| Of ours: beside an exact one | Of ours: beside a pinned-down one |"
    )
    print("|---|---|---|---|---|---|---|")
    totals = np.zeros(3, dtype=int)
    for name, subset, by in CASES:
        for statistic in ("count", "sum", "mean"):
            frame = synthetic(dominance=statistic != "count")
            for column, label in subset.items():
                frame = frame[frame[column] == label]
            ours, _, _ = ours_hidden(frame, by, statistic)
            only_ours = ours - acro_hidden(frame, by, statistic)
            if not only_ours:
                continue
            exact, narrow = recoverable(frame, by, statistic)
            near_exact, near_narrow = beside(only_ours, exact), beside(only_ours, narrow)
            totals += [len(only_ours), near_exact, near_narrow]
            print(
                f"| {name} | {statistic} | {len(only_ours)} | {int(exact.sum())} | {int(narrow.sum())} "
                f"| {near_exact} | {near_narrow} |"
            )
    differences, near_exact, near_narrow = totals
    print(
        f"\n{near_exact} of the {differences} cells only we hide ({near_exact / differences:.1%}) share a total "
        "with a cell ACRO hides that ACRO's own tables let an intruder work out exactly; "
        f"{near_narrow} ({near_narrow / differences:.1%}) with one they pin down more narrowly than our rules allow."
    )


if __name__ == "__main__":
    main()
