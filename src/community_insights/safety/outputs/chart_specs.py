"""Vega-Lite specs for the three chart kinds, written with Altair.

Why this is separate from :mod:`charts`: the protection decides *what* may be
drawn; this module only decides *how*. It receives the published points (a
hidden point has no figure, only the label "hidden to protect people") and
draws hidden ones as a labelled gap: text where the bar would start, or a
dashed line where a line's point would be, with the line broken there.
There are no tooltips, so nothing can be read from the picture that is not
printed on it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from community_insights.safety.disclosure import ProtectedTable
from community_insights.safety.outputs.render import HIDDEN_LABEL, INK, PALETTE, base_config

if TYPE_CHECKING:  # Altair loads only when a figure is drawn (it takes longer to import than a check of many files)
    import altair as alt

_MUTED = "#505a5f"  # GOV.UK secondary text: 7:1 on white


def chart_spec(kind: str, points: list[dict[str, Any]], table: ProtectedTable, title: str) -> dict[str, Any]:
    """The spec for ``kind`` (bar, stacked, line) of ``points``."""

    import altair as alt

    order = list(table.levels[table.by[0]])
    series_title = table.by[1] if len(table.by) > 1 else None
    if kind == "line":
        layers = _line_layers(points, order, table.label, table.by[0], series_title, table.levels)
    else:
        layers = bar_layers(points, order, table.label, table.by[0], series_title, kind == "stacked", table.levels)
    bands = len(order) if kind == "stacked" or series_title is None else len(points)
    chart = alt.layer(*layers).properties(title=title, width=520, height=300 if kind == "line" else 28 * bands + 20)
    spec: dict[str, Any] = chart.configure(**base_config()).to_dict()
    return spec


def _colour(series_title: str | None, levels: dict[str, list[str]], name: str | None) -> Any:
    import altair as alt

    if series_title is None or name is None:
        return alt.value(PALETTE[0])
    domain = levels[name]
    return alt.Color(
        "series:N",
        title=series_title,
        scale=alt.Scale(domain=domain, range=list(PALETTE[: len(domain)])),
        legend=alt.Legend(orient="bottom", direction="horizontal", columns=4),
    )


def bar_layers(
    points: list[dict[str, Any]],
    order: list[str],
    label: str,
    category_title: str,
    series_title: str | None,
    stacked: bool,
    levels: dict[str, list[str]],
) -> list[alt.Chart]:
    import altair as alt

    series_name = next((n for n in levels if n != category_title), None) if series_title else None
    shown = alt.Data(values=[p for p in points if not p["hidden"]])
    y = alt.Y("category:N", sort=order, title=category_title)
    offset: dict[str, Any] = {}
    if series_title and not stacked:
        offset = {"yOffset": alt.YOffset("series:N", sort=levels[series_name or ""])}
    bars = (
        alt.Chart(shown)
        .mark_bar()
        .encode(
            y=y,
            x=alt.X("figure:Q", title=label, stack="zero" if stacked else None),
            color=_colour(series_title, levels, series_name),
            **offset,
        )
    )
    layers = [bars]
    if not stacked:
        layers.append(
            alt.Chart(shown)
            .mark_text(align="left", dx=4, color=INK)
            .encode(y=y, x=alt.X("figure:Q"), text=alt.Text("label:N"), **offset)
        )
    gaps = _gap_rows(points, stacked)
    if gaps:
        layers.append(
            alt.Chart(alt.Data(values=gaps))
            .mark_text(align="left", dx=4, color=_MUTED, fontStyle="italic")
            .encode(
                y=y,
                x=alt.X("start:Q") if stacked else alt.datum(0),
                text=alt.Text("label:N"),
                **({} if stacked else offset),
            )
        )
    return layers


def _gap_rows(points: list[dict[str, Any]], per_category: bool) -> list[dict[str, Any]]:
    """Labels for hidden figures: one per hidden point, or one per category naming its hidden parts."""

    hidden = [p for p in points if p["hidden"]]
    if not per_category:
        return [
            {
                "category": p["category"],
                "series": p["series"],
                "label": HIDDEN_LABEL if p["series"] is None else f"{p['series']}: {HIDDEN_LABEL}",
            }
            for p in hidden
        ]
    grouped: dict[str, list[str]] = {}
    for p in hidden:
        grouped.setdefault(p["category"], []).append(str(p["series"]))
    # A note starts where the category's drawn parts end (a sum of published figures only).
    start = {c: sum(p["figure"] for p in points if p["category"] == c and not p["hidden"]) for c in grouped}
    return [
        {"category": category, "label": f"{', '.join(parts)}: {HIDDEN_LABEL} (not drawn)", "start": start[category]}
        for category, parts in grouped.items()
    ]


def _line_layers(
    points: list[dict[str, Any]],
    order: list[str],
    label: str,
    category_title: str,
    series_title: str | None,
    levels: dict[str, list[str]],
) -> list[alt.Chart]:
    import altair as alt

    series_name = next((n for n in levels if n != category_title), None) if series_title else None
    shown = _with_segments(points, order)
    x = alt.X("category:N", sort=order, title=category_title, axis=alt.Axis(labelAngle=0))
    colour = _colour(series_title, levels, series_name)
    line = (
        alt.Chart(alt.Data(values=shown))
        .mark_line(point=alt.OverlayMarkDef(filled=True, size=50))
        .encode(x=x, y=alt.Y("figure:Q", title=label), color=colour, detail="segment:N")
    )
    layers = [line]
    gaps = _gap_rows(points, per_category=True) if series_title else _gap_rows(points, per_category=False)
    if gaps:
        gap_data = alt.Data(values=gaps)
        layers.append(alt.Chart(gap_data).mark_rule(strokeDash=[4, 4], color=_MUTED).encode(x=x))
        layers.append(
            alt.Chart(gap_data)
            .mark_text(angle=270, align="right", baseline="bottom", dx=-6, dy=-3, color=_MUTED, fontStyle="italic")
            .encode(x=x, y=alt.value(0), text=alt.Text("label:N"))
        )
    return layers


def _with_segments(points: list[dict[str, Any]], order: list[str]) -> list[dict[str, Any]]:
    """Visible points, each with a segment id that changes after a hidden point, so the line breaks there."""

    rank = {c: i for i, c in enumerate(order)}
    by_series: dict[Any, list[dict[str, Any]]] = {}
    for p in points:
        by_series.setdefault(p["series"], []).append(p)
    result = []
    for series, items in by_series.items():
        segment = 0
        for p in sorted(items, key=lambda p: rank[p["category"]]):
            if p["hidden"]:
                segment += 1
                continue
            result.append({**p, "segment": f"{series}-{segment}"})
    return result
