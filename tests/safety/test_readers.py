"""Readers: every format in, every format out, and bad input refused with one sentence."""

from __future__ import annotations

import os
import string
import zipfile
from pathlib import Path

import polars as pl
import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from community_insights.safety import readers
from community_insights.safety.errors import InputError
from community_insights.safety.readers import limits, open_table, sheet_names, write_table


def _rows(table: readers.Table, batch_rows: int = 100_000) -> list[tuple]:
    return [row for batch in table.iter_batches(batch_rows) for row in batch.rows()]


FRAME = pl.DataFrame(
    {
        "nhs_number": ["0123456789", "9434765919", None],
        "name": ["Siobhán O'Neill", "=HYPERLINK(1)", "Zoë Ødegaard"],
        "case": ["007", "010", "100"],
    }
)


@pytest.mark.parametrize("fmt", ["csv", "tsv", "xlsx", "parquet", "jsonl"])
def test_write_then_open_round_trips_every_format(tmp_path: Path, fmt: str) -> None:
    path = tmp_path / f"data.{fmt}"
    write_table([FRAME, FRAME], path)
    table = open_table(path)
    assert table.format == fmt
    assert table.columns == ["nhs_number", "name", "case"]
    assert table.row_count() == 6
    rows = _rows(table, batch_rows=4)
    assert rows[0] == ("0123456789", "Siobhán O'Neill", "007")  # leading zeros survive
    # Never turned into a formula: files people open get an apostrophe first (OWASP), others keep it as is.
    assert rows[1][1] == ("'=HYPERLINK(1)" if fmt in ("csv", "tsv", "xlsx") else "=HYPERLINK(1)")
    assert len(rows) == 6
    if fmt in ("csv", "tsv", "xlsx"):
        write_table([FRAME], path, escape_formulas=False)
        assert _rows(open_table(path), batch_rows=4)[1][1] == "=HYPERLINK(1)"


def test_batches_respect_batch_rows(tmp_path: Path) -> None:
    path = tmp_path / "big.csv"
    write_table([pl.DataFrame({"id": [str(i) for i in range(2_500)]})], path)
    sizes = [b.height for b in open_table(path).iter_batches(1_000)]
    assert sum(sizes) == 2_500
    assert max(sizes) <= 1_000


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "cp1252", "utf-16"])
def test_csv_in_common_encodings(tmp_path: Path, encoding: str) -> None:
    path = tmp_path / "enc.csv"
    path.write_bytes("name,town\nJosé Müller,Bath £5\n".encode(encoding))
    table = open_table(path)
    assert table.columns == ["name", "town"]
    assert _rows(table) == [("José Müller", "Bath £5")]


def test_utf8_sample_but_cp1252_later_is_refused_with_advice(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(limits, "SAMPLE_BYTES", 64)
    path = tmp_path / "late.csv"
    path.write_bytes(b"a,b\n" + b"x,y\n" * 100 + "£,z\n".encode("cp1252"))
    with pytest.raises(InputError, match="give its encoding"):
        open_table(path)
    assert _rows(open_table(path, encoding="cp1252"))[-1] == ("£", "z")


@pytest.mark.parametrize("delim", [";", "|", "\t"])
def test_odd_delimiters_are_detected(tmp_path: Path, delim: str) -> None:
    path = tmp_path / "d.txt"
    path.write_text(f'id{delim}postcode{delim}note\n1{delim}NW1 6XE{delim}"a{delim}b"\n')
    table = open_table(path)
    assert table.delimiter == delim
    assert _rows(table) == [("1", "NW1 6XE", f"a{delim}b")]


def test_quoted_newlines_and_ragged_rows_are_reported_not_dropped(tmp_path: Path) -> None:
    path = tmp_path / "ragged.csv"
    path.write_bytes(b'id,name,notes\r\n1,Ann,"line one\r\nline two"\r\n2,Bob\r\n3,Cy,x,EXTRA\r\n\r\n4,Di,y\r\n')
    table = open_table(path)
    assert table.columns == ["id", "name", "notes", "extra_field_1"]
    rows = _rows(table)
    assert rows[0] == ("1", "Ann", "line one\r\nline two", None)
    assert rows[2] == ("3", "Cy", "x", "EXTRA")
    assert len(rows) == 4 and table.row_count() == 4, "the blank line is reported, not read as a row"
    text = " ".join(table.problems)
    assert "1 row has more fields" in text and "1 row has fewer fields" in text and "1 blank row" in text
    assert "1, 2" in text  # 0-based data rows, no values
    assert "EXTRA" not in text and "Bob" not in text


@pytest.mark.parametrize("blank", [b"\n", b"\r\n", b",,\n", b",,\r\n"])
def test_blank_rows_are_no_rows_in_any_read(tmp_path: Path, blank: bytes) -> None:
    path = tmp_path / "blank.csv"
    path.write_bytes(b"id,name,notes\n" + blank + b"1,Ann,x\n" + blank * 3 + b"2,Bo,y,EXTRA\n" + blank)
    table = open_table(path)
    assert table.row_count() == 2 and table.blank_rows == 5
    assert len(_rows(table)) == 2
    assert table.head(10).height == 2
    lazy = table.lazy()
    assert lazy is not None and lazy.collect().height == 2
    assert "Ragged rows (0-based data row numbers): 1." in table.problems, "numbered as the reads number rows"


def test_blank_and_duplicate_headers_get_names(tmp_path: Path) -> None:
    path = tmp_path / "h.csv"
    path.write_text("name,,name\na,b,c\n")
    assert open_table(path).columns == ["name", "column_2", "name_2"]


def test_spreadsheet_sheets(tmp_path: Path) -> None:
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    ws.title = "Cover"
    ws.append(["About this file"])
    data = wb.create_sheet("Clients")
    data.append(["id", "dob", "amount"])
    data.append(["007", "1980-01-02", 12.0])
    path = tmp_path / "book.xlsx"
    wb.save(path)
    assert sheet_names(path) == ["Cover", "Clients"]
    table = open_table(path, sheet="Clients")
    assert table.sheet == "Clients"
    assert _rows(table) == [("007", "1980-01-02", "12")]
    assert open_table(path, sheet="2").sheet == "Clients"
    assert any("2 sheets" in p for p in open_table(path).problems)
    with pytest.raises(InputError, match="no sheet called"):
        open_table(path, sheet="Missing")


def test_ods_is_read(tmp_path: Path) -> None:
    from odf.opendocument import OpenDocumentSpreadsheet
    from odf.table import Table, TableCell, TableRow
    from odf.text import P

    doc = OpenDocumentSpreadsheet()
    sheet = Table(name="Data")
    for values in (["id", "ward"], ["001", "Kentish Town"]):
        row = TableRow()
        for v in values:
            cell = TableCell(valuetype="string")
            cell.addElement(P(text=v))
            row.addElement(cell)
        sheet.addElement(row)
    doc.spreadsheet.addElement(sheet)
    path = tmp_path / "d.ods"
    doc.save(str(path))
    table = open_table(path)
    assert table.format == "ods"
    assert _rows(table) == [("001", "Kentish Town")]


def _zip_bomb(path: Path) -> None:
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("[Content_Types].xml", "<Types/>")
        zf.writestr("xl/worksheets/sheet1.xml", b"\0" * (60 * 1024 * 1024))


def _write(path: Path, data: bytes | str) -> Path:
    if isinstance(data, str):
        path.write_text(data)
    else:
        path.write_bytes(data)
    return path


def _plain_zip(path: Path) -> Path:
    with zipfile.ZipFile(path, "w") as zf:
        zf.writestr("readme.txt", "hello")
    return path


BAD_INPUTS = {
    "missing": lambda d: d / "nope.csv",
    "empty": lambda d: _write(d / "empty.csv", b""),
    "whitespace": lambda d: _write(d / "blank.csv", b"\xef\xbb\xbf \r\n\r\n"),
    "junk": lambda d: _write(d / "junk.csv", bytes(range(256)) * 400),
    "bomb": lambda d: (_zip_bomb(d / "bomb.xlsx"), d / "bomb.xlsx")[1],
    "fake_xlsx": lambda d: _write(d / "fake.xlsx", "id,name\n1,a\n"),
    "fake_parquet": lambda d: _write(d / "fake.parquet", "id,name\n1,a\n"),
    "plain_zip": lambda d: _plain_zip(d / "archive.xlsx"),
    "bad_jsonl": lambda d: _write(d / "bad.jsonl", '{"a": 1\n'),
    "folder": lambda d: d,
}


@pytest.mark.parametrize(
    "case",
    ["missing", "empty", "whitespace", "junk", "bomb", "fake_xlsx", "fake_parquet", "plain_zip", "bad_jsonl", "folder"],
)
def test_bad_input_is_one_plain_sentence(tmp_path: Path, case: str) -> None:
    path = BAD_INPUTS[case](tmp_path)
    with pytest.raises(InputError) as info:
        open_table(path)
    message = str(info.value)
    assert message.endswith(".") and "\n" not in message
    assert str(tmp_path) not in message  # file name only, never the machine path


def test_huge_single_line_is_refused_without_reading_it_all(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(limits, "MAX_LINE_BYTES", 1024 * 1024)
    one_line = tmp_path / "line.csv"
    with one_line.open("wb") as f:
        f.write(b"x" * (3 * 1024 * 1024))
    with pytest.raises(InputError, match="single line longer"):
        open_table(one_line)
    later = tmp_path / "later.csv"
    with later.open("wb") as f:
        f.write(b"a,b\n1,2\n" + b"y" * (3 * 1024 * 1024) + b"\n")
    with pytest.raises(InputError, match="single line longer"):
        open_table(later)


def test_max_bytes_and_sha256(tmp_path: Path) -> None:
    path = tmp_path / "a.csv"
    path.write_text("a\n1\n")
    with pytest.raises(InputError, match="larger than"):
        open_table(path, max_bytes=2)
    import hashlib

    assert open_table(path).sha256() == hashlib.sha256(path.read_bytes()).hexdigest()


def test_write_table_is_atomic(tmp_path: Path) -> None:
    target = tmp_path / "out.csv"
    target.write_text("old\n")

    def batches():
        yield pl.DataFrame({"a": ["1"]})
        raise RuntimeError("boom")

    with pytest.raises(RuntimeError):
        write_table(batches(), target)
    assert target.read_text() == "old\n"
    assert [p.name for p in tmp_path.iterdir()] == ["out.csv"]  # no temp file left behind
    with pytest.raises(InputError):
        write_table([pl.DataFrame({"a": ["1"]})], tmp_path / "out.docx")


def test_jsonl_keeps_types_and_missing_keys(tmp_path: Path) -> None:
    path = tmp_path / "d.jsonl"
    path.write_text('{"id": 1, "name": "A"}\n\n{"id": 2}\n')
    table = open_table(path)
    assert table.format == "jsonl"
    assert _rows(table) == [(1, "A"), (2, None)]


cell_text = st.text(
    alphabet=st.characters(blacklist_categories=("Cs", "Cc")) | st.sampled_from([",", '"', "\n", ";", "\t", " "]),
    max_size=20,
).filter(lambda s: s.strip() != "" and s == s.strip())


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    rows=st.lists(st.lists(cell_text, min_size=3, max_size=3), min_size=1, max_size=20),
    encoding=st.sampled_from(["utf-8", "utf-8-sig", "utf-16"]),
    delimiter=st.sampled_from([",", ";", "\t", "|"]),
)
def test_property_csv_round_trip(tmp_path: Path, rows: list[list[str]], encoding: str, delimiter: str) -> None:
    """Whatever the cells hold (quotes, delimiters, newlines, any script), they come back unchanged."""

    import csv
    import io

    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, delimiter=delimiter, quoting=csv.QUOTE_ALL, lineterminator="\n")
    writer.writerow(["first", "second", "third"])
    writer.writerows(rows)
    path = tmp_path / f"p-{abs(hash((encoding, delimiter, str(rows))))}.csv"
    path.write_bytes(buffer.getvalue().encode(encoding))
    table = open_table(path, delimiter=delimiter)
    assert table.columns == ["first", "second", "third"]
    assert [list(r) for r in _rows(table, batch_rows=7)] == rows
    assert table.problems == []
    os.unlink(path)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(widths=st.lists(st.integers(min_value=1, max_value=5), min_size=1, max_size=30))
def test_property_ragged_rows_counted_exactly(tmp_path: Path, widths: list[int]) -> None:
    lines = ["a,b,c"] + [",".join(string.ascii_lowercase[:w]) for w in widths]
    path = tmp_path / f"r-{abs(hash(tuple(widths)))}.csv"
    path.write_text("\n".join(lines) + "\n")
    table = open_table(path)
    assert table.row_count() == len(widths)
    long = sum(1 for w in widths if w > 3)
    short = sum(1 for w in widths if w < 3)
    text = " ".join(table.problems)
    assert (f"{long} row" in text and "more fields" in text) == bool(long)
    assert (f"{short} row" in text and "fewer fields" in text) == bool(short)
    assert len(table.columns) == max(3, *widths)
    os.unlink(path)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    cells=st.lists(
        st.sampled_from(["a", "é", "£5", "Zoë", '"x,y"', '"line\nbreak"', "€", ""]), min_size=3, max_size=60
    ),
    chunk=st.integers(min_value=1, max_value=9),
    bad=st.sampled_from([None, b"\xc3", b"\xa3", b"\xe2\x82", b"\xff"]),
    position=st.floats(min_value=0, max_value=1),
)
@example(cells=["", "", ""], chunk=1, bad=None, position=0.0)
def test_property_scan_across_tiny_chunks(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, cells: list[str], chunk: int, bad: bytes | None, position: float
) -> None:
    """Characters and quoted fields cut by chunk edges are still read right; a stray byte anywhere is refused."""

    import hashlib

    monkeypatch.setattr(limits, "CHUNK_BYTES", chunk)
    monkeypatch.setattr(limits, "SAMPLE_BYTES", 8)
    rows = [cells[i : i + 3] for i in range(0, len(cells) - len(cells) % 3, 3)]
    body = "a,b,c\n" + "".join(",".join(r) + "\n" for r in rows)
    data = body.encode("utf-8")
    path = tmp_path / f"s-{abs(hash((data, chunk, bad, position)))}.csv"
    if bad is not None:
        cut = 8 + int(position * (len(data) - 8))  # after the sample that decides the encoding
        while cut < len(data) and 0x80 <= data[cut] < 0xC0:
            cut += 1  # insert between characters, never inside one
        data = data[:cut] + bad + b"\n" + data[cut:]
    path.write_bytes(data)
    if bad is not None:
        with pytest.raises(InputError, match="UTF-8"):
            open_table(path, encoding=None)
        return
    table = open_table(path)
    records = [r for r in rows if any(r)]  # a line of delimiters only is a blank line, not a record
    blank = len(rows) - len(records)
    assert table.row_count() == len(records)
    assert table.blank_rows == blank and len(table.problems) == (1 if blank else 0)
    assert table.sha256() == hashlib.sha256(data).hexdigest()
    background = open_table(path, background_scan=True)
    assert background.header_columns == ["a", "b", "c"]
    assert _rows(background) == _rows(table)
    os.unlink(path)


def test_background_scan_reports_a_late_bad_byte_on_wait(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(limits, "SAMPLE_BYTES", 64)
    path = tmp_path / "late.csv"
    path.write_bytes(b"a,b\n" + b"x,y\n" * 100 + "£,z\n".encode("cp1252"))
    table = open_table(path, background_scan=True)  # returns at once; the scan's verdict comes on wait()
    with pytest.raises(InputError, match="give its encoding"):
        table.wait()


def test_deferred_scan_waits_for_its_start_and_still_answers(tmp_path: Path) -> None:
    """A scan held back runs when started, or at once when its answer is wanted first."""

    import hashlib

    path = tmp_path / "ragged.csv"
    data = b"a,b\n1,2\n3,4,5\n6,7\n"
    path.write_bytes(data)
    held = open_table(path, background_scan=True, defer_scan=True)
    assert held._pending is not None and held._pending.thread is None  # nothing runs yet
    assert held.head(10).height == 3  # the first rows are read while it waits
    held.start_scan()
    assert held._pending is not None and held._pending.thread is not None
    assert held.row_count() == 3 and held.columns == ["a", "b", "extra_field_1"]
    never_started = open_table(path, background_scan=True, defer_scan=True)
    assert never_started.sha256() == hashlib.sha256(data).hexdigest()  # wait() scans in place
    assert never_started.problems == held.problems and any("more fields" in p for p in held.problems)


def test_utf8_left_to_the_reads_is_checked_on_request(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """With check_utf8=False the scan passes a stray byte; check_utf8() and read_failure() name it."""

    monkeypatch.setattr(limits, "SAMPLE_BYTES", 64)  # the encoding is decided before the stray byte
    path = tmp_path / "late.csv"
    path.write_bytes(b"a,b\n" + b"x,y\n" * 100 + b"\xff,z\n")
    table = open_table(path, check_utf8=False)
    assert table.row_count() == 101  # the scan itself did not look
    assert "around byte 404" in str(table.read_failure())
    with pytest.raises(InputError, match="starts as UTF-8 but has bytes that are not"):
        table.check_utf8()
    with pytest.raises(InputError, match="starts as UTF-8"):
        open_table(path).wait()  # checked by default


def test_nested_bytes_and_durations_are_read_as_text(tmp_path: Path) -> None:
    """Lists, objects, raw bytes and durations in Parquet or JSON Lines become text, not a crash."""

    import datetime
    import json

    from community_insights.safety import CheckOptions, check_dataset

    path = tmp_path / "odd.parquet"
    pl.DataFrame(
        {
            "name": ["Ann Smith", "Bob Jones"],
            "tags": [["a", "b"], None],
            "home": [{"postcode": "NW1 6XE"}, {"postcode": None}],
            "blob": [b"\xff\xfe", b"plain text"],
            "wait": [datetime.timedelta(days=1), None],
        }
    ).write_parquet(path)
    frame = next(open_table(path).iter_batches())
    assert frame.schema["tags"] == pl.String
    assert json.loads(frame.get_column("tags")[0]) == ["a", "b"]
    assert frame.get_column("tags")[1] is None
    assert json.loads(frame.get_column("home")[0]) == {"postcode": "NW1 6XE"}
    assert frame.get_column("blob").to_list() == ["fffe", "plain text"]
    assert frame.get_column("wait")[0] == "1 day, 0:00:00"
    report = check_dataset(path, CheckOptions(free_text=False))
    assert [c.name for c in report.columns] == ["name", "tags", "home", "blob", "wait"]

    lines = tmp_path / "odd.jsonl"
    lines.write_text(
        '{"name": "Ann Smith", "tags": ["a"], "o": {"k": 1}}\n{"name": "Bob Jones", "tags": [], "o": null}\n'
    )
    frame = next(open_table(lines).iter_batches())
    assert frame.get_column("tags").to_list() == ['["a"]', "[]"]
    assert json.loads(frame.get_column("o")[0]) == {"k": 1}
