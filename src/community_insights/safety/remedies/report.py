"""The before/after record of a safe copy, for the person who signs it off.

It says, per column, what was done and why, how many values changed, how
small the smallest group of people was before and after, what risks remain,
and the sha256 of the input, the plan and the output so anyone can confirm
which files it speaks about. Examples are masked, and the key never appears
(only a one-way fingerprint, so two organisations can confirm they used the
same key). The JSON is for machines and the portal; the HTML is one
self-contained, accessible page that can be emailed.
"""

from __future__ import annotations

import dataclasses
import json
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from community_insights.safety.files import atomic_write_text
from community_insights.safety.types import to_jsonable

REPORT_SCHEMA_VERSION = 2
"""2: each column's figures are counted from the written copy against the input (kept, changed,
suppressed, blank, removed, different values left); in 1 they were counted while applying."""


@dataclasses.dataclass(slots=True)
class FileSummary:
    """A file the report speaks about."""

    file_name: str
    format: str
    rows: int
    columns: list[str]
    sha256: str


@dataclasses.dataclass(slots=True)
class PlanSummary:
    """The plan that was applied."""

    file_name: str | None
    sha256: str
    plan_version: int
    reference_date: str
    made_for: str
    made_for_sha256: str | None
    same_file_as_planned: bool | None


@dataclasses.dataclass(slots=True)
class ColumnRemedy:
    """What happened to one column."""

    name: str
    action: str
    params: dict[str, Any]
    reason: str
    what_was_done: str
    kind: str | None = None
    pii_types: list[str] = dataclasses.field(default_factory=list)
    # Counted from the written copy against the input (remedies/compare.py): every value of
    # the input is kept, changed, suppressed (*), blank, or removed with its column or record.
    values_in: int = 0
    values_kept: int = 0
    values_changed: int = 0
    values_suppressed: int = 0
    values_blanked: int = 0
    values_removed: int = 0
    distinct_after: int = 0
    spans_redacted: int = 0
    coarsened_in_small_groups: int = 0
    span_types: dict[str, int] = dataclasses.field(default_factory=dict)
    examples_before: list[str] = dataclasses.field(default_factory=list)
    examples_after: list[str] = dataclasses.field(default_factory=list)


@dataclasses.dataclass(slots=True)
class GroupSizes:
    """k-anonymity over the quasi-identifiers: smallest group and records in small groups."""

    smallest_group: int | None
    groups: int
    records: int
    groups_below_min: int
    records_below_min: int


@dataclasses.dataclass(slots=True)
class SensitiveDetail:
    """How often a group of the safe copy shares one value of a sensitive column (l-diversity of 1)."""

    column: str
    groups_with_one_value: int
    records_in_those_groups: int


@dataclasses.dataclass(slots=True)
class SmallGroupsSummary:
    """What small-group suppression did."""

    quasi_identifiers: list[str]
    min_group_size: int
    method: str
    before: GroupSizes
    after: GroupSizes
    records_generalised: int
    records_removed: int
    columns_coarsened: dict[str, int]
    sensitive_details: list[SensitiveDetail] = dataclasses.field(default_factory=list)


@dataclasses.dataclass(slots=True)
class RedactReport:
    """The whole before/after report of one ``redact_dataset`` run."""

    source: FileSummary
    output: FileSummary
    plan: PlanSummary
    columns: list[ColumnRemedy]
    small_groups: SmallGroupsSummary | None
    residual_risks: list[str]
    key_id: str | None = None
    token_version: int | None = None
    schema_version: int = REPORT_SCHEMA_VERSION
    #: Checks the person overrode with ``force`` (a foreign plan, another key), in plain words.
    forced: list[str] = dataclasses.field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        """Plain JSON data."""

        data: dict[str, Any] = to_jsonable(self)
        return data

    def to_json(self) -> str:
        """Indented JSON text (deterministic: same run, same bytes)."""

        return json.dumps(self.to_dict(), indent=2, ensure_ascii=False) + "\n"

    def to_html(self) -> str:
        """One self-contained, accessible HTML page."""

        return render_html(self)

    def write(self, path: str | Path, *, inputs: Iterable[str | Path | None] = ()) -> Path:
        """Write as HTML (``.html``/``.htm``) or JSON (anything else), atomically, never over *inputs*."""

        path = Path(path)
        text = self.to_html() if path.suffix.lower() in (".html", ".htm") else self.to_json()
        return atomic_write_text(path, text, inputs=inputs)


def render_html(report: RedactReport) -> str:
    """The report as one page with inline styles and no external assets (from a template)."""

    from community_insights.safety.templating import render

    return render("safe_copy_report.html", report=report)
