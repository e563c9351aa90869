"""The risk report says what share of the file is at risk and which column to generalise first."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import numpy as np
import polars as pl
import pytest
from typer.testing import CliRunner

from community_insights.cli import app
from community_insights.safety import (
    CheckOptions,
    MosaicCounter,
    assess_mosaic,
    check_dataset,
    records_share,
    render_report,
)

THRESHOLD = 10


def _people(rows: int = 3_000, seed: int = 4) -> pl.DataFrame:
    """Exact ages beside a ward and gender: ages split groups finely, so banding them helps most."""

    rng = np.random.default_rng(seed)
    return pl.DataFrame(
        {
            "age": rng.integers(18, 90, rows).astype(str),
            "gender": rng.choice(["Female", "Male"], rows),
            "ward": rng.choice([f"Ward {i}" for i in range(6)], rows),
            "postcode": rng.choice(["NW1 6XE", "NW1 6AB", "NW1 7CD", "E1 6AN", "E1 7QQ", "E2 8AA"], rows),
        }
    )


def _below(frame: pl.DataFrame, keys: list[str]) -> int:
    """Records in groups under the threshold, counted straight from the rows (the reference)."""

    sizes = frame.group_by(keys).len().get_column("len")
    return int(sizes.filter(sizes < THRESHOLD).sum())


def test_a_count_of_records_carries_its_share_of_the_file() -> None:
    assert records_share(25_258, 32_382) == "25,258 records (78%)"
    assert records_share(25_258, 32_382, noun=False) == "25,258 (78%)"
    assert records_share(3, 1_000) == "3 records (0.3%)"
    assert records_share(1, 100_000) == "1 record (under 0.1%)"
    assert records_share(0, 500) == "0 records (0%)"
    assert records_share(995, 1_000) == "995 records (99.5%)"
    assert records_share(7, 0) == "7 records"


def test_each_step_is_computed_on_the_data_and_the_best_comes_first(tmp_path: Path) -> None:
    frame = _people()
    path = tmp_path / "people.csv"
    frame.write_csv(path)
    report = check_dataset(path, CheckOptions(free_text=False, quasi=["age", "gender", "ward", "postcode"]))
    steps = report.mosaic.generalise_first
    keys = ["age", "gender", "ward", "postcode"]
    before = _below(frame, keys)
    assert report.mosaic.records_below_threshold == before
    by_step = {s.step: s for s in steps}
    # The reference: apply the same step to the rows themselves and count again.
    banded = frame.with_columns(
        (pl.col("age").cast(pl.Int64) // 10 * 10).cast(pl.String).alias("age")  # 10-year bands, top 90 unused
    )
    sectors = frame.with_columns(pl.col("postcode").str.slice(0, pl.col("postcode").str.len_chars() - 2))
    assert by_step["age in 10-year bands"].records_below_after == _below(banded, keys)
    assert by_step["postcode cut to sector"].records_below_after == _below(sectors, keys)
    assert all(s.records_below_before == before for s in steps)
    assert steps[0].step == "age in 10-year bands"
    assert steps[0].records_below_after < before
    assert [s.records_below_after for s in steps] == sorted(s.records_below_after for s in steps)
    assert steps[0].params == {"to": "age_band", "from": "age", "width": 10, "top": 90}
    total = report.mosaic.records
    assert total == frame.height
    expected = (
        f"age in 10-year bands: records in groups under {THRESHOLD} fall from "
        f"{before:,} ({before / total:.0%}) to {steps[0].records_below_after:,} "
        f"({steps[0].records_below_after / total:.0%})."
    )
    assert steps[0].sentence == expected
    # The reason the officer reads first names the column and what it would achieve.
    assert any("generalise age first; " + expected in r for r in report.summary.reasons)


def test_the_steps_are_in_the_markdown_json_and_html_reports(tmp_path: Path) -> None:
    path = tmp_path / "people.csv"
    _people().write_csv(path)
    report = check_dataset(path, CheckOptions(free_text=False, quasi=["age", "gender", "ward", "postcode"]))
    first = report.mosaic.generalise_first[0]
    markdown = render_report(report, "markdown")
    assert "### What to generalise first" in markdown
    assert f"| {first.step} |" in markdown
    html = render_report(report, "html")
    assert "What to generalise first" in html and f'<th scope="row">{first.step}</th>' in html
    data = json.loads(render_report(report, "json"))
    assert data["mosaic"]["generalise_first"][0]["step"] == "age in 10-year bands"
    assert data["mosaic"]["records"] == 3_000


def test_dates_of_birth_postcode_sectors_and_numbers_each_get_their_own_step(tmp_path: Path) -> None:
    rng = np.random.default_rng(2)
    rows = 2_000
    births = [dt.date(1940, 1, 1) + dt.timedelta(days=int(d)) for d in rng.integers(0, 365 * 60, rows)]
    frame = pl.DataFrame(
        {
            "date_of_birth": [d.strftime("%d/%m/%Y") for d in births],
            "postcode_sector": rng.choice(["NW1 6", "NW1 7", "E1 6", "E1 7", "E2 8", "E2 9"], rows),
            "household_size": rng.choice(
                ["1", "2", "3", "4", "5", "6", "9", "12"], rows, p=[0.3, 0.3, 0.2, 0.1, 0.04, 0.03, 0.02, 0.01]
            ),
        }
    )
    path = tmp_path / "births.csv"
    frame.write_csv(path)
    report = check_dataset(
        path, CheckOptions(free_text=False, quasi=["date_of_birth", "postcode_sector", "household_size"])
    )
    steps = {s.step: s for s in report.mosaic.generalise_first}
    assert "date of birth to year of birth" in steps
    assert "date of birth as age in 10-year bands" in steps
    assert "postcode sector cut to district" in steps
    topped = [s for s in steps if s.startswith("household size top-coded at")]
    assert topped, steps
    # Year of birth, checked against the rows.
    years = frame.with_columns(pl.col("date_of_birth").str.slice(6, 4))
    keys = ["date_of_birth", "postcode_sector", "household_size"]
    assert steps["date of birth to year of birth"].records_below_after == _below(years, keys)


def test_the_batch_path_gives_the_same_steps_as_the_streaming_count(tmp_path: Path) -> None:
    frame = _people(1_200, seed=9)
    path = tmp_path / "people.csv"
    frame.write_csv(path)
    kinds = {"age": ["AGE"], "postcode": ["POSTCODE"]}
    counter = MosaicCounter(["age", "gender", "ward", "postcode"])
    for start in range(0, frame.height, 100):  # other formats are counted batch by batch
        counter.add(frame.slice(start, 100))
    batch = assess_mosaic(counter, threshold=THRESHOLD, kinds=kinds)
    streamed = check_dataset(path, CheckOptions(free_text=False, quasi=["age", "gender", "ward", "postcode"]))
    assert [(s.step, s.records_below_after, s.unique_after) for s in batch.generalise_first] == [
        (s.step, s.records_below_after, s.unique_after) for s in streamed.mosaic.generalise_first
    ]


def test_nothing_is_tried_when_no_record_sits_in_a_small_group(tmp_path: Path) -> None:
    path = tmp_path / "broad.csv"
    pl.DataFrame({"age_band": ["18-64", "65+"] * 200, "ward": ["Abbey"] * 400}).write_csv(path)
    report = check_dataset(path, CheckOptions(free_text=False, quasi=["age_band", "ward"]))
    assert report.mosaic.records_below_threshold == 0
    assert report.mosaic.generalise_first == []


def test_counts_in_the_reasons_and_the_small_areas_carry_their_share(tmp_path: Path) -> None:
    path = tmp_path / "wards.csv"
    wards = ["Abbey"] * 297 + ["Castle"] * 3
    pl.DataFrame({"ward": wards, "award": ["A", "B", "C"] * 99 + ["A"] * 3}).write_csv(path)
    report = check_dataset(path, CheckOptions(free_text=False, quasi=["ward"], sensitive=["award"]))
    text = " ".join(report.summary.reasons)
    assert "3 records (1%)" in text
    assert report.small_areas.records == 300
    assert "every record has the same value" in text and "people sharing" not in text


def test_the_command_line_shows_what_to_generalise_first(tmp_path: Path) -> None:
    path = tmp_path / "people.csv"
    _people().write_csv(path)
    result = CliRunner().invoke(app, ["check", str(path), "--no-free-text", "--quasi", "age,gender,ward,postcode"])
    assert result.exit_code == 1, result.output
    assert "What to generalise first" in result.output
    assert "generalise age first; age in 10-year bands: records in groups under 10 fall from" in result.output


@pytest.mark.parametrize("bad", ["entropy", "t-closeness,closeness"])
def test_an_unknown_measure_is_one_clear_sentence(tmp_path: Path, bad: str) -> None:
    path = tmp_path / "people.csv"
    _people(200).write_csv(path)
    result = CliRunner().invoke(app, ["check", str(path), "--no-free-text", "--measures", bad])
    assert result.exit_code == 2
    assert "The measures must be among entropy-l, t-closeness;" in result.output
    assert "Traceback" not in result.output


def test_a_masked_header_is_masked_in_the_steps_worded_form_too() -> None:
    """A first row that may be a record has its names masked everywhere, "ayesha begum" as well as "Ayesha_Begum"."""

    from community_insights.safety.headers import mask_names
    from community_insights.safety.types import GeneralisationStep

    step = GeneralisationStep(
        column="Ayesha_Begum",
        step="ayesha begum in 10-year bands",
        params={},
        records_below_before=9,
        records_below_after=3,
        unique_before=4,
        sentence="ayesha begum in 10-year bands: records in groups under 10 fall from 9 (90%) to 3 (30%).",
    )
    masked = mask_names(step, ["Ayesha_Begum", "NW1 6XE"])
    assert "yesha" not in f"{masked.column} {masked.step} {masked.sentence}"
    assert masked.step.startswith("column 1 (A*****_*****)")


def test_an_ethnicity_column_is_tried_in_the_five_ons_groups(tmp_path: Path) -> None:
    rng = np.random.default_rng(5)
    detailed = [
        "Asian, Asian British or Asian Welsh: Indian",
        "Asian, Asian British or Asian Welsh: Pakistani",
        "Asian, Asian British or Asian Welsh: Bangladeshi",
        "White: English, Welsh, Scottish, Northern Irish or British",
        "White: Irish",
        "White: Gypsy or Irish Traveller",
        "Black, Black British, Black Welsh, Caribbean or African: African",
        "Black, Black British, Black Welsh, Caribbean or African: Caribbean",
    ]
    rows = 1_500
    frame = pl.DataFrame(
        {
            "ethnicity": rng.choice(detailed, rows),
            "ward": rng.choice([f"Ward {i}" for i in range(12)], rows),
            "gender": rng.choice(["Female", "Male"], rows),
        }
    )
    path = tmp_path / "ethnicity.csv"
    frame.write_csv(path)
    report = check_dataset(path, CheckOptions(free_text=False, quasi=["ethnicity", "ward", "gender"]))
    steps = {s.step: s for s in report.mosaic.generalise_first}
    step = steps["ethnicity grouped into the five ONS groups"]
    assert step.params == {"to": "ons_ethnic_group_5"}
    grouped = frame.with_columns(pl.col("ethnicity").str.split(":").list.first())
    assert step.records_below_after == _below(grouped, ["ethnicity", "ward", "gender"])
    assert step.records_below_after < step.records_below_before
