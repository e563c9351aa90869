"""Cells a spreadsheet would run as a formula, made inert (CSV / formula injection).

Why: a safe copy, a published table or an audit export is opened by a person
in Excel, LibreOffice or Google Sheets, and those programs run a cell that
starts with ``=``, ``+``, ``-`` or ``@`` (or a tab, carriage return or line
feed before one) as a formula: ``=HYPERLINK(...)`` can send the sheet's data
to a stranger, ``+cmd|...`` can start a program. Following OWASP's CSV
injection guidance, such a cell gets a leading apostrophe, which spreadsheets
treat as "this is text". The fullwidth forms (＝ ＋ － ＠), which some
spreadsheets fold into their plain forms, and a leading NUL are treated the
same, and so is any of those after leading spaces.

Every writer of a file meant for people (``write_table`` for safe copies,
``write_protected_table`` for tables, the portal's audit exports) calls the
functions here, so the rule lives in one place. Machine use (a file read back
by a program) can turn it off: ``--no-formula-escape`` on the command line.
"""

from __future__ import annotations

import re
from typing import Any

import polars as pl

#: Characters that make a spreadsheet treat a cell as a formula when they come first.
FORMULA_STARTS = "=+-@\uff1d\uff0b\uff0d\uff20"
#: Characters that are dangerous in first place on their own (they can hide a formula after them).
CONTROL_STARTS = "\t\r\n\x00"

_PATTERN = "^(?:[" + re.escape(CONTROL_STARTS) + "]|[ ]*[" + re.escape(FORMULA_STARTS) + "])"
_RISKY = re.compile(_PATTERN)
#: The same rule for polars (Rust regex): escape only what its syntax needs.
_POLARS_PATTERN = "^(?:[\\t\\r\\n\\x00]|[ ]*[=+\\-@\uff1d\uff0b\uff0d\uff20])"

APOSTROPHE = "'"


def is_formula_like(text: str) -> bool:
    """Whether a spreadsheet could run *text* as a formula (or hide one after a control character)."""

    return bool(_RISKY.match(text))


def escape_formula(value: Any) -> Any:
    """*value* with a leading apostrophe when it is text a spreadsheet could run; other values unchanged."""

    if isinstance(value, str) and _RISKY.match(value):
        return APOSTROPHE + value
    return value


def escape_frame(frame: pl.DataFrame) -> pl.DataFrame:
    """The same rule over every text column of a polars frame (vectorised, so large batches stay fast).

    Column names are escaped too: a header is a cell like any other.
    """

    text_columns = [name for name, dtype in frame.schema.items() if dtype == pl.String]
    if text_columns:
        frame = frame.with_columns(
            pl.when(pl.col(name).str.contains(_POLARS_PATTERN))
            .then(pl.lit(APOSTROPHE) + pl.col(name))
            .otherwise(pl.col(name))
            .alias(name)
            for name in text_columns
        )
    taken = set(frame.columns)
    renamed: dict[str, str] = {}
    for name in frame.columns:
        if is_formula_like(name):
            new = APOSTROPHE + name
            while new in taken:  # another column already has that name: more apostrophes, never a formula
                new = APOSTROPHE + new
            taken.add(new)
            renamed[name] = new
    return frame.rename(renamed) if renamed else frame


def escape_row(values: list[Any]) -> list[Any]:
    """One row of cells, each passed through :func:`escape_formula` (for ``csv.writer`` and openpyxl)."""

    return [escape_formula(value) for value in values]
