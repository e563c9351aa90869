"""Every format the polars engine reads gives the same check, safe copy and table on Spark ``local[2]``.

Parquet and JSON Lines are read by Spark; spreadsheets, Stata and SPSS files
are read on the driver and handed to Spark. Each must give the report of the
polars engine in every field but its timing, the copy row for row (as text:
the Spark copy's columns are text) and the table cell for cell. The files are
small, and typed where the format is (counts, fractions, flags, dates, lists),
because the text of a typed cell is where two readers could differ.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import polars as pl
import pyreadstat
import pytest

from community_insights.safety import CheckOptions, SparkBackend, keygen, redact_dataset
from community_insights.safety.readers import write_table
from community_insights.safety.remedies import plan_dataset
from community_insights.safety.synth import generate_export
from tests.safety.test_spark_backend import _assert_same as assert_same_report
from tests.safety.test_spark_redact import _read_back
from tests.safety.test_spark_table import _assert_same as assert_same_table

pytestmark = pytest.mark.spark

FORMATS = ["parquet", "jsonl", "xlsx", "dta", "sav"]


@pytest.fixture(scope="module")
def files(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """One export in each format: typed columns where the format keeps types."""

    folder = tmp_path_factory.mktemp("spark-formats")
    frame = generate_export(240, seed=3).frame.drop("notes")
    row = pl.int_range(pl.len())
    typed = frame.with_columns(
        row.alias("contacts"),
        (row / 4).alias("hours"),
        (row % 3 == 0).alias("urgent"),
        (pl.lit(dt.date(2024, 1, 5)) + pl.duration(days=row % 40)).alias("seen"),
        pl.concat_list(pl.col("ward"), pl.lit("x")).alias("tags"),
    )
    paths = {f: folder / f"export.{f}" for f in FORMATS}
    typed.write_parquet(paths["parquet"])
    typed.write_ndjson(paths["jsonl"])
    write_table(iter([frame]), paths["xlsx"])
    statistical = typed.drop("urgent", "seen", "tags").to_pandas()
    pyreadstat.write_dta(statistical, str(paths["dta"]))
    pyreadstat.write_sav(statistical, str(paths["sav"]))
    return paths


@pytest.fixture(scope="module")
def key(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return keygen(tmp_path_factory.mktemp("key") / "partnership.key")


@pytest.mark.parametrize("fmt", FORMATS)
def test_a_file_on_this_computer_gives_the_polars_check_copy_and_table(
    tmp_path: Path, files: dict[str, Path], key: Path, spark: SparkBackend, fmt: str
) -> None:
    """No refusal on Spark for a format the polars engine reads, and the same results from both engines."""

    path = files[fmt]
    report = assert_same_report(path, CheckOptions(workers=0), spark)
    assert isinstance(report, dict) and report["source"]["format"] == fmt
    assert report["source"]["sha256"] != "none (read by Spark, not a file on this computer)"

    plan = plan_dataset(path, pseudonymise=["nhs_no"])
    made = {}
    for engine, backend in (("polars", None), ("spark", spark)):
        (tmp_path / engine).mkdir()
        made[engine] = redact_dataset(path, plan, key, tmp_path / engine / "safe.parquet", backend=backend).to_dict()
    polars_copy, spark_copy = _read_back(tmp_path)
    assert spark_copy.equals(polars_copy.select(pl.all().cast(pl.String)))  # row for row, as text
    assert made["polars"]["small_groups"]["quasi_identifiers"]  # small groups were decided on counts Spark made
    for part in made["polars"]:
        if part == "output":
            made["polars"][part].pop("sha256"), made["spark"][part].pop("sha256")
        assert made["spark"][part] == made["polars"][part], f"{part} differs"

    value = "hours" if fmt != "xlsx" else None
    kw: dict[str, Any] = {"by": ["ward", "gender"], "statistic": "mean" if value else "count", "value": value}
    assert_same_table(path, spark, **kw)
