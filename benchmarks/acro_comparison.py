"""Our table protection beside ACRO's, cell by cell, on the tables of ACRO's own tests.

ACRO (the output checker of the UK's SACRO project for trusted research
environments) is not a dependency of the project: install it into a separate
environment for this comparison only (it pins an older pandas), for example::

    python -m venv .acro-env
    .acro-env/bin/pip install acro polars scipy phonenumbers charset-normalizer pyyaml jinja2
    PYTHONPATH=src .acro-env/bin/python benchmarks/acro_comparison.py

The tables are those of ACRO's ``test/test_tables_syntheticdata.py`` (its
synthetic data set: four variables with levels A, B, C; every combination
11 times, except 5 times where indvar1 = indvar3 = indvar4 = C), as counts,
and the sum and mean of ``depvar`` with the dominance change ACRO's tests make
(the last C, C, C, C record's depvar set to 10,000). For each table it counts
the inner cells (margins are left out, because ACRO recomputes its margins
from the cells it shows while we publish true margins) that both tools hide,
both show, or only one hides, and prints a markdown section for
``docs/benchmarks/disclosure.md``.
"""

from __future__ import annotations

import contextlib
import io
import itertools
import logging
import warnings
from typing import Any

import numpy as np
import pandas as pd
import polars as pl

from community_insights.safety.disclosure import protect_table

LABELS = ["A", "B", "C"]
COLUMNS = ["indvar1", "indvar2", "indvar3", "indvar4"]
CASES: list[tuple[str, dict[str, str], list[str]]] = [
    ("1-way (test_1d)", {"indvar4": "C", "indvar3": "C", "indvar2": "C"}, ["indvar1"]),
    ("2-way (test_2d)", {"indvar4": "C", "indvar3": "C"}, ["indvar1", "indvar2"]),
    ("3-way (test_3d)", {"indvar4": "C"}, ["indvar1", "indvar2", "indvar3"]),
    ("4-way (test_4d)", {}, COLUMNS),
    ("2-way, all data", {}, ["indvar1", "indvar2"]),
    ("3-way, all data", {}, ["indvar1", "indvar2", "indvar3"]),
]


def synthetic(dominance: bool = False) -> pd.DataFrame:
    rows = []
    for v1, v2, v3, v4 in itertools.product(LABELS, repeat=4):
        repeats = 5 if v1 == v3 == v4 == "C" else 11
        rows += [(v1, v2, v3, v4, r) for r in range(repeats)]
    frame = pd.DataFrame(rows, columns=[*COLUMNS, "depvar"])
    if dominance:
        frame.loc[frame.index[-1], "depvar"] = 10_000
    return frame


def acro_hidden(frame: pd.DataFrame, by: list[str], statistic: str) -> set[tuple[str, ...]]:
    """Inner cells ACRO suppresses (NaN in its output), keyed by category labels."""

    from acro import ACRO

    with contextlib.redirect_stdout(io.StringIO()), warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return _acro_hidden(ACRO(suppress=True), frame, by, statistic)


def _acro_hidden(acro: Any, frame: pd.DataFrame, by: list[str], statistic: str) -> set[tuple[str, ...]]:
    frame = frame.assign(_all="all") if len(by) == 1 else frame
    index = [frame[c] for c in by[:-1]] if len(by) > 1 else [frame[by[0]]]
    columns = frame[by[-1]] if len(by) > 1 else frame["_all"]
    kwargs: dict[str, Any] = {}
    if statistic != "count":
        kwargs = {"values": frame["depvar"], "aggfunc": statistic}
    table = acro.crosstab(index if len(index) > 1 else index[0], columns, **kwargs)
    hidden = set()
    for row_key, row in table.iterrows():
        keys = row_key if isinstance(row_key, tuple) else (row_key,)
        for column_key, value in row.items():
            if pd.isna(value):
                hidden.add((*keys, column_key) if len(by) > 1 else keys)
    return hidden


def ours_hidden(frame: pd.DataFrame, by: list[str], statistic: str) -> tuple[set[tuple[str, ...]], set, int]:
    """Inner cells we hide, the secondary ones among them, and the number of inner cells."""

    table = protect_table(
        pl.from_pandas(frame), by=by, statistic=statistic, value=None if statistic == "count" else "depvar"
    )
    inner = [c for c in table.cells if not c.is_total]
    hidden = {tuple(c.categories[n] for n in by) for c in inner if c.value is None}
    secondary = {tuple(h.categories[n] for n in by) for h in table.explain() if h.rules == ["secondary"]}
    return hidden, secondary & hidden, len(inner)


def main() -> None:
    logging.disable(logging.WARNING)
    header = ["Table", "Statistic", "Inner cells", "Both hide", "Both show", "Only we hide (of which secondary)"]
    print("| " + " | ".join([*header, "Only ACRO hides"]) + " |")
    print("|---|---|---|---|---|---|---|")
    totals = np.zeros(3, dtype=int)
    for name, subset, by in CASES:
        for statistic in ("count", "sum", "mean"):
            frame = synthetic(dominance=statistic != "count")
            for column, label in subset.items():
                frame = frame[frame[column] == label]
            theirs = acro_hidden(frame, by, statistic)
            ours, secondary, cells = ours_hidden(frame, by, statistic)
            both = len(ours & theirs)
            only_ours, only_theirs = ours - theirs, theirs - ours
            agree = cells - len(only_ours) - len(only_theirs)
            totals += [cells, agree, len(only_ours & secondary)]
            print(
                f"| {name} | {statistic} | {cells} | {both} | {agree - both} | "
                f"{len(only_ours)} ({len(only_ours & secondary)}) | {len(only_theirs)} |"
            )
    cells, agree, secondary_only = totals
    print(
        f"\nAgreement: {agree} of {cells} inner cells ({agree / cells:.1%}); "
        f"{secondary_only} of the {cells - agree} differences are secondary cells we hide."
    )


if __name__ == "__main__":
    main()
