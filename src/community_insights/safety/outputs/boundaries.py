"""Area boundaries for maps: an ONS-style GeoJSON file, checked before it is drawn.

Why the checks: a map drawn from the wrong file (no polygons, a coordinate
system we do not know, codes that match nothing in the data) would show
areas in the wrong place or none at all, and nobody would notice until it
was published. Each problem is one plain sentence instead.

ONS publishes ward, LSOA and MSOA boundaries as GeoJSON in British National
Grid (EPSG:27700, metres east and north) or WGS84 (longitude, latitude).
Both are drawn without a projection library: WGS84 with Vega's Mercator
projection, British National Grid as the flat plane it already is (Vega's
``identity`` projection, with the y axis turned the right way up).

Neighbours are worked out from the polygons themselves: two areas are
neighbours if they share a stretch of border (the same edge between two
corner points, as ONS's boundaries are drawn from one shared set of lines).
"""

from __future__ import annotations

import dataclasses
import itertools
import json
import os
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any, Literal

from community_insights.safety.errors import InputError

Crs = Literal["bng", "wgs84"]
_BNG_NAMES = ("EPSG::27700", "EPSG:27700")
_WGS84_NAMES = ("CRS84", "EPSG::4326", "EPSG:4326")
#: Most boundary file we read (bytes): ONS's full-resolution England ward file is far smaller
#: than this once clipped to one borough, and a bigger file is probably the wrong file.
MAX_BOUNDARY_BYTES = 200 * 1024 * 1024


class BoundaryError(InputError):
    """A boundary file cannot be used for a map."""


@dataclasses.dataclass(slots=True)
class Boundaries:
    """Polygons by area code, with each area's name and the file's coordinate system."""

    crs: Crs
    code_field: str
    name_field: str | None
    features: list[dict[str, Any]]

    @property
    def codes(self) -> list[str]:
        """Every area code, in file order."""

        return [f["properties"][self.code_field] for f in self.features]

    def name_of(self, code: str) -> str:
        """The area's name (its code if the file has no names)."""

        for feature in self.features:
            if feature["properties"][self.code_field] == code:
                if self.name_field:
                    return str(feature["properties"].get(self.name_field) or code)
                return code
        raise KeyError(code)


def load_boundaries(path: str | os.PathLike[str], *, codes: Iterable[str] = ()) -> Boundaries:
    """Read and check a GeoJSON boundary file.

    ``codes`` are the area codes (or names) found in the data: the property
    that matches most of them becomes the area key, so a file keyed by
    ``WD23CD`` and data holding ward names both work.
    """

    source = Path(path)
    if not source.is_file():
        raise BoundaryError(f"There is no boundary file called {source.name}.")
    if source.stat().st_size > MAX_BOUNDARY_BYTES:
        raise BoundaryError("The boundary file is larger than 200 MB; clip it to the areas you need first.")
    try:
        data = json.loads(source.read_text(encoding="utf-8-sig"))
    except (UnicodeDecodeError, json.JSONDecodeError):
        raise BoundaryError("The boundary file is not GeoJSON (it could not be read as JSON).") from None
    if not isinstance(data, dict) or data.get("type") != "FeatureCollection":
        raise BoundaryError("The boundary file is not a GeoJSON FeatureCollection.")
    features = [
        f
        for f in data.get("features") or []
        if isinstance(f, dict)
        and isinstance(f.get("geometry"), dict)
        and f["geometry"].get("type") in ("Polygon", "MultiPolygon")
        and isinstance(f.get("properties"), dict)
    ]
    if not features:
        raise BoundaryError("The boundary file has no polygons, so it has no areas to draw.")
    crs = _crs(data, features)
    code_field = _code_field(features, set(codes))
    return Boundaries(crs=crs, code_field=code_field, name_field=_name_field(features, code_field), features=features)


def _crs(data: dict[str, Any], features: list[dict[str, Any]]) -> Crs:
    """The file's coordinate system: from its ``crs`` member, else from the coordinates' range."""

    named = ((data.get("crs") or {}).get("properties") or {}).get("name")
    if isinstance(named, str):
        if any(named.upper().endswith(n.upper()) for n in _BNG_NAMES):
            return "bng"
        if any(named.upper().endswith(n.upper()) for n in _WGS84_NAMES):
            return "wgs84"
        raise BoundaryError(
            "The boundary file uses a coordinate system we cannot draw; save it in British National Grid "
            "(EPSG:27700) or WGS84 (EPSG:4326)."
        )
    xs, ys = zip(*_points(features), strict=True)
    if min(xs) >= -180 and max(xs) <= 180 and min(ys) >= -90 and max(ys) <= 90:
        return "wgs84"
    if min(xs) >= 0 and max(xs) <= 700_000 and min(ys) >= 0 and max(ys) <= 1_300_000:
        return "bng"
    raise BoundaryError(
        "The boundary file's coordinates are neither British National Grid nor WGS84; "
        "save it in EPSG:27700 or EPSG:4326."
    )


def _points(features: list[dict[str, Any]]) -> Iterable[tuple[float, float]]:
    for feature in features:
        for ring in rings(feature["geometry"]):
            for point in ring:
                yield float(point[0]), float(point[1])


def rings(geometry: Mapping[str, Any]) -> list[list[Sequence[float]]]:
    """Every ring (outer and holes) of a Polygon or MultiPolygon."""

    coordinates = geometry.get("coordinates") or []
    polygons = coordinates if geometry.get("type") == "MultiPolygon" else [coordinates]
    found = []
    for polygon in polygons:
        for ring in polygon:
            if not isinstance(ring, list) or len(ring) < 4:
                raise BoundaryError("The boundary file has a polygon with fewer than three corners.")
            found.append(ring)
    return found


def _code_field(features: list[dict[str, Any]], codes: set[str]) -> str:
    """The text property that matches the data's area codes best (ONS ``..CD`` first on a tie)."""

    fields = {key for f in features for key, value in f["properties"].items() if isinstance(value, str)}
    unique = [
        k for k in fields if len({f["properties"].get(k) for f in features}) == len(features)
    ]  # a key must name each area once
    if not unique:
        raise BoundaryError("The boundary file has no property that names each area once (such as WD23CD).")
    scored = sorted(
        unique,
        key=lambda k: (
            -len(codes & {str(f["properties"].get(k)) for f in features}),
            not k.upper().endswith("CD"),
            k,
        ),
    )
    best = scored[0]
    if codes and not codes & {str(f["properties"].get(best)) for f in features}:
        example = next(iter(sorted(str(f["properties"][best]) for f in features)))
        raise BoundaryError(
            "None of the areas in the data match an area in the boundary file "
            f"(it has areas such as {example!r} in {best}); check the area column and the file."
        )
    return best


def _name_field(features: list[dict[str, Any]], code_field: str) -> str | None:
    """The property holding each area's own name (``WD24NM``), not a wider area's (``LAD24NM``)."""

    def is_name(key: str) -> bool:
        return key.upper().endswith("NM") or key.lower() in ("name", "area_name")

    if is_name(code_field):
        return code_field
    names = [
        k
        for k in features[0]["properties"]
        if is_name(k) and len({str(f["properties"].get(k)) for f in features}) == len(features)
    ]
    return names[0] if names else None


def _edge(a: Sequence[float], b: Sequence[float]) -> tuple[tuple[float, float], tuple[float, float]]:
    """An edge between two corners, the same whichever way round it is walked (to a millimetre)."""

    p = (round(float(a[0]), 3 if abs(a[0]) > 180 else 8), round(float(a[1]), 3 if abs(a[1]) > 90 else 8))
    q = (round(float(b[0]), 3 if abs(b[0]) > 180 else 8), round(float(b[1]), 3 if abs(b[1]) > 90 else 8))
    return (p, q) if p <= q else (q, p)


def neighbours_from_boundaries(boundaries: Boundaries) -> dict[str, set[str]]:
    """Areas that share at least one stretch of border, by area code."""

    owners: dict[tuple[tuple[float, float], tuple[float, float]], set[str]] = {}
    for feature in boundaries.features:
        code = feature["properties"][boundaries.code_field]
        for ring in rings(feature["geometry"]):
            for a, b in itertools.pairwise(ring):
                owners.setdefault(_edge(a, b), set()).add(code)
    adjacency: dict[str, set[str]] = {code: set() for code in boundaries.codes}
    for sharing in owners.values():
        for code in sharing:
            adjacency[code] |= sharing - {code}
    return adjacency


def load_neighbours(path: str | os.PathLike[str]) -> dict[str, set[str]]:
    """A neighbours file: JSON ``{"area": ["neighbour", ...]}`` or a two-column CSV (area, neighbour)."""

    source = Path(path)
    if not source.is_file():
        raise BoundaryError(f"There is no neighbours file called {source.name}.")
    text = source.read_text(encoding="utf-8-sig")
    found: dict[str, set[str]] = {}
    if source.suffix.lower() == ".json":
        try:
            data = json.loads(text)
        except json.JSONDecodeError:
            raise BoundaryError("The neighbours file is not valid JSON.") from None
        if not isinstance(data, dict) or not all(isinstance(v, list) for v in data.values()):
            raise BoundaryError('The neighbours file must map each area to a list: {"area": ["neighbour"]}.')
        pairs = [(str(k), str(v)) for k, near in data.items() for v in near]
    else:
        lines = [line.split(",") for line in text.splitlines()[1:] if line.strip()]
        if any(len(parts) < 2 for parts in lines):
            raise BoundaryError("The neighbours file needs two columns on every line: an area and its neighbour.")
        pairs = [(parts[0].strip(), parts[1].strip()) for parts in lines]
    for area, other in pairs:
        if area != other:
            found.setdefault(area, set()).add(other)
            found.setdefault(other, set()).add(area)
    return found
