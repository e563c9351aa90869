"""A small dashboard page: several approved outputs with the team's words between them.

Why it gets its own check and sign-off although every part is approved: put
side by side, two outputs can give away what neither does alone (two tables
with the same categories and different totals can be subtracted from each
other). The page is built only from approved parts, and the check says which
parts share a grouping, for the information rights expert to look at together.
"""

from __future__ import annotations

import csv
import dataclasses
import html
import io
from typing import Any

from community_insights.portal.outputs.build import ATTENTION, PASS, Built, check_row, personal_data_kinds

_CSS = (
    "body{font-family:Helvetica,Arial,sans-serif;color:#0b0c0c;margin:1.5rem;line-height:1.4;max-width:60rem}"
    "svg{max-width:100%;height:auto}table{border-collapse:collapse}"
    "th,td{border-bottom:1px solid #b1b4b6;padding:.3rem .6rem;text-align:left}"
    ".caveat{border-left:5px solid #b1b4b6;padding-left:1rem}"
)


@dataclasses.dataclass
class Part:
    """One approved output on the page: its words, picture (or table) and grouping."""

    title: str
    narrative: str
    caveats: str
    alt_text: str
    svg: str
    csv_text: str
    grouping: list[str]


def build_dashboard(*, title: str, intro: str, parts: list[Part]) -> Built:
    """The page as HTML (works without JavaScript) and PDF, with its output safety check."""

    page = _page(title, intro, parts)
    from weasyprint import HTML

    pdf = HTML(string=page).write_pdf()
    files = {"html": page.encode("utf-8"), "pdf": bytes(pdf or b"")}
    alt_text = f"A page of {len(parts)} outputs: " + "; ".join(p.title for p in parts) + "."
    return Built(files, "", alt_text, [], _checks(parts, files))


def _page(title: str, intro: str, parts: list[Part]) -> str:
    body = [f"<h1>{html.escape(title)}</h1>"]
    if intro:
        body.append(f"<p>{html.escape(intro)}</p>")
    for part in parts:
        body.append(f"<section><h2>{html.escape(part.title)}</h2>")
        if part.narrative:
            body.append(f"<p>{html.escape(part.narrative)}</p>")
        body.append(
            f"<figure>{part.svg}<figcaption>{html.escape(part.alt_text)}</figcaption></figure>"
            if part.svg
            else _table(part)
        )
        if part.caveats:
            words = html.escape(part.caveats)
            body.append(f'<p class="caveat"><strong>What this can and cannot be used for:</strong> {words}</p>')
        body.append("</section>")
    return (
        f'<!doctype html>\n<html lang="en-GB"><head><meta charset="utf-8"><title>{html.escape(title)}</title>'
        f"<style>{_CSS}</style></head><body><main>{''.join(body)}</main></body></html>\n"
    )


def _table(part: Part) -> str:
    rows = [r for r in csv.reader(io.StringIO(part.csv_text)) if r]
    if not rows:
        return ""
    head = "".join(f'<th scope="col">{html.escape(c)}</th>' for c in rows[0])
    body = "".join("<tr>" + "".join(f"<td>{html.escape(c)}</td>" for c in row) + "</tr>" for row in rows[1:])
    caption = html.escape(part.alt_text)
    return f"<table><caption>{caption}</caption><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"


def _checks(parts: list[Part], files: dict[str, bytes]) -> list[dict[str, str]]:
    shared: dict[str, list[str]] = {}
    for part in parts:
        for column in part.grouping:
            shared.setdefault(column, []).append(part.title)
    overlaps = {c: titles for c, titles in shared.items() if len(titles) > 1}
    together = (
        check_row("Outputs side by side", PASS, "No two parts group people the same way.")
        if not overlaps
        else check_row(
            "Outputs side by side",
            ATTENTION,
            "Some parts group people the same way ("
            + "; ".join(f"{c}: {', '.join(t)}" for c, t in overlaps.items())
            + "); check that no hidden figure of one can be worked out from the figures of another.",
        )
    )
    found = personal_data_kinds({"csv": files["html"], "pdf": files["pdf"]})
    scan = check_row(
        "Personal data in the files",
        ATTENTION if found else PASS,
        f"The page's text may hold personal data ({', '.join(sorted(found))}); check it before approving."
        if found
        else "No names, identifiers or contact details were found in the text.",
    )
    return [
        check_row("Figures", PASS, f"Every part is an output that information rights approved ({len(parts)} parts)."),
        together,
        check_row("A list of people", PASS, "The page shows totals for groups, never a row per person."),
        scan,
    ]


def part_of(version: Any, svg: str, csv_text: str) -> Part:
    """A part from an approved version (its settings give the grouping)."""

    settings = version.build_settings or {}
    grouping = list(settings.get("by") or ([settings["area"]] if settings.get("area") else []))
    return Part(version.title, version.narrative, version.caveats, version.alt_text, svg, csv_text, grouping)
