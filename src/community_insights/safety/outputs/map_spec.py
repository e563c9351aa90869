"""The Vega-Lite spec of a choropleth, written with Altair.

Why each polygon carries only its group's label and figure: the spec is a
file people can open, so it must hold nothing the picture does not show. An
area's own count (before merging) is never attached to it.

The colour scale is five steps of one hue from light to dark (readable by
people with any common colour vision deficiency, and in greyscale), with a
legend of ranges; every area has a dark outline, so its edge keeps at least
3:1 contrast against a light fill and the white page (WCAG 2.2, 1.4.11).
"""

from __future__ import annotations

import itertools
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from community_insights.safety.outputs.boundaries import Boundaries, rings
from community_insights.safety.outputs.merging import MapGroup
from community_insights.safety.outputs.render import HIDDEN_LABEL, INK, base_config

if TYPE_CHECKING:  # Altair loads only when a figure is drawn (it takes longer to import than a check of many files)
    import altair as alt

#: Five blues from light to dark (ColorBrewer "Blues", print- and colour-blind-safe), stopping
#: short of the darkest so the black area names keep at least 4.5:1 contrast on every fill.
SCALE = ("#eff3ff", "#c6dbef", "#9ecae1", "#6baed6", "#4292c6")
NO_FIGURE_FILL = "#ffffff"


def map_spec(
    boundaries: Boundaries,
    groups: Mapping[str, MapGroup],
    group_of: Mapping[str, str],
    title: str,
    label: str,
) -> dict[str, Any]:
    """A choropleth of ``groups`` drawn on ``boundaries``."""

    import altair as alt

    features = []
    for feature in boundaries.features:
        code = feature["properties"][boundaries.code_field]
        group = groups[group_of[code]]
        features.append(
            {
                "type": "Feature",
                "geometry": _d3_winding(feature["geometry"]) if boundaries.crs == "wgs84" else feature["geometry"],
                "properties": {
                    "area": boundaries.name_of(code),
                    "group": group.label,
                    "figure": group.figure,
                    "shown": "yes" if group.figure is not None else "no",
                },
            }
        )
    data = alt.Data(values=features)
    projection = (
        alt.Projection(type="mercator") if boundaries.crs == "wgs84" else alt.Projection(type="identity", reflectY=True)
    )
    figures = [g.figure for g in groups.values() if g.figure is not None]
    colour: Any = alt.value(NO_FIGURE_FILL)
    if figures and min(figures) != max(figures):
        colour = alt.Color(
            "properties.figure:Q",
            title=label,
            scale=alt.Scale(type="quantize", range=list(SCALE), nice=True, zero=False),
            legend=alt.Legend(orient="right", format=",.0f" if label == "people" else ".1f"),
        )
    elif figures:
        colour = alt.value(SCALE[2])
    shapes = (
        alt.Chart(data)
        .mark_geoshape(stroke=INK, strokeWidth=0.8)
        .encode(color=colour)
        .transform_filter("datum.properties.shown == 'yes'")
    )
    layers = [shapes]
    if len(figures) < len(groups):
        layers.append(
            alt.Chart(data)
            .mark_geoshape(stroke=INK, strokeWidth=0.8, strokeDash=[3, 2], fill=NO_FIGURE_FILL)
            .transform_filter("datum.properties.shown == 'no'")
        )
    layers.append(_names(boundaries))
    chart = alt.layer(*layers).properties(title=title, width=480, height=480).project(**projection.to_dict())
    spec: dict[str, Any] = chart.configure(**base_config()).to_dict()
    subtitle = []
    merged = sorted(g.label for g in groups.values() if len(g.codes) > 1)
    if merged:
        subtitle.append("Shown together to protect people: " + "; ".join(merged))
    if len(figures) < len(groups):
        subtitle.append(f"Dashed outline: no figure ({HIDDEN_LABEL} or no people)")
    if subtitle:
        spec["title"] = {"text": title, "subtitle": subtitle}
    return spec


def _names(boundaries: Boundaries) -> alt.Chart:
    """Each area's name at the middle of its largest ring (names only, never a figure)."""

    import altair as alt

    places = []
    for feature in boundaries.features:
        ring = max(rings(feature["geometry"]), key=len)
        xs = [float(p[0]) for p in ring[:-1]]
        ys = [float(p[1]) for p in ring[:-1]]
        code = feature["properties"][boundaries.code_field]
        places.append({"name": boundaries.name_of(code), "x": sum(xs) / len(xs), "y": sum(ys) / len(ys)})
    return (
        alt.Chart(alt.Data(values=places))
        .mark_text(color=INK, fontSize=11)
        .encode(longitude="x:Q", latitude="y:Q", text="name:N")
    )


def _signed_area(ring: list[Any]) -> float:
    return sum(float(a[0]) * float(b[1]) - float(b[0]) * float(a[1]) for a, b in itertools.pairwise(ring))


def _d3_winding(geometry: dict[str, Any]) -> dict[str, Any]:
    """Outer rings clockwise, holes anticlockwise, as Vega's spherical drawing expects.

    Why: GeoJSON files written to RFC 7946 (as ONS's WGS84 files are) wind
    outer rings the other way, which on a sphere means "everything except
    this area", and the map would be one flat colour.
    """

    def fixed(polygon: list[Any]) -> list[Any]:
        out = []
        for index, ring in enumerate(polygon):
            clockwise = _signed_area(ring) < 0
            want_clockwise = index == 0
            out.append(ring if clockwise == want_clockwise else ring[::-1])
        return out

    if geometry["type"] == "Polygon":
        return {"type": "Polygon", "coordinates": fixed(geometry["coordinates"])}
    return {"type": "MultiPolygon", "coordinates": [fixed(p) for p in geometry["coordinates"]]}
