"""Entropy l-diversity and t-closeness: small cases worked by hand, and the textbook formulas on random tables."""

from __future__ import annotations

import math
from collections import Counter
from pathlib import Path

import numpy as np
import polars as pl
import pytest
from typer.testing import CliRunner

from community_insights.cli import app
from community_insights.safety import CheckOptions, MosaicCounter, assess_mosaic, check_dataset

# Two groups (ward A and ward B) of a sensitive number, worked by hand:
#   A holds 1, 1, 2, 2;  B holds 1, 3, 3, 3, 3, 3.   File: 1 → 3/10, 2 → 2/10, 3 → 5/10.
#   entropy: A = ln 2 = 0.693; B = -(1/6 ln 1/6 + 5/6 ln 5/6) = 0.4506 → entropy l = e^0.4506 = 1.569
#   ordered EMD (m = 3 values): A: q - p = (.2, .3, -.5), cumulative (.2, .5, 0) → 0.7 / 2 = 0.35
#                               B: q - p = (-.133, -.2, .333), cumulative (-.133, -.333, 0) → 0.467 / 2 = 0.233
#   equal-distance EMD: A: (.2 + .3 + .5) / 2 = 0.5;  B: (.133 + .2 + .333) / 2 = 0.333
HAND = {"ward": ["A"] * 4 + ["B"] * 6, "score": ["1", "1", "2", "2", "1", "3", "3", "3", "3", "3"]}


def _measures(frame: dict[str, list[str]], quasi: list[str], sensitive: list[str], batch: int = 3):  # type: ignore[no-untyped-def]
    counter = MosaicCounter(quasi, sensitive)
    table = pl.DataFrame(frame)
    for start in range(0, table.height, batch):
        counter.add(table.slice(start, batch))
    return {m.column: m for m in assess_mosaic(counter, threshold=2, measures=["entropy-l", "t-closeness"]).measures}


def test_the_hand_worked_case_numbers_in_order() -> None:
    found = _measures(HAND, ["ward"], ["score"])["score"]
    assert found.entropy_l == pytest.approx(math.exp(-(1 / 6 * math.log(1 / 6) + 5 / 6 * math.log(5 / 6))))
    assert found.entropy_l == pytest.approx(1.5692, abs=1e-4)
    assert found.t_ground == "ordered"
    assert found.t_closeness == pytest.approx(0.35)


def test_the_hand_worked_case_as_categories() -> None:
    words = {"1": "low", "2": "middle", "3": "high"}
    frame = {"ward": HAND["ward"], "score": [words[v] for v in HAND["score"]]}
    found = _measures(frame, ["ward"], ["score"])["score"]
    assert found.t_ground == "categorical"
    assert found.t_closeness == pytest.approx(0.5)
    assert found.entropy_l == pytest.approx(1.5692, abs=1e-4)


def test_a_group_that_matches_the_file_is_zero_distance_and_one_value_is_entropy_one() -> None:
    same = _measures({"ward": ["A"] * 4 + ["B"] * 4, "x": ["u", "v"] * 4}, ["ward"], ["x"])["x"]
    assert same.t_closeness == pytest.approx(0.0)
    assert same.entropy_l == pytest.approx(2.0)
    one = _measures({"ward": ["A"] * 3 + ["B"] * 3, "x": ["u", "u", "u", "v", "v", "w"]}, ["ward"], ["x"])["x"]
    assert one.entropy_l == pytest.approx(1.0)


def _reference(rows: list[tuple[str, str]], numeric: bool) -> tuple[float, float]:
    """Entropy l and t by the textbook formulas, one group at a time (as pyCANON computes them)."""

    values = sorted({v for _, v in rows}, key=float if numeric else str)
    total = Counter(v for _, v in rows)
    p = np.array([total[v] / len(rows) for v in values])
    entropies, distances = [], []
    for g in sorted({g for g, _ in rows}):
        inside = Counter(v for h, v in rows if h == g)
        n = sum(inside.values())
        q = np.array([inside[v] / n for v in values])
        entropies.append(-sum(x * math.log(x) for x in q if x > 0))
        if numeric:
            distances.append(float(np.abs(np.cumsum(q - p)).sum() / (len(values) - 1)) if len(values) > 1 else 0.0)
        else:
            distances.append(float(np.abs(q - p).sum() / 2))
    return math.exp(min(entropies)), max(distances)


@pytest.mark.parametrize("seed", range(6))
@pytest.mark.parametrize("numeric", [True, False])
def test_random_tables_agree_with_the_textbook_formulas(seed: int, numeric: bool) -> None:
    rng = np.random.default_rng(seed)
    n = int(rng.integers(20, 400))
    groups = rng.choice([f"g{i}" for i in range(int(rng.integers(1, 12)))], n)
    if numeric:
        values = [str(v) for v in rng.choice([0, 1, 2, 5, 10, 11, 40, 100], n, p=rng.dirichlet(np.ones(8)))]
    else:
        values = list(rng.choice(["red", "green", "blue", "amber"], n))
    found = _measures({"group": list(groups), "v": values}, ["group"], ["v"], batch=int(rng.integers(7, 60)))["v"]
    entropy, distance = _reference(list(zip(groups, values, strict=True)), numeric)
    assert found.entropy_l == pytest.approx(entropy)
    assert found.t_closeness == pytest.approx(distance)
    assert found.t_ground == ("ordered" if numeric else "categorical")


def test_the_streaming_count_gives_the_same_measures(tmp_path: Path) -> None:
    path = tmp_path / "scores.csv"
    pl.DataFrame(HAND).write_csv(path)
    report = check_dataset(
        path, CheckOptions(free_text=False, quasi=["ward"], sensitive=["score"], measures=["entropy-l", "t-closeness"])
    )
    (found,) = report.mosaic.measures
    assert found.t_ground == "ordered" and found.t_closeness == pytest.approx(0.35)
    assert found.entropy_l == pytest.approx(1.5692, abs=1e-4)


def test_measures_are_left_out_unless_asked_for(tmp_path: Path) -> None:
    path = tmp_path / "scores.csv"
    pl.DataFrame(HAND).write_csv(path)
    report = check_dataset(path, CheckOptions(free_text=False, quasi=["ward"], sensitive=["score"]))
    assert report.mosaic.measures == []


def test_the_command_line_asks_for_the_measures(tmp_path: Path) -> None:
    path = tmp_path / "scores.csv"
    pl.DataFrame(HAND).write_csv(path)
    out = tmp_path / "report.md"
    args = ["check", str(path), "--no-free-text", "--quasi", "ward", "--sensitive", "score"]
    result = CliRunner().invoke(app, [*args, "--measures", "entropy-l,t-closeness", "-o", str(out)])
    assert result.exit_code in (0, 1), result.output
    text = out.read_text(encoding="utf-8")
    assert "| score | 1.57 | 0.350 | ordered |" in text
