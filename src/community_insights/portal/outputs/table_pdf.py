"""A published table as a PDF: the same figures and notes as its CSV, for people who print or attach it.

Why from the CSV: the CSV is the published table (hidden figures already
marked, the notes after a blank line), so the PDF can show nothing the CSV
does not. Built with WeasyPrint from plain HTML, with every external resource
refused, as the governance documents are.
"""

from __future__ import annotations

import csv
import html
import io
from typing import Any

_CSS = (
    "body{font-family:Helvetica,Arial,sans-serif;color:#0b0c0c;font-size:11pt}"
    "table{border-collapse:collapse;margin:1em 0}th,td{border-bottom:1px solid #b1b4b6;padding:.25em .6em;"
    "text-align:left}td.n{text-align:right}caption{text-align:left;font-weight:bold;padding-bottom:.4em}"
)


def _no_fetch(url: str, *args: Any, **kwargs: Any) -> dict[str, Any]:
    """Refuse every external resource: the PDF is built from the HTML alone."""
    raise ValueError(f"External resources are not loaded: {url[:40]}")


def _cell(figure: bool, text: str) -> str:
    """A cell of the table; the figure (the last column) is right-aligned."""
    return f'<td class="{"n" if figure else ""}">{html.escape(text)}</td>'


def table_pdf(title: str, csv_bytes: bytes) -> bytes:
    """The table's PDF: its title, its figures as a table and its notes, all from the published CSV."""
    from weasyprint import HTML  # imported here: it is heavy and only the build needs it

    figures, _, notes = csv_bytes.decode("utf-8-sig").partition("\n\n")
    rows = [row for row in csv.reader(io.StringIO(figures)) if row]
    head = "".join(f'<th scope="col">{html.escape(cell)}</th>' for cell in rows[0]) if rows else ""
    body = "".join(
        "<tr>" + "".join(_cell(i == len(row) - 1, cell) for i, cell in enumerate(row)) + "</tr>" for row in rows[1:]
    )
    note_lines = [line for line in notes.splitlines() if line.strip()]
    page = (
        f'<!doctype html><html lang="en-GB"><head><meta charset="utf-8"><title>{html.escape(title)}</title>'
        f"<style>{_CSS}</style></head><body><h1>{html.escape(title)}</h1>"
        f"<table><caption>The figures</caption><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"
        + "".join(f"<p>{html.escape(line.strip(chr(34)))}</p>" for line in note_lines)
        + "</body></html>"
    )
    return bytes(HTML(string=page, url_fetcher=_no_fetch).write_pdf() or b"")
