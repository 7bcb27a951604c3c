"""Schematic outlines of the demo city's ten Stadtbezirke, made from the middles of their
Stadtteile: each Stadtteil gets the area nearer to its middle than to any other (a Voronoi
cell), cut to a hull around the city; the cells of a district are merged.

They are not the official boundaries (Düsseldorf publishes those as open data under
dl-de/by-2-0; a city loads its own file, see docs/monitor.md). They exist so that the Wi-Fi
map has outlines without a tile server or an external download. Rebuild after changing
``districts.json``::

    .venv/bin/python src/rathaus/offices/demo/outlines.py \
        > src/rathaus/offices/static/offices/stadtbezirke-schematisch.geojson

Needs SciPy (installed with the development tools); the server only reads the file.
"""

import json
import math
import sys
from collections import defaultdict
from pathlib import Path

DISTRICTS = Path(__file__).with_name("districts.json")
# Longitude degrees are shorter than latitude degrees at 51° north: compute in a plane
# where both are the same length, so that "nearer" means nearer on the ground.
SQUEEZE = math.cos(math.radians(51.23))
MARGIN = 0.018  # how far the hull lies outside the outermost middles, in latitude degrees
DIGITS = 5  # about a metre

Point = tuple[float, float]


def _hull(points: list[Point]) -> list[Point]:
    """Convex hull, counter-clockwise (Andrew's monotone chain)."""
    points = sorted(set(points))

    def cross(o: Point, a: Point, b: Point) -> float:
        return (a[0] - o[0]) * (b[1] - o[1]) - (a[1] - o[1]) * (b[0] - o[0])

    lower: list[Point] = []
    upper: list[Point] = []
    for p in points:
        while len(lower) >= 2 and cross(lower[-2], lower[-1], p) <= 0:
            lower.pop()
        lower.append(p)
    for p in reversed(points):
        while len(upper) >= 2 and cross(upper[-2], upper[-1], p) <= 0:
            upper.pop()
        upper.append(p)
    return lower[:-1] + upper[:-1]


def _expanded(hull: list[Point], margin: float) -> list[Point]:
    """The hull pushed outwards by ``margin`` (each corner away from the middle)."""
    cx = sum(x for x, _ in hull) / len(hull)
    cy = sum(y for _, y in hull) / len(hull)
    out = []
    for x, y in hull:
        length = math.hypot(x - cx, y - cy)
        out.append((x + (x - cx) / length * margin, y + (y - cy) / length * margin))
    return out


def _clip(polygon: list[Point], window: list[Point]) -> list[Point]:
    """Sutherland–Hodgman: ``polygon`` cut to the convex, counter-clockwise ``window``."""
    for (ax, ay), (bx, by) in zip(window, window[1:] + window[:1], strict=True):

        def inside(p: Point, ax=ax, ay=ay, bx=bx, by=by) -> bool:
            return (bx - ax) * (p[1] - ay) - (by - ay) * (p[0] - ax) >= 0

        def crossing(p: Point, q: Point, ax=ax, ay=ay, bx=bx, by=by) -> Point:
            dx, dy = q[0] - p[0], q[1] - p[1]
            ex, ey = bx - ax, by - ay
            t = (ex * (ay - p[1]) - ey * (ax - p[0])) / (ex * dy - ey * dx)
            return (p[0] + t * dx, p[1] + t * dy)

        result: list[Point] = []
        for i, current in enumerate(polygon):
            previous = polygon[i - 1]
            if inside(current):
                if not inside(previous):
                    result.append(crossing(previous, current))
                result.append(current)
            elif inside(previous):
                result.append(crossing(previous, current))
        polygon = result
    return polygon


def _rings(cells: list[list[Point]]) -> list[list[Point]]:
    """The outer rings of the union of cells that meet edge to edge: inner edges appear in
    both directions and cancel, the rest chains into closed rings."""
    edges: set[tuple[Point, Point]] = set()
    for cell in cells:
        ring = [(round(x, DIGITS), round(y, DIGITS)) for x, y in cell]
        for a, b in zip(ring, ring[1:] + ring[:1], strict=True):
            if a == b:
                continue
            if (b, a) in edges:
                edges.remove((b, a))
            else:
                edges.add((a, b))
    following = dict(edges)
    rings = []
    while following:
        start, point = next(iter(following.items()))
        ring = [start]
        del following[start]
        while point != start:
            ring.append(point)
            point = following.pop(point)
        rings.append([*ring, start])
    return rings


def outlines() -> dict:
    from scipy.spatial import Voronoi

    districts = json.loads(DISTRICTS.read_text(encoding="utf-8"))
    middles = [
        ((q["longitude"] * SQUEEZE, q["latitude"]), district)
        for district in districts
        for q in district["quarters"]
    ]
    points = [point for point, _ in middles]
    window = _expanded(_hull(points), MARGIN)
    # Four far points bound every real cell, so each has a finite polygon.
    far = [(x * 10, y * 10) for x, y in ((-1, -1), (-1, 1), (1, -1), (1, 1))]
    cx = sum(x for x, _ in points) / len(points)
    cy = sum(y for _, y in points) / len(points)
    diagram = Voronoi(points + [(cx + x, cy + y) for x, y in far])
    cells: dict[int, list[list[Point]]] = defaultdict(list)
    for index, (_, district) in enumerate(middles):
        region = diagram.regions[diagram.point_region[index]]
        polygon = [tuple(diagram.vertices[v]) for v in region]
        # Voronoi regions are convex; make them counter-clockwise for the clipping.
        mx = sum(x for x, _ in polygon) / len(polygon)
        my = sum(y for _, y in polygon) / len(polygon)
        polygon.sort(key=lambda p: math.atan2(p[1] - my, p[0] - mx))
        cells[district["number"]].append(_clip(polygon, window))
    features = []
    for district in districts:
        rings = [
            [[round(x / SQUEEZE, DIGITS), y] for x, y in ring]
            for ring in _rings(cells[district["number"]])
        ]
        features.append(
            {
                "type": "Feature",
                "properties": {"nummer": district["number"], "name": district["name"]},
                "geometry": {"type": "MultiPolygon", "coordinates": [[ring] for ring in rings]},
            }
        )
    return {
        "type": "FeatureCollection",
        "name": "stadtbezirke-schematisch",
        "description": (
            "Schematische Umrisse der Stadtbezirke aus den Mittelpunkten der Stadtteile "
            "(Voronoi), nicht amtlich."
        ),
        "features": features,
    }


if __name__ == "__main__":
    json.dump(outlines(), sys.stdout, ensure_ascii=False, separators=(",", ":"))
    sys.stdout.write("\n")
