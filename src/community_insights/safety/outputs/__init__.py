"""Outputs: charts and maps drawn only from protected figures.

Public names (re-exported by :mod:`community_insights.safety`):

* :func:`make_chart` — bar, stacked bar or line chart of a protected table.
* :func:`make_map` — choropleth of a count or a rate by area, small areas merged.
* :func:`load_boundaries` — an ONS-style GeoJSON boundary file, checked.
* :func:`output_rules` / :class:`OutputRules` — rules per call or from a named preset.
* :func:`sample_boundaries_path` — the fictional demo borough's ward boundaries.
"""

from pathlib import Path

from community_insights.safety.outputs.boundaries import BoundaryError, load_boundaries
from community_insights.safety.outputs.charts import CHART_FORMATS, Chart, make_chart
from community_insights.safety.outputs.headline import FiguresChart, chart_figures
from community_insights.safety.outputs.maps import MAP_FORMATS, AreaMap, MapGroup, make_map
from community_insights.safety.outputs.render import HIDDEN_LABEL, check_output_path
from community_insights.safety.outputs.rules import OutputRules, mark_hidden_cells, output_rules, preset_names, presets


def sample_boundaries_path() -> Path:
    """The sample boundary file: wards of Fairhaven, a fictional borough (MIT, made by this project)."""

    return Path(__file__).resolve().parent.parent / "data" / "demo_wards.geojson"


__all__ = [
    "CHART_FORMATS",
    "HIDDEN_LABEL",
    "MAP_FORMATS",
    "AreaMap",
    "BoundaryError",
    "Chart",
    "FiguresChart",
    "MapGroup",
    "OutputRules",
    "chart_figures",
    "check_output_path",
    "load_boundaries",
    "make_chart",
    "make_map",
    "mark_hidden_cells",
    "output_rules",
    "preset_names",
    "presets",
    "sample_boundaries_path",
]
