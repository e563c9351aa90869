"""Stata (``.dta``) and SPSS (``.sav``, ``.zsav``) files, read in batches with pyreadstat.

Why: analysts in research settings keep their extracts in these formats, and
converting them by hand first means another copy of personal data lying
around. Value labels are applied (a code 2 reads as its label, "Female"), as
the analyst sees it in Stata or SPSS, so the check and the tables judge what
people will read. Memory follows the batch size: pyreadstat reads a chunk of
rows at a time.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import polars as pl

from community_insights.safety.readers.cells import as_text_where_needed
from community_insights.safety.readers.limits import fail

NAMES = {"dta": "Stata", "sav": "SPSS"}
SUFFIXES = {".dta": "dta", ".sav": "sav", ".zsav": "sav"}


def statistical_format(p: Path, head: bytes) -> str | None:
    """``dta`` or ``sav`` from the file's first bytes (its name is only a hint), else ``None``."""

    if head.startswith((b"$FL2", b"$FL3")):
        return "sav"
    if head.startswith(b"<stata_dta>"):
        return "dta"
    # Stata 8 to 13 (formats 113-115) start with the format number and a byte order of 1 or 2.
    if head[:1] in (b"\x71", b"\x72", b"\x73") and head[1:2] in (b"\x01", b"\x02") and p.suffix.lower() == ".dta":
        return "dta"
    if p.suffix.lower() in SUFFIXES:
        kind = NAMES[SUFFIXES[p.suffix.lower()]]
        raise fail(f"The file {p.name} is named like a {kind} file but is not one.")
    return None


def _reader(fmt: str) -> Any:
    import pyreadstat

    return pyreadstat.read_dta if fmt == "dta" else pyreadstat.read_sav


def open_statistical(p: Path, fmt: str) -> tuple[list[str], int]:
    """The file's columns and row count, from its metadata (no rows are read)."""

    try:
        _, meta = _reader(fmt)(str(p), metadataonly=True)
    except Exception as exc:  # pyreadstat raises its own error types
        raise fail(f"The {NAMES[fmt]} file {p.name} is damaged and cannot be read.") from exc
    columns = [str(c) for c in meta.column_names or []]
    if not columns:
        raise fail(f"The {NAMES[fmt]} file {p.name} has no variables.")
    return columns, int(meta.number_rows or 0)


def iter_statistical(p: Path, fmt: str, batch_rows: int) -> Iterator[pl.DataFrame]:
    """The rows in frames of at most ``batch_rows``, value labels applied, labelled codes as text."""

    import pyreadstat

    chunks = pyreadstat.read_file_in_chunks(
        _reader(fmt), str(p), chunksize=batch_rows, output_format="polars", apply_value_formats=True
    )
    try:
        for frame, _ in chunks:
            if frame.height:
                yield as_text_where_needed(frame.with_columns(pl.col(pl.Categorical, pl.Enum).cast(pl.Utf8)))
    except Exception as exc:  # pyreadstat raises its own error types
        raise fail(f"The {NAMES[fmt]} file {p.name} is damaged and cannot be read.") from exc
