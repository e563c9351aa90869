"""Property tests of the readers: any bytes and any CSV shape are read or refused in one sentence.

Why: the readers meet every file a person can pick. Whatever they are given,
they must either read it or raise the engine's ``InputError`` (one sentence,
exit 2 on the command line); any other exception would reach a person as a
traceback, and its message could quote the data.
"""

from __future__ import annotations

import csv
import io
import tempfile
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from community_insights.safety import InputError, SafetyError, open_table

SUFFIXES = [".csv", ".tsv", ".txt", ".jsonl", ".xlsx", ".parquet", ".ods"]
FUZZ = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def _read_all(path: Path) -> None:
    """Open, take the first rows, then read every batch: the paths the commands use."""
    try:
        table = open_table(path)
        table.head(50)
        for _ in table.iter_batches(64):
            pass
    except SafetyError as error:
        assert isinstance(error, InputError)
        message = str(error)
        assert message and "\n" not in message.strip() and "Traceback" not in message


@FUZZ
@given(data=st.binary(max_size=4096), suffix=st.sampled_from(SUFFIXES))
def test_any_bytes_are_read_or_refused_in_one_sentence(data: bytes, suffix: str) -> None:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / f"input{suffix}"
        path.write_bytes(data)
        _read_all(path)


CELL = st.text(
    alphabet=st.characters(codec="utf-8", exclude_categories=["Cs"]) | st.sampled_from(list('",;\t|\r\n =+-@\x00')),
    max_size=12,
)


@FUZZ
@given(
    rows=st.lists(st.lists(CELL, min_size=0, max_size=6), min_size=0, max_size=20),
    delimiter=st.sampled_from([",", "\t", ";", "|"]),
    quoting=st.sampled_from([csv.QUOTE_MINIMAL, csv.QUOTE_ALL, csv.QUOTE_NONE]),
    line_end=st.sampled_from(["\n", "\r\n", "\r"]),
    encoding=st.sampled_from(["utf-8", "utf-8-sig", "utf-16", "latin-1"]),
)
def test_any_csv_shape_is_read_or_refused_in_one_sentence(
    rows: list[list[str]], delimiter: str, quoting: int, line_end: str, encoding: str
) -> None:
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=delimiter, quoting=quoting, escapechar="\\", lineterminator=line_end)
    for row in rows:
        try:
            writer.writerow(row)
        except csv.Error:
            buffer.write(delimiter.join(row) + line_end)  # what a careless exporter would write
    data = buffer.getvalue().encode(encoding, errors="replace")
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "input.csv"
        path.write_bytes(data)
        _read_all(path)
