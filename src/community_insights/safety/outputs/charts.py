"""Charts drawn only from a protected table: bar, stacked bar and line.

Why the figures come from :func:`protect_table`'s cells and nothing else:
a chart is a table drawn as shapes, so it can give a small group away just
as a table can (a bar of height 3, or a stack whose parts and total give the
missing part back). Drawing only the published cells means every rule of
``insights table`` — threshold, dominance, secondary suppression, rounding —
holds for the chart too. A hidden cell is drawn as a labelled gap ("hidden to
protect people"), never as a zero bar, because a zero would be a false
figure; its value is not in the spec, the SVG or the data table.
"""

from __future__ import annotations

import dataclasses
import os
from collections.abc import Sequence
from pathlib import Path
from typing import Any, Literal

from community_insights.safety.disclosure import PermittedUse, ProtectedTable
from community_insights.safety.disclosure.protect import (
    CONFIDENTIAL,
    PublishedCell,
    format_figure,
    protect_cube,
    refuse_identifying_groups,
)
from community_insights.safety.disclosure.tables import TOTAL_LABEL, DisclosureError, TableSource, aggregate, build_cube
from community_insights.safety.outputs.chart_specs import chart_spec
from community_insights.safety.outputs.render import (
    HIDDEN_LABEL,
    PALETTE,
    Drawn,
    Rendered,
    check_output_path,
    indicator_check,
    internal_use_notes,
)
from community_insights.safety.outputs.rules import OutputRules, output_rules

ChartKind = Literal["bar", "stacked", "line"]
ChartStatistic = Literal["count", "sum", "mean"]
CHART_FORMATS = Drawn.formats
#: Most bars, points or stack parts one chart may have; more cannot be read (use a table).
MAX_CHART_FIGURES = 60
#: Most series (colours) one chart may have: more colours cannot be told apart.
MAX_SERIES = len(PALETTE)


@dataclasses.dataclass
class Chart(Drawn):
    """A chart ready to write: its protected table and what is drawn from it."""

    kind: ChartKind
    table: ProtectedTable
    rules: OutputRules
    rendered: Rendered


def make_chart(
    source: TableSource,
    *,
    by: Sequence[str],
    statistic: ChartStatistic = "count",
    value: str | None = None,
    kind: ChartKind = "bar",
    title: str | None = None,
    rules: OutputRules | None = None,
    output: str | os.PathLike[str] | None = None,
    permitted_use: PermittedUse | None = None,
) -> Chart:
    """Protect a table of ``source`` and draw it; write it to ``output`` if given.

    ``by`` is one column (one bar or point per category) or two (the second
    gives the colours: grouped bars, stacked parts or one line per category).
    ``output`` is checked before anything is read, so a bad path costs nothing.
    A chart that ranks or flags people is refused (:class:`IndicatorRefused`)
    unless ``permitted_use`` names an approved internal use with human review.

    Example::

        chart = make_chart("referrals.csv", by=["ward"], kind="bar", output="by-ward.svg")
        chart.alt_text   # "Bar chart of count by ward. Highest: ..."
    """

    rules = rules or output_rules()
    by = list(by)
    if output is not None:
        check_output_path(output, CHART_FORMATS, inputs=[source] if isinstance(source, (str, Path)) else [])
    _check_request(by, statistic, value, kind, rules)
    label = statistic if value is None or statistic == "count" else f"{statistic} of {value}"
    decision = indicator_check([*by, label], title or "", permitted_use)
    table = _protect(source, by, statistic, value, rules)
    rendered = _render(table, kind, title or f"{label.capitalize()} by {' and '.join(by)}", rules)
    rendered.indicator = decision
    rendered.notes += internal_use_notes(decision)
    chart = Chart(kind=kind, table=table, rules=rules, rendered=rendered)
    if output is not None:
        chart.write(output)
    return chart


def _check_request(by: list[str], statistic: str, value: str | None, kind: str, rules: OutputRules) -> None:
    if kind not in ("bar", "stacked", "line"):
        raise DisclosureError("The kind of chart must be bar, stacked or line.")
    if statistic not in ("count", "sum", "mean"):
        raise DisclosureError("A chart shows a count, a sum or a mean.")
    if statistic != "count" and not value:
        raise DisclosureError(f"A chart of a {statistic} needs a value column.")
    if not 1 <= len(by) <= 2:
        raise DisclosureError("A chart needs one or two grouping columns (the second gives the colours).")
    if kind == "stacked" and len(by) != 2:
        raise DisclosureError("A stacked chart needs two grouping columns: the bars and their parts.")
    if rules.method == "rounding" and statistic == "mean":
        raise DisclosureError("Rounding protects counts and sums; use suppression for a chart of means.")


def _protect(
    source: TableSource, by: list[str], statistic: ChartStatistic, value: str | None, rules: OutputRules
) -> ProtectedTable:
    """The protected table, refusing a chart too big to read before the table is protected."""

    disclosure = rules.disclosure_rules()
    refuse_identifying_groups(source, by)  # a bar per name would publish every name, as a table by it would
    stats = aggregate(source, by, statistic=statistic, value=value, top_n=disclosure.top_n)
    sizes = [stats.frame[c].n_unique() for c in by]
    if len(sizes) == 2 and sizes[1] > MAX_SERIES:
        raise DisclosureError(
            f"The column {by[1]!r} has {sizes[1]:,} categories, more than the {MAX_SERIES} colours a chart "
            "can keep apart; swap the columns or group categories together first."
        )
    figures = sizes[0] * (sizes[1] if len(sizes) == 2 else 1)
    if figures > MAX_CHART_FIGURES:
        raise DisclosureError(
            f"That chart would have {figures:,} bars or points, more than the {MAX_CHART_FIGURES} a reader "
            "can take in; group categories together first, or make a table instead."
        )
    cube = build_cube(stats, top_n=disclosure.top_n)
    return protect_cube(cube, rules=disclosure, method=rules.method, rounding_base=rules.rounding_base)


def shown_figure(cell: PublishedCell, statistic: str, rules: OutputRules) -> str:
    """A published figure as text, with the preset's mark for a hidden cell."""

    text = format_figure(cell, statistic)
    return rules.mark if cell.mark == CONFIDENTIAL else text


def data_table(table: ProtectedTable, rules: OutputRules) -> tuple[list[str], list[list[str]]]:
    """The published table (totals included) as the rows of the data table beside a chart."""

    columns = [*table.by, table.label]
    rows = [
        [
            *(TOTAL_LABEL if c.categories[n] is None else str(c.categories[n]) for n in table.by),
            shown_figure(c, table.statistic, rules),
        ]
        for c in table.cells
    ]
    return columns, rows


def notes_for(table: ProtectedTable, rules: OutputRules) -> list[str]:
    """The table's note (with the preset's mark) and the rules, in plain words."""

    return [table.metadata.note.replace(CONFIDENTIAL, rules.mark), rules.describe()]


def _points(table: ProtectedTable, rules: OutputRules) -> list[dict[str, Any]]:
    """One data row per inner cell; a hidden cell has no figure at all, only its label."""

    rows = []
    for cell in table.cells:
        if cell.is_total:
            continue
        labels = [cell.categories[name] for name in table.by]
        hidden = cell.value is None
        rows.append(
            {
                "category": labels[0],
                "series": labels[1] if len(labels) > 1 else None,
                "figure": None if hidden else cell.value,
                "label": HIDDEN_LABEL if hidden else shown_figure(cell, table.statistic, rules),
                "hidden": hidden,
            }
        )
    return rows


def _render(table: ProtectedTable, kind: ChartKind, title: str, rules: OutputRules) -> Rendered:
    points = _points(table, rules)
    spec = chart_spec(kind, points, table, title)
    columns, rows = data_table(table, rules)
    return Rendered(
        title=title,
        alt_text=describe_chart(kind, points, table),
        spec=spec,
        columns=columns,
        rows=rows,
        notes=notes_for(table, rules),
    )


def describe_chart(kind: ChartKind, points: list[dict[str, Any]], table: ProtectedTable) -> str:
    """The finding in words, from published figures only."""

    names = {"bar": "Bar chart", "stacked": "Stacked bar chart", "line": "Line chart"}
    sentence = [f"{names[kind]} of {table.label} by {' and '.join(table.by)}."]
    shown = [p for p in points if not p["hidden"]]

    def where(p: dict[str, Any]) -> str:
        return p["category"] if p["series"] is None else f"{p['category']}, {p['series']}"

    if shown:
        high = max(shown, key=lambda p: p["figure"])
        low = min(shown, key=lambda p: p["figure"])
        sentence.append(f"Highest: {where(high)} ({high['label']}).")
        if low is not high:
            sentence.append(f"Lowest: {where(low)} ({low['label']}).")
    hidden = len(points) - len(shown)
    if hidden:
        sentence.append(f"{hidden} of {len(points)} figures are {HIDDEN_LABEL}.")
    else:
        sentence.append("No figures needed hiding.")
    return " ".join(sentence)


__all__ = ["CHART_FORMATS", "Chart", "make_chart"]
