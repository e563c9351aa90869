"""A small bar chart of headline figures that were protected one by one (a programme's "what we have done").

Why not :func:`make_chart`: that function protects a table of rows itself, but
headline figures count different things (projects, insights, organisations),
so each is protected alone by :func:`~community_insights.safety.disclosure.protect_figures`
and none is a margin of another. This module only draws what those cells
publish, with the same spec, colours and offline rendering as every other
chart: a hidden figure is a labelled gap, never a zero or a short bar.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from typing import Any

from community_insights.safety.disclosure import CONFIDENTIAL, PublishedCell, figure_text
from community_insights.safety.outputs.chart_specs import bar_layers
from community_insights.safety.outputs.render import HIDDEN_LABEL, Drawn, Rendered, base_config, svg_of

#: The data table's columns beside the chart.
COLUMNS = ("What", "How many")


@dataclasses.dataclass
class FiguresChart(Drawn):
    """Headline figures drawn as bars; ``svg`` is ready to put in a page (with its title and description)."""

    rendered: Rendered

    @property
    def svg(self) -> str:
        return svg_of(self.rendered)

    @property
    def rows(self) -> list[list[str]]:
        """The data table: each figure as published (a number or the mark)."""
        return self.rendered.rows


def chart_figures(figures: Mapping[str, PublishedCell], *, title: str) -> FiguresChart:
    """Draw already-protected headline figures as a bar chart, hidden ones as labelled gaps.

    Example::

        cells = protect_figures({"Projects finished": 12, "Insights published": 3})
        chart_figures(cells, title="The programme so far").svg   # Insights published: "hidden to protect people"
    """

    import altair as alt

    points = [_point(label, cell) for label, cell in figures.items()]
    order = list(figures)
    layers = bar_layers(points, order, COLUMNS[1], COLUMNS[0], None, False, {})
    chart = alt.layer(*layers).properties(title=title, width=300, height=28 * max(len(order), 1) + 20)
    spec: dict[str, Any] = chart.configure(**base_config()).to_dict()
    rendered = Rendered(
        title=title,
        alt_text=_describe(points),
        spec=spec,
        columns=list(COLUMNS),
        rows=[[label, figure_text(cell)] for label, cell in figures.items()],
        notes=[f"A figure below the threshold shows as {CONFIDENTIAL}, so that no small group can be picked out."],
    )
    return FiguresChart(rendered=rendered)


def _point(label: str, cell: PublishedCell) -> dict[str, Any]:
    hidden = cell.value is None
    return {
        "category": label,
        "series": None,
        "figure": None if hidden else cell.value,
        "label": HIDDEN_LABEL if hidden else figure_text(cell),
        "hidden": hidden,
    }


def _describe(points: list[dict[str, Any]]) -> str:
    """The chart in words, naming each figure as published (no count of hidden figures, which is itself small)."""

    parts = [f"{p['category']}: {p['label']}" for p in points]
    return "Bar chart of the programme's figures. " + "; ".join(parts) + "."


__all__ = ["FiguresChart", "chart_figures"]
