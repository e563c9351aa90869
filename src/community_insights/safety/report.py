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

import html
import json
import os

from community_insights.safety.errors import InputError
from community_insights.safety.types import CheckReport, ColumnKind, Verdict, to_jsonable

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
                f"| {_md(a.column)} | {a.level} | {a.areas:,} | {a.areas_below:,} | {a.records_in_areas_below:,} |"
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
    if m.l_diversity:
        lines += ["", "| Special category column | Smallest l | Groups with one value | Records |", "|---|---|---|---|"]
        for d in m.l_diversity:
            lines.append(
                f"| {_md(d.column)} | {d.l_min} | {d.groups_with_one_value:,} | {d.records_in_those_groups:,} |"
            )
    if report.summary.span_counts:
        lines += ["", "## Personal data in free text", ""]
        lines += [f"- {t}: {n:,}" for t, n in report.summary.span_counts.items()]
    lines += [
        "",
        f"_Checked in {report.summary.seconds:.1f} s. Examples are masked; no raw values are in this report._",
        "",
    ]
    return "\n".join(lines)


def _md(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


_CSS = """
body{font-family:Arial,Helvetica,sans-serif;color:#0b0c0c;background:#fff;margin:0;line-height:1.4;font-size:19px}
.wrap{max-width:960px;margin:0 auto;padding:20px 15px 40px}
header.band{background:#0b0c0c;color:#fff;padding:12px 15px;border-bottom:10px solid #1d70b8}
header.band p{margin:0;max-width:960px;margin:0 auto;font-weight:700;font-size:20px}
h1{font-size:36px;margin:30px 0 15px;line-height:1.1}
h2{font-size:27px;margin:40px 0 15px}
h3{font-size:22px;margin:25px 0 10px}
.caption{color:#505a5f;font-size:19px;display:block;margin-bottom:5px}
.verdict{display:inline-block;padding:8px 14px;font-weight:700;font-size:24px;margin:5px 0 15px}
.panel{border-left:10px solid #b1b4b6;padding:5px 15px;margin:15px 0}
ul{padding-left:20px}li{margin-bottom:6px}
table{border-collapse:collapse;width:100%;margin:10px 0 25px;font-size:16px}
caption{text-align:left;font-weight:700;font-size:19px;padding-bottom:8px}
th,td{text-align:left;vertical-align:top;padding:8px 10px 8px 0;border-bottom:1px solid #b1b4b6}
th{font-weight:700}
td.num,th.num{text-align:right}
code{font-family:"Courier New",monospace;background:#f3f2f1;padding:0 3px;font-size:16px}
.tag{display:inline-block;padding:2px 6px;font-size:14px;font-weight:700;letter-spacing:.5px;text-transform:uppercase}
.k-direct_identifier{background:#f6d7d2;color:#2a0b06}.k-special_category{background:#dbd5e9;color:#0c0a14}
.k-quasi_identifier{background:#fcd6c3;color:#2e1005}.k-system_id{background:#d2e2f1;color:#0c2d4a}
.k-free_text{background:#fff7bf;color:#3d3600}.k-other{background:#e5e6e7;color:#0b0c0c}
.muted{color:#505a5f;font-size:16px}
.skip{position:absolute;left:-9999px}.skip:focus{position:static;background:#fd0;color:#0b0c0c;padding:5px}
a{color:#1d70b8}a:focus{outline:3px solid #fd0;background:#fd0;color:#0b0c0c}
@media (max-width:640px){body{font-size:16px}h1{font-size:27px}h2{font-size:22px}table{font-size:14px}
.scroll{overflow-x:auto}}
"""


def _e(text: object) -> str:
    return html.escape(str(text), quote=True)


def render_html(report: CheckReport) -> str:
    """One self-contained, accessible HTML page (inline styles, no scripts, no external assets)."""

    s = report.source
    verdict = report.summary.verdict
    bg, fg = _VERDICT_COLOURS[verdict]
    out: list[str] = [
        "<!DOCTYPE html>",
        '<html lang="en-GB">',
        "<head>",
        '<meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>Data safety check: {_e(s.file_name)} – {_e(verdict.value)}</title>",
        f"<style>{_CSS}</style>",
        "</head>",
        "<body>",
        '<a class="skip" href="#main">Skip to the report</a>',
        '<header class="band"><p>Community Insights · Data safety check</p></header>',
        '<main class="wrap" id="main">',
        f'<span class="caption">{_e(s.file_name)}</span>',
        "<h1>Data safety check</h1>",
        f'<p class="verdict" style="background:{bg};color:{fg}">Verdict: {_e(verdict.value)}</p>',
        '<div class="panel"><h2 style="margin-top:5px">What to do</h2><ul>',
    ]
    out += [f"<li>{_e(r)}</li>" for r in report.summary.reasons]
    out += ["</ul></div>", "<h2>The file</h2>", '<table><caption class="skip">About the file</caption><tbody>']
    rows = [
        ("File", s.file_name),
        ("Format", s.format + (f" (sheet {s.sheet})" if s.sheet else "")),
        ("Rows", f"{s.rows:,}" + (f" ({s.rows_checked:,} checked, a sample)" if s.sampled else "")),
        ("Columns", str(s.columns)),
        ("SHA-256", s.sha256),
    ]
    if s.encoding:
        rows.append(("Encoding", s.encoding))
    for k, v in rows:
        val = f"<code>{_e(v)}</code>" if k == "SHA-256" else _e(v)
        out.append(f'<tr><th scope="row">{_e(k)}</th><td style="word-break:break-all">{val}</td></tr>')
    out.append("</tbody></table>")
    if s.problems:
        out.append("<h3>Problems reading the file</h3><ul>")
        out += [f"<li>{_e(p)}</li>" for p in s.problems]
        out.append("</ul>")

    out += [
        "<h2>Columns</h2>",
        '<div class="scroll"><table><caption>What each column holds and what to do with it</caption>',
        '<thead><tr><th scope="col">Column</th><th scope="col">Kind</th><th scope="col">Personal data</th>'
        '<th scope="col">Action</th><th scope="col">Why</th><th scope="col">Examples (masked)</th></tr></thead><tbody>',
    ]
    for c in report.columns:
        types = ", ".join(t.value.replace("_", " ").lower() for t in c.pii_types) or "none"
        ex = " ".join(f"<code>{_e(x)}</code>" for x in c.evidence.masked_examples[:3]) or "–"
        out.append(
            f'<tr><th scope="row">{_e(c.name)}</th>'
            f'<td><span class="tag k-{c.kind.value}">{_e(_KIND_WORDS[c.kind])}</span></td>'
            f"<td>{_e(types)}</td><td>{_e(_action_words(c.recommended_action.value))}</td>"
            f"<td>{_e(c.reason)}</td><td>{ex}</td></tr>"
        )
    out.append("</tbody></table></div>")

    sa = report.small_areas
    out.append("<h2>Small areas</h2>")
    if sa.households_lookup:
        out.append(
            f"<p>Household lookup <code>{_e(sa.households_lookup)}</code>: {sa.postcodes_below_households:,} "
            f"postcodes cover fewer than {sa.household_threshold} households "
            f"({sa.records_in_postcodes_below_households:,} records).</p>"
        )
    if sa.areas:
        out += [
            '<div class="scroll"><table><caption>Areas with fewer records than the threshold</caption>',
            '<thead><tr><th scope="col">Column</th><th scope="col">Level</th><th scope="col" class="num">Areas</th>'
            '<th scope="col" class="num">Below threshold</th><th scope="col" class="num">Records in them</th>'
            '<th scope="col">Examples (masked)</th></tr></thead><tbody>',
        ]
        for a in sa.areas:
            ex = " ".join(f"<code>{_e(x)}</code>" for x in a.masked_examples[:3]) or "–"
            out.append(
                f'<tr><th scope="row">{_e(a.column)}</th><td>{_e(a.level)}</td><td class="num">{a.areas:,}</td>'
                f'<td class="num">{a.areas_below:,}</td><td class="num">{a.records_in_areas_below:,}</td>'
                f"<td>{ex}</td></tr>"
            )
        out.append("</tbody></table></div>")
    else:
        out.append("<p>No postcodes or areas were found.</p>")
    if sa.recommendations:
        out.append("<ul>" + "".join(f"<li>{_e(r)}</li>" for r in sa.recommendations) + "</ul>")

    m = report.mosaic
    out.append("<h2>Mosaic effect</h2>")
    if m.quasi_identifiers:
        out.append(
            f"<p>Quasi-identifiers: {_e(', '.join(m.quasi_identifiers))}. Smallest group (k): "
            f"<strong>{_e(m.k)}</strong>; threshold {m.threshold}.</p>"
        )
    out.append("<ul>" + "".join(f"<li>{_e(t)}</li>" for t in m.sentences) + "</ul>")
    if m.combinations:
        out += [
            '<div class="scroll"><table><caption>Combinations of columns that single people out</caption>',
            '<thead><tr><th scope="col">Columns</th><th scope="col" class="num">People singled out</th>'
            '<th scope="col" class="num">In groups below threshold</th><th scope="col" class="num">Smallest group</th>'
            "</tr></thead><tbody>",
        ]
        for r in m.combinations:
            out.append(
                f'<tr><th scope="row">{_e(" + ".join(r.columns))}</th><td class="num">{r.unique_records:,}</td>'
                f'<td class="num">{r.records_below_threshold:,}</td><td class="num">{r.smallest_group:,}</td></tr>'
            )
        out.append("</tbody></table></div>")
    if m.l_diversity:
        out += [
            '<div class="scroll"><table><caption>Special category values inside the groups (l-diversity)</caption>',
            '<thead><tr><th scope="col">Column</th><th scope="col" class="num">Smallest l</th>'
            '<th scope="col" class="num">Groups where everyone shares one value</th>'
            '<th scope="col" class="num">Records in them</th></tr></thead><tbody>',
        ]
        for d in m.l_diversity:
            out.append(
                f'<tr><th scope="row">{_e(d.column)}</th><td class="num">{d.l_min}</td>'
                f'<td class="num">{d.groups_with_one_value:,}</td>'
                f'<td class="num">{d.records_in_those_groups:,}</td></tr>'
            )
        out.append("</tbody></table></div>")
    if report.summary.span_counts:
        out += [
            "<h2>Personal data in free text</h2>",
            '<table><caption>Places found in free-text columns, by type</caption><thead><tr><th scope="col">Type</th>'
            '<th scope="col" class="num">Places</th></tr></thead><tbody>',
        ]
        for t, n in report.summary.span_counts.items():
            out.append(f'<tr><th scope="row">{_e(t.replace("_", " ").lower())}</th><td class="num">{n:,}</td></tr>')
        out.append("</tbody></table>")
    out += [
        f'<p class="muted">Checked in {report.summary.seconds:.1f} seconds. Report format version '
        f"{_e(report.schema_version)}. Every example in this report is masked: it is safe to send to an "
        "information rights officer.</p>",
        "</main>",
        "</body>",
        "</html>",
        "",
    ]
    return "\n".join(out)


def render_report(report: CheckReport, format: str = "markdown") -> str:
    """Render ``report`` in one of :data:`REPORT_FORMATS`."""

    if format == "json":
        return render_json(report)
    if format == "html":
        return render_html(report)
    if format in ("markdown", "md"):
        return render_markdown(report)
    raise InputError(f"The report format must be one of {', '.join(REPORT_FORMATS)}.")


def write_text_atomic(text: str, path: str | os.PathLike[str]) -> None:
    """Write ``text`` to ``path`` through a temporary file in the same folder, then rename."""

    from community_insights.safety.files import atomic_path

    with atomic_path(path) as tmp:
        tmp.write_text(text, encoding="utf-8", newline="\n")
