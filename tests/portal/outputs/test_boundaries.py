"""A project's own boundary file: uploaded in the outputs area, checked by the engine, chosen for a map."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from community_insights.portal.core.exceptions import ApplicationError
from community_insights.portal.core.models import AuditEntry
from community_insights.portal.outputs import assemble, services
from community_insights.portal.outputs.models import BoundaryFile, OutputVersion
from community_insights.safety import sample_boundaries_path
from tests.portal.access import World

pytestmark = pytest.mark.django_db


def _sample() -> dict[str, Any]:
    return json.loads(sample_boundaries_path().read_text(encoding="utf-8"))


def _in_wgs84() -> bytes:
    """The sample wards moved into longitude and latitude (no ``crs`` member, as ONS's WGS84 files)."""
    data = _sample()
    data.pop("crs")
    for feature in data["features"]:
        rings = feature["geometry"]["coordinates"]
        feature["geometry"]["coordinates"] = [
            [[-1.5 + (x - 440000) / 70000, 52.6 + (y - 303000) / 111000] for x, y in ring] for ring in rings
        ]
    return json.dumps(data).encode("utf-8")


def _renamed() -> bytes:
    """Valid boundaries whose areas are none of the wards in the safe copy."""
    data = _sample()
    for i, feature in enumerate(data["features"]):
        feature["properties"] = {"WD24CD": f"X0600000{i}", "WD24NM": f"Elsewhere {i}"}
    return json.dumps(data).encode("utf-8")


def _far_away() -> bytes:
    """One square far outside both British National Grid and WGS84."""
    square = [[9e6, 9e6], [9.1e6, 9e6], [9.1e6, 9.1e6], [9e6, 9e6]]
    feature = {
        "type": "Feature",
        "properties": {"WD24CD": "X1"},
        "geometry": {"type": "Polygon", "coordinates": [square]},
    }
    return json.dumps({"type": "FeatureCollection", "features": [feature]}).encode()


def _upload(world: World, content: bytes, name: str = "Wards 2024") -> BoundaryFile:
    return services.boundary_upload(
        actor=world.user("data_analyst"),
        project=world.project,
        name=name,
        uploaded_file=SimpleUploadedFile("wards.geojson", content, content_type="application/geo+json"),
    )


def _map(world: World, copy: Any, build: Any, boundaries: Any) -> OutputVersion:
    output = services.output_create(actor=world.user("data_analyst"), safe_copy=copy, kind="map", title="Visits")
    return build(actor=world.user("data_analyst"), output=output, settings={"area": "ward", "boundaries": boundaries})


def test_a_project_maps_its_own_boundaries_in_wgs84(world: World, approved_copy: Any, build: Any) -> None:
    boundary = _upload(world, _in_wgs84())
    assert (boundary.crs, boundary.area_count) == ("wgs84", 9)
    assert bytes(boundary.sealed) != _in_wgs84()  # sealed like every stored file
    entry = AuditEntry.objects.get(action="outputs.boundary_upload")
    assert entry.changes["areas"] == 9 and entry.project_id == world.project.pk
    version = _map(world, approved_copy, build, str(boundary.pk))
    assert version.status == OutputVersion.Status.AWAITING_SIGN_OFF, version.refusal
    svg = assemble.preview_svg(version)
    assert "Shown together to protect people" in svg and "Northgate" in svg


def test_a_map_with_boundaries_that_match_nothing_is_refused_in_one_sentence(
    world: World, approved_copy: Any, build: Any
) -> None:
    boundary = _upload(world, _renamed(), name="Somewhere else")
    version = _map(world, approved_copy, build, str(boundary.pk))
    assert version.status == OutputVersion.Status.REFUSED
    assert version.refusal.startswith("None of the areas in the data match an area in the boundary file")
    sample = _map(world, approved_copy, build, "sample")  # the same data on the sample wards is fine
    assert sample.status == OutputVersion.Status.AWAITING_SIGN_OFF


def test_another_projects_boundaries_cannot_be_used(world: World, approved_copy: Any, build: Any) -> None:
    boundary = _upload(world, _in_wgs84())
    boundary.project = world.other_project
    boundary.save()
    version = _map(world, approved_copy, build, str(boundary.pk))
    assert version.status == OutputVersion.Status.REFUSED and "boundary file chosen" in version.refusal


@pytest.mark.parametrize(
    ("content", "sentence"),
    [
        (b"ward,visits\nCastle,3\n", "The boundary file is not GeoJSON (it could not be read as JSON)."),
        (b'{"type": "FeatureCollection", "features": []}', "The boundary file has no polygons"),
        (
            json.dumps({**_sample(), "crs": {"type": "name", "properties": {"name": "EPSG:2157"}}}).encode(),
            "The boundary file uses a coordinate system we cannot draw",
        ),
        (
            _far_away(),
            "neither British National Grid nor WGS84",
        ),
    ],
    ids=["not-json", "no-polygons", "other-crs-named", "other-crs-coordinates"],
)
def test_a_bad_boundary_file_is_refused_with_the_engines_sentence(world: World, content: bytes, sentence: str) -> None:
    with pytest.raises(ApplicationError, match=sentence.replace("(", r"\(").replace(")", r"\)")) as refused:
        _upload(world, content)
    assert refused.value.field == "file"
    assert not BoundaryFile.objects.exists() and not AuditEntry.objects.filter(action="outputs.boundary_upload")


def test_a_boundary_file_over_the_limit_is_refused(world: World, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(services, "MAX_BOUNDARY_BYTES", 1000)
    with pytest.raises(ApplicationError, match="must be smaller than"):
        _upload(world, _in_wgs84())


def test_only_analysts_add_boundaries(world: World) -> None:
    from community_insights.portal.core.exceptions import NotPermitted

    with pytest.raises(NotPermitted):
        services.boundary_upload(
            actor=world.user("delivery_lead"), project=world.project, name="Wards",
            uploaded_file=SimpleUploadedFile("wards.geojson", _in_wgs84()),
        )  # fmt: skip


def test_the_upload_page_shows_a_bad_file_in_the_error_summary_then_the_map_form_offers_a_good_one(
    world: World, approved_copy: Any, client_for: Any
) -> None:
    analyst = client_for("data_analyst")
    url = reverse("outputs:boundary_new", kwargs={"slug": world.project.slug})
    page = analyst.post(
        url, {"name": "Wards", "file": SimpleUploadedFile("wards.geojson", b'{"type": "Feature"}')}
    ).content.decode()
    assert "govuk-error-summary" in page and "The boundary file is not a GeoJSON FeatureCollection." in page
    answer = analyst.post(url, {"name": "Wards 2024", "file": SimpleUploadedFile("wards.geojson", _in_wgs84())})
    assert answer.status_code == 302
    listing = analyst.get(answer["Location"]).content.decode()
    assert "Wards 2024: 9 areas, WGS84" in listing
    boundary = BoundaryFile.objects.get()
    form = analyst.get(
        reverse("outputs:output_new", kwargs={"slug": world.project.slug, "copy_id": approved_copy.pk})
    ).content.decode()
    assert f'<option value="{boundary.pk}">Wards 2024</option>' in form and 'value="sample"' in form
