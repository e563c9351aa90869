"""check_dataset end to end on a generated export with known truth."""

from __future__ import annotations

import json
from pathlib import Path

import polars as pl
import pytest

from community_insights.safety import CheckOptions, InputError, Verdict, check_dataset, exit_code, to_jsonable
from community_insights.safety.areas import sample_households_path
from community_insights.safety.synth import generate_export
from community_insights.safety.types import ColumnKind, PiiType, Span


@pytest.fixture(scope="module")
def export_csv(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, object]:
    export = generate_export(600, seed=3)
    path = tmp_path_factory.mktemp("check") / "export.csv"
    export.frame.write_csv(path)
    return path, export


@pytest.mark.slow  # loads the spaCy model once for the free-text scan
def test_every_column_classified_as_the_truth_says(export_csv: tuple[Path, object]) -> None:
    path, export = export_csv
    spans: list[Span] = []
    report = check_dataset(path, CheckOptions(workers=0), findings_sink=spans.extend)
    truth = export.columns  # type: ignore[attr-defined]
    for finding in report.columns:
        expected = truth[finding.name]
        assert finding.kind == expected.kind, finding.name
        assert set(finding.pii_types) == set(expected.pii_types), finding.name
    assert report.summary.verdict == Verdict.NOT_SHAREABLE
    assert exit_code(report) == 1
    assert report.source.rows == 600 and report.source.columns == 21
    # spans point at real rows and real offsets of the notes column
    notes = export.frame.get_column("notes").to_list()  # type: ignore[attr-defined]
    assert spans and all(0 <= s.row < 600 and 0 <= s.start < s.end <= len(notes[s.row]) for s in spans)
    assert sum(report.summary.span_counts.values()) == len(spans)
    assert [(s.row, s.start) for s in spans] == sorted((s.row, s.start) for s in spans)


def test_report_never_contains_raw_values(export_csv: tuple[Path, object]) -> None:
    path, export = export_csv
    report = check_dataset(path, CheckOptions(workers=0))
    text = json.dumps(to_jsonable(report), ensure_ascii=False)
    frame = export.frame  # type: ignore[attr-defined]
    for column in ("client_name", "nhs_no", "ni_number", "tel", "contact", "postcode", "address_1", "dob"):
        for value in frame.get_column(column).head(200).to_list():
            assert value not in text, column


def test_mosaic_and_small_areas_are_reported(export_csv: tuple[Path, object]) -> None:
    path, _ = export_csv
    report = check_dataset(path, CheckOptions(households=sample_households_path(), workers=0, free_text=False))
    assert report.small_areas.full_postcodes_present
    assert report.small_areas.households_lookup == "sample_households.csv"
    assert set(report.mosaic.quasi_identifiers) >= {"postcode", "dob", "gender", "ward", "ethnicity"}
    assert report.mosaic.k == 1 and report.mosaic.unique_records > 0
    assert any("singles out" in c.sentence for c in report.mosaic.combinations)
    assert {d.column for d in report.mosaic.l_diversity} == {"religion", "health_condition", "sexual_orientation"}


def test_quasi_override_sample_and_threshold(export_csv: tuple[Path, object]) -> None:
    path, _ = export_csv
    report = check_dataset(path, CheckOptions(quasi=["gender", "ward"], sample=250, threshold=3, free_text=False))
    assert report.mosaic.quasi_identifiers == ["gender", "ward"]
    assert report.source.rows_checked == 250 and report.source.sampled
    with pytest.raises(InputError, match="not in the file"):
        check_dataset(path, CheckOptions(quasi=["nope"]))


def test_safe_dataset(tmp_path: Path) -> None:
    path = tmp_path / "safe.csv"
    pl.DataFrame(
        {
            "age_band": ["18-24", "25-34"] * 30,
            "service": ["Food bank", "Debt advice", "Befriending"] * 20,
            "visits": [str(i % 5) for i in range(60)],
        }
    ).write_csv(path)
    progress: list[tuple[int, int | None]] = []
    report = check_dataset(path, progress=lambda done, total: progress.append((done, total)))
    assert report.summary.verdict == Verdict.SAFE_TO_SHARE, report.summary.reasons
    assert exit_code(report) == 0
    assert progress[-1] == (60, 60)


def test_column_sparse_at_the_start_is_decided_later(tmp_path: Path) -> None:
    emails = [None] * 150_000 + [f"person{i}@example.org" for i in range(50)]
    path = tmp_path / "late.parquet"
    pl.DataFrame({"contact": emails, "n": list(range(150_050))}).write_parquet(path)
    report = check_dataset(path, CheckOptions(free_text=False))
    contact = next(c for c in report.columns if c.name == "contact")
    assert contact.kind == ColumnKind.DIRECT_IDENTIFIER and contact.pii_types == [PiiType.EMAIL]


def test_bad_input_raises_input_error(tmp_path: Path) -> None:
    with pytest.raises(InputError):
        check_dataset(tmp_path / "missing.csv")
    path = tmp_path / "a.csv"
    path.write_text("a\n1\n")
    with pytest.raises(InputError):
        check_dataset(path, CheckOptions(households=tmp_path / "nope.csv"))


@pytest.mark.parametrize("free_text", [False, True])
def test_streaming_count_matches_counting_batch_by_batch(tmp_path: Path, free_text: bool) -> None:
    """A delimited file is counted by one streaming query; a spreadsheet batch by batch: same findings."""

    from community_insights.safety import write_table

    export = generate_export(600, seed=11)
    csv_path = tmp_path / "export.csv"
    export.frame.write_csv(csv_path)
    jsonl_path = tmp_path / "export.jsonl"
    write_table([pl.read_csv(csv_path, infer_schema=False)], jsonl_path)
    options = CheckOptions(free_text=free_text, workers=0)
    streamed = check_dataset(csv_path, options)
    walked = check_dataset(jsonl_path, options)
    assert to_jsonable(streamed.mosaic) == to_jsonable(walked.mosaic)
    assert to_jsonable(streamed.small_areas) == to_jsonable(walked.small_areas)
    assert streamed.source.rows_checked == walked.source.rows_checked == 600
    assert streamed.mosaic.quasi_identifiers and streamed.small_areas.areas  # something was counted
    sampled = check_dataset(csv_path, CheckOptions(free_text=free_text, workers=0, sample=250))
    assert sampled.source.rows_checked == 250 and sampled.source.sampled
    assert sampled.mosaic.records_below_threshold <= 250


def test_blank_and_spaces_only_cells_are_not_an_area_or_a_value(tmp_path: Path) -> None:
    wards = ["Beckton", "Custom House", "Plaistow"] * 12 + ["", " ", "  "] * 4
    rows = ["age_band,ward,health"] + [f"25-34,{w},Asthma" for w in wards]
    csv_path = tmp_path / "blanks.csv"
    csv_path.write_text("\n".join(rows) + "\n", encoding="utf-8")
    report = check_dataset(csv_path, CheckOptions(free_text=False))
    ward = next(a for a in report.small_areas.areas if a.column == "ward")
    assert ward.areas == 3 and ward.areas_below == 0  # the blanks are not an area
    assert report.mosaic.groups == 4  # three wards and blank
    assert report.mosaic.k == 12


def test_combinations_counted_in_many_small_blocks_give_the_same_report(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The file is counted block by block and the partial counts merged: the report does not
    depend on where the blocks were cut, nor on how often the counts were merged, whether the
    combinations nearly never repeat (a date of birth beside a postcode) or often do."""

    from community_insights.safety.readers import blocks

    path = tmp_path / "people.csv"
    export = generate_export(3000, seed=11)
    export.frame.write_csv(path)
    options = CheckOptions(free_text=False)
    whole = to_jsonable(check_dataset(path, options))
    monkeypatch.setattr(blocks, "BLOCK_BYTES", 4_096)  # about 20 rows a block: many merges
    assert path.stat().st_size > 40 * blocks.BLOCK_BYTES
    cut = to_jsonable(check_dataset(path, options))
    for part in ("columns", "small_areas", "mosaic"):
        assert whole[part] == cut[part]  # type: ignore[index]
    for quasi in (["dob", "postcode", "gender"], ["gender", "ethnicity"]):
        repeat = CheckOptions(free_text=False, quasi=quasi)
        monkeypatch.setattr(blocks, "BLOCK_BYTES", 8 * 1024 * 1024)
        one_block = to_jsonable(check_dataset(path, repeat))
        monkeypatch.setattr(blocks, "BLOCK_BYTES", 4_096)
        assert to_jsonable(check_dataset(path, repeat))["mosaic"] == one_block["mosaic"]  # type: ignore[index]


def test_checks_side_by_side_leave_the_cycle_collector_as_they_found_it() -> None:
    """The collector is paused per process, not per check: overlapping checks must not leave it off."""

    import gc

    from community_insights.safety.collector import CollectorPaused as _CollectorPaused

    assert gc.isenabled()
    first, second = _CollectorPaused(), _CollectorPaused()
    first.__enter__()
    second.__enter__()
    assert not gc.isenabled()
    first.__exit__(None, None, None)
    assert not gc.isenabled()  # the second check is still counting
    second.resume()  # its free-text walk
    assert gc.isenabled()
    second.pause()
    second.pause()  # twice does no harm
    second.__exit__(None, None, None)
    assert gc.isenabled()

    gc.disable()  # a host that runs with the collector off keeps it off
    try:
        with _CollectorPaused():
            pass
        assert not gc.isenabled()
    finally:
        gc.enable()


def test_check_leaves_the_collector_on_after_bad_input(tmp_path: Path) -> None:
    import gc

    empty = tmp_path / "empty.csv"
    empty.write_text("")
    with pytest.raises(InputError):
        check_dataset(empty)
    assert gc.isenabled()


def test_a_quasi_identifier_named_twice_counts_once(export_csv: tuple[Path, object]) -> None:
    path, _ = export_csv
    report = check_dataset(path, CheckOptions(free_text=False, quasi=["ward", "ward", "gender"]))
    assert report.mosaic.quasi_identifiers == ["ward", "gender"]


def _late_bad_byte(tmp_path: Path, header: str, row: str, rows: int) -> Path:
    """A UTF-8 file whose one stray byte sits in its last cell, far past the first rows."""

    path = tmp_path / "late-byte.csv"
    body = (header + "\n" + (row + "\n") * rows).encode("utf-8")
    path.write_bytes(body + row.encode("utf-8")[:-1] + b"\xff\n")
    return path


@pytest.mark.parametrize(
    ("header", "row", "options"),
    [
        # keys are counted (ward, gender): the count reads every row, though not the stray byte's column
        ("ward,gender,comment", "North,F,fine", CheckOptions(free_text=False)),
        # no keys at all: rows are only counted, so the bytes are checked on their own
        ("comment,other", "fine,also fine", CheckOptions(free_text=False)),
        # a sample: the rows past it are never read, so the scan checks the bytes
        ("ward,gender,comment", "North,F,fine", CheckOptions(free_text=False, sample=50)),
    ],
)
def test_a_late_byte_that_is_not_utf8_is_refused_by_name(
    tmp_path: Path, header: str, row: str, options: CheckOptions
) -> None:
    """Wherever the stray byte is and however the rows are read, the check names it and where it is."""

    path = _late_bad_byte(tmp_path, header, row, 100_000)  # past what the first rows are read from
    with pytest.raises(InputError, match=r"starts as UTF-8 but has bytes that are not, around byte \d+"):
        check_dataset(path, options)


def test_polars_refuses_a_stray_byte_in_a_column_it_does_not_keep(tmp_path: Path) -> None:
    """The check leaves UTF-8 to Polars when it reads every row: that holds only if this does."""

    path = _late_bad_byte(tmp_path, "ward,gender,comment", "North,F,fine", 30_000)
    frame = pl.scan_csv(path, infer_schema=False, encoding="utf8").select("ward")
    for engine in ("streaming", "in-memory"):
        with pytest.raises(pl.exceptions.PolarsError):
            frame.collect(engine=engine)  # type: ignore[call-overload]
