"""Each integrity signal fires on a crafted record and stays quiet on a clean one (pure rules)."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta

import pytest

from hadir.integrity.rules import (
    CheckInFacts,
    FaceFacts,
    Point,
    decimals,
    needs_review,
    risk_score,
    signals_of,
)
from hadir.tpp.ruleset.biometrics import DEFAULT_INTEGRITY, SIGNAL_WEIGHTS, IntegrityRules

AT = datetime(2026, 11, 30, 23, 20, tzinfo=UTC)
LAT, LON = 0.5021347, 117.1536123
GOOD_FACE = FaceFacts(status="checked", matched=True, distance=0.31, liveness_passed=True)
CLEAN = CheckInFacts(
    at=AT,
    latitude=LAT,
    longitude=LON,
    accuracy_m=12.4,
    mock_location=False,
    face=GOOD_FACE,
    previous=Point(0.5022101, 117.1530456, AT - timedelta(hours=4)),
    device_age_days=200,
)

CASES = {
    "face_mismatch": replace(CLEAN, face=replace(GOOD_FACE, matched=False, distance=0.74)),
    "face_missing": replace(CLEAN, face=FaceFacts(status="no_face", liveness_passed=False)),
    "liveness_failed": replace(
        CLEAN, face=replace(GOOD_FACE, liveness_passed=False, liveness_code="still_image")
    ),
    "photo_reused": replace(CLEAN, face=replace(GOOD_FACE, reused=True)),
    "face_shared": replace(CLEAN, face=replace(GOOD_FACE, shared=True)),
    "no_biometric_consent": replace(CLEAN, face=FaceFacts(status="no_consent")),
    "not_enrolled": replace(CLEAN, face=FaceFacts(status="not_enrolled", liveness_passed=True)),
    "mock_location": replace(CLEAN, mock_location=True),
    "gps_accuracy_implausible": replace(CLEAN, accuracy_m=0.0),
    "gps_repeated_coordinates": replace(CLEAN, repeated_days=3),
    "impossible_travel": replace(
        CLEAN, previous=Point(-1.2379, 116.8529, AT - timedelta(minutes=20))
    ),  # Balikpapan, 20 minutes earlier
    "shared_device": replace(CLEAN, device_employees=3),
    "new_device": replace(CLEAN, device_age_days=1, other_devices=1),
    "unbound_device": replace(CLEAN, device_active=False),
    "clock_skew": replace(CLEAN, reasons=("clock_skew",)),
    "offline_gap": replace(CLEAN, reasons=("offline_gap",)),
    "offline_chain_broken": replace(CLEAN, reasons=("offline_chain_broken",)),
    "offline_backdated": replace(CLEAN, reasons=("offline_backdated",)),
}


def test_it_finds_nothing_on_a_clean_record() -> None:
    assert signals_of(CLEAN, DEFAULT_INTEGRITY) == []
    assert risk_score([]) == 0.0


def test_every_signal_has_a_crafted_case() -> None:
    assert set(CASES) == set(SIGNAL_WEIGHTS)


@pytest.mark.parametrize("code", sorted(CASES))
def test_it_fires_each_signal_alone(code: str) -> None:
    signals = signals_of(CASES[code], DEFAULT_INTEGRITY)
    assert [s.code for s in signals] == [code]
    assert signals[0].weight == SIGNAL_WEIGHTS[code]
    assert signals[0].reason  # a sentence for the atasan


@pytest.mark.parametrize(
    ("facts", "why"),
    [
        (replace(CLEAN, accuracy_m=5.0), "a round accuracy alone is what iOS reports"),
        (replace(CLEAN, latitude=0.50213, longitude=117.1536123), "one short coordinate"),
        (replace(CLEAN, previous=Point(LAT + 0.02, LON, AT - timedelta(hours=1))), "2 km/h"),
        (replace(CLEAN, previous=Point(LAT + 0.001, LON, AT - timedelta(seconds=1))), "jitter"),
        (replace(CLEAN, device_age_days=1, other_devices=0), "a first device is not new"),
        (replace(CLEAN, reasons=("outside_geofence",)), "geofence is the check-in's own"),
        (replace(CLEAN, mock_location=None), "a browser cannot tell"),
    ],
)
def test_it_stays_quiet_on_near_misses(facts: CheckInFacts, why: str) -> None:
    assert signals_of(facts, DEFAULT_INTEGRITY) == [], why


def test_it_flags_coordinates_typed_in() -> None:
    facts = replace(CLEAN, latitude=-0.5021, longitude=117.1536)
    assert [s.code for s in signals_of(facts, DEFAULT_INTEGRITY)] == ["gps_accuracy_implausible"]


def test_it_scores_the_sum_capped_at_100_and_routes_by_threshold() -> None:
    facts = replace(
        CLEAN,
        mock_location=True,
        face=replace(GOOD_FACE, matched=False, distance=0.8),
        reasons=("clock_skew",),
    )
    signals = signals_of(facts, DEFAULT_INTEGRITY)
    assert risk_score(signals) == 1.0
    low = signals_of(CASES["new_device"], DEFAULT_INTEGRITY)
    assert risk_score(low) == 0.15 and not needs_review(0.15, DEFAULT_INTEGRITY)
    assert needs_review(0.5, DEFAULT_INTEGRITY)
    two = signals_of(replace(CLEAN, accuracy_m=0.0, reasons=("clock_skew",)), DEFAULT_INTEGRITY)
    assert risk_score(two) == 0.45 and not needs_review(0.45, DEFAULT_INTEGRITY)


def test_it_uses_the_region_weights() -> None:
    rules = IntegrityRules(
        review_threshold=0.1, weights={**SIGNAL_WEIGHTS, "new_device": 0.12}, max_speed_kmh=10
    )
    signals = signals_of(CASES["new_device"], rules)
    assert signals[0].weight == 0.12 and needs_review(0.12, rules)
    slow = replace(CLEAN, previous=Point(LAT + 0.05, LON, AT - timedelta(hours=1)))
    assert [s.code for s in signals_of(slow, rules)] == []  # 5.6 km in an hour: 5.6 km/h
    fast = replace(CLEAN, previous=Point(LAT + 0.2, LON, AT - timedelta(hours=1)))
    assert [s.code for s in signals_of(fast, rules)] == ["impossible_travel"]


def test_it_counts_decimals() -> None:
    assert decimals(-0.5021) == 4
    assert decimals(117.1536123) == 7
    assert decimals(117.0) == 0
