"""Geofences: is a reported position inside one of a unit's sites, and how far outside?

Plain functions over plain values, so that the check-in API, the integrity checks and the tests
share one reading. Distances are in metres on a sphere of the Earth's mean radius (haversine);
a polygon is tested on a local flat projection around the point, which is exact enough for
office-sized shapes (an error of centimetres over a kilometre).
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date

EARTH_RADIUS_M = 6_371_008.8

LatLon = tuple[float, float]


@dataclass(frozen=True, slots=True)
class Fence:
    """One site as the check needs it: a circle (centre, radius) or a polygon of (lat, lon)."""

    name: str
    centre: LatLon | None = None
    radius_m: float | None = None
    polygon: tuple[LatLon, ...] = ()
    valid_from: date | None = None
    valid_until: date | None = None

    def valid_on(self, day: date) -> bool:
        if self.valid_from is not None and day < self.valid_from:
            return False
        return self.valid_until is None or day <= self.valid_until


@dataclass(frozen=True, slots=True)
class FenceResult:
    inside: bool
    site: str | None  # the site the point is in, else the nearest one; None without sites
    distance_m: float  # 0 inside; else metres to the nearest site's edge (inf without sites)


def distance_m(a: LatLon, b: LatLon) -> float:
    """Great-circle distance in metres (haversine)."""
    lat1, lon1 = math.radians(a[0]), math.radians(a[1])
    lat2, lon2 = math.radians(b[0]), math.radians(b[1])
    h = (
        math.sin((lat2 - lat1) / 2) ** 2
        + math.cos(lat1) * math.cos(lat2) * math.sin((lon2 - lon1) / 2) ** 2
    )
    return 2 * EARTH_RADIUS_M * math.asin(min(1.0, math.sqrt(h)))


def _project(origin: LatLon, p: LatLon) -> tuple[float, float]:
    """(x, y) in metres east and north of `origin` on a local equirectangular plane."""
    x = math.radians(p[1] - origin[1]) * math.cos(math.radians(origin[0])) * EARTH_RADIUS_M
    y = math.radians(p[0] - origin[0]) * EARTH_RADIUS_M
    return x, y


def _segment_distance(
    p: tuple[float, float], a: tuple[float, float], b: tuple[float, float]
) -> float:
    ax, ay = a
    dx, dy = b[0] - ax, b[1] - ay
    length2 = dx * dx + dy * dy
    t = 0.0 if length2 == 0 else max(0.0, min(1.0, ((p[0] - ax) * dx + (p[1] - ay) * dy) / length2))
    return math.hypot(p[0] - (ax + t * dx), p[1] - (ay + t * dy))


def polygon_distance_m(point: LatLon, polygon: Sequence[LatLon]) -> float:
    """0 when `point` is inside the polygon (or on its edge), else metres to its nearest edge."""
    if len(polygon) < 3:
        raise ValueError("a polygon needs at least three corners")
    corners = [_project(point, c) for c in polygon]
    inside = False
    edge = math.inf
    for i, a in enumerate(corners):
        b = corners[i - 1]
        edge = min(edge, _segment_distance((0.0, 0.0), a, b))
        # Even-odd rule on a ray from the point towards +x.
        if (a[1] > 0) != (b[1] > 0):
            x_cross = a[0] + (0 - a[1]) * (b[0] - a[0]) / (b[1] - a[1])
            if x_cross > 0:
                inside = not inside
    return 0.0 if inside or edge < 1e-6 else edge


def fence_distance_m(point: LatLon, fence: Fence) -> float:
    """0 inside the fence, else metres from its edge."""
    if fence.polygon:
        return polygon_distance_m(point, fence.polygon)
    if fence.centre is None or fence.radius_m is None:
        raise ValueError(f"site {fence.name!r} has neither a circle nor a polygon")
    return max(0.0, distance_m(point, fence.centre) - fence.radius_m)


def fence_check(point: LatLon, fences: Iterable[Fence], *, on: date | None) -> FenceResult:
    """Whether `point` is inside any fence valid on `on` (None: every fence given is in force);
    else the nearest one and how far."""
    best: FenceResult = FenceResult(inside=False, site=None, distance_m=math.inf)
    for fence in fences:
        if on is not None and not fence.valid_on(on):
            continue
        d = fence_distance_m(point, fence)
        if d == 0:
            return FenceResult(inside=True, site=fence.name, distance_m=0.0)
        if d < best.distance_m:
            best = FenceResult(inside=False, site=fence.name, distance_m=d)
    return best
