"""Cells as the text a person would see, whatever type the file stored them as.

Why: every check reads cells as text, so leading zeros survive and lists, records, bytes and
dates read the same from every format.
"""

from __future__ import annotations

import contextlib
import json
from pathlib import Path
from typing import Any

import polars as pl


def unlink_quietly(path: Path) -> None:
    with contextlib.suppress(OSError):
        path.unlink()


def as_text_where_needed(frame: pl.DataFrame) -> pl.DataFrame:
    """Columns Polars cannot turn into text (lists, structs, bytes, durations) as readable text.

    Why: every check reads cells as text, and a Parquet or JSON Lines file may
    hold a list of tags, a nested object or raw bytes in a column. Lists and
    objects become JSON, bytes their UTF-8 text (hex when they are not text),
    durations their usual spelling. Such columns are rare, so a plain loop
    over their values is fast enough, and the other columns are untouched.
    """

    fixes = [
        pl.Series(name, [cell_text(v) for v in frame.get_column(name).to_list()], dtype=pl.String)
        for name, dtype in frame.schema.items()
        if isinstance(dtype, (pl.List, pl.Array, pl.Struct, pl.Binary, pl.Duration, pl.Object))
    ]
    return frame.with_columns(fixes) if fixes else frame


def longest_text(frame: pl.DataFrame) -> int:
    """The bytes of the longest text cell of ``frame`` (0 without text), which the readers bound."""

    text = [c for c, t in frame.schema.items() if t == pl.String]
    if not text or not frame.height:
        return 0
    longest = frame.select(pl.max_horizontal(pl.col(text).str.len_bytes().max())).item()
    return int(longest or 0)


def conform(frame: pl.DataFrame, schema: dict[str, Any]) -> pl.DataFrame:
    """Give a JSON Lines batch the first batch's columns and types (missing → null)."""

    exprs = []
    for name, dtype in schema.items():
        if name in frame.columns:
            col = pl.col(name)
            if frame.schema[name] != dtype:
                col = col.cast(dtype, strict=False)
            exprs.append(col.alias(name))
        else:
            exprs.append(pl.lit(None, dtype=dtype).alias(name))
    return frame.select(exprs)


def rows_frame(rows: list[list[str | None]], columns: list[str]) -> pl.DataFrame:
    return pl.DataFrame(rows, schema=dict.fromkeys(columns, pl.String), orient="row")


def cell_text(value: Any) -> str | None:
    """A cell as the text a person would see.

    Integers without ``.0``; lists and records (Parquet, JSON Lines) as JSON;
    bytes as their UTF-8 text, or hex when they are not text.
    """

    if value is None or value == "":
        return None
    if isinstance(value, bytes):
        try:
            return value.decode("utf-8")
        except UnicodeDecodeError:
            return value.hex()
    if isinstance(value, (list, dict, tuple)):
        return json.dumps(value, default=str, ensure_ascii=False)
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, float):
        if value.is_integer() and abs(value) < 1e15:
            return str(int(value))
        return repr(value)
    if hasattr(value, "isoformat"):
        text = value.isoformat()
        return text.removesuffix("T00:00:00")
    return str(value)
