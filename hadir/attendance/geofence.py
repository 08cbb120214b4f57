"""Geofence arithmetic: pure functions over plain values (no ORM, no clock).

A site is a circle (centre and radius) or a polygon ([[lat, lon], ...]). The distance of a
point to a site is 0 inside it, else the distance to its edge in metres. Distances use the
haversine formula for circles and a local equirectangular projection for polygons (exact to
well under a metre at the size of an office compound).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

EARTH_RADIUS_M = 6_371_008.8


@dataclass(frozen=True, slots=True)
class Area:
    name: str
    latitude: float | None = None
    longitude: float | None = None
    radius_m: float | None = None
    polygon: tuple[tuple[float, float], ...] = ()


@dataclass(frozen=True, slots=True)
class Fix:
    """Where the nearest site is: its name and the distance to its edge (0 when inside)."""

    site: str
    distance_m: float

    @property
    def inside(self) -> bool:
        return self.distance_m <= 0


def haversine_m(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * EARTH_RADIUS_M * math.asin(min(1.0, math.sqrt(a)))


def _project(lat: float, lon: float, lat0: float, lon0: float) -> tuple[float, float]:
    """Metres east and north of (lat0, lon0)."""
    x = math.radians(lon - lon0) * EARTH_RADIUS_M * math.cos(math.radians(lat0))
    y = math.radians(lat - lat0) * EARTH_RADIUS_M
    return x, y


def _segment_distance(
    px: float, py: float, a: tuple[float, float], b: tuple[float, float]
) -> float:
    (ax, ay), (bx, by) = a, b
    dx, dy = bx - ax, by - ay
    length2 = dx * dx + dy * dy
    t = 0.0 if length2 == 0 else max(0.0, min(1.0, ((px - ax) * dx + (py - ay) * dy) / length2))
    return math.hypot(px - (ax + t * dx), py - (ay + t * dy))


def polygon_distance_m(lat: float, lon: float, polygon: Sequence[tuple[float, float]]) -> float:
    """0 inside the polygon (or on its edge), else metres to its nearest edge."""
    points = [_project(p_lat, p_lon, lat, lon) for p_lat, p_lon in polygon]
    inside = False
    n = len(points)
    for i in range(n):
        (xi, yi), (xj, yj) = points[i], points[i - 1]
        if (yi > 0) != (yj > 0) and (xj - xi) * (0 - yi) / (yj - yi) + xi > 0:
            inside = not inside
    if inside:
        return 0.0
    return min(_segment_distance(0.0, 0.0, points[i], points[i - 1]) for i in range(n))


def area_distance_m(lat: float, lon: float, area: Area) -> float | None:
    """Distance to the edge of one site; None when the site has no usable shape."""
    if len(area.polygon) >= 3:
        return polygon_distance_m(lat, lon, area.polygon)
    if area.latitude is None or area.longitude is None or area.radius_m is None:
        return None
    return max(0.0, haversine_m(lat, lon, area.latitude, area.longitude) - area.radius_m)


def nearest(lat: float, lon: float, areas: Sequence[Area]) -> Fix | None:
    """The site the point is inside, or the nearest one; None when there is no usable site."""
    best: Fix | None = None
    for area in areas:
        distance = area_distance_m(lat, lon, area)
        if distance is None:
            continue
        if best is None or distance < best.distance_m:
            best = Fix(area.name, distance)
            if distance <= 0:
                break
    return best
