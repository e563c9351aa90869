"""Building an output version with the engine: files, preview, explanation and the output safety check.

The portal's only door to the engine for outputs. It receives a private,
decrypted copy of an approved safe copy and returns the files in every
format, the finding in words, the analyst-only explanation of what was
hidden or merged, and the guide's Step 5 check in plain words. Nothing here
reads or returns a cell of the safe copy: only protected figures.
"""

from __future__ import annotations

import dataclasses
import io
import re
import tempfile
from pathlib import Path
from typing import Any

from community_insights.portal.outputs.table_pdf import table_pdf
from community_insights.safety import (
    IndicatorRefused,
    SafetyError,
    check_indicator_output,
    find_spans,
    make_chart,
    make_map,
    mark_hidden_cells,
    open_table,
    output_rules,
    protect_table,
    sample_boundaries_path,
    write_protected_table,
    write_table,
)

CHART_FORMATS = ("svg", "png", "pdf", "csv", "xlsx")
TABLE_FORMATS = ("csv", "xlsx")
PASS, ATTENTION = "pass", "attention"


class BuildRefused(Exception):
    """The output cannot be built or may not be published; the message is one plain sentence."""


@dataclasses.dataclass
class Built:
    """What a build produced."""

    files: dict[str, bytes]
    preview_svg: str
    alt_text: str
    explanation: list[str]
    safety_check: list[dict[str, str]]


def build(path: Path, *, kind: str, title: str, settings: dict[str, Any], boundaries: Path | None = None) -> Built:
    """Build ``kind`` (table, chart, map or person-level list) from the safe copy at ``path``.

    ``boundaries`` is the project's own boundary file for a map (the shipped
    sample when ``None``). Raises :class:`BuildRefused` with the engine's
    sentence for bad settings, and with the Article 22 reason for an output
    that ranks or flags people.
    """

    rules = output_rules(settings.get("preset") or None)
    try:
        if kind == "person_level":
            return _person_level(path, title, settings)
        if kind == "map":
            return _map(path, title, settings, rules, boundaries or sample_boundaries_path())
        return _table_or_chart(path, kind, title, settings, rules)
    except IndicatorRefused as refused:
        raise BuildRefused(str(refused)) from None
    except (SafetyError, ValueError) as error:
        raise BuildRefused(str(error)) from None


def _table_or_chart(path: Path, kind: str, title: str, settings: dict[str, Any], rules: Any) -> Built:
    by = list(settings["by"])
    statistic, value = settings.get("statistic", "count"), settings.get("value") or None
    if kind == "chart":
        drawn = make_chart(
            path, by=by, statistic=statistic, value=value, kind=settings.get("chart_kind", "bar"), title=title,
            rules=rules,
        )  # fmt: skip
        table, alt_text, svg = drawn.table, drawn.alt_text, _render(drawn, "svg").decode("utf-8")
        files = {fmt: _render(drawn, fmt) for fmt in ("svg", "png", "pdf")}
    else:
        table = protect_table(path, by=by, statistic=statistic, value=value, rules=rules.disclosure_rules())
        alt_text, svg, files = table.metadata.note, "", {}
    files |= _table_files(mark_hidden_cells(table, rules.mark))
    if kind != "chart":  # a chart's PDF is its picture; a table's is the table itself
        files["pdf"] = table_pdf(title, files["csv"])
    explanation = [
        f"{', '.join(v or 'Total' for v in hidden.categories.values())}: {hidden.reason}" for hidden in table.explain()
    ]
    hidden = sum(1 for c in table.cells if c.value is None and c.mark == "[c]")
    checks = [
        _figurescheck_row(hidden, len(table.cells)),
        check_row("Small areas", PASS, "This is not a map, so no area is shown on its own."),
        *_common_checks(files, title),
    ]
    return Built(files, svg, alt_text, explanation, checks)


def _map(path: Path, title: str, settings: dict[str, Any], rules: Any, boundaries: Path) -> Built:
    drawn = make_map(
        path, area=settings["area"], boundaries=boundaries, rate=settings.get("rate") or None,
        title=title, rules=rules,
    )  # fmt: skip
    files = {fmt: _render(drawn, fmt) for fmt in ("svg", "png", "pdf")}
    files["csv"] = _rows_csv(drawn.rendered.columns, drawn.rendered.rows)
    files["xlsx"] = _xlsx_of_csv(files["csv"])
    explanation = [f"{g.label}: each area alone had fewer than {rules.threshold} people" for g in drawn.merged]
    merged = "; ".join(g.label for g in drawn.merged)
    areas = check_row(
        "Small areas",
        PASS,
        f"No area with fewer than {rules.threshold} people is shown on its own"
        + (f"; these were merged with neighbours: {merged}." if merged else "; none needed merging."),
    )
    checks = [_figurescheck_row(0, len(drawn.groups)), areas, *_common_checks(files, title)]
    return Built(files, files["svg"].decode("utf-8"), drawn.alt_text, explanation, checks)


def _person_level(path: Path, title: str, settings: dict[str, Any]) -> Built:
    """The approved safe copy itself, row for row, as CSV and XLSX, for the named recipients only.

    Why nothing is recomputed or trimmed: the issue's rule is that a
    person-level output must itself be a checked safe copy, so the rows are
    exactly the ones information rights approved. The portal has already
    checked that every recipient has a signed, unexpired sharing agreement
    (``settings["recipient_names"]``); a list that ranks or flags people is
    still refused with the Article 22 reason.
    """

    table = open_table(path)
    check_indicator_output(table.columns, description=title)
    files: dict[str, bytes] = {}
    with tempfile.TemporaryDirectory(prefix="insights-output-") as folder:
        for fmt in ("csv", "xlsx"):
            target = Path(folder) / f"list.{fmt}"
            write_table(open_table(path).iter_batches(), target)
            files[fmt] = target.read_bytes()
    rows = max(files["csv"].count(b"\n") - 1, 0)
    names = ", ".join(settings.get("recipient_names") or [])
    alt_text = f"A list of {rows} rows, one per person, with the columns {', '.join(table.columns)}."
    checks = [
        check_row("Figures", PASS, "No figure is worked out: the rows are the approved safe copy's, as they are."),
        check_row("Small areas", PASS, "This is not a map, so no area is shown on its own."),
        check_row(
            "A list of people",
            ATTENTION,
            "This is a row per person. It is the approved safe copy itself, and every recipient organisation "
            f"has a signed, unexpired sharing agreement covering this data: {names}. Share it with them only.",
        ),
        check_row("Indicators of need", PASS, "It does not rank or flag individual people or households."),
        _scan_row(personal_data_kinds({"csv": _head(files["csv"])})),
    ]
    return Built(files, "", alt_text, [], checks)


def _head(csv_bytes: bytes, lines: int = 2000) -> bytes:
    """The header and first rows: enough for the scan to see what kind of text each column holds."""
    return b"\n".join(csv_bytes.split(b"\n", lines)[:lines])


def _render(drawn: Any, fmt: str) -> bytes:
    with tempfile.TemporaryDirectory(prefix="insights-output-") as folder:
        return drawn.write(Path(folder) / f"output.{fmt}").read_bytes()  # type: ignore[no-any-return]


def _table_files(table: Any) -> dict[str, bytes]:
    files = {}
    with tempfile.TemporaryDirectory(prefix="insights-output-") as folder:
        for fmt in TABLE_FORMATS:
            written = write_protected_table(table, Path(folder) / f"table.{fmt}")
            files[fmt] = written[0].read_bytes()
            if fmt == "csv" and len(written) > 1:
                files["csv"] += b"\n" + written[1].read_bytes()
    return files


def _xlsx_of_csv(csv_bytes: bytes) -> bytes:
    """The same published rows as a spreadsheet (cells a spreadsheet would run as formulas made inert).

    A map's figures are offered in every format a table's are, so someone who
    wants to work with them need not retype them from the CSV.
    """
    with tempfile.TemporaryDirectory(prefix="insights-output-") as folder:
        source, target = Path(folder) / "figures.csv", Path(folder) / "figures.xlsx"
        source.write_bytes(csv_bytes)
        write_table(open_table(source).iter_batches(), target)
        return target.read_bytes()


def _rows_csv(columns: list[str], rows: list[list[str]]) -> bytes:
    import csv

    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(columns)
    writer.writerows(rows)
    return buffer.getvalue().encode("utf-8")


def _pdf_text(data: bytes) -> str:
    from pypdf import PdfReader

    return "\n".join(page.extract_text() or "" for page in PdfReader(io.BytesIO(data)).pages) if data else ""


def check_row(name: str, outcome: str, words: str) -> dict[str, str]:
    return {"check": name, "outcome": outcome, "words": words}


def _figurescheck_row(hidden: int, figures: int) -> dict[str, str]:
    words = "Every figure comes from a protected table (small groups hidden, totals kept safe)"
    return check_row(
        "Figures",
        PASS,
        words + (f"; {hidden} of its {figures} figures, totals included, are hidden." if hidden else "."),
    )


def _common_checks(files: dict[str, bytes], title: str) -> list[dict[str, str]]:
    """The Step 5 rows every output gets: person-level data, indicators, personal data in the files."""

    return [
        check_row("A list of people", PASS, "The output shows totals for groups, never a row per person."),
        check_row("Indicators of need", PASS, "It does not rank or flag individual people or households."),
        _scan_row(personal_data_kinds(files)),
    ]


def _scan_row(found: set[str]) -> dict[str, str]:
    if not found:
        return check_row(
            "Personal data in the files", PASS, "No names, identifiers or contact details were found in the text."
        )
    return check_row(
        "Personal data in the files",
        ATTENTION,
        f"The text of the files may hold personal data ({', '.join(sorted(found))}); check the title, "
        "labels and categories before approving.",
    )


def personal_data_kinds(files: dict[str, bytes]) -> set[str]:
    """Kinds of personal data the engine finds in the text of the SVG, PDF and CSV (never the values).

    The PDF is read on its own, not assumed to match the SVG: it is the file
    most often shared, and a renderer could put text in it that the SVG lacks.
    """

    texts: list[str] = []
    if "pdf" in files:
        texts += [line for line in _pdf_text(files["pdf"]).splitlines() if line.strip()]
    if "svg" in files:
        svg = files["svg"].decode("utf-8", errors="replace")
        texts += [t for t in re.findall(r">([^<>]+)<", svg) if t.strip()]
    if "csv" in files:
        texts += [line for line in files["csv"].decode("utf-8", errors="replace").splitlines() if line.strip()]
    spans = find_spans(texts, column="output text", use_model=False)
    return {str(span.type.value if hasattr(span.type, "value") else span.type) for span in spans}
