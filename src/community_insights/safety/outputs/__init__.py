"""Outputs: charts and maps drawn only from protected figures.

Public names (re-exported by :mod:`community_insights.safety`):

* :func:`make_chart` — bar, stacked bar or line chart of a protected table.
* :func:`make_map` — choropleth of counts or rates by area, small areas merged.
* :func:`load_boundaries` — an ONS-style GeoJSON boundary file, checked.
* :func:`output_rules` / :class:`OutputRules` — rules per call or from a named preset.
"""

from community_insights.safety.outputs.charts import CHART_FORMATS, Chart, make_chart
from community_insights.safety.outputs.render import HIDDEN_LABEL, check_output_path
from community_insights.safety.outputs.rules import OutputRules, output_rules, preset_names, presets

__all__ = [
    "CHART_FORMATS",
    "HIDDEN_LABEL",
    "Chart",
    "OutputRules",
    "check_output_path",
    "make_chart",
    "output_rules",
    "preset_names",
    "presets",
]
