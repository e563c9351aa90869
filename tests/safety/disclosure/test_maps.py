"""Maps: counts by area with small areas merged into neighbours or a combined area."""

from __future__ import annotations

from pathlib import Path

import polars as pl
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from community_insights.safety.disclosure import DisclosureError, aggregate_to_areas, merge_small_areas
from community_insights.safety.disclosure.maps import COMBINED_LABEL, UNKNOWN_LABEL


def postcodes(spec: dict[str, int]) -> pl.DataFrame:
    return pl.DataFrame({"postcode": [pc for pc, n in spec.items() for _ in range(n)]})


def test_small_sector_merges_with_a_sibling_in_its_district() -> None:
    frame = postcodes({"nw1 2ab": 4, "NW1 3DE": 12, "NW1 4EF": 15, "E1 6AN": 20})
    areas = aggregate_to_areas(frame, column="postcode", level="postcode_sector")
    assert areas.area_of["NW1 2"] == areas.area_of["NW1 3"] == "NW1 2 + NW1 3"
    shown = {a.area: a.count for a in areas.areas}
    assert shown == {"E1 6": 20, "NW1 2 + NW1 3": 16, "NW1 4": 15}


def test_areas_with_no_neighbour_go_to_a_combined_area() -> None:
    frame = postcodes({"SW1A 1AA": 3, "E1 6AN": 20, "N1 9GU": 30, "not a postcode": 2})
    areas = aggregate_to_areas(frame, column="postcode", level="postcode_district")
    combined = next(a for a in areas.areas if a.area == COMBINED_LABEL)
    assert set(combined.members) >= {"SW1A", UNKNOWN_LABEL}
    assert all(a.count is None or a.count >= 10 for a in areas.areas)
    assert sum(a.count or 0 for a in areas.areas) == frame.height


def test_everything_below_threshold_is_hidden() -> None:
    areas = merge_small_areas({"A": 3, "B": 4}, threshold=10)
    assert len(areas.areas) == 1 and areas.areas[0].count is None and areas.areas[0].mark == "[c]"


def test_ward_lookup_file_and_given_neighbours(tmp_path: Path) -> None:
    lookup = tmp_path / "lookup.csv"
    lookup.write_text("postcode,ward\nNW1 2AB,Regent's Park\nNW1 3DE,Camden Town\nE1 6AN,Spitalfields\n")
    frame = postcodes({"NW12AB": 25, "nw1 3de": 5, "E1 6AN": 30})
    areas = aggregate_to_areas(
        frame,
        column="postcode",
        level="ward",
        lookup=lookup,
        neighbours={"Camden Town": ["Regent's Park"]},
    )
    assert areas.area_of["Camden Town"] == "Camden Town + Regent's Park"
    with pytest.raises(DisclosureError, match="lookup"):
        aggregate_to_areas(frame, column="postcode", level="lsoa")


@settings(max_examples=40, deadline=None)
@given(st.dictionaries(st.sampled_from([f"A{i}" for i in range(12)]), st.integers(0, 25), min_size=1))
def test_no_area_below_threshold_ever_shows(counts: dict[str, int]) -> None:
    areas = merge_small_areas(counts, threshold=10)
    total = sum(counts.values())
    for area in areas.areas:
        assert area.count is None or area.count >= 10
    if total >= 10:
        assert sum(a.count or 0 for a in areas.areas) == total
    assert set(areas.area_of) == {k for k, v in counts.items() if v > 0}
