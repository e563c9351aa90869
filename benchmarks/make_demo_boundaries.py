"""Make the sample boundary file: the wards of a fictional borough, "Fairhaven".

Why a made-up borough: real ONS boundary files cannot be fetched while the
tests run, and the demo needs a map whose wards match the demo data's ward
column (Castle, Abbey, Riverside, Northgate, Millfield). The wards are a
3 × 3 grid of cells with wobbly borders; neighbouring wards share exactly the
same border points, as ONS's boundaries do, so neighbours can be worked out
from shared borders. Coordinates are British National Grid (EPSG:27700)
metres, placed somewhere plausible in England, but the borough, its ward
names and its codes (``X05…``, a prefix ONS does not use) are fictional.

The file is made by the Community Insights project and licensed under MIT,
like the rest of the project.

Usage::

    python benchmarks/make_demo_boundaries.py            # writes the packaged sample file
    python benchmarks/make_demo_boundaries.py --output wards.geojson --wgs84
"""

from __future__ import annotations

import argparse
import json
import math
import random
from pathlib import Path

NAMES = ["Northgate", "Abbey", "Eastfield", "Westcombe", "Castle", "Millfield", "Harbour", "Riverside", "Southbank"]
ORIGIN = (440_000.0, 300_000.0)  # metres east and north
CELL = 1_500.0  # metres
POINTS_PER_EDGE = 4
TARGET = Path(__file__).resolve().parents[1] / "src/community_insights/safety/data/demo_wards.geojson"

Point = tuple[float, float]


def corner(i: int, j: int, rng_seed: int, size: int = 3) -> Point:
    """A grid corner, nudged inwards unless it is on the borough's edge."""

    rnd = random.Random(rng_seed * 1000 + i * 10 + j)
    x, y = ORIGIN[0] + i * CELL, ORIGIN[1] + j * CELL
    if 0 < i < size and 0 < j < size:
        x += rnd.uniform(-250, 250)
        y += rnd.uniform(-250, 250)
    return (x, y)


def edge(a: tuple[int, int], b: tuple[int, int], seed: int, size: int = 3) -> list[Point]:
    """Points along the border from corner a to corner b (same points whichever ward asks)."""

    forward = a <= b
    start, end = (a, b) if forward else (b, a)
    p, q = corner(*start, seed, size), corner(*end, seed, size)
    rnd = random.Random(f"{seed}:{start}:{end}")
    dx, dy = q[0] - p[0], q[1] - p[1]
    length = math.hypot(dx, dy)
    nx, ny = -dy / length, dx / length
    points = [p]
    for k in range(1, POINTS_PER_EDGE + 1):
        t = k / (POINTS_PER_EDGE + 1)
        wobble = rnd.uniform(-120, 120)
        points.append((round(p[0] + t * dx + wobble * nx, 1), round(p[1] + t * dy + wobble * ny, 1)))
    points.append(q)
    points = [(round(x, 1), round(y, 1)) for x, y in points]
    return points if forward else points[::-1]


def ward_ring(i: int, j: int, seed: int, size: int = 3) -> list[Point]:
    """The ward's outline, anticlockwise, closed."""

    corners = [(i, j), (i + 1, j), (i + 1, j + 1), (i, j + 1)]
    ring: list[Point] = []
    for a, b in zip(corners, corners[1:] + corners[:1], strict=True):
        ring += edge(a, b, seed, size)[:-1]
    return [*ring, ring[0]]


def to_wgs84(point: Point) -> list[float]:
    """A rough flat conversion (good to a few hundred metres), enough for a test fixture."""

    east, north = point
    lat = 49.0 + (north + 100_000) / 111_200
    lon = -2.0 + (east - 400_000) / (111_200 * math.cos(math.radians(lat)))
    return [round(lon, 6), round(lat, 6)]


def build(seed: int = 7, wgs84: bool = False, names: list[str] | None = None) -> dict[str, object]:
    """The borough as a GeoJSON FeatureCollection: ``names`` (default the nine demo wards) on a square grid."""

    names = names or NAMES
    size = math.ceil(math.sqrt(len(names)))
    features = []
    for index, name in enumerate(names):
        i, j = index % size, size - 1 - index // size
        ring = ward_ring(i, j, seed, size)
        coordinates = [to_wgs84(p) for p in ring] if wgs84 else [list(p) for p in ring]
        features.append(
            {
                "type": "Feature",
                "properties": {"WD24CD": f"X05{index + 1:06d}", "WD24NM": name, "LAD24NM": "Fairhaven"},
                "geometry": {"type": "Polygon", "coordinates": [coordinates]},
            }
        )
    crs = "urn:ogc:def:crs:OGC:1.3:CRS84" if wgs84 else "urn:ogc:def:crs:EPSG::27700"
    return {
        "type": "FeatureCollection",
        "name": "Fairhaven wards (fictional)",
        "crs": {"type": "name", "properties": {"name": crs}},
        "metadata": {
            "description": "Wards of Fairhaven, a fictional borough made for the Community Insights demo and tests.",
            "source": "Made by the Community Insights project with benchmarks/make_demo_boundaries.py.",
            "licence": "MIT",
        },
        "features": features,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--output", type=Path, default=TARGET)
    parser.add_argument("--wgs84", action="store_true", help="longitude and latitude instead of British National Grid")
    args = parser.parse_args()
    args.output.write_text(json.dumps(build(wgs84=args.wgs84), indent=1) + "\n", encoding="utf-8")
    print(f"Wrote {args.output}")


if __name__ == "__main__":
    main()
