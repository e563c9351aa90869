"""Property tests: nothing drawn or exported from a chart or a map reveals a hidden figure.

For random tables the test checks, independently of the code under test:
the spec's data holds only published figures (a hidden cell carries no number
at all); every number printed in the SVG outside the axes is a published
figure; no tooltip exists; and, with an intruder's linear programme written
here (``lp_check``), no hidden cell can be worked out exactly from what the
chart's data table publishes. For maps: no area below the threshold is shown
alone, and no merged area's own count can be worked out from the groups.
"""

from __future__ import annotations

import json
import re

import numpy as np
import polars as pl
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from scipy.optimize import linprog

from community_insights.safety import make_chart, make_map, sample_boundaries_path
from community_insights.safety.outputs import load_boundaries
from community_insights.safety.outputs.render import svg_of
from tests.safety.disclosure.lp_check import feasible_range
from tests.safety.outputs.spec_rows import data_rows

WARDS = ["Abbey", "Bridge", "Castle", "Dock"]
BANDS = ["0-17", "18-64", "65+"]
SETTINGS = settings(max_examples=20, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def frame_of(counts: list[int], two_way: bool) -> pl.DataFrame:
    keys = [(w, b) for w in WARDS for b in BANDS] if two_way else [(w, "all") for w in WARDS]
    rows = [key for key, n in zip(keys, counts, strict=False) for _ in range(n)]
    return pl.DataFrame(rows, schema=["ward", "band"], orient="row")


_counts = st.lists(st.sampled_from([0, 1, 2, 3, 5, 8, 9, 10, 12, 25, 40]), min_size=12, max_size=12)


@SETTINGS
@given(counts=_counts, two_way=st.booleans(), kind=st.sampled_from(["bar", "stacked", "line"]))
def test_a_chart_never_reveals_a_hidden_cell(counts: list[int], two_way: bool, kind: str) -> None:
    frame = frame_of(counts, two_way)
    if frame.height == 0 or (kind == "stacked" and not two_way):
        return
    by = ["ward", "band"] if two_way else ["ward"]
    chart = make_chart(frame, by=by, kind=kind)  # type: ignore[arg-type]
    table = chart.table
    published = {tuple(c.categories[n] for n in by): c.value for c in table.cells}
    visible = {v for v in published.values() if v is not None}

    # 1. the spec: hidden rows have no figure; every figure is a published one; no tooltip anywhere.
    text = json.dumps(chart.spec)
    assert "tooltip" not in text
    for row in data_rows(chart.spec):
        if "hidden to protect people" in str(row.get("label")):
            assert row.get("figure") is None
        elif "figure" in row:
            assert row["figure"] in visible

    # 2. the SVG: numbers printed outside the axes are published figures.
    svg = svg_of(chart.rendered)
    axis_free = re.sub(r'<g class="mark-text role-axis-label".*?</g>', "", svg, flags=re.S)
    for number in re.findall(r">(\d+)</text>", axis_free):
        assert int(number) in visible

    # 3. the published table (as in the HTML data table): no hidden cell is exactly recoverable.
    levels = [table.levels[n] for n in by]
    for key, value in published.items():
        if value is None:
            lo, hi = feasible_range(levels, published, key)
            assert hi - lo > 1e-6


@SETTINGS
@given(counts=st.lists(st.sampled_from([0, 1, 3, 6, 9, 10, 15, 30]), min_size=9, max_size=9))
def test_a_map_never_shows_a_small_area_and_no_merged_area_can_be_worked_out(counts: list[int]) -> None:
    boundaries = load_boundaries(sample_boundaries_path())
    names = [boundaries.name_of(c) for c in boundaries.codes]
    frame = pl.DataFrame({"ward": [n for n, k in zip(names, counts, strict=True) for _ in range(k)]})
    if frame.height == 0:
        return
    result = make_map(frame, area="ward", boundaries=sample_boundaries_path())
    for group in result.groups:
        if group.figure is not None:
            assert group.figure == 0 or group.figure >= 10
    # Every polygon carries its group's figure only; an area's own count is never attached.
    own = dict(zip(names, counts, strict=True))
    for feature in (row for row in data_rows(result.spec) if "properties" in row):
        props = feature["properties"]
        group = next(g for g in result.groups if g.label == props["group"])
        assert props["figure"] == group.figure and set(props) == {"area", "group", "figure", "shown"}
    # An intruder who knows every group figure cannot pin down a merged member's own count.
    for group in result.merged:
        if not group.people:
            continue
        members = len(group.names)
        for target in range(members):
            c = np.zeros(members)
            c[target] = 1
            lo = linprog(c, A_eq=np.ones((1, members)), b_eq=[group.people], bounds=(0, None)).fun
            hi = -linprog(-c, A_eq=np.ones((1, members)), b_eq=[group.people], bounds=(0, None)).fun
            assert hi - lo > 1e-6, own
