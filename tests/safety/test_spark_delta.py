"""A Delta safe copy made on Spark ``local[2]`` equals the Delta copy Polars makes, row for row.

Spark writes the Parquet parts, ``deltalake`` the log (no Java library is
downloaded), and the folder is renamed into place. Both copies are read back
with the engine's reader and with ``deltalake``; the reports are compared
field by field, all but the copy's name and digest (Spark's parts are not the
bytes of Polars' one file).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import polars as pl
import pytest

from community_insights.safety import InputError, SparkBackend, keygen, redact_dataset
from community_insights.safety.readers import open_table
from tests.safety.remedies.residents import residents
from tests.safety.remedies.test_remedies_redact import council_file, council_plan

pytestmark = pytest.mark.spark
deltalake = pytest.importorskip("deltalake")


@pytest.fixture(scope="module")
def key(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return keygen(tmp_path_factory.mktemp("key") / "partnership.key")


def _files(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


@pytest.fixture(scope="module")
def copies(tmp_path_factory: pytest.TempPathFactory, key: Path, spark: SparkBackend) -> dict[str, Any]:
    """The council file with small groups removed, copied as Delta once by each engine."""

    folder = tmp_path_factory.mktemp("delta")
    source = council_file(folder / "council.csv", residents(500, seed=3))
    plan = council_plan(source)
    plan.quasi_identifiers, plan.min_group_size, plan.small_groups = ["Date of Birth", "Postcode"], 3, "remove"
    polars = redact_dataset(source, plan, key, folder / "polars.delta")
    on_spark = redact_dataset(source, plan, key, folder / "spark.delta", backend=spark)
    return {"folder": folder, "source": source, "plan": plan, "polars": polars.to_dict(), "spark": on_spark.to_dict()}


def test_the_spark_delta_copy_equals_the_polars_delta_copy_row_for_row(copies: dict[str, Any]) -> None:
    folder = copies["folder"]
    on_polars = pl.concat(open_table(folder / "polars.delta").iter_batches())
    on_spark = pl.concat(open_table(folder / "spark.delta").iter_batches())
    assert on_spark.equals(on_polars)  # in the same order, nulls in the same places
    assert pl.read_delta(str(folder / "spark.delta")).sort(on_spark.columns).equals(on_polars.sort(on_polars.columns))
    assert copies["polars"]["output"]["rows"] < copies["polars"]["source"]["rows"]  # rows were removed
    for part, expected in copies["polars"].items():
        got = copies["spark"][part]
        if part == "output":
            assert {k: v for k, v in got.items() if k not in ("file_name", "sha256")} == {
                k: v for k, v in expected.items() if k not in ("file_name", "sha256")
            }
            assert got["format"] == "delta"
        else:
            assert got == expected, f"{part} differs"


def test_the_spark_delta_copy_is_version_0_with_the_copy_s_schema(copies: dict[str, Any]) -> None:
    folder = copies["folder"]
    spark_table = deltalake.DeltaTable(str(folder / "spark.delta"))
    polars_table = deltalake.DeltaTable(str(folder / "polars.delta"))
    assert spark_table.version() == 0
    assert spark_table.schema().to_arrow() == polars_table.schema().to_arrow()
    assert [f.name for f in spark_table.schema().fields] == copies["spark"]["output"]["columns"]
    assert not [p for p in folder.iterdir() if p.name.startswith(".")]  # no hidden folder left
    # Spark's digest of its parts (in the executors) is the engine's digest of the table read back.
    assert open_table(folder / "spark.delta").sha256() == copies["spark"]["output"]["sha256"]


def test_an_existing_delta_copy_is_refused_and_stays_as_it_was(
    copies: dict[str, Any], key: Path, spark: SparkBackend
) -> None:
    target = copies["folder"] / "spark.delta"
    before = _files(target)
    with pytest.raises(InputError, match="exists; a Delta safe copy is always a new table"):
        redact_dataset(copies["source"], copies["plan"], key, target, backend=spark)
    assert _files(target) == before


def test_a_failed_write_leaves_nothing_and_the_old_copy_untouched(tmp_path: Path, spark: SparkBackend) -> None:
    """The log written, then a failure before the rename: nothing is left but the older copy."""

    from community_insights.safety.spark_commit import commit_parquet, write_delta

    frame = spark.session.createDataFrame([("a",), ("b",)], "x string")
    commit_parquet(frame, str(tmp_path / "old.delta"), write=write_delta)
    old = _files(tmp_path / "old.delta")

    def whole_then_fail(data: Any, path: str) -> None:
        write_delta(data, path)
        assert deltalake.DeltaTable(path).version() == 0  # the table was complete in the hidden folder
        raise OSError("the disk filled up")

    with pytest.raises(OSError, match="disk filled up"):
        commit_parquet(frame.filter("x = 'b'"), str(tmp_path / "new.delta"), write=whole_then_fail)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["old.delta"]
    assert _files(tmp_path / "old.delta") == old
    assert sorted(pl.read_delta(str(tmp_path / "old.delta"))["x"]) == ["a", "b"]


def test_a_delta_copy_at_a_url_is_refused_in_one_sentence(tmp_path: Path, key: Path, spark: SparkBackend) -> None:
    source = council_file(tmp_path / "council.csv", residents(50, seed=8))
    with pytest.raises(InputError, match=r"^On Spark a Delta safe copy is written to a folder on this computer"):
        redact_dataset(source, council_plan(source), key, "s3a://council/safe.delta", backend=spark)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["council.csv"]


def test_the_command_line_writes_a_delta_copy_on_spark(tmp_path: Path, key: Path, copies: dict[str, Any]) -> None:
    from typer.testing import CliRunner

    from community_insights.cli import app
    from community_insights.safety import save_plan

    plan = tmp_path / "plan.yaml"
    save_plan(copies["plan"], plan)
    target = tmp_path / "safe.delta"
    args = ["redact", str(copies["source"]), "--plan", str(plan), "--key-file", str(key), "--engine", "spark"]
    result = CliRunner().invoke(app, [*args, "--output", str(target)])
    assert result.exit_code == 0, result.output
    assert "Safe copy written" in result.output
    assert deltalake.DeltaTable(str(target)).version() == 0
    written = pl.concat(open_table(target).iter_batches())
    assert written.equals(pl.concat(open_table(copies["folder"] / "polars.delta").iter_batches()))
