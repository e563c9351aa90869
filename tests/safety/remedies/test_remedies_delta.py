"""A safe copy written as a Delta table: the same rows as the CSV and Parquet copies, whole or not at all.

The copy is read back three ways: through the engine's own reader (what the
report is counted from), through ``deltalake`` (what Databricks, Synapse and
Fabric read), and its data file byte for byte against the Parquet copy.
"""

from __future__ import annotations

import hashlib
import importlib.util
import stat
import sys
from pathlib import Path

import polars as pl
import pytest

from community_insights.safety.errors import InputError
from community_insights.safety.readers import open_table
from community_insights.safety.remedies import keygen, redact_dataset

from .residents import residents
from .test_remedies_redact import council_file, council_plan, fail_on_the_third_batch

#: Every test but the last writes a Delta table; the last is about a machine without deltalake.
needs_deltalake = pytest.mark.skipif(importlib.util.find_spec("deltalake") is None, reason="deltalake is not installed")

COPY_COLUMNS = ["Person ID", "NI Number", "NHS Number", "Date of Birth", "Postcode"]


@pytest.fixture
def key(tmp_path: Path) -> Path:
    return keygen(tmp_path / "partnership.key")


def _files(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def _rows(path: Path) -> pl.DataFrame:
    return pl.concat(open_table(path).iter_batches(50))


@needs_deltalake
def test_a_delta_copy_holds_the_rows_of_the_csv_and_parquet_copies_in_order(tmp_path: Path, key: Path) -> None:
    """Small groups coarsened, pseudonyms, a dropped column: read back, row for row, as the other formats."""

    source = council_file(tmp_path / "council.csv", residents(300, seed=5))
    plan = council_plan(source)
    plan.quasi_identifiers = ["Date of Birth", "Postcode"]
    plan.min_group_size = 3
    reports = {s: redact_dataset(source, plan, key, tmp_path / f"safe{s}", batch_rows=64) for s in (".csv", ".delta")}
    reports[".parquet"] = redact_dataset(source, plan, key, tmp_path / "safe.parquet", batch_rows=64)
    delta = _rows(tmp_path / "safe.delta")
    assert delta.columns == COPY_COLUMNS and delta.height == reports[".csv"].output.rows
    assert delta.equals(_rows(tmp_path / "safe.parquet"))  # five batches of 64 rows, in the input's order
    assert delta.equals(_rows(tmp_path / "safe.csv"))
    assert delta.equals(pl.read_delta(str(tmp_path / "safe.delta")))

    import deltalake

    table = deltalake.DeltaTable(str(tmp_path / "safe.delta"))
    assert table.version() == 0
    assert [(f.name, str(f.type)) for f in table.schema().fields] == [
        (c, 'PrimitiveType("string")') for c in COPY_COLUMNS
    ]
    # Its one data file is the Parquet copy's bytes; the report's digest is that file's, as a folder's digest.
    part = (tmp_path / "safe.delta" / "part-00000.parquet").read_bytes()
    assert part == (tmp_path / "safe.parquet").read_bytes()
    line = hashlib.sha256(part).hexdigest() + "\n"
    assert reports[".delta"].output.sha256 == hashlib.sha256(line.encode("ascii")).hexdigest()
    assert reports[".delta"].output.format == "delta"
    # Every other figure of the report is the one the Parquet copy got.
    got, expected = reports[".delta"].to_dict(), reports[".parquet"].to_dict()
    assert {k: v for k, v in got.items() if k != "output"} == {k: v for k, v in expected.items() if k != "output"}
    assert got["output"]["rows"] == expected["output"]["rows"] and got["output"]["columns"] == COPY_COLUMNS
    # The copy is private, as a file copy is.
    assert stat.S_IMODE((tmp_path / "safe.delta").stat().st_mode) == 0o700
    assert stat.S_IMODE((tmp_path / "safe.delta" / "part-00000.parquet").stat().st_mode) == 0o600


@needs_deltalake
def test_reruns_give_the_same_data_and_digest_and_a_delta_copy_is_an_input_too(tmp_path: Path, key: Path) -> None:
    source = council_file(tmp_path / "council.csv", residents(120, seed=4))
    first = redact_dataset(source, council_plan(source), key, tmp_path / "a.delta", batch_rows=32)
    second = redact_dataset(source, council_plan(source), key, tmp_path / "b.delta", batch_rows=500)
    assert first.output.sha256 != "" and first.output.sha256 != second.output.sha256  # row groups follow batches
    assert _rows(tmp_path / "a.delta").equals(_rows(tmp_path / "b.delta"))
    third = redact_dataset(source, council_plan(source), key, tmp_path / "c.delta", batch_rows=32)
    assert third.output.sha256 == first.output.sha256
    table = open_table(tmp_path / "a.delta")
    assert table.format == "delta" and table.row_count() == 120 and table.sha256() == first.output.sha256
    from community_insights.safety import check_dataset

    checked = check_dataset(tmp_path / "a.delta")  # a Delta copy can be checked as any table
    assert (checked.source.format, checked.source.rows, checked.source.sha256) == ("delta", 120, first.output.sha256)


@needs_deltalake
def test_a_failed_write_leaves_nothing_and_the_old_copy_untouched(
    tmp_path: Path, key: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    source = council_file(tmp_path / "council.csv", residents(500, seed=2))
    redact_dataset(source, council_plan(source), key, tmp_path / "old.delta")
    old = _files(tmp_path / "old.delta")
    calls = fail_on_the_third_batch(monkeypatch)
    with pytest.raises(OSError, match="disk full"):
        redact_dataset(source, council_plan(source), key, tmp_path / "new.delta", batch_rows=100)
    assert calls["n"] == 3  # it failed half way, with batches already written
    assert sorted(p.name for p in tmp_path.iterdir()) == ["council.csv", "old.delta", "partnership.key"]
    assert _files(tmp_path / "old.delta") == old


@needs_deltalake
def test_a_delta_copy_is_never_written_over_anything(tmp_path: Path, key: Path) -> None:
    """An existing table (or any folder) of that name, or an input, is refused in one sentence."""

    source = council_file(tmp_path / "council.csv", residents(60, seed=6))
    redact_dataset(source, council_plan(source), key, tmp_path / "safe.delta")
    before = _files(tmp_path / "safe.delta")
    with pytest.raises(InputError, match=r"^The output safe\.delta exists; a Delta safe copy is always a new table"):
        redact_dataset(source, council_plan(source), key, tmp_path / "safe.delta")
    assert _files(tmp_path / "safe.delta") == before
    (tmp_path / "empty.delta").mkdir()
    with pytest.raises(InputError, match="exists"):
        redact_dataset(source, council_plan(source), key, tmp_path / "empty.delta")
    # A Delta table read as the input may not be its own output either.
    with pytest.raises(InputError, match="also an input"):
        redact_dataset(tmp_path / "safe.delta", council_plan(source), key, tmp_path / "safe.delta", force=True)
    assert _files(tmp_path / "safe.delta") == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["council.csv", "empty.delta", "partnership.key", "safe.delta"]


def test_without_deltalake_a_delta_copy_is_refused_saying_what_to_install(
    tmp_path: Path, key: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    source = council_file(tmp_path / "council.csv", residents(30, seed=7))
    monkeypatch.setitem(sys.modules, "deltalake", None)  # what `import deltalake` meets when it is not installed
    with pytest.raises(InputError, match=r"needs the deltalake package: .*pip install 'community-insights\[delta\]'"):
        redact_dataset(source, council_plan(source), key, tmp_path / "safe.delta")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["council.csv", "partnership.key"]
