"""A safe copy made on Spark ``local[2]`` equals the one made by Polars: rows, pseudonyms and report.

Both copies are read back and compared row for row; the reports are compared
field by field, all but the copy's own SHA-256 (a folder of Parquet parts
written by Spark is not the bytes of one Parquet file written by Polars). The
inputs are generated exports planned by the engine's own planner and the
council file of the remedies tests with its hand-written plan. One Spark
session serves the whole test session.
"""

from __future__ import annotations

import dataclasses
from pathlib import Path
from typing import Any

import polars as pl
import pytest

from community_insights.safety import InputError, SparkBackend, keygen, redact_dataset
from community_insights.safety.remedies import ColumnRule, plan_dataset
from community_insights.safety.synth import generate_export
from community_insights.safety.types import Action, PiiType
from tests.safety.remedies.residents import residents
from tests.safety.remedies.test_remedies_redact import council_file, council_plan, hand_plan

pytestmark = pytest.mark.spark


@pytest.fixture(scope="module")
def key(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return keygen(tmp_path_factory.mktemp("key") / "partnership.key")


def _both(tmp_path: Path, source: Any, plan: Any, key: Path | None, spark: SparkBackend) -> tuple[Any, Any]:
    """Redact with each engine into a folder of its own (same file name); return both reports as dicts."""

    made = {}
    for engine, backend in (("polars", None), ("spark", spark)):
        folder = tmp_path / engine
        folder.mkdir()
        report = redact_dataset(source, plan, key, folder / "safe.parquet", backend=backend)
        made[engine] = report.to_dict()
    return made["polars"], made["spark"]


def _read_back(tmp_path: Path) -> tuple[pl.DataFrame, pl.DataFrame]:
    polars_copy = pl.read_parquet(tmp_path / "polars" / "safe.parquet")
    parts = sorted((tmp_path / "spark" / "safe.parquet").glob("part-*.parquet"))
    spark_copy = pl.concat([pl.read_parquet(p) for p in parts])
    return polars_copy, spark_copy


def _assert_same(tmp_path: Path, expected: dict[str, Any], got: dict[str, Any]) -> pl.DataFrame:
    polars_copy, spark_copy = _read_back(tmp_path)
    assert spark_copy.columns == polars_copy.columns
    assert spark_copy.schema == polars_copy.schema
    assert spark_copy.equals(polars_copy)  # row for row, nulls in the same places
    got_output, expected_output = dict(got["output"]), dict(expected["output"])
    assert got_output.pop("sha256") != expected_output.pop("sha256")  # the one field that differs
    assert got_output == expected_output
    for part in expected:
        assert part == "output" or got[part] == expected[part], f"{part} differs"
    return polars_copy


@pytest.fixture(scope="module")
def export_csv(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("spark-redact") / "export.csv"
    generate_export(800, seed=11).frame.drop("notes").write_csv(path)
    return path


@pytest.fixture(scope="module")
def export_plan(export_csv: Path) -> Any:
    """The engine's own plan for the export, with two identifiers pseudonymised."""

    return plan_dataset(export_csv, pseudonymise=["nhs_no", "ni_number"])


@pytest.mark.slow  # the first safe copy on Spark starts its Python workers for the pseudonyms
@pytest.mark.parametrize("small_groups", ["generalise", "remove"])
def test_a_planned_generated_export_gives_the_same_copy_and_report(
    tmp_path: Path, export_csv: Path, export_plan: Any, key: Path, spark: SparkBackend, small_groups: str
) -> None:
    """Pseudonyms, generalised dates and postcodes, small groups coarsened or removed: all identical."""

    plan = dataclasses.replace(export_plan, small_groups=small_groups)
    expected, got = _both(tmp_path, export_csv, plan, key, spark)
    copy = _assert_same(tmp_path, expected, got)
    assert expected["small_groups"]["quasi_identifiers"]  # something was grouped …
    assert copy["nhs_no"].str.starts_with("P-").all()  # … and pseudonymised
    if small_groups == "remove":
        assert expected["output"]["rows"] < expected["source"]["rows"]  # rows were removed and lined up
    else:
        assert expected["small_groups"]["records_generalised"] > 0


@pytest.mark.slow  # the span finder loads spaCy in each executor
def test_notes_are_redacted_in_the_executors_as_on_one_machine(tmp_path: Path, spark: SparkBackend) -> None:
    """Spans found in free text, and a record's own name taken out of its note, as on one machine."""

    path = tmp_path / "notes.csv"
    columns = ["case_ref", "client_name", "ward", "notes"]
    generate_export(150, seed=5).frame.select(columns).write_csv(path)
    plan = hand_plan(
        path.name,
        columns,
        [
            ColumnRule("case_ref", Action.DROP),
            ColumnRule("client_name", Action.DROP, pii_types=[PiiType.PERSON]),
            ColumnRule("ward", Action.KEEP),
            ColumnRule("notes", Action.REDACT_SPANS, {"also_values_of": ["client_name"]}),
        ],
    )
    expected, got = _both(tmp_path, path, plan, None, spark)
    _assert_same(tmp_path, expected, got)
    notes = next(c for c in expected["columns"] if c["name"] == "notes")
    assert notes["action"] == "redact_spans" and notes["spans_redacted"] > 0


@pytest.fixture(scope="module")
def council(tmp_path_factory: pytest.TempPathFactory, key: Path, spark: SparkBackend) -> dict[str, Any]:
    """The remedies tests' council file and its hand-written plan, copied once by each engine."""

    folder = tmp_path_factory.mktemp("council")
    source = council_file(folder / "council.csv", residents(500, seed=3))
    expected, got = _both(folder, source, council_plan(source), key, spark)
    return {"folder": folder, "source": source, "expected": expected, "got": got}


def test_the_council_file_and_its_hand_written_plan_give_the_same_copy(council: dict[str, Any]) -> None:
    """Keyed references, pseudonyms, a dropped column, generalised dates and postcodes."""

    copy = _assert_same(council["folder"], council["expected"], council["got"])
    assert "Surname" not in copy.columns and copy["Person ID"].str.starts_with("R-").all()


def test_a_spark_dataframe_is_redacted_on_its_own_session(
    tmp_path: Path, key: Path, spark: SparkBackend, council: dict[str, Any]
) -> None:
    """The Python API given a DataFrame: the same rows as the file it was read from."""

    source = council["source"]
    frame = spark.session.read.option("header", "true").csv(str(source))
    report = redact_dataset(frame, council_plan(source), key, tmp_path / "frame.parquet")
    from_frame = pl.read_parquet(sorted((tmp_path / "frame.parquet").glob("part-*.parquet")))
    assert from_frame.equals(pl.read_parquet(council["folder"] / "polars" / "safe.parquet"))
    assert report.source.format == "spark" and report.output.rows == 500


def test_a_second_run_replaces_the_copy_whole_with_the_same_digest(
    key: Path, spark: SparkBackend, council: dict[str, Any]
) -> None:
    source, folder = council["source"], council["folder"] / "spark"
    again = redact_dataset(source, council_plan(source), key, folder / "safe.parquet", backend=spark)
    assert again.output.sha256 == council["got"]["output"]["sha256"]
    assert [p.name for p in folder.iterdir()] == ["safe.parquet"]  # nothing left beside it


def test_a_failed_write_leaves_nothing_and_the_old_copy_untouched(tmp_path: Path, spark: SparkBackend) -> None:
    from community_insights.safety.spark_commit import commit_parquet

    target = str(tmp_path / "safe.parquet")
    frame = spark.session.createDataFrame([("a",), ("b",)], "x string")
    commit_parquet(frame, target)
    before = sorted(p.name for p in Path(target).iterdir())

    def half_then_fail(data: Any, path: str) -> None:
        data.limit(1).write.parquet(path)
        raise OSError("the disk filled up")

    with pytest.raises(OSError):
        commit_parquet(frame.filter("x = 'b'"), target, write=half_then_fail)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["safe.parquet"]
    assert sorted(p.name for p in Path(target).iterdir()) == before
    assert sorted(pl.read_parquet(Path(target) / "*.parquet")["x"]) == ["a", "b"]


@pytest.mark.parametrize(
    ("name", "sentence"),
    [
        ("safe.csv", "on Spark the safe copy is a Parquet folder or a Delta table"),
        ("council.csv", "on Spark the safe copy is a Parquet folder or a Delta table"),
    ],
)
def test_a_copy_spark_cannot_write_is_refused_in_one_sentence_before_any_work(
    tmp_path: Path, key: Path, spark: SparkBackend, name: str, sentence: str
) -> None:
    source = council_file(tmp_path / "council.csv", residents(50, seed=8))
    with pytest.raises(InputError, match=sentence):
        redact_dataset(source, council_plan(source), key, tmp_path / name, backend=spark)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["council.csv"]


def test_a_copy_over_its_own_input_is_refused(tmp_path: Path, key: Path, spark: SparkBackend) -> None:
    source = tmp_path / "data.parquet"
    source.mkdir()
    with pytest.raises(InputError, match="same as the input"):
        redact_dataset(source.as_uri(), council_plan(source), key, source.as_uri(), backend=spark)
