"""The Spark backend gives the same check report as the Polars backend, on Spark ``local[2]``.

Every field of the report is compared except the timing: the columns and
their evidence, the small areas, the mosaic (k-anonymity, l-diversity, the
combinations, what to generalise first), the verdict and its reasons. The
tables are generated exports and the files of the engine's other tests (the
bad-input corpus, odd shapes and encodings); a refusal must be the same
sentence from both. One Spark session serves the whole test session.
"""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from community_insights.safety import (
    CheckOptions,
    InputError,
    PolarsBackend,
    Span,
    SparkBackend,
    check_dataset,
    to_jsonable,
)
from community_insights.safety.areas import sample_households_path
from community_insights.safety.synth import generate_export
from tests.badinput import corpus

pytestmark = pytest.mark.spark


def _report(path: Path, options: CheckOptions, backend: Any) -> dict[str, Any] | str:
    """The report without its timing, or the refusal's sentence."""

    try:
        data = to_jsonable(check_dataset(path, options, backend=backend))
    except InputError as refused:
        return f"refused: {refused}"
    data["summary"].pop("seconds")
    return data


def _assert_same(path: Path, options: CheckOptions, spark: SparkBackend) -> dict[str, Any] | str:
    expected = _report(path, options, PolarsBackend())
    got = _report(path, options, spark)
    if isinstance(expected, dict) and isinstance(got, dict):
        for part in expected:
            assert got[part] == expected[part], f"{part} differs"
    assert got == expected
    return got


@pytest.fixture(scope="module")
def export_csv(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("spark") / "export.csv"
    generate_export(2_000, seed=7).frame.write_csv(path)
    return path


@pytest.mark.slow  # the free-text scan loads spaCy
@pytest.mark.parametrize("sample", [None, 300], ids=["every-row", "first-300-rows"])
def test_a_generated_export_with_notes_gives_the_same_report_and_findings(
    export_csv: Path, spark: SparkBackend, sample: int | None
) -> None:
    """The notes are scanned in Spark's executors: the same counts, examples and findings, in the same order.

    One check on each engine gives both the report and the findings (the scan is the dear part); a
    sampled check scans only the first rows, on Spark as on one machine.
    """

    findings: dict[str, list[Span]] = {"polars": [], "spark": []}
    reports = {}
    for name, backend in (("polars", PolarsBackend()), ("spark", spark)):
        options = CheckOptions(workers=0, sample=sample)
        reports[name] = to_jsonable(
            check_dataset(export_csv, options, findings_sink=findings[name].extend, backend=backend)
        )
        reports[name]["summary"].pop("seconds")
    expected, got = reports["polars"], reports["spark"]
    for part in expected:
        assert got[part] == expected[part], f"{part} differs"
    assert got == expected
    assert expected["mosaic"]["quasi_identifiers"] and expected["small_areas"]["areas"]  # something was counted
    assert any(c["span_count"] for c in expected["columns"])  # and the notes were scanned
    assert findings["spark"] == findings["polars"] and findings["polars"]
    assert expected["source"]["rows_checked"] == (sample or 2_000)


@pytest.mark.slow  # the free-text scan loads spaCy
def test_findings_of_many_batches_come_in_the_one_machine_order(
    export_csv: Path, spark: SparkBackend, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Spans reach the sink by batch, column and row over several row ranges; the report needs none of them."""

    from community_insights.safety import check

    monkeypatch.setattr(check, "BATCH_ROWS", 300)  # seven batches of the 2,000 rows, each its own range in Spark
    findings: dict[str, list[list[Span]]] = {"polars": [], "spark": []}
    for name, backend in (("polars", PolarsBackend()), ("spark", spark)):
        check_dataset(export_csv, CheckOptions(workers=0), findings_sink=findings[name].append, backend=backend)
    assert findings["spark"] == findings["polars"] and len(findings["polars"]) > 1  # one sink call a batch


@pytest.mark.parametrize(
    "options",
    [
        CheckOptions(free_text=False),
        CheckOptions(free_text=False, sample=700),
        CheckOptions(free_text=False, threshold=3, quasi=["ward", "gender", "ethnicity"]),
        CheckOptions(free_text=False, sensitive=["service"], measures=("entropy-l", "t-closeness")),
        CheckOptions(free_text=False, households=sample_households_path()),
    ],
    ids=["default", "sample", "quasi-threshold", "sensitive-measures", "households"],
)
def test_every_option_gives_the_same_report(export_csv: Path, spark: SparkBackend, options: CheckOptions) -> None:
    report = _assert_same(export_csv, options, spark)
    assert isinstance(report, dict) and report["mosaic"]["quasi_identifiers"]


def test_a_generated_table_of_another_size_and_separator_gives_the_same_report(
    tmp_path: Path, spark: SparkBackend
) -> None:
    """Another seed, another size, tabs: one such table (a second seed proved nothing the first did not)."""

    path = tmp_path / "export.tsv"
    generate_export(2_100, seed=2).frame.write_csv(path, separator="\t")
    _assert_same(path, CheckOptions(free_text=False), spark)


def _odd_files() -> dict[str, Callable[[Path], None]]:
    """Files of odd shape from the engine's reader and check tests, each a readable table."""

    def text(content: str | bytes) -> Callable[[Path], None]:
        data = content.encode("utf-8") if isinstance(content, str) else content
        return lambda path: path.write_bytes(data)

    wards = ["Beckton", "Custom House", "Plaistow"] * 12 + ["", " ", "  ", " Beckton", "Plaistow "] * 4
    return {
        "blank and padded cells": text("age_band,ward,health\n" + "".join(f"25-34,{w},Asthma\n" for w in wards)),
        "quoted line breaks and quotes": text(
            "ward,gender,comment\n"
            + "".join(f'{w},{g},"line one\nline ""two"", {i}"\n' for i, (w, g) in enumerate([("North", "F")] * 30))
            + "South,M,plain\n" * 20
        ),
        "blank lines and lines of commas": text(
            "ward,gender,age_band\n" + "North,F,18-24\n\n,,\nSouth,M,25-34\n\r\n" * 25
        ),
        "mixed line ends and empty quoted cells": text(
            "ward,gender,age_band\n" + 'North,F,18-24\r\nSouth,"",25-34\n\r\nEast,M,\r\n"West",,""\n' * 25
        ),
        "short and long rows": text("ward,gender,age_band\n" + "North,F\nSouth,M,25-34,extra,more\n" * 25),
        "CRLF line ends": text("ward,gender,age_band\r\n" + "North,F,18-24\r\nSouth,M,25-34\r\n" * 25),
        "no header (first row is data)": text("".join(f"E1 {i % 7}AB,F,{i % 5}\n" for i in range(60))),
        "latin-1 with a byte order mark": text(
            b"\xef\xbb\xbf" + ("ward,name\n" + "Núñez Street,José\n" * 40).encode("utf-8")
        ),
        "semicolons": text("ward;gender;age_band\n" + "North;F;18-24\nSouth;M;25-34\n" * 25),
        "a late byte that is not UTF-8": text(
            ("ward,gender,comment\n" + "North,F,fine\n" * 70_000).encode() + b"North,F,fin\xff\n"
        ),
    }


@pytest.mark.parametrize("name", list(_odd_files()))
def test_odd_files_give_the_same_report_or_the_same_refusal(tmp_path: Path, spark: SparkBackend, name: str) -> None:
    path = tmp_path / "odd.csv"
    _odd_files()[name](path)
    _assert_same(path, CheckOptions(free_text=False), spark)


_GIANT = {"a single 70 MB line", "three 60 MiB lines", "a quoted cell of 2 MiB over many lines", "20000 columns"}


def _corpus_cases() -> list[corpus.Case]:
    """The bad-input corpus's delimited-text cases the check reads, less the giant ones (memory tests)."""

    return [
        c
        for c in [*corpus._junk(), *corpus._structure()]
        if c.data.endswith((".csv", ".tsv")) and "check" in c.commands and c.name not in _GIANT
    ]


@pytest.mark.parametrize("case", _corpus_cases(), ids=lambda c: c.name)
def test_the_bad_input_corpus_gives_the_same_report_or_refusal(
    tmp_path: Path, spark: SparkBackend, case: corpus.Case
) -> None:
    case.write(tmp_path)
    _assert_same(tmp_path / case.data, CheckOptions(free_text=False), spark)


def test_a_spark_failure_is_one_sentence_without_the_data(tmp_path: Path, spark: SparkBackend) -> None:
    """A read that Spark itself refuses (here the file vanishes under it) is the table's own sentence."""

    from community_insights.safety.readers import open_table

    path = tmp_path / "people.csv"
    path.write_text("ward,gender\n" + "Jane Smith,F\n" * 20)
    table = open_table(path)
    scan = spark.scan(table)
    path.unlink()
    with pytest.raises(InputError) as refused:
        spark.count(table, scan, ["ward"])
    assert "Jane" not in str(refused.value) and str(refused.value).endswith(".")


def test_counts_come_back_as_the_polars_backend_gives_them(export_csv: Path, spark: SparkBackend) -> None:
    from community_insights.safety.readers import open_table

    table = open_table(export_csv)
    keys = ["ward", "gender", "ethnicity"]
    by_spark = spark.count(table, spark.scan(table), keys)
    polars = PolarsBackend()
    by_polars = polars.count(table, polars.scan(table), keys)
    assert by_spark.schema == by_polars.schema
    assert by_spark.sort(keys, nulls_last=True).equals(by_polars.sort(keys, nulls_last=True))
    rows = spark.count(table, spark.scan(table), [], limit=123)
    assert rows.to_dicts() == [{"records": 123}]


def test_the_command_line_checks_on_spark(export_csv: Path, tmp_path: Path, spark: SparkBackend) -> None:
    """``--engine spark`` (in this process, so the session is shared) writes the Polars report."""

    from typer.testing import CliRunner

    from community_insights.cli import app

    reports = {}
    for engine in ("polars", "spark"):
        out = tmp_path / f"{engine}.json"
        args = ["check", str(export_csv), "--no-free-text", "-f", "json", "-o", str(out), "--engine", engine]
        result = CliRunner().invoke(app, args)
        assert result.exit_code == 1, result.output  # personal data found
        data = json.loads(out.read_text(encoding="utf-8"))
        data["summary"].pop("seconds")
        reports[engine] = data
    assert reports["spark"] == reports["polars"]


def test_the_default_path_never_imports_pyspark(export_csv: Path) -> None:
    code = (
        "import sys; from community_insights.safety import check_dataset, CheckOptions, SparkBackend; "
        f"check_dataset({str(export_csv)!r}, CheckOptions(free_text=False)); "
        "assert 'pyspark' not in sys.modules, 'pyspark was imported'"
    )
    subprocess.run([sys.executable, "-c", code], check=True)


def _risk_and_verdict(report: dict[str, Any] | str) -> dict[str, Any]:
    """What the check found, without what it read: a DataFrame has no file name, format or hash, and a
    path Spark reads has no whole-file scan to list blank or ragged rows among its problems."""

    assert isinstance(report, dict), report
    source = {k: report["source"][k] for k in ("rows", "columns", "rows_checked", "sampled")}
    return {"source": source, **{part: report[part] for part in ("columns", "small_areas", "mosaic", "summary")}}


@pytest.mark.parametrize("sample", [None, 500])
def test_a_spark_dataframe_gives_the_report_of_its_file(
    export_csv: Path, spark: SparkBackend, sample: int | None
) -> None:
    """The Python API takes a DataFrame (a notebook's), and checks it on its own session."""

    frame = spark.session.read.option("header", "true").option("multiLine", "true").option("escape", '"')
    frame = frame.csv(str(export_csv))
    options = CheckOptions(free_text=False, sample=sample)
    from_frame = _report(frame, options, None)  # the backend follows from the DataFrame
    from_file = _report(export_csv, options, PolarsBackend())
    assert _risk_and_verdict(from_frame) == _risk_and_verdict(from_file)
    assert isinstance(from_frame, dict) and from_frame["source"]["format"] == "spark"
    assert from_frame["source"]["problems"] == []
    assert "none" in from_frame["source"]["sha256"]


@pytest.mark.slow  # the free-text scan loads spaCy
def test_free_text_in_a_spark_dataframe_is_scanned_in_the_executors_with_the_same_findings(
    tmp_path: Path, spark: SparkBackend
) -> None:
    path = tmp_path / "notes.csv"
    generate_export(400, seed=9).frame.write_csv(path)
    frame = spark.session.read.option("header", "true").option("multiLine", "true").option("escape", '"').csv(str(path))
    from_frame = _report(frame, CheckOptions(workers=0), spark)
    assert _risk_and_verdict(from_frame) == _risk_and_verdict(_report(path, CheckOptions(workers=0), PolarsBackend()))


@pytest.mark.slow  # three files read by Spark itself, each checked on both engines
def test_a_path_spark_reads_gives_the_report_of_the_file(export_csv: Path, spark: SparkBackend) -> None:
    """A path with a scheme (``abfss://``, ``s3a://`` on a cluster; ``file://`` here) is read by Spark."""

    options = CheckOptions(free_text=False)
    by_spark = _report(export_csv.as_uri(), options, spark)
    assert _risk_and_verdict(by_spark) == _risk_and_verdict(_report(export_csv, options, PolarsBackend()))
    assert isinstance(by_spark, dict) and by_spark["source"]["file_name"] == "export.csv"
    odd = export_csv.parent / "odd-line-ends.csv"
    _odd_files()["mixed line ends and empty quoted cells"](odd)
    assert _risk_and_verdict(_report(odd.as_uri(), options, spark)) == _risk_and_verdict(
        _report(odd, options, PolarsBackend())
    )
    refused = _report(export_csv.with_suffix(".xlsx").as_uri(), options, spark)
    assert refused == (
        "refused: Spark reads export.xlsx by path only as CSV, TSV, Parquet or JSON Lines; "
        "read it into a Spark DataFrame and check that instead."
    )


def test_without_pyspark_the_spark_engine_says_what_to_install(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "pyspark", None)  # as if it were not installed: import fails
    with pytest.raises(InputError, match="install Community Insights with its spark extra"):
        SparkBackend()


def test_a_sample_of_a_file_spark_splits_is_its_first_rows(tmp_path: Path, spark: SparkBackend) -> None:
    """Spark reads a file without quoted line breaks in parallel parts; a sample is still the first rows."""

    path = tmp_path / "wards.csv"
    path.write_text("ward,gender\n" + "North,F\n" * 60_000 + "South,M\n" * 60_000, encoding="utf-8")
    from community_insights.safety.readers import open_table

    table = open_table(path)
    spark.session.conf.set("spark.sql.files.maxPartitionBytes", "64k")  # parts as a cluster would read them
    try:
        split = spark.scan(table)
        assert split is not None and split.frame.rdd.getNumPartitions() > 1  # split, not read whole
        counted = spark.count(table, split, ["ward"], limit=70_000).sort("ward").to_dicts()
    finally:
        spark.session.conf.unset("spark.sql.files.maxPartitionBytes")
    assert counted == [{"ward": "North", "records": 60_000}, {"ward": "South", "records": 10_000}]


@pytest.mark.slow  # the free-text scan loads spaCy (in Spark's Python workers)
def test_free_text_is_scanned_in_the_executors_not_walked_on_the_driver(
    tmp_path: Path, spark: SparkBackend, monkeypatch: pytest.MonkeyPatch
) -> None:
    from community_insights.safety.text_scan import FreeTextScanner

    walked: list[int] = []
    original = FreeTextScanner.add

    def add(self: FreeTextScanner, batch: Any, row_offset: int) -> None:
        if self.available:
            walked.append(batch.height)
        original(self, batch, row_offset)

    monkeypatch.setattr(FreeTextScanner, "add", add)
    path = tmp_path / "notes.csv"
    path.write_text("ward,notes\n" + "North,Spoke to Jane Smith on 07700 900123\n" * 30, encoding="utf-8")
    report = check_dataset(path, CheckOptions(workers=0), backend=spark)
    notes = next(c for c in report.columns if c.name == "notes")
    assert notes.span_count and walked == []  # found, and no row of notes went through the driver's scanner
    check_dataset(path, CheckOptions(workers=0))
    assert walked == [30]  # the Polars path does walk them: the test can tell the two apart


def test_a_session_out_of_memory_is_said_so_not_called_an_unreadable_file(tmp_path: Path) -> None:
    """A 10-million-row safe copy on a 1 GiB local session ran out of Java heap and was told its file was unreadable."""

    from pyspark.errors import PySparkException

    from community_insights.safety.errors import EngineMemoryError, InputError
    from community_insights.safety.readers import open_table
    from community_insights.safety.spark_backend import spark_failure

    path = tmp_path / "referrals.csv"
    path.write_text("name,ward\nAda Lovelace,North\n", encoding="utf-8")
    table = open_table(path)
    failed = PySparkException("Job aborted due to stage failure: java.lang.OutOfMemoryError: Java heap space")
    said = spark_failure(table, failed)
    assert isinstance(said, EngineMemoryError) and not isinstance(said, InputError)
    assert str(said).startswith("Spark ran out of memory while working on referrals.csv")
    assert "spark.driver.memory" in str(said)
    unreadable = spark_failure(table, PySparkException("Malformed CSV record"))
    assert isinstance(unreadable, InputError) and str(unreadable) == str(table.read_failure())
