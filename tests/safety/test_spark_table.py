"""A table made on Spark ``local[2]`` equals the one made by Polars, cell for cell, marks and metadata.

The cells are counted and summed by Spark and protected on the driver by the
same code, so every published cell, every mark, the metadata (rules, hidden
cells, the audit but its seconds) and the analyst's explanation must be equal.
The data are generated exports and the disclosure tests' own reference table.
"""

from __future__ import annotations

import math
from pathlib import Path
from typing import Any

import polars as pl
import pytest

from community_insights.safety import DisclosureError, SparkBackend, protect_table, to_jsonable
from community_insights.safety.synth import generate_export

pytestmark = pytest.mark.spark


@pytest.fixture(scope="module")
def export_csv(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("spark-table") / "export.csv"
    frame = generate_export(600, seed=21).frame.drop("notes")
    # Money as people type it, with a few empty: the same numbers must be read on both engines.
    money = [None if i % 17 == 0 else f"£{(i * 37) % 2_000:,}.{i % 100:02d}" for i in range(frame.height)]
    frame.with_columns(pl.Series("spend", money)).write_csv(path)
    return path


def _published(table: Any) -> dict[str, Any]:
    data = to_jsonable(table)
    data["metadata"]["audit"].pop("seconds", None)
    return data


def _assert_same(source: Any, spark: SparkBackend, **kw: Any) -> dict[str, Any]:
    expected = protect_table(source, **kw)
    got = protect_table(source, backend=spark, **kw)
    assert got.to_frame().equals(expected.to_frame())  # every published figure and mark, as text
    a, b = _published(expected), _published(got)
    for cell_a, cell_b in zip(a.pop("cells"), b.pop("cells"), strict=True):
        value_a, value_b = cell_a.pop("value"), cell_b.pop("value")
        assert cell_a == cell_b
        assert (value_a is None and value_b is None) or math.isclose(value_a, value_b, rel_tol=1e-12)
    assert b == a
    assert got.explain() == expected.explain()
    return a


@pytest.mark.parametrize(
    "kw",
    [
        {"by": ["ward", "gender"], "statistic": "count"},
        {"by": ["service", "gender"], "statistic": "count", "threshold": 20},
        {"by": ["ward"], "statistic": "sum", "value": "spend"},
        {"by": ["service", "gender"], "statistic": "mean", "value": "visits"},
        {"by": ["ward"], "statistic": "median", "value": "visits"},
        {"by": ["ward", "gender"], "statistic": "count", "method": "rounding", "rounding_base": 5},
    ],
    ids=["count", "higher-threshold", "sum-of-money", "mean", "median", "rounding"],
)
def test_generated_tables_are_equal_cell_for_cell(export_csv: Path, spark: SparkBackend, kw: dict[str, Any]) -> None:
    table = _assert_same(export_csv, spark, **kw)
    assert table["metadata"]["rows_read"] == 600
    if kw["statistic"] == "count" and kw.get("method") != "rounding":
        assert table["metadata"]["hidden"] > 0  # something was protected, so the rules were exercised


def test_the_reference_table_of_the_disclosure_tests_is_equal(tmp_path: Path, spark: SparkBackend) -> None:
    """A small table with empty groups and dominant contributors, from the suppression tests' shape."""

    path = tmp_path / "firms.tsv"
    rows = [("north", "retail", "1200"), ("north", "retail", "35"), ("north", "trade", "90"), ("south", "trade", "")]
    rows += [("south", "retail", str(10 + i)) for i in range(12)] + [(None, "trade", "7")] * 4
    pl.DataFrame(rows, schema=["area", "sector", "turnover"], orient="row").write_csv(path, separator="\t")
    _assert_same(path, spark, by=["area", "sector"], statistic="sum", value="turnover")


def test_a_spark_dataframe_gives_the_table_of_its_file(export_csv: Path, spark: SparkBackend) -> None:
    frame = spark.session.read.option("header", "true").csv(str(export_csv))
    from_frame = protect_table(frame, by=["ward", "gender"], statistic="count")
    assert from_frame.to_frame().equals(protect_table(export_csv, by=["ward", "gender"]).to_frame())


def test_refusals_are_the_same_sentences(export_csv: Path, spark: SparkBackend) -> None:
    for kw in (
        {"by": ["client_name"]},
        {"by": ["ward"], "statistic": "sum", "value": "service"},
        {"by": ["nowhere"]},
    ):
        with pytest.raises(DisclosureError) as polars_refusal:
            protect_table(export_csv, **kw)
        with pytest.raises(DisclosureError) as spark_refusal:
            protect_table(export_csv, backend=spark, **kw)
        assert str(spark_refusal.value) == str(polars_refusal.value)


def test_the_command_line_makes_the_same_table_with_engine_spark(
    tmp_path: Path, export_csv: Path, spark: SparkBackend
) -> None:
    """``insights table --engine spark`` (on the test session's Spark) writes the file Polars writes."""

    from typer.testing import CliRunner

    from community_insights.cli import app

    written = {}
    for engine in ("polars", "spark"):
        out = tmp_path / f"{engine}.csv"
        result = CliRunner().invoke(
            app, ["table", str(export_csv), "--by", "ward,gender", "--count", "--engine", engine, "-o", str(out)]
        )
        assert result.exit_code == 0, result.output
        written[engine] = out.read_bytes()
    assert written["spark"] == written["polars"] and b"[c]" in written["polars"]
