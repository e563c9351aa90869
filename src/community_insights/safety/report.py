"""Write a check report as JSON, Markdown or one self-contained, accessible HTML page.

A report is meant to be emailed to an information rights officer, attached to
a ticket or opened on a phone, so:

* it carries masked examples only (the check never puts raw values in it);
* the HTML page has no external assets (styles inline, no scripts), GOV.UK-like
  typography, real headings, table captions and header cells, and a colour
  contrast that meets WCAG 2.2 AA;
* files are written atomically: a temporary file in the same folder replaced
  into place, so an interrupted run leaves no half-written report.
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterable

from community_insights.safety.combinations import records_share
from community_insights.safety.errors import InputError
from community_insights.safety.types import CheckReport, ColumnKind, MosaicFinding, Verdict, to_jsonable

__all__ = ["REPORT_FORMATS", "render_html", "render_json", "render_markdown", "render_report", "write_text_atomic"]

REPORT_FORMATS = ("json", "html", "markdown")

_KIND_WORDS = {
    ColumnKind.DIRECT_IDENTIFIER: "Direct identifier",
    ColumnKind.QUASI_IDENTIFIER: "Quasi-identifier",
    ColumnKind.SPECIAL_CATEGORY: "Special category",
    ColumnKind.SYSTEM_ID: "System ID",
    ColumnKind.FREE_TEXT: "Free text",
    ColumnKind.OTHER: "Other",
}
_VERDICT_COLOURS = {
    Verdict.SAFE_TO_SHARE: ("#00703c", "#ffffff"),
    Verdict.NEEDS_REMEDIES: ("#ffdd00", "#0b0c0c"),
    Verdict.NOT_SHAREABLE: ("#d4351c", "#ffffff"),
}


def render_json(report: CheckReport) -> str:
    """The report as JSON (``schema_version`` first)."""

    data = to_jsonable(report)
    ordered = {"schema_version": data.pop("schema_version"), **data}
    return json.dumps(ordered, indent=2, ensure_ascii=False) + "\n"


def _action_words(action: str) -> str:
    return action.replace("_", " ")


def render_markdown(report: CheckReport) -> str:
    """The report as Markdown, for tickets, pull requests and terminals."""

    s = report.source
    lines = [
        f"# Data safety check: {s.file_name}",
        "",
        f"**Verdict: {report.summary.verdict.value}**",
        "",
    ]
    lines += [f"- {r}" for r in report.summary.reasons]
    lines += [
        "",
        "## The file",
        "",
        f"- Format: {s.format}" + (f", sheet {s.sheet}" if s.sheet else ""),
        f"- Rows: {s.rows:,} ({s.rows_checked:,} checked{', a sample' if s.sampled else ''}); columns: {s.columns}",
        f"- SHA-256: `{s.sha256}`",
    ]
    lines += [f"- Problem: {p}" for p in s.problems]
    lines += [
        "",
        "## Columns",
        "",
        "| Column | Kind | Personal data | Action | Examples (masked) |",
        "|---|---|---|---|---|",
    ]
    for c in report.columns:
        types = ", ".join(t.value for t in c.pii_types) or "none"
        examples = ", ".join(f"`{e}`" for e in c.evidence.masked_examples[:3]) or "—"
        lines.append(
            f"| {_md(c.name)} | {_KIND_WORDS[c.kind]} | {types} | {_action_words(c.recommended_action.value)} | "
            f"{_md(examples)} |"
        )
    lines += ["", "### Why", ""]
    lines += [f"- **{_md(c.name)}**: {c.reason}" for c in report.columns]
    sa = report.small_areas
    lines += ["", "## Small areas", ""]
    if sa.households_lookup:
        lines.append(
            f"Household lookup: {sa.households_lookup}; {sa.postcodes_below_households} postcodes cover fewer than "
            f"{sa.household_threshold} households."
        )
    if sa.areas:
        lines += ["", "| Column | Level | Areas | Below threshold | Records in them |", "|---|---|---|---|---|"]
        for a in sa.areas:
            lines.append(
                f"| {_md(a.column)} | {a.level} | {a.areas:,} | {a.areas_below:,} | "
                f"{records_share(a.records_in_areas_below, sa.records, noun=False)} |"
            )
    else:
        lines.append("No postcodes or areas were found.")
    lines += [f"- {r}" for r in sa.recommendations]
    m = report.mosaic
    lines += ["", "## Mosaic effect", ""]
    if m.quasi_identifiers:
        lines.append(f"Quasi-identifiers: {', '.join(m.quasi_identifiers)}; k = {m.k}.")
        lines.append("")
    lines += [f"- {t}" for t in m.sentences]
    lines += _generalise_first_lines(m)
    if m.l_diversity:
        lines += [
            "",
            "| Sensitive column | Smallest l | Groups with one value | Records in them |",
            "|---|---|---|---|",
        ]
        for d in m.l_diversity:
            lines.append(
                f"| {_md(d.column)} | {d.l_min} | {d.groups_with_one_value:,} | "
                f"{records_share(d.records_in_those_groups, m.records, noun=False)} |"
            )
    if m.measures:
        lines += [
            "",
            "| Sensitive column | Entropy l (smallest) | t-closeness (largest) | Distance |",
            "|---|---|---|---|",
        ]
        for x in m.measures:
            ent = f"{x.entropy_l:.2f}" if x.entropy_l is not None else "–"
            t = f"{x.t_closeness:.3f}" if x.t_closeness is not None else "–"
            lines.append(f"| {_md(x.column)} | {ent} | {t} | {x.t_ground or '–'} |")
    if report.summary.span_counts:
        lines += ["", "## Personal data in free text", ""]
        lines += [f"- {t}: {n:,}" for t, n in report.summary.span_counts.items()]
    lines += [
        "",
        f"_Checked in {report.summary.seconds:.1f} s. Examples are masked; no raw values are in this report._",
        "",
    ]
    return "\n".join(lines)


def _generalise_first_lines(m: MosaicFinding) -> list[str]:
    """The steps of generalisation tried, the one that takes most records out of small groups first."""

    if not m.generalise_first:
        return []
    lines = [
        "",
        "### What to generalise first",
        "",
        f"One step tried on each quasi-identifier in turn, on this file's own values "
        f"(records in groups under {m.threshold}):",
        "",
        "| Step | Before | After |",
        "|---|---|---|",
    ]
    for g in m.generalise_first:
        before = records_share(g.records_below_before, m.records, noun=False)
        after = records_share(g.records_below_after, m.records, noun=False)
        lines.append(f"| {_md(g.step)} | {before} | {after} |")
    return lines


def _md(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def render_html(report: CheckReport) -> str:
    """One self-contained, accessible HTML page (inline styles, no scripts, no external assets)."""

    from community_insights.safety.templating import render

    s = report.source
    rows = [
        ("File", s.file_name),
        ("Format", s.format + (f" (sheet {s.sheet})" if s.sheet else "")),
        ("Rows", f"{s.rows:,}" + (f" ({s.rows_checked:,} checked, a sample)" if s.sampled else "")),
        ("Columns", str(s.columns)),
        ("SHA-256", s.sha256),
    ]
    if s.encoding:
        rows.append(("Encoding", s.encoding))
    verdict = report.summary.verdict
    return render(
        "check_report.html",
        report=report,
        s=s,
        verdict=verdict,
        colours=_VERDICT_COLOURS[verdict],
        file_rows=rows,
        kind_words=_KIND_WORDS,
    )


def render_report(report: CheckReport, format: str = "markdown") -> str:
    """Render ``report`` in one of :data:`REPORT_FORMATS`."""

    if format == "json":
        return render_json(report)
    if format == "html":
        return render_html(report)
    if format in ("markdown", "md"):
        return render_markdown(report)
    raise InputError(f"The report format must be one of {', '.join(REPORT_FORMATS)}.")


def write_text_atomic(
    text: str, path: str | os.PathLike[str], *, inputs: Iterable[str | os.PathLike[str] | None] = ()
) -> None:
    """Write ``text`` to ``path`` through a temporary file in the same folder, then rename.

    ``inputs`` are the files the report was made from: ``path`` may not be one of them.
    """

    from community_insights.safety.files import atomic_path

    with atomic_path(path, inputs=inputs) as tmp:
        tmp.write_text(text, encoding="utf-8", newline="\n")
