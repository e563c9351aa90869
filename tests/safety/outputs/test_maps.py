"""Maps: small areas merged with neighbours found from shared borders, checked boundary files."""

from __future__ import annotations

import itertools
import json
from pathlib import Path

import polars as pl
import pytest

from community_insights.safety import InputError, make_map, output_rules, sample_boundaries_path
from community_insights.safety.outputs import load_boundaries
from community_insights.safety.outputs.boundaries import neighbours_from_boundaries
from tests.safety.outputs.spec_rows import data_rows

COUNTS = {"Castle": 60, "Abbey": 50, "Riverside": 40, "Northgate": 5, "Millfield": 30, "Eastfield": 3}


def people(counts: dict[str, int]) -> pl.DataFrame:
    return pl.DataFrame({"ward": [w for w, n in counts.items() for _ in range(n)]})


def test_neighbours_come_from_shared_borders() -> None:
    boundaries = load_boundaries(sample_boundaries_path())
    assert boundaries.crs == "bng" and boundaries.code_field == "WD24CD" and boundaries.name_field == "WD24NM"
    near = {
        boundaries.name_of(k): sorted(boundaries.name_of(v) for v in vs)
        for k, vs in neighbours_from_boundaries(boundaries).items()
    }
    assert near["Castle"] == ["Abbey", "Millfield", "Riverside", "Westcombe"]  # the middle ward: four sides
    assert near["Northgate"] == ["Abbey", "Westcombe"]  # a corner ward: two


def test_small_areas_merge_with_a_neighbour_and_are_named_in_the_caption() -> None:
    result = make_map(people(COUNTS), area="ward", boundaries=sample_boundaries_path())
    merged = {g.label: g.people for g in result.merged}
    assert merged == {"Abbey + Northgate": 55, "Eastfield + Millfield": 33}
    for group in result.groups:
        assert group.people is None or group.people == 0 or group.people >= 10
    assert "Abbey + Northgate; Eastfield + Millfield" in result.rendered.caption
    assert "4 areas were merged" in result.alt_text


def test_the_spec_holds_only_group_figures() -> None:
    result = make_map(people(COUNTS), area="ward", boundaries=sample_boundaries_path())
    features = [r for r in data_rows(result.spec) if "properties" in r]
    figures = {f["properties"]["area"]: f["properties"]["figure"] for f in features}
    assert figures["Northgate"] == figures["Abbey"] == 55
    assert 5 not in figures.values() and 3 not in figures.values()
    assert "tooltip" not in json.dumps(result.spec)


def test_without_neighbours_a_small_area_still_never_shows_alone() -> None:
    result = make_map(people(COUNTS), area="ward", boundaries=sample_boundaries_path(), neighbours="none")
    assert all(len(g.codes) > 1 for g in result.groups if g.people and g.people < 10) is True
    assert not [g for g in result.groups if g.people is not None and 0 < g.people < 10]


def test_a_neighbours_file_is_used(tmp_path: Path) -> None:
    given = tmp_path / "near.json"
    given.write_text(json.dumps({"Northgate": ["Castle"], "Eastfield": ["Riverside"]}), encoding="utf-8")
    result = make_map(people(COUNTS), area="ward", boundaries=sample_boundaries_path(), neighbours=given)
    assert {g.label for g in result.merged} == {"Castle + Northgate", "Eastfield + Riverside"}


def test_a_rate_protects_the_few_who_said_yes() -> None:
    rows = [(w, "yes" if i < (3 if w == "Castle" else n // 2) else "no") for w, n in COUNTS.items() for i in range(n)]
    frame = pl.DataFrame(rows, schema=["ward", "food"], orient="row")
    result = make_map(frame, area="ward", rate="food", boundaries=sample_boundaries_path())
    castle = next(g for g in result.groups if "Castle" in g.names)
    assert len(castle.codes) > 1  # only 3 in Castle said yes: its rate alone would be about those 3
    assert all(g.figure is None or (g.people and g.people >= 10) for g in result.groups)


def test_everything_below_the_threshold_is_hidden() -> None:
    result = make_map(people({"Castle": 4}), area="ward", boundaries=sample_boundaries_path())
    assert len(result.groups) == 1 and result.groups[0].figure is None and result.groups[0].mark == "[c]"


def test_rounding_preset_rounds_group_figures() -> None:
    result = make_map(people(COUNTS), area="ward", boundaries=sample_boundaries_path(), rules=output_rules("round5"))
    assert all(g.figure is None or g.figure % 5 == 0 for g in result.groups)


def test_map_files_are_written(tmp_path: Path) -> None:
    result = make_map(people(COUNTS), area="ward", boundaries=sample_boundaries_path())
    svg = result.write(tmp_path / "m.svg").read_text(encoding="utf-8")
    assert '<desc id="output-desc">Map of people by ward' in svg
    page = result.write(tmp_path / "m.html").read_text(encoding="utf-8")
    assert "<script" not in page and "Abbey + Northgate" in page and "<table>" in page
    assert result.write(tmp_path / "m.png").read_bytes()[:4] == b"\x89PNG"


def _write(tmp_path: Path, data: object) -> Path:
    path = tmp_path / "b.geojson"
    path.write_text(json.dumps(data), encoding="utf-8")
    return path


def test_bad_boundaries_are_one_sentence_each(tmp_path: Path) -> None:
    sample = json.loads(sample_boundaries_path().read_text(encoding="utf-8"))
    frame = people(COUNTS)
    points = {
        **sample,
        "features": [
            {"type": "Feature", "properties": {"WD24CD": "X"}, "geometry": {"type": "Point", "coordinates": [0, 0]}}
        ],
    }
    with pytest.raises(InputError, match="has no polygons"):
        make_map(frame, area="ward", boundaries=_write(tmp_path, points))
    other_crs = {**sample, "crs": {"type": "name", "properties": {"name": "urn:ogc:def:crs:EPSG::3857"}}}
    with pytest.raises(InputError, match="coordinate system we cannot draw"):
        make_map(frame, area="ward", boundaries=_write(tmp_path, other_crs))
    with pytest.raises(InputError, match="None of the areas in the data match"):
        make_map(people({"Nowhere": 20}), area="ward", boundaries=sample_boundaries_path())
    with pytest.raises(InputError, match="1 of the areas in the column 'ward' are not in the boundary file") as info:
        make_map(people({**COUNTS, "NW1 6XE": 20}), area="ward", boundaries=sample_boundaries_path())
    assert "NW1 6XE" not in str(info.value)  # the data's values are never quoted
    (tmp_path / "x.geojson").write_text("not json", encoding="utf-8")
    with pytest.raises(InputError, match="not GeoJSON"):
        make_map(frame, area="ward", boundaries=tmp_path / "x.geojson")


def test_wgs84_boundaries_are_drawn_with_a_map_projection(tmp_path: Path) -> None:
    sample = json.loads(sample_boundaries_path().read_text(encoding="utf-8"))
    for feature in sample["features"]:
        ring = feature["geometry"]["coordinates"][0]
        # A rough shift to longitude and latitude; RFC 7946 winding (anticlockwise) as ONS writes it.
        feature["geometry"]["coordinates"][0] = [
            [-1.5 + (x - 440_000) / 70_000, 52.0 + (y - 300_000) / 111_000] for x, y in ring
        ]
    sample.pop("crs")
    result = make_map(people(COUNTS), area="ward", boundaries=_write(tmp_path, sample))
    assert result.spec["projection"]["type"] == "mercator"
    for feature in [r for r in data_rows(result.spec) if "properties" in r]:
        ring = feature["geometry"]["coordinates"][0]
        area = sum(a[0] * b[1] - b[0] * a[1] for a, b in itertools.pairwise(ring))
        assert area < 0  # clockwise, as Vega's spherical drawing needs (else one flat colour)
    assert len(result.write(tmp_path / "m.svg").read_text(encoding="utf-8")) > 1000
