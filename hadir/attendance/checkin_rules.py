"""How a check-in is judged (docs/checkin.md): pure, over plain values; no ORM, no clock."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from hadir.attendance.choices import CheckInStatus
from hadir.org.geofence import Fence, fence_check
from hadir.tpp.ruleset.checkin import CheckinRules


@dataclass(frozen=True)
class Submission:
    checkpoint: str
    idempotency_key: str
    latitude: float
    longitude: float
    accuracy_m: float
    device_time: datetime | None = None
    mock_location: bool | None = None
    nonce: str = ""


@dataclass
class Verdict:
    status: str
    reasons: list[dict[str, str]] = field(default_factory=list)
    site: str = ""
    distance_m: int | None = None


def judge(
    *,
    rules: CheckinRules,
    areas: list[Fence],
    sub: Submission,
    now: datetime,
    check_clock: bool = True,
) -> Verdict:
    """accepted / pending_review / rejected with reasons. Rejected wins over pending."""
    verdict = Verdict(CheckInStatus.ACCEPTED)
    rank = {CheckInStatus.ACCEPTED: 0, CheckInStatus.PENDING_REVIEW: 1, CheckInStatus.REJECTED: 2}

    def add(code: str, detail: str, status: str | None = None) -> None:
        verdict.reasons.append({"code": code, "detail": detail})
        if status is not None and rank[CheckInStatus(status)] > rank[CheckInStatus(verdict.status)]:
            verdict.status = status

    if sub.accuracy_m > rules.max_accuracy_m:
        add(
            "weak_gps",
            f"Sinyal GPS lemah: akurasi {sub.accuracy_m:.0f} m (batas {rules.max_accuracy_m} m).",
            CheckInStatus.REJECTED,
        )
    fix = fence_check((sub.latitude, sub.longitude), areas, on=None)  # areas: in force today
    if fix.site is None:
        add("no_site", "Unit kerja belum memiliki lokasi kerja.", CheckInStatus.PENDING_REVIEW)
    else:
        verdict.site = fix.site
        verdict.distance_m = round(fix.distance_m)
        if not fix.inside:
            add(
                "outside_geofence",
                f"Di luar lokasi kerja: {verdict.distance_m} m dari {fix.site}",
                rules.outside_geofence,
            )
    if sub.mock_location:
        add("mock_location", "Lokasi palsu (mock location) terdeteksi.", "pending_review")
    if check_clock and sub.device_time is not None:
        skew = (sub.device_time - now).total_seconds()
        if abs(skew) > rules.max_clock_skew_s:
            add("clock_skew", f"Jam perangkat berbeda {abs(skew):.0f} detik dari jam server.")
    return verdict
