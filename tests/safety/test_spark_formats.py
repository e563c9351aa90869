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
from community_insights.safety.check import CLASSIFY_ROWS
from community_insights.safety.readers import write_table
from community_insights.safety.remedies import plan_dataset
from community_insights.safety.synth import generate_export
from tests.badinput import corpus
from tests.safety.test_spark_backend import _assert_same as assert_same_report
from tests.safety.test_spark_redact import _read_back
from tests.safety.test_spark_table import _assert_same as assert_same_table

pytestmark = pytest.mark.spark

FORMATS = ["parquet", "jsonl", "xlsx", "dta", "sav"]
#: Stata and SPSS reach Spark by the spreadsheet's road (the driver's reader, then Arrow): their check is
#: compared, their copy and table would only repeat the spreadsheet's (a minute of the suite's time each).
DRIVER_ROUTE_CHECKED_ONLY = ("dta", "sav")


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
    if fmt in DRIVER_ROUTE_CHECKED_ONLY:
        return  # read on the driver and handed to Spark as the spreadsheet is: its copy and table are compared below

    plan = plan_dataset(path, pseudonymise=["nhs_no"])
    made, told = {}, []
    for engine, backend in (("polars", None), ("spark", spark)):
        (tmp_path / engine).mkdir()
        progress = None if backend is None else (lambda done, total: told.append((done, total)))
        copy = tmp_path / engine / "safe.parquet"
        made[engine] = redact_dataset(path, plan, key, copy, backend=backend, progress=progress).to_dict()
    _assert_honest_progress(told)
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


def _assert_honest_progress(told: list[tuple[int, int | None]]) -> None:
    """Spark's tasks: never going back, never more done than known, and all done at the end."""

    assert told, "no progress was reported"
    done = [d for d, _ in told]
    totals = [t for _, t in told]
    assert done == sorted(done) and totals == sorted(totals)  # type: ignore[type-var]
    assert all(t is not None and d <= t for d, t in told)
    assert told[-1][0] == told[-1][1] and told[-1][0] > 0


def _corpus_cases() -> list[corpus.Case]:
    cases = [*corpus._spreadsheets(), *corpus._jsonl()]
    return [
        c for c in cases if c.data.endswith((".xlsx", ".xls", ".ods", ".parquet", ".jsonl")) and "check" in c.commands
    ]


@pytest.mark.parametrize("case", _corpus_cases(), ids=lambda c: c.name)
def test_the_bad_input_corpus_gives_the_same_report_or_refusal(
    tmp_path: Path, spark: SparkBackend, case: corpus.Case
) -> None:
    """Damaged spreadsheets, Parquet and JSON Lines: the polars engine's sentence, also when Spark meets the fault."""

    case.write(tmp_path)
    assert_same_report(tmp_path / case.data, CheckOptions(free_text=False), spark)


@pytest.mark.parametrize("fault", ["a line that is not JSON", "a cell of 2 MiB"])
def test_a_fault_past_the_first_rows_is_met_in_the_executors_with_the_readers_sentence(
    tmp_path: Path, spark: SparkBackend, fault: str
) -> None:
    """The first rows are read here to classify the columns; a fault after them is Spark's to meet."""

    rows = CLASSIFY_ROWS + 500
    if fault == "a line that is not JSON":
        path = tmp_path / "forms.jsonl"
        lines = ['{"ward": "Castle", "gender": "F"}'] * rows
        lines[CLASSIFY_ROWS + 200] = '{"ward": "Castle", "gender": '
        path.write_text("\n".join(lines) + "\n")
        sentence = "refused: Line 1 onwards of forms.jsonl is not valid JSON Lines"
    else:
        path = tmp_path / "forms.parquet"
        wards = ["Castle"] * rows
        wards[CLASSIFY_ROWS + 200] = "x" * (2 * 1024 * 1024)
        pl.DataFrame({"ward": wards, "gender": ["F"] * rows}).write_parquet(path)
        sentence = "refused: The file forms.parquet has a cell longer than"
    refused = assert_same_report(path, CheckOptions(free_text=False), spark)
    assert isinstance(refused, str) and refused.startswith(sentence), refused


def test_a_parquet_type_spark_reads_differently_is_read_here_and_still_equal(
    tmp_path: Path, spark: SparkBackend
) -> None:
    """Milliseconds come back from Spark as microseconds (other text), durations as numbers: read on the driver."""

    from community_insights.safety.readers import open_table
    from community_insights.safety.spark_files import _spark_reads_exactly

    path = tmp_path / "visits.parquet"
    rows = 60
    pl.DataFrame(
        {
            "ward": ["Castle", "Abbey", "Riverside"] * (rows // 3),
            "seen": pl.Series([dt.datetime(2024, 1, 5, 9, 30)] * rows, dtype=pl.Datetime("ms")),
            "stay": [dt.timedelta(minutes=m) for m in range(rows)],
        }
    ).write_parquet(path)
    assert not _spark_reads_exactly(open_table(path))
    report = assert_same_report(path, CheckOptions(free_text=False), spark)
    assert isinstance(report, dict)
