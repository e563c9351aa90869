"""Headline figures drawn as a chart: only what ``protect_figures`` published reaches the picture."""

from __future__ import annotations

import re

from community_insights.safety import chart_figures
from community_insights.safety.disclosure import protect_figures
from tests.safety.outputs.spec_rows import data_rows


def test_a_hidden_figure_is_a_labelled_gap_and_the_shown_ones_are_bars() -> None:
    cells = protect_figures({"Projects finished": 12, "Insights published": 3, "Registrations of interest": 0})
    chart = chart_figures(cells, title="The programme so far")
    rows = data_rows(chart.spec)
    drawn = {row["category"]: row["figure"] for row in rows if "figure" in row}
    assert drawn == {"Projects finished": 12, "Registrations of interest": 0}  # the hidden 3 has no bar at all
    assert all(row.get("figure") != 3 and row.get("label") != "3" for row in rows)
    assert "3" not in re.sub(r"<[^>]+>", " ", chart.svg).split()  # nor any text of it
    assert "hidden to protect people" in chart.svg and "<title" in chart.svg and 'role="img"' in chart.svg
    assert chart.rows == [
        ["Projects finished", "12"],
        ["Insights published", "[c]"],
        ["Registrations of interest", "0"],
    ]
    assert chart.alt_text == (
        "Bar chart of the programme's figures. Projects finished: 12; Insights published: hidden to protect people; "
        "Registrations of interest: 0."
    )


def test_the_chart_is_drawn_offline_as_png_too(tmp_path) -> None:  # type: ignore[no-untyped-def]
    chart = chart_figures(protect_figures({"Organisations involved": 24}), title="Figures")
    target = chart.write(tmp_path / "figures.png")
    assert target.read_bytes().startswith(b"\x89PNG")
