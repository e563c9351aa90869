"""Our k-anonymity, l-diversity, entropy l-diversity and t-closeness beside pyCANON's, on real public microdata.

pyCANON (a library that checks the anonymity of a dataset, from the Spanish National Research
Council) is not a dependency of the project: it pins exact versions of NumPy, pandas and SciPy
older than ours. Install it into a separate environment for this comparison only, with
statsmodels, whose package ships the microdata::

    python -m venv .pycanon-env && .pycanon-env/bin/pip install pycanon statsmodels polars
    PYTHONPATH=src .pycanon-env/bin/python benchmarks/pycanon_comparison.py

The data are two real surveys of people that statsmodels ships: Fair's 1969 survey of
marriages (``fair``: 6,366 women; age, years married, children, education, occupation, how
religious, a rating of the marriage, time spent in affairs) and the 1996 American National
Election Study (``anes96``: 944 voters; age, education, income, party identification, vote).
For each choice of quasi-identifiers and sensitive column, both tools measure the same table,
and the engine measures it twice: counted batch by batch (as for spreadsheets) and by the
streaming count (as for CSV). Numbers are compared as numbers (ordered distance for
t-closeness) and, turned into words, as categories (equal distance).

pyCANON reports entropy l as ``int(exp(smallest entropy))``; ours is the real number, so the
whole part is compared. t is compared to 1e-9. The script prints a markdown section for
``docs/benchmarks/check.md`` and exits non-zero on any disagreement.
"""

from __future__ import annotations

import math
import sys
import time
from typing import Any

import pandas as pd
import polars as pl

from community_insights.safety import MosaicCounter, assess_mosaic
from community_insights.safety.combinations import count_combinations, encode_counts

MEASURES = ["entropy-l", "t-closeness"]

#: (data set, quasi-identifiers, sensitive column)
CASES: list[tuple[str, list[str], str]] = [
    ("fair", ["rate_marriage"], "religious"),
    ("fair", ["educ", "children"], "rate_marriage"),
    ("fair", ["religious", "rate_marriage"], "affairs"),
    ("fair", ["age", "yrs_married", "children", "educ"], "occupation"),
    ("anes96", ["educ"], "vote"),
    ("anes96", ["income"], "PID"),
    ("anes96", ["age", "educ", "income"], "selfLR"),
]


def load(name: str) -> pd.DataFrame:
    import statsmodels.api as sm

    return getattr(sm.datasets, name).load_pandas().data


def _as_text(frame: pd.DataFrame, columns: list[str]) -> pl.DataFrame:
    """The columns as text, as the check reads a file: ``32.0`` stays ``32.0``."""

    return pl.DataFrame({c: [str(v) for v in frame[c].tolist()] for c in columns})


def ours(frame: pd.DataFrame, quasi: list[str], sensitive: str, *, streaming: bool) -> dict[str, Any]:
    table = _as_text(frame, [*quasi, sensitive])
    if streaming:
        counts = count_combinations(table.lazy(), [*quasi, sensitive])
        counter = MosaicCounter.from_encoded(encode_counts(counts, [*quasi, sensitive]), quasi, [sensitive])
    else:
        counter = MosaicCounter(quasi, [sensitive])
        for start in range(0, table.height, 1_000):
            counter.add(table.slice(start, 1_000))
    finding = assess_mosaic(counter, threshold=2, measures=MEASURES)
    (diversity,) = finding.l_diversity
    (measured,) = finding.measures
    return {
        "k": finding.k,
        "l": diversity.l_min,
        "entropy_l": measured.entropy_l,
        "t": measured.t_closeness,
        "ground": measured.t_ground,
    }


def theirs(frame: pd.DataFrame, quasi: list[str], sensitive: str) -> dict[str, Any]:
    from pycanon import anonymity

    return {
        "k": anonymity.k_anonymity(frame, quasi),
        "l": anonymity.l_diversity(frame, quasi, [sensitive]),
        "entropy_l": anonymity.entropy_l_diversity(frame, quasi, [sensitive]),
        "t": anonymity.t_closeness(frame, quasi, [sensitive]),
    }


def _agree(a: dict[str, Any], b: dict[str, Any]) -> bool:
    return (
        a["k"] == b["k"]
        and a["l"] == b["l"]
        and math.floor(a["entropy_l"] + 1e-9) == b["entropy_l"]
        and abs(a["t"] - b["t"]) < 1e-9
    )


def main() -> int:
    rows = []
    failures = 0
    for name, quasi, sensitive in CASES:
        data = load(name)
        for ground in ("ordered", "categorical"):
            frame = data[[*quasi, sensitive]].copy()
            if ground == "categorical":
                frame[sensitive] = [f"level {v}" for v in frame[sensitive]]
            started = time.perf_counter()
            reference = theirs(frame, quasi, sensitive)
            their_s = time.perf_counter() - started
            started = time.perf_counter()
            batch = ours(frame, quasi, sensitive, streaming=False)
            our_s = time.perf_counter() - started
            streamed = ours(frame, quasi, sensitive, streaming=True)
            same = _agree(batch, reference) and _agree(streamed, reference) and batch["ground"] == ground
            failures += not same
            rows.append(
                f"| {name} | {' + '.join(quasi)} | {sensitive} ({ground}) | {reference['k']} / {batch['k']} | "
                f"{reference['l']} / {batch['l']} | {reference['entropy_l']} / {batch['entropy_l']:.4f} | "
                f"{reference['t']:.6f} / {batch['t']:.6f} | {'yes' if same else '**no**'} | "
                f"{their_s:.2f} s / {our_s:.3f} s |"
            )
    print("| data | quasi-identifiers | sensitive (distance) | k | l | entropy l | t | agree | time |")
    print("|---|---|---|---|---|---|---|---|---|")
    print("\n".join(rows))
    print(f"\n{len(rows) - failures} of {len(rows)} agree (pyCANON / ours, ours counted batch by batch and streamed).")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
