"""Writing a protected table for people to open: CSV (with a notes file), XLSX or JSON.

Kept apart from :mod:`protect`, which decides what may be published, because
writing has its own rules: atomic files, never over an input, no cell a
spreadsheet would run as a formula, and never the analyst-only explanation.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from community_insights.safety.disclosure.protect import NOT_AVAILABLE, ProtectedTable
from community_insights.safety.disclosure.tables import TOTAL_LABEL, DisclosureError
from community_insights.safety.files import atomic_path, refuse_overwrite
from community_insights.safety.formulas import escape_frame, escape_row

OUTPUT_FORMATS = (".csv", ".xlsx", ".json")


def write_protected_table(
    table: ProtectedTable,
    path: str | Path,
    *,
    escape_formulas: bool = True,
    inputs: Iterable[str | Path | None] = (),
) -> list[Path]:
    """Write the published table; never the analyst-only explanation.

    ``.json`` holds cells and metadata; ``.xlsx`` a "Table" sheet and a
    "Notes" sheet (as ONS spreadsheets do); ``.csv`` the table, with the
    notes in a ``<name>.notes.txt`` file beside it. Returns the files written.
    Labels a spreadsheet would run as formulas get a leading apostrophe
    unless *escape_formulas* is False; XLSX cells are always text, never
    formulas. No file written may be one of *inputs* (checked before any is).
    """

    path = Path(path)
    suffix = path.suffix.lower()
    if suffix not in OUTPUT_FORMATS:
        raise DisclosureError("The output file must end in .csv, .xlsx or .json.")
    if not path.parent.exists():
        raise DisclosureError("The folder for the output file does not exist.")
    inputs = list(inputs)
    notes_path = path.with_name(path.stem + ".notes.txt")
    for target in (path, notes_path) if suffix == ".csv" else (path,):
        refuse_overwrite(target, inputs)
    if suffix == ".json":
        _atomic_write_text(path, json.dumps(table.to_jsonable(), indent=2, ensure_ascii=False) + "\n")
        return [path]
    if suffix == ".csv":
        frame = escape_frame(table.to_frame()) if escape_formulas else table.to_frame()
        _atomic_write(path, lambda tmp: frame.write_csv(tmp))
        _atomic_write_text(notes_path, _notes_text(table))
        return [path, notes_path]
    _atomic_write(path, lambda tmp: _write_xlsx(table, tmp, escape_formulas))
    return [path]


def _notes_text(table: ProtectedTable) -> str:
    meta = table.metadata
    lines = [
        f"Table: {table.label} by {', '.join(table.by)}",
        "",
        meta.note,
        "",
        "Rules applied: " + "; ".join(meta.rules_applied),
        f"Threshold: {meta.threshold}",
        "Cells hidden, by rule: " + ", ".join(f"{k} {v}" for k, v in meta.hidden_by_rule.items()),
    ]
    if meta.secondary_method:
        lines.append(f"Secondary suppression method: {meta.secondary_method}")
    return "\n".join(lines) + "\n"


def _write_xlsx(table: ProtectedTable, target: str, escape_formulas: bool) -> None:
    """Both sheets, every text cell typed as a string so that no cell is ever a formula."""

    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = "Table"

    def append(ws: Any, values: list[Any]) -> None:
        ws.append(escape_row(values) if escape_formulas else values)
        for written in ws[ws.max_row]:
            if isinstance(written.value, str):
                written.data_type = "s"  # openpyxl would store text starting with "=" as a formula

    append(sheet, [*table.by, table.label])
    for cell in table.cells:
        labels = [TOTAL_LABEL if cell.categories[name] is None else cell.categories[name] for name in table.by]
        figure: Any = cell.value if cell.value is not None else (cell.mark or NOT_AVAILABLE)
        append(sheet, [*labels, figure])
    notes = book.create_sheet("Notes")
    for line in _notes_text(table).splitlines():
        append(notes, [line])
    book.save(target)


def _atomic_write_text(path: Path, text: str) -> None:
    with atomic_path(path) as tmp:
        tmp.write_text(text, encoding="utf-8", newline="\n")


def _atomic_write(path: Path, write: Any) -> None:
    with atomic_path(path) as tmp:
        write(str(tmp))
