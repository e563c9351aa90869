"""Shared data for the outputs tests: a small referrals frame with a rare ward and a rare age band."""

from __future__ import annotations

import random

import polars as pl
import pytest


@pytest.fixture
def referrals() -> pl.DataFrame:
    rnd = random.Random(2)
    answers = random.Random(3)
    rows = []
    for _ in range(300):
        ward = rnd.choices(["Abbey", "Bridge", "Castle", "Dock"], [5, 4, 3, 0.3])[0]
        band = rnd.choices(["18-29", "30-49", "50-64", "65+"], [4, 4, 2, 0.5])[0]
        rows.append((ward, band, rnd.randint(1, 20), answers.choice(["yes", "no"])))
    return pl.DataFrame(rows, schema=["ward", "age_band", "hours", "food"], orient="row")
