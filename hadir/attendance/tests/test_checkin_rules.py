"""The pure judgement of a check-in and the geofence arithmetic, table by table."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from hadir.attendance.checkin_rules import Submission, judge
from hadir.org.geofence import Fence
from hadir.tpp.ruleset.checkin import CheckinRules

OFFICE = Fence("Kantor", centre=(-0.5, 117.15), radius_m=100)
NOW = datetime(2026, 11, 29, 23, 10, tzinfo=UTC)
M_PER_DEG = 111_195.0


def sub(lat: float = -0.5, lon: float = 117.15, **kw) -> Submission:  # type: ignore[no-untyped-def]
    return Submission("masuk", "key-00001", lat, lon, kw.pop("accuracy_m", 10.0), **kw)


def test_it_names_the_nearest_site_and_its_distance_when_outside() -> None:
    far = Fence("Jauh", centre=(-0.6, 117.15), radius_m=100)
    verdict = judge(
        rules=CheckinRules(), areas=[far, OFFICE], sub=sub(lat=-0.5 + 300 / M_PER_DEG), now=NOW
    )
    assert (verdict.site, verdict.distance_m) == ("Kantor", 200)
    assert verdict.reasons[0]["detail"] == "Di luar lokasi kerja: 200 m dari Kantor"


@pytest.mark.parametrize(
    ("submission", "rules", "status", "codes"),
    [
        (sub(), CheckinRules(), "accepted", []),
        (sub(lat=-0.49), CheckinRules(), "pending_review", ["outside_geofence"]),
        (
            sub(lat=-0.49),
            CheckinRules(outside_geofence="rejected"),
            "rejected",
            ["outside_geofence"],
        ),
        (sub(accuracy_m=101.0), CheckinRules(), "rejected", ["weak_gps"]),
        (sub(accuracy_m=60.0), CheckinRules(max_accuracy_m=50), "rejected", ["weak_gps"]),
        (
            sub(lat=-0.49, accuracy_m=500.0),
            CheckinRules(),
            "rejected",
            ["weak_gps", "outside_geofence"],
        ),
        (sub(mock_location=True), CheckinRules(), "pending_review", ["mock_location"]),
        (sub(device_time=NOW + timedelta(seconds=301)), CheckinRules(), "accepted", ["clock_skew"]),
        (sub(device_time=NOW - timedelta(seconds=300)), CheckinRules(), "accepted", []),
        (
            sub(device_time=NOW + timedelta(seconds=61)),
            CheckinRules(max_clock_skew_s=60),
            "accepted",
            ["clock_skew"],
        ),
    ],
)
def test_it_judges(submission, rules, status, codes) -> None:  # type: ignore[no-untyped-def]
    verdict = judge(rules=rules, areas=[OFFICE], sub=submission, now=NOW)
    assert verdict.status == status
    assert [r["code"] for r in verdict.reasons] == codes


def test_it_reviews_when_there_is_no_site() -> None:
    verdict = judge(rules=CheckinRules(), areas=[], sub=sub(), now=NOW)
    assert verdict.status == "pending_review" and verdict.reasons[0]["code"] == "no_site"
    assert verdict.site == "" and verdict.distance_m is None
