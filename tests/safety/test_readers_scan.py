"""The whole-file scan of delimited text, checked against plain reference implementations.

The scan is vectorised and works block by block, so these tests cut files into
tiny blocks (records, quoted stretches and characters then cross block edges)
and compare every count with a character-by-character loop, with Python's
``csv`` module on well-formed files and with Python's UTF-8 decoder.
"""

from __future__ import annotations

import codecs
import csv
import hashlib
import io
import threading
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from community_insights.safety.errors import InputError
from community_insights.safety.readers import limits
from community_insights.safety.readers.scan import TextScan, scan_text

REPORTED = limits.MAX_REPORTED_ROWS + 1


def _reference(data: bytes, delimiter: str, width: int) -> dict[str, object]:
    """The scan's rules as a plain loop over the bytes.

    A record ends at a line feed outside quotes (quote state flips at every
    quote, so a doubled quote keeps it); a delimiter outside quotes starts a
    new field; a carriage return just before the ending line feed is not part
    of the record, so a record with nothing else in it is blank, and so is one
    of delimiters only (no value at all): neither is ragged or numbered as a
    row. A last record without a line feed counts if it has any bytes. Record
    0 is the header.
    """

    records: list[tuple[int, int]] = []  # (fields, length)
    quoted = False
    fields, length = 1, 0
    for i, byte in enumerate(data):
        if byte == ord('"'):
            quoted = not quoted
        elif byte == ord("\n") and not quoted:
            cr = length > 0 and data[i - 1] == ord("\r")
            records.append((fields, length - cr))
            fields, length = 1, 0
            continue
        elif byte == ord(delimiter) and not quoted:
            fields += 1
        length += 1
    if length:
        records.append((fields, length))
    blank = long = short = widest = 0
    ragged: list[int] = []
    row = 0  # data rows as the reads number them: blank ones left out
    for n, size in records[1:]:
        if size <= n - 1:
            blank += 1
            continue
        widest = max(widest, n)
        if n < width:
            short += 1
        if n > width:
            long += 1
        if n != width and len(ragged) < REPORTED:
            ragged.append(row)
        row += 1
    return {
        "records": len(records),
        "blank": blank,
        "ragged_long": long,
        "ragged_short": short,
        "max_fields": widest,
        "ragged_rows": ragged,
    }


def _result(scan: TextScan) -> dict[str, object]:
    return {
        "records": scan.records,
        "blank": scan.blank,
        "ragged_long": scan.ragged_long,
        "ragged_short": scan.ragged_short,
        "max_fields": scan.max_fields,
        "ragged_rows": scan.ragged_rows,
    }


def _scan(path: Path, delimiter: str, width: int, *, check_utf8: bool = True, digest: object = None) -> dict:
    return _result(scan_text(path, delimiter, width, path.name, check_utf8=check_utf8, digest=digest))


# Pieces that make the awkward cases likely: quotes, doubled quotes, delimiters of every
# kind, CRLF, LF and lone CR, multi-byte characters, and the bytes that share the scan's
# quick first test with quotes and line feeds (0x02 and "*").
PIECES = [
    b"a",
    b"xyz",
    b" ",
    b",",
    b";",
    b"\t",
    b"|",
    b'"',
    b'""',
    b'"a,b"',
    b'"line\nbreak"',
    b"\n",
    b"\r\n",
    b"\r",
    b"\n\n",
    "é".encode(),
    "€".encode(),
    "😀".encode(),
    b"*",
    b"\x02",
]
files = st.lists(st.sampled_from(PIECES), max_size=60).map(b"".join)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    data=files,
    delimiter=st.sampled_from([",", ";", "\t", "|"]),
    width=st.integers(min_value=1, max_value=5),
    chunk=st.integers(min_value=1, max_value=24),
    check_utf8=st.booleans(),
)
def test_property_scan_matches_a_plain_loop(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    data: bytes,
    delimiter: str,
    width: int,
    chunk: int,
    check_utf8: bool,
) -> None:
    """Records, blank rows, ragged rows and the widest row are exactly the plain loop's, whatever the blocks."""

    monkeypatch.setattr(limits, "CHUNK_BYTES", chunk)
    path = tmp_path / "scan.csv"
    path.write_bytes(data)
    digest = hashlib.sha256()
    assert _scan(path, delimiter, width, check_utf8=check_utf8, digest=digest) == _reference(data, delimiter, width)
    assert digest.hexdigest() == hashlib.sha256(data).hexdigest()


cells = st.text(
    alphabet=st.characters(blacklist_categories=("Cs", "Cc"), max_codepoint=0x1F600)
    | st.sampled_from([",", ";", '"', "\n", "\t", "*"]),
    max_size=8,
)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    header=st.lists(cells, min_size=1, max_size=4),
    rows=st.lists(st.lists(cells, max_size=6), max_size=12),
    delimiter=st.sampled_from([",", ";", "\t"]),
    terminator=st.sampled_from(["\n", "\r\n"]),
    chunk=st.integers(min_value=1, max_value=32),
)
def test_property_scan_agrees_with_the_csv_module(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    header: list[str],
    rows: list[list[str]],
    delimiter: str,
    terminator: str,
    chunk: int,
) -> None:
    """On files Python's csv writer made, the scan's counts are what Python's csv reader finds."""

    monkeypatch.setattr(limits, "CHUNK_BYTES", chunk)
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, delimiter=delimiter, lineterminator=terminator)
    writer.writerow(header)
    writer.writerows(rows)
    text = buffer.getvalue()
    path = tmp_path / "written.csv"
    path.write_bytes(text.encode("utf-8"))

    parsed = list(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter))
    width = len(parsed[0])

    # A row the writer wrote as delimiters only (or nothing) holds no value: blank, not a row.
    def no_value(row: list[str]) -> bool:
        line = io.StringIO(newline="")
        csv.writer(line, delimiter=delimiter, lineterminator="").writerow(row)
        return set(line.getvalue()) <= {delimiter}

    blanks = [no_value(r) for r in rows]
    data_rows = [r for r, b in zip(parsed[1:], blanks, strict=True) if not b]
    widths = [max(len(r), 1) for r in data_rows]
    long = [i for i, w in enumerate(widths) if w > width]
    short = [i for i, r in enumerate(data_rows) if r and len(r) < width]
    expected = {
        "records": len(parsed),
        "blank": sum(blanks),
        "ragged_long": len(long),
        "ragged_short": len(short),
        "max_fields": max(widths, default=0),
        "ragged_rows": sorted(long + short)[:REPORTED],
    }
    assert _scan(path, delimiter, width) == expected
    # Line feeds inside quoted cells, which decide how Spark may split the file (spark_backend).
    quoted_line_feeds = sum(cell.count("\n") for row in parsed for cell in row)
    assert scan_text(path, delimiter, width, path.name, check_utf8=True).quoted_line_feeds == quoted_line_feeds


def _decoder_verdict(data: bytes) -> str | None:
    """What Python's incremental UTF-8 decoder says: None (valid), "ends" (cut short) or "bytes" (invalid)."""

    decoder = codecs.getincrementaldecoder("utf-8")(errors="strict")
    try:
        decoder.decode(data)
    except UnicodeDecodeError:
        return "bytes"
    try:
        decoder.decode(b"", final=True)
    except UnicodeDecodeError:
        return "ends"
    return None


BAD_BYTES = [
    b"\xff",
    b"\x80",
    b"\xc0\x80",
    b"\xc3",
    b"\xe2\x82",
    b"\xed\xa0",
    b"\xed\xa0\x80",
    b"\xf0\x9f\x98",
    b"\xf4\x90",
]


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    before=files,
    bad=st.sampled_from(BAD_BYTES) | st.binary(min_size=1, max_size=4),
    after=files,
    chunk=st.integers(min_value=1, max_value=16),
)
def test_property_utf8_verdict_is_pythons(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, before: bytes, bad: bytes, after: bytes, chunk: int
) -> None:
    """Any bytes anywhere: refused exactly when Python's decoder refuses them, with the same kind of sentence."""

    monkeypatch.setattr(limits, "CHUNK_BYTES", chunk)
    data = before + bad + after
    path = tmp_path / "bytes.csv"
    path.write_bytes(data)
    verdict = _decoder_verdict(data)
    if verdict is None:
        assert _scan(path, ",", 3) == _reference(data, ",", 3)
        return
    with pytest.raises(InputError) as info:
        _scan(path, ",", 3)
    message = str(info.value)
    if verdict == "ends":
        assert "ends in the middle of a UTF-8 character" in message
    else:
        assert "has bytes that are not" in message and "give its encoding" in message


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    lengths=st.lists(st.integers(min_value=0, max_value=12), min_size=1, max_size=12),
    end=st.sampled_from([b"", b"\n"]),
    limit=st.integers(min_value=1, max_value=12),
    chunk=st.integers(min_value=1, max_value=64),
)
def test_property_giant_lines_refused_exactly(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, lengths: list[int], end: bytes, limit: int, chunk: int
) -> None:
    """A file is refused exactly when one of its physical lines is longer than the limit (quotes or not)."""

    monkeypatch.setattr(limits, "CHUNK_BYTES", chunk)
    monkeypatch.setattr(limits, "MAX_LINE_BYTES", limit)
    data = b"\n".join(b'"a,' * (n // 3) + b"x" * (n % 3) for n in lengths) + end
    path = tmp_path / "lines.csv"
    path.write_bytes(data)
    if max(lengths) > limit:
        with pytest.raises(InputError, match="single line longer"):
            _scan(path, ",", 2)
    else:
        assert _scan(path, ",", 2) == _reference(data, ",", 2)


@pytest.mark.parametrize("chunk", range(1, 16))
def test_blank_crlf_row_cut_between_cr_and_lf_is_still_blank(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, chunk: int
) -> None:
    """The CR of a blank CRLF row may end one block and its LF start the next: still blank, not ragged."""

    monkeypatch.setattr(limits, "CHUNK_BYTES", chunk)
    path = tmp_path / "crlf.csv"
    path.write_bytes(b"a,b\r\n\r\n1,2\r\n\r\n")
    scan = scan_text(path, ",", 2, path.name, check_utf8=True)
    assert (scan.records, scan.blank, scan.ragged_short, scan.ragged_rows) == (4, 2, 0, [])


def test_records_with_more_delimiters_than_16_bits_count(tmp_path: Path) -> None:
    """Long stretches without a quote or line feed, inside quotes and out, over several blocks."""

    n = 70_000
    data = b"a,b\n" + b"y" + b"," * n + b"\n" + b'x,"' + b"," * n + b'"\n' + b"1,2\n"
    path = tmp_path / "wide.csv"
    path.write_bytes(data)
    scan = scan_text(path, ",", 2, path.name, check_utf8=True)
    assert scan.max_fields == n + 1
    assert (scan.records, scan.ragged_long, scan.ragged_short, scan.ragged_rows) == (4, 1, 0, [0])
    assert _result(scan) == _reference(data, ",", 2)


def test_many_ragged_rows_report_only_the_first(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(limits, "CHUNK_BYTES", 7)
    data = b"a,b\n" + b"1\n" * 50 + b"1,2,3\n" * 50
    path = tmp_path / "ragged.csv"
    path.write_bytes(data)
    scan = scan_text(path, ",", 2, path.name, check_utf8=True)
    assert (scan.ragged_short, scan.ragged_long) == (50, 50)
    assert scan.ragged_rows == list(range(REPORTED))


def _hash_threads() -> list[threading.Thread]:
    return [t for t in threading.enumerate() if t.name == "insights-scan-hash"]


def test_digest_is_fed_alongside_and_its_thread_ends_even_on_refusal(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(limits, "CHUNK_BYTES", 64)
    data = b"id,name\n" + "".join(f"{i},Zoë {i}\n" for i in range(2000)).encode()
    path = tmp_path / "hashed.csv"
    path.write_bytes(data)
    digest = hashlib.sha256()
    scan = scan_text(path, ",", 2, path.name, check_utf8=True, digest=digest)
    assert scan.records == 2001
    assert digest.hexdigest() == hashlib.sha256(data).hexdigest()
    assert not _hash_threads()

    path.write_bytes(data[:5000] + b"\xff" + data[5000:])
    with pytest.raises(InputError, match="UTF-8"):
        scan_text(path, ",", 2, path.name, check_utf8=True, digest=hashlib.sha256())
    assert not _hash_threads()


def _longest_cell(data: bytes, delimiter: str) -> int:
    """The longest cell as a plain loop sees it: bytes between delimiters or record ends outside quotes."""

    quoted, cell, longest = False, 0, 0
    for byte in data:
        if byte == ord('"'):
            quoted = not quoted
        elif byte in (ord("\n"), ord(delimiter)) and not quoted:
            longest, cell = max(longest, cell), 0
            continue
        cell += 1
    return max(longest, cell)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    data=files,
    delimiter=st.sampled_from([",", ";", "\t", "|"]),
    limit=st.integers(min_value=1, max_value=16),
    chunk=st.integers(min_value=1, max_value=24),
)
def test_property_a_cell_over_the_limit_is_refused_exactly(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, data: bytes, delimiter: str, limit: int, chunk: int
) -> None:
    """A file is refused exactly when one of its cells (quoted line feeds and delimiters included) is too long."""

    monkeypatch.setattr(limits, "CHUNK_BYTES", chunk)
    monkeypatch.setattr(limits, "MAX_CELL_BYTES", limit)
    path = tmp_path / "cells.csv"
    path.write_bytes(data)
    if _longest_cell(data, delimiter) > limit:
        with pytest.raises(InputError, match="has a cell longer than"):
            _scan(path, delimiter, 2, check_utf8=False)
    else:
        assert _scan(path, delimiter, 2, check_utf8=False) == _reference(data, delimiter, 2)
