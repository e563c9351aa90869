"""Carrying an output's words into its files: the alt text and "what this can and cannot be used for".

Why: once downloaded, a file travels on its own, into a slide deck or a
funding bid, away from the page that said what it is for. The issue asks
that every format carries its alternative text and its caveats, so each file
holds them in the place its readers look: the SVG's ``<desc>``, the PNG's
Description and Disclaimer text, the PDF's Subject and its own caveats
entry, and a notes part of the CSV and the Excel file. A list of people's
CSV is left as rows only (it is data for the recipient's systems); its
Excel file has the notes on a sheet of their own.
"""

from __future__ import annotations

import html
import io
import re

from community_insights.safety import escape_row

CAVEATS = "What this can and cannot be used for"


def carry_words(
    files: dict[str, bytes], *, title: str, alt_text: str, caveats: str, rows_only_csv: bool = False
) -> dict[str, bytes]:
    """The same files with the title, alt text and caveats written into each format that can hold them."""

    lines = [f"Title: {title}", f"What it shows: {alt_text}"] + ([f"{CAVEATS}: {caveats}"] if caveats else [])
    carried = dict(files)
    if "svg" in carried and caveats:
        carried["svg"] = _svg(carried["svg"], caveats)
    if "png" in carried:
        carried["png"] = _png(carried["png"], title, alt_text, caveats)
    if carried.get("pdf"):
        carried["pdf"] = _pdf(carried["pdf"], title, alt_text, caveats)
    if "csv" in carried and not rows_only_csv:
        carried["csv"] = _csv(carried["csv"], lines)
    if "xlsx" in carried:
        carried["xlsx"] = _xlsx(carried["xlsx"], lines)
    return carried


def _svg(data: bytes, caveats: str) -> bytes:
    svg = data.decode("utf-8")
    words = f" {CAVEATS}: {html.escape(caveats)}"
    return re.sub(
        r"(<desc\b[^>]*>.*?)(</desc>)", lambda m: m.group(1) + words + m.group(2), svg, count=1, flags=re.S
    ).encode("utf-8")


def _png(data: bytes, title: str, alt_text: str, caveats: str) -> bytes:
    from PIL import Image
    from PIL.PngImagePlugin import PngInfo

    info = PngInfo()
    info.add_itxt("Title", title)
    info.add_itxt("Description", alt_text)
    if caveats:
        info.add_itxt("Disclaimer", f"{CAVEATS}: {caveats}")
    out = io.BytesIO()
    with Image.open(io.BytesIO(data)) as image:
        image.save(out, format="PNG", pnginfo=info)
    return out.getvalue()


def _pdf(data: bytes, title: str, alt_text: str, caveats: str) -> bytes:
    from pypdf import PdfReader, PdfWriter

    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(data)))
    writer.add_metadata({"/Title": title, "/Subject": alt_text, **({"/Caveats": caveats} if caveats else {})})
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def _csv(data: bytes, lines: list[str]) -> bytes:
    import csv

    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    for line in lines:
        writer.writerow(escape_row([line]))
    return data.rstrip(b"\n") + b"\n\n" + buffer.getvalue().encode("utf-8")


def _xlsx(data: bytes, lines: list[str]) -> bytes:
    from openpyxl import load_workbook

    book = load_workbook(io.BytesIO(data))
    sheet = book["Notes"] if "Notes" in book.sheetnames else book.create_sheet("Notes")
    if sheet.max_row > 1 or sheet["A1"].value is not None:
        sheet.append([""])
    for line in lines:
        sheet.append(escape_row([line]))
        sheet.cell(row=sheet.max_row, column=1).data_type = "s"  # text, never a formula
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
