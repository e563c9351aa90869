"""The one place the datasets area calls the data safety engine.

The portal imports only the engine's public names, lazily inside each
function, so Django starts (and migrations run) without loading Polars or
spaCy, and a worker loads them once. Every function here takes and returns
plain values: JSON-ready dicts and YAML text, never raw cell values.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from community_insights.safety import DEFAULT_THRESHOLD

Progress = Callable[[int, int | None], None]

#: Formats an upload may have, by file-name ending (the engine's readers open them all).
UPLOAD_SUFFIXES = {
    ".csv": "csv",
    ".tsv": "tsv",
    ".tab": "tsv",
    ".txt": "csv",
    ".xlsx": "xlsx",
    ".ods": "ods",
    ".parquet": "parquet",
    ".jsonl": "jsonl",
    ".ndjson": "jsonl",
    ".dta": "dta",
    ".sav": "sav",
}

#: What a column of each kind gets when an analyst overrides the check's finding.
OVERRIDE_ACTIONS: dict[str, tuple[str, dict[str, Any]]] = {
    "direct_identifier": ("drop", {}),
    "system_id": ("pseudonymise", {"type": "SYSTEM_ID"}),
    "free_text": ("redact_spans", {}),
    "quasi_identifier": ("suppress_small_groups", {}),
    "special_category": ("suppress_small_groups", {}),
    "other": ("keep", {}),
}


class EngineError(Exception):
    """The engine refused the input; ``message`` is one plain sentence without raw values."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


def _input_errors() -> tuple[type[BaseException], ...]:
    from community_insights.safety import SafetyError

    return (SafetyError,)


@dataclass(frozen=True)
class TableInfo:
    format: str
    columns: int
    encoding: str | None


def inspect_upload(path: Path, *, max_bytes: int | None = None) -> TableInfo:
    """Open an uploaded file as a table and read its first rows, or raise EngineError in plain words."""
    from community_insights.safety import open_table

    try:
        table = open_table(path, max_bytes=max_bytes)
        # Read one small batch so broken encodings and broken workbooks show up now, not in the worker.
        for _batch in table.iter_batches(batch_rows=1000):
            break
    except _input_errors() as exc:
        raise EngineError(str(exc)) from None
    return TableInfo(format=table.format, columns=len(table.columns), encoding=table.encoding)


@dataclass(frozen=True)
class Sample:
    columns: list[str]
    rows: list[list[str]]
    rows_read: int


# A redaction marker left by the engine ("[NAME]", "[PHONE]") or a suppressed value ("*").
_REDACTED = re.compile(r"\[[A-Z_]+\]|^\*$")


def sample_rows(path: Path, *, n: int = 20, scan: int = 2000) -> Sample:
    """Up to ``n`` rows of a safe copy for the person signing it off, redacted rows first.

    The approver is asked to "read a sample" of what redaction left; rows where
    something was redacted or suppressed are the ones worth reading, so they come
    first (in file order), then other rows fill up to ``n``.
    """
    from community_insights.safety import open_table

    try:
        head = open_table(path).head(scan)
    except _input_errors() as exc:
        raise EngineError(str(exc)) from None
    rows = [["" if v is None else str(v) for v in row] for row in head.iter_rows()]
    redacted = [r for r in rows if any(_REDACTED.search(v) for v in r)]
    others = [r for r in rows if not any(_REDACTED.search(v) for v in r)]
    return Sample(columns=list(head.columns), rows=(redacted + others)[:n], rows_read=len(rows))


@dataclass(frozen=True)
class CheckOutcome:
    report: dict[str, Any]
    verdict: str
    rows: int
    suggested_plan: str


def run_check(
    path: Path,
    *,
    progress: Progress | None = None,
    threshold: int = DEFAULT_THRESHOLD,
    sensitive: Sequence[str] = (),
    measures: Sequence[str] = (),
) -> CheckOutcome:
    """Run the data safety check and draft the remedy plan from it.

    ``sensitive`` names columns whose values no group may give away (l-diversity), besides the
    special-category ones; ``measures`` adds the engine's optional measures of them (``MEASURES``).
    """
    from community_insights.safety import CheckOptions, check_dataset, dumps_plan, plan_from_check, to_jsonable

    options = CheckOptions(threshold=threshold, sensitive=list(sensitive) or None, measures=tuple(measures))
    try:
        report = check_dataset(path, options, progress=progress)
        plan = plan_from_check(report, min_group_size=threshold)
        plan_yaml = dumps_plan(plan)
    except _input_errors() as exc:
        raise EngineError(str(exc)) from None
    data = to_jsonable(report)
    return CheckOutcome(
        report=data,
        verdict=str(data["summary"]["verdict"]),
        rows=int(data["source"].get("rows") or 0),
        suggested_plan=plan_yaml,
    )


def load_plan_text(text: str) -> Any:
    """Parse and validate a plan (raises EngineError with the engine's one-sentence message)."""
    from community_insights.safety import loads_plan

    try:
        return loads_plan(text)
    except _input_errors() as exc:
        raise EngineError(str(exc)) from None


def plan_to_dict(plan: Any) -> dict[str, Any]:
    """The plan as plain data, in the order people read it."""
    import yaml

    from community_insights.safety import dumps_plan

    data: dict[str, Any] = yaml.safe_load(dumps_plan(plan))
    return data


def plan_from_dict(data: dict[str, Any]) -> str:
    """Validate a plan given as plain data; return its YAML text."""
    import yaml

    from community_insights.safety import dumps_plan, loads_plan

    try:
        plan = loads_plan(yaml.safe_dump(data, sort_keys=False, allow_unicode=True))
        return str(dumps_plan(plan))
    except _input_errors() as exc:
        raise EngineError(str(exc)) from None


def apply_overrides(plan_yaml: str, overrides: dict[str, tuple[str, str]]) -> str:
    """The suggested plan with overridden columns given the action their new kind calls for.

    ``overrides`` maps a column to ``(kind, comment)``.
    """
    if not overrides:
        return plan_yaml
    data = plan_to_dict(load_plan_text(plan_yaml))
    for entry in data["columns"]:
        if entry["column"] in overrides:
            kind, comment = overrides[entry["column"]]
            action, params = OVERRIDE_ACTIONS.get(kind, ("keep", {}))
            entry["action"] = action
            entry["kind"] = kind
            if params:
                entry["params"] = dict(params)
            else:
                entry.pop("params", None)
            if kind == "other":
                entry.pop("pii_types", None)
            entry["reason"] = "The analyst overrode the check's finding" + (f": {comment}" if comment else ".")
    data["quasi_identifiers"] = [
        q
        for q in data.get("quasi_identifiers", [])
        if OVERRIDE_ACTIONS.get(overrides.get(q, ("quasi_identifier", ""))[0], ("keep", {}))[0]
        in ("keep", "generalise", "suppress_small_groups")
    ]
    return plan_from_dict(data)


def plan_sha256(plan_yaml: str) -> str:
    import hashlib

    return hashlib.sha256(plan_yaml.encode("utf-8")).hexdigest()


def apply_plan(
    path: Path, plan_yaml: str, key: bytes | None, output: Path, *, progress: Progress | None = None
) -> dict[str, Any]:
    """Write the safe copy of ``path`` to ``output``; return the before/after report as JSON data."""
    from community_insights.safety import loads_plan, redact_dataset

    try:
        plan = loads_plan(plan_yaml)
        report = redact_dataset(path, plan, key if plan.needs_key() else None, output, progress=progress)
    except _input_errors() as exc:
        raise EngineError(str(exc)) from None
    data: dict[str, Any] = report.to_dict()
    return data


def new_key() -> tuple[bytes, str]:
    """A fresh 256-bit pseudonymisation key and its public fingerprint."""
    import secrets

    from community_insights.safety import KEY_BYTES, key_id

    key = secrets.token_bytes(int(KEY_BYTES))
    return key, str(key_id(key))


def actions() -> list[str]:
    from community_insights.safety import Action

    return [a.value for a in Action]


def optional_measures() -> tuple[str, ...]:
    """The engine's optional measures of sensitive columns (``entropy-l``, ``t-closeness``)."""
    from community_insights.safety import MEASURES

    return tuple(MEASURES)


def column_kinds() -> list[str]:
    from community_insights.safety import ColumnKind

    return [k.value for k in ColumnKind]
