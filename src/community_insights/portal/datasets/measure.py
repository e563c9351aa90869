"""Figures read from the safe copy itself, and the warning when a remedy wiped out a column.

The before/after report is written while the plan is applied, and it said
"Ethnicity: kept, 0 of 178 changed" while small-group suppression had replaced
every value with ``*``. These figures are counted from the written file instead:
for each column, how many values it holds, how many are blank or ``*`` and how
many distinct values are left. A column that lost more than half of the values
it had before gets a warning, with the usual alternative (for ethnicity, the
five ONS high-level groups) so the analyst can change the plan before sign-off.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

SUPPRESSED = "*"
DISTINCT_CAP = 100_000
# The 2021 Census's five high-level ethnic groups (ONS).
ONS_GROUPS = (
    "Asian, Asian British or Asian Welsh",
    "Black, Black British, Black Welsh, Caribbean or African",
    "Mixed or Multiple ethnic groups",
    "White",
    "Other ethnic group",
)


def measure_file(path: Path) -> dict[str, Any]:
    """Rows, and per column: values, blank, suppressed (``*``) and distinct values, counted from the file."""
    from community_insights.portal.datasets.engine import EngineError, _input_errors
    from community_insights.safety import open_table

    try:
        table = open_table(path)
        columns: dict[str, dict[str, Any]] = {}
        seen: dict[str, set[str]] = {}
        rows = 0
        for batch in table.iter_batches(batch_rows=50_000):
            rows += batch.height
            for name in batch.columns:
                stats = columns.setdefault(name, {"blank": 0, "suppressed": 0, "distinct": 0})
                values = ["" if v is None else str(v).strip() for v in batch.get_column(name).to_list()]
                stats["blank"] += sum(1 for v in values if v == "")
                stats["suppressed"] += sum(1 for v in values if v == SUPPRESSED)
                kept = seen.setdefault(name, set())
                if len(kept) < DISTINCT_CAP:
                    kept.update(v for v in values if v not in ("", SUPPRESSED))
    except _input_errors() as exc:
        raise EngineError(str(exc)) from None
    for name, stats in columns.items():
        stats["distinct"] = len(seen.get(name, ()))
        stats["values"] = rows - stats["blank"] - stats["suppressed"]
    return {"rows": rows, "columns": columns}


def removal_warnings(report: dict[str, Any], *, share: float = 0.5) -> list[str]:
    """One sentence per column of the safe copy that lost more than ``share`` of the values it had before."""
    measured = report.get("measured") or {}
    before = {c.get("name"): c for c in report.get("columns", [])}
    warnings = []
    for name, stats in (measured.get("columns") or {}).items():
        had = int((before.get(name) or {}).get("values_in") or 0)
        removed = int(stats.get("blank", 0)) + int(stats.get("suppressed", 0))
        rows = int(measured.get("rows") or 0)
        if not had or not rows or removed <= share * min(had, rows):
            continue
        sentence = f"{name}: {removed:,} of {rows:,} values in the safe copy are blank or * (removed)."
        if "ethnic" in name.lower():
            sentence += (
                " Instead of removing them, consider grouping ethnicity into the five ONS high-level groups ("
                + "; ".join(ONS_GROUPS)
                + "), so groups are large enough to keep."
            )
        else:
            sentence += " Consider generalising it further instead, so more of it can be kept."
        warnings.append(sentence)
    return warnings
