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
import html
import json
from pathlib import Path
from typing import Any

from community_insights.safety.files import atomic_write_text
from community_insights.safety.types import to_jsonable

REPORT_SCHEMA_VERSION = 1


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
    values_in: int = 0
    values_changed: int = 0
    values_blanked: int = 0
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

    def write(self, path: str | Path) -> Path:
        """Write as HTML (``.html``/``.htm``) or JSON (anything else), atomically."""

        path = Path(path)
        text = self.to_html() if path.suffix.lower() in (".html", ".htm") else self.to_json()
        return atomic_write_text(path, text)


# --------------------------------------------------------------------------- HTML

_CSS = """
body{font-family:Arial,Helvetica,sans-serif;color:#0b0c0c;background:#fff;margin:0;line-height:1.5;font-size:19px}
header{background:#0b0c0c;color:#fff;padding:12px 24px}
header p{margin:0;font-weight:700}
main{max-width:1100px;margin:0 auto;padding:24px}
h1{font-size:2.2rem;margin:0 0 16px}
h2{font-size:1.5rem;margin:32px 0 12px}
table{border-collapse:collapse;width:100%;margin:0 0 24px;font-size:16px}
caption{text-align:left;font-weight:700;margin-bottom:8px}
th,td{border-bottom:1px solid #b1b4b6;padding:8px 12px 8px 0;text-align:left;vertical-align:top}
th{font-weight:700}
td.num{text-align:right;font-variant-numeric:tabular-nums}
code{font-family:Consolas,monospace;font-size:15px;word-break:break-all}
.tag{display:inline-block;padding:2px 8px;font-weight:700;background:#d2e2f1;color:#0b0c0c}
.tag.drop{background:#f4cdc6}.tag.keep{background:#eeefef}.tag.pseudonymise,.tag.hash_file_reference{background:#cce2d8}
.inset{border-left:10px solid #b1b4b6;padding:12px 16px;margin:16px 0}
.warning{border-left:10px solid #d4351c;padding:12px 16px;margin:16px 0}
a{color:#1d70b8}a:focus,th:focus{outline:3px solid #fd0;background:#fd0;color:#0b0c0c}
"""


def _e(value: object) -> str:
    return html.escape("" if value is None else str(value))


def _groups_row(label: str, g: GroupSizes, k: int) -> str:
    smallest = "–" if g.smallest_group is None else f"{g.smallest_group:,}"
    return (
        f"<tr><th scope='row'>{_e(label)}</th><td class='num'>{smallest}</td>"
        f"<td class='num'>{g.groups:,}</td><td class='num'>{g.groups_below_min:,}</td>"
        f"<td class='num'>{g.records_below_min:,}</td></tr>"
    )


def render_html(report: RedactReport) -> str:
    """The report as one page with inline styles and no external assets."""

    parts: list[str] = []
    add = parts.append
    add("<!DOCTYPE html><html lang='en-GB'><head><meta charset='utf-8'>")
    add("<meta name='viewport' content='width=device-width, initial-scale=1'>")
    add(f"<title>Safe copy report: {_e(report.source.file_name)}</title>")
    add(f"<style>{_CSS}</style></head><body>")
    add("<header><p>Community Insights</p></header><main id='main-content'>")
    add(f"<h1>Safe copy report: {_e(report.source.file_name)}</h1>")
    add(
        "<p class='inset'>"
        f"{report.source.rows:,} records in, {report.output.rows:,} records out, "
        f"{len(report.source.columns)} columns in, {len(report.output.columns)} columns out. "
        "Examples are masked. The pseudonymisation key is never shown; its fingerprint "
        "lets two organisations confirm they used the same key.</p>"
    )
    if report.residual_risks:
        add("<h2>Risks that remain</h2><div class='warning'><ul>")
        for risk in report.residual_risks:
            add(f"<li>{_e(risk)}</li>")
        add("</ul></div>")

    add("<h2>What was done to each column</h2>")
    add("<table><caption>Columns of the input and their remedies</caption><thead><tr>")
    for head in ("Column", "Action", "What was done", "Why", "Values changed", "Examples (masked)"):
        add(f"<th scope='col'>{head}</th>")
    add("</tr></thead><tbody>")
    for col in report.columns:
        examples = ""
        if col.examples_before:
            before = ", ".join(_e(x) for x in col.examples_before)
            after = ", ".join(_e(x) for x in col.examples_after) or "–"
            examples = f"{before} → {after}"
        changed = f"{col.values_changed:,} of {col.values_in:,}"
        if col.values_blanked:
            changed += f" ({col.values_blanked:,} unreadable, left empty)"
        if col.coarsened_in_small_groups:
            changed += (
                f"; {col.coarsened_in_small_groups:,} more made coarser or hidden because their group was too small"
            )
        if col.spans_redacted:
            changed += f"; {col.spans_redacted:,} pieces of personal data redacted"
        add(
            f"<tr><th scope='row'>{_e(col.name)}</th>"
            f"<td><span class='tag {_e(col.action)}'>{_e(col.action)}</span></td>"
            f"<td>{_e(col.what_was_done)}</td><td>{_e(col.reason)}</td>"
            f"<td>{changed}</td><td>{examples}</td></tr>"
        )
    add("</tbody></table>")

    sg = report.small_groups
    add("<h2>Small groups (k-anonymity)</h2>")
    if sg is None:
        add("<p>No quasi-identifiers were named, so group sizes were not checked.</p>")
    else:
        add(
            f"<p>Quasi-identifiers: {_e(', '.join(sg.quasi_identifiers))}. "
            f"Every group must hold at least {sg.min_group_size} records. "
            f"Small groups were {'removed' if sg.method == 'remove' else 'generalised further'}: "
            f"{sg.records_generalised:,} records made coarser, {sg.records_removed:,} removed.</p>"
        )
        add("<table><caption>Group sizes before and after</caption><thead><tr>")
        for head in ("", "Smallest group", "Groups", "Groups too small", "Records in small groups"):
            add(f"<th scope='col'>{head}</th>")
        add("</tr></thead><tbody>")
        add(_groups_row("Before", sg.before, sg.min_group_size))
        add(_groups_row("After", sg.after, sg.min_group_size))
        add("</tbody></table>")
        if sg.sensitive_details:
            add("<table><caption>Groups where everyone shares one sensitive value</caption><thead><tr>")
            add(
                "<th scope='col'>Column</th><th scope='col'>Groups</th><th scope='col'>Records</th></tr></thead><tbody>"
            )
            for d in sg.sensitive_details:
                add(
                    f"<tr><th scope='row'>{_e(d.column)}</th><td class='num'>{d.groups_with_one_value:,}</td>"
                    f"<td class='num'>{d.records_in_those_groups:,}</td></tr>"
                )
            add("</tbody></table>")

    add("<h2>Files</h2><table><caption>Files this report speaks about</caption><thead><tr>")
    add("<th scope='col'>File</th><th scope='col'>Name</th><th scope='col'>sha256</th></tr></thead><tbody>")
    add(
        f"<tr><th scope='row'>Input</th><td>{_e(report.source.file_name)}</td>"
        f"<td><code>{_e(report.source.sha256)}</code></td></tr>"
    )
    add(
        f"<tr><th scope='row'>Plan</th><td>{_e(report.plan.file_name or 'plan')} "
        f"(plan_version {report.plan.plan_version}, reference date {_e(report.plan.reference_date)})</td>"
        f"<td><code>{_e(report.plan.sha256)}</code></td></tr>"
    )
    add(
        f"<tr><th scope='row'>Safe copy</th><td>{_e(report.output.file_name)}</td>"
        f"<td><code>{_e(report.output.sha256)}</code></td></tr>"
    )
    if report.key_id:
        add(
            "<tr><th scope='row'>Key fingerprint</th><td>one-way, not the key</td>"
            f"<td><code>{_e(report.key_id)}</code></td></tr>"
        )
    add("</tbody></table></main></body></html>\n")
    return "".join(parts)
