"""Figures read from the safe copy itself, and the warning when a remedy wiped out a column.

The before/after report is written while the plan is applied, and it said
"Ethnicity: kept, 0 of 178 changed" while small-group suppression had replaced
every value with ``*``. These figures are counted from the written file instead:
for each column, how many values it holds, how many are blank or ``*`` and how
many distinct values are left. A column that lost more than half of the values
it had before gets a warning, with the usual alternative (for ethnicity, the
five ONS high-level groups, which the engine's ``generalise`` applies with
``to: ons_ethnic_group_5``) so the analyst can change the plan before sign-off.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

SUPPRESSED = "*"
DISTINCT_CAP = 100_000
#: What generalise is set to when the analyst picks the ethnicity alternative.
ETHNIC_GROUPS_TARGET = "ons_ethnic_group_5"


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
    return [sentence for _, sentence in columns_removed(report, share=share)]


def columns_removed(report: dict[str, Any], *, share: float = 0.5) -> list[tuple[str, str]]:
    """The columns behind :func:`removal_warnings`, each with its sentence (the page offers the alternative)."""
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
        warnings.append((str(name), sentence + _alternative(name, before.get(name))))
    return warnings


def likely_removals(check_report: dict[str, Any], plan_data: dict[str, Any]) -> list[str]:
    """One sentence per column the plan will likely wipe out (see :func:`columns_likely_removed`)."""
    return [sentence for _, sentence in columns_likely_removed(check_report, plan_data)]


def columns_likely_removed(check_report: dict[str, Any], plan_data: dict[str, Any]) -> list[tuple[str, str]]:
    """Before the safe copy is made: columns whose groups are too small on average to survive suppression.

    A quasi-identifier column kept as it is, with fewer records per different value
    than the smallest group allowed, will mostly be replaced with ``*`` by small-group
    suppression. This is a forecast from the check's counts (the figures after the
    copy is made are counted from the file); it says "likely" for that reason.
    """
    minimum = int(plan_data.get("min_group_size") or 0)
    quasi = set(plan_data.get("quasi_identifiers") or [])
    entries = {c["column"]: c for c in plan_data.get("columns", [])}
    actions = {name: entry.get("action") for name, entry in entries.items()}
    mosaic = check_report.get("mosaic") or {}
    below = int(mosaic.get("records_below_threshold") or 0)
    rows = int((check_report.get("source") or {}).get("rows") or 0)
    crowded = bool(rows) and below > rows / 2 and set(mosaic.get("quasi_identifiers") or []) <= quasi
    warnings = []
    for column in check_report.get("columns", []):
        name = column.get("name")
        evidence = column.get("evidence") or {}
        values, distinct = int(evidence.get("non_empty") or 0), int(evidence.get("distinct") or 0)
        if name not in quasi or actions.get(name) not in ("keep", "suppress_small_groups") or not distinct:
            continue
        if values / distinct < minimum:
            sentence = (
                f"{name}: {distinct:,} different values in {values:,} records, fewer than {minimum} records each on "
                "average, so small-group suppression will likely remove more than half of them."
            )
        elif crowded:
            sentence = (
                f"{name} is kept as it is among the quasi-identifiers, which together put {below:,} of {values:,} "
                f"records in groups smaller than {minimum}; unless the generalised columns make the groups large "
                "enough, small-group suppression will likely replace most of it with *."
            )
        else:
            continue
        warnings.append((str(name), sentence + _alternative(str(name), entries.get(name))))
    return warnings


def is_ethnicity(name: str, entry: dict[str, Any] | None) -> bool:
    """Whether a column holds ethnicity: the check said so, or its header does."""
    types = (entry or {}).get("pii_types") or []
    return "ETHNICITY" in types or "ethnic" in name.lower()


def ethnicity_alternatives(pairs: list[tuple[str, str]], plan_data: dict[str, Any]) -> list[str]:
    """The warned columns that hold ethnicity and are not grouped yet: the page offers each the ONS groups."""
    entries = {c["column"]: c for c in plan_data.get("columns", [])}
    return [
        name
        for name, _ in pairs
        if name in entries
        and is_ethnicity(name, entries[name])
        and (entries[name].get("params") or {}).get("to") != ETHNIC_GROUPS_TARGET
    ]


def with_ethnic_groups(plan_data: dict[str, Any], column: str) -> dict[str, Any] | None:
    """The plan with *column* generalised to the five ONS high-level groups (None if it is not an ethnicity column).

    Why a copy of the plan rather than a new version: the analyst sees the change in the
    plan editor, says why, and saves it as the next version like any other edit.
    """
    changed = dict(plan_data, columns=[dict(c) for c in plan_data.get("columns", [])])
    for entry in changed["columns"]:
        if entry["column"] == column and is_ethnicity(column, entry):
            entry["action"] = "generalise"
            entry["params"] = {"to": ETHNIC_GROUPS_TARGET}
            entry["reason"] = (
                "Grouped into the five ONS high-level ethnic groups, so groups are large enough to keep the column."
            )
            return changed
    return None


def _alternative(name: str, entry: dict[str, Any] | None = None) -> str:
    """What to do instead of losing the values: for ethnicity, the ONS high-level groups."""
    if is_ethnicity(name, entry):
        from community_insights.safety.remedies import ONS_HIGH_LEVEL_GROUPS

        groups = "; ".join(ONS_HIGH_LEVEL_GROUPS.values())
        return (
            f" Consider grouping ethnicity into the five ONS high-level groups ({groups}), so groups are large "
            "enough: in the plan, generalise it to the five ONS high-level ethnic groups."
        )
    return " Consider generalising it further, so more of it can be kept."
