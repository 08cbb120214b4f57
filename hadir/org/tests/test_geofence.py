"""Geofence arithmetic: distances, circles, polygons (convex and not), temporary sites."""

from __future__ import annotations

import math
from datetime import date

import pytest

from hadir.org.geofence import (
    Fence,
    distance_m,
    fence_check,
    fence_distance_m,
    polygon_distance_m,
)

# Kantor Bupati Kutai Timur, Bukit Pelangi, Sangatta (approximately).
OFFICE = (0.5, 117.5)
DEG_M = 2 * math.pi * 6_371_008.8 / 360  # metres in one degree of a great circle
DAY = date(2026, 3, 2)


@pytest.mark.parametrize(
    ("a", "b", "metres"),
    [
        ((0.0, 0.0), (1.0, 0.0), DEG_M),
        ((0.0, 0.0), (0.0, 1.0), DEG_M),  # on the equator a degree east is a degree
        ((60.0, 10.0), (60.0, 11.0), 55_597.5),  # at 60 degrees, about half
        (OFFICE, OFFICE, 0.0),
        ((-6.2, 106.8), (0.5, 117.5), 1_403_000),  # Jakarta to Sangatta, about 1,400 km
    ],
)
def test_distance_is_the_great_circle_distance(a, b, metres) -> None:  # type: ignore[no-untyped-def]
    assert distance_m(a, b) == pytest.approx(metres, rel=2e-3, abs=1e-6)


CIRCLE = Fence(name="Kantor Bupati", centre=OFFICE, radius_m=100)


@pytest.mark.parametrize(
    ("north_deg", "outside_m"),
    [
        (0.0, 0.0),
        (0.0008, 0.0),  # 89 m from the centre
        (100 / DEG_M, 0.0),  # on the circle
        (0.0018, 0.0018 * DEG_M - 100),  # 200 m from the centre: 100 m outside
        (0.01, 0.01 * DEG_M - 100),
    ],
)
def test_circle_distance_is_from_its_edge(north_deg: float, outside_m: float) -> None:
    point = (OFFICE[0] + north_deg, OFFICE[1])
    assert fence_distance_m(point, CIRCLE) == pytest.approx(outside_m, abs=0.01)


SQUARE = Fence(
    name="Kompleks Perkantoran",
    polygon=(
        (0.499, 117.499),
        (0.499, 117.501),
        (0.501, 117.501),
        (0.501, 117.499),
    ),
)
# An L: the square without its north-east quarter.
ELL = Fence(
    name="RSUD",
    polygon=(
        (0.499, 117.499),
        (0.499, 117.501),
        (0.500, 117.501),
        (0.500, 117.500),
        (0.501, 117.500),
        (0.501, 117.499),
    ),
)


@pytest.mark.parametrize(
    ("fence", "point", "outside_m"),
    [
        (SQUARE, OFFICE, 0.0),
        (SQUARE, (0.501, 117.5), 0.0),  # on the north edge
        (SQUARE, (0.499, 117.499), 0.0),  # on a corner
        (SQUARE, (0.502, 117.5), 0.001 * DEG_M),  # north of it
        (SQUARE, (0.5, 117.497), 0.002 * DEG_M),  # west of it (cos 0.5 deg is 0.99996)
        (ELL, (0.4995, 117.5005), 0.0),  # the south-east arm
        (ELL, (0.5005, 117.4995), 0.0),  # the north-west arm
        (ELL, (0.5006, 117.5005), 0.0005 * DEG_M),  # in the notch: 55 m from both edges
        (ELL, (0.5003, 117.5008), 0.0003 * DEG_M),  # in the notch, nearer the south edge
    ],
)
def test_polygon_distance(fence: Fence, point: tuple[float, float], outside_m: float) -> None:
    assert fence_distance_m(point, fence) == pytest.approx(outside_m, rel=1e-3, abs=0.01)


def test_polygon_needs_three_corners_and_a_site_a_shape() -> None:
    with pytest.raises(ValueError, match="three corners"):
        polygon_distance_m(OFFICE, [(0.0, 0.0), (1.0, 1.0)])
    with pytest.raises(ValueError, match="neither a circle nor a polygon"):
        fence_distance_m(OFFICE, Fence(name="kosong"))


def test_check_takes_any_site_the_point_is_in_else_the_nearest() -> None:
    far = Fence(name="UPT Jauh", centre=(0.6, 117.6), radius_m=50)
    near_point = (OFFICE[0] + 0.0018, OFFICE[1])  # 100 m outside the circle
    result = fence_check(near_point, [far, CIRCLE], on=DAY)
    assert (result.inside, result.site) == (False, "Kantor Bupati")
    assert result.distance_m == pytest.approx(0.0018 * DEG_M - 100, abs=0.01)
    assert fence_check(OFFICE, [far, CIRCLE], on=DAY) == fence_check(OFFICE, [CIRCLE], on=DAY)
    assert fence_check(OFFICE, [far, CIRCLE], on=DAY).inside
    nothing = fence_check(OFFICE, [], on=DAY)
    assert (nothing.inside, nothing.site, nothing.distance_m) == (False, None, math.inf)


@pytest.mark.parametrize(
    ("day", "inside"),
    [
        (date(2026, 3, 1), False),  # the day before the field duty
        (date(2026, 3, 2), True),
        (date(2026, 3, 4), True),
        (date(2026, 3, 5), False),  # the day after
    ],
)
def test_temporary_site_counts_only_on_its_days(day: date, inside: bool) -> None:
    field = Fence(
        name="Lokasi dinas luar",
        centre=(1.0, 118.0),
        radius_m=200,
        valid_from=date(2026, 3, 2),
        valid_until=date(2026, 3, 4),
    )
    assert fence_check((1.0, 118.0), [field], on=day).inside is inside
