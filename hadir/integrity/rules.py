"""Integrity signals of one check-in and its risk score (pure: no ORM, no clock, no settings).

Each signal has a stable code, a weight (0..1) from the region's `[integrity]` table and a
reason in Indonesian that the atasan reads. The risk is the sum of the weights, capped at 1 (the
same 0..1 scale as `[verification] bulk_max_risk`); from `review_threshold` on, the record goes
to the atasan's queue.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from hadir.biometrics.rules import message
from hadir.org.geofence import distance_m
from hadir.tpp.ruleset.biometrics import IntegrityRules

MIN_TRAVEL_M = 1_000.0  # below this a jump is GPS noise, whatever the time between records
REPEAT_DECIMALS = 5  # coordinates equal to this many decimals on another day: replayed
ROUND_DECIMALS = 4  # coordinates with no more decimals than this: typed in, not measured
OFFLINE_REASONS = ("offline_gap", "offline_chain_broken", "offline_backdated")


@dataclass(frozen=True, slots=True)
class Signal:
    code: str
    weight: float
    reason: str

    def as_json(self) -> dict[str, object]:
        return {"code": self.code, "weight": self.weight, "detail": self.reason}


@dataclass(frozen=True, slots=True)
class FaceFacts:
    status: str  # FaceCheckStatus value
    matched: bool | None = None
    distance: float | None = None
    liveness_passed: bool | None = None
    liveness_code: str = ""
    reused: bool = False
    shared: bool = False


@dataclass(frozen=True, slots=True)
class Point:
    latitude: float
    longitude: float
    at: datetime


@dataclass(frozen=True, slots=True)
class CheckInFacts:
    at: datetime
    latitude: float | None = None
    longitude: float | None = None
    accuracy_m: float | None = None
    mock_location: bool | None = None
    face: FaceFacts | None = None
    previous: Point | None = None  # the employee's record just before, with coordinates
    repeated_days: int = 0  # earlier days with exactly these coordinates
    device_employees: int = 1  # employees bound to this device key
    device_active: bool = True
    device_age_days: float | None = None
    other_devices: int = 0  # the employee's other devices, older than this one
    reasons: tuple[str, ...] = field(default=())  # CheckIn.reasons codes


def decimals(value: float) -> int:
    """Decimals written in the shortest repr of a float (-0.5021 → 4, 117.15362811 → 8)."""
    text = repr(float(value))
    if "e" in text or "." not in text:
        return 0
    frac = text.split(".", 1)[1].rstrip("0")
    return len(frac)


def _face_signals(face: FaceFacts, rules: IntegrityRules) -> list[Signal]:
    out: list[Signal] = []

    def add(code: str, reason: str) -> None:
        out.append(Signal(code, rules.weight(code), reason))

    if face.status == "no_consent":
        add(
            "no_biometric_consent",
            "Tanpa persetujuan biometrik: wajah tidak diproses, swafoto diverifikasi atasan.",
        )
        return out
    if face.status == "no_face":
        add("face_missing", "Wajah tidak ditemukan pada bingkai check-in.")
    if face.status == "not_enrolled":
        add("not_enrolled", "Belum ada templat wajah: swafoto diverifikasi atasan.")
    if face.matched is False:
        add(
            "face_mismatch",
            f"Wajah tidak cocok dengan templat terdaftar (jarak {face.distance:.2f}).",
        )
    if face.liveness_passed is False and face.status != "no_face":  # counted once, above
        add("liveness_failed", "Uji keaslian gagal: " + message(face.liveness_code))
    if face.reused:
        add("photo_reused", "Foto sama dengan foto check-in sebelumnya (dipakai ulang).")
    if face.shared:
        add("face_shared", "Wajah yang sama dipakai untuk check-in pegawai lain hari ini.")
    return out


def signals_of(facts: CheckInFacts, rules: IntegrityRules) -> list[Signal]:
    """Every signal that fires on the record, in a fixed order."""
    out: list[Signal] = []

    def add(code: str, reason: str) -> None:
        out.append(Signal(code, rules.weight(code), reason))

    if facts.face is not None:
        out.extend(_face_signals(facts.face, rules))
    if facts.mock_location:
        add("mock_location", "Aplikasi melaporkan lokasi palsu (mock location) aktif.")
    has_point = facts.latitude is not None and facts.longitude is not None
    if facts.accuracy_m is not None and facts.accuracy_m < 1.0:
        add(
            "gps_accuracy_implausible",
            f"Akurasi GPS {facts.accuracy_m:g} m tidak wajar untuk ponsel.",
        )
    elif has_point and max(decimals(facts.latitude), decimals(facts.longitude)) <= ROUND_DECIMALS:  # type: ignore[arg-type]
        add(
            "gps_accuracy_implausible",
            "Koordinat terlalu bulat untuk hasil pengukuran GPS (diketik, bukan diukur).",
        )
    if facts.repeated_days > 0:
        add(
            "gps_repeated_coordinates",
            f"Koordinat persis sama dengan check-in pada {facts.repeated_days} hari lain.",
        )
    if has_point and facts.previous is not None:
        meters = distance_m(
            (facts.previous.latitude, facts.previous.longitude),
            (facts.latitude, facts.longitude),  # type: ignore[arg-type]
        )
        seconds = abs((facts.at - facts.previous.at).total_seconds())
        speed = meters / max(seconds, 1.0) * 3.6
        if meters >= MIN_TRAVEL_M and speed > rules.max_speed_kmh:
            add(
                "impossible_travel",
                f"Berpindah {meters / 1000:.1f} km dalam {seconds / 60:.0f} menit "
                f"({speed:.0f} km/jam) sejak check-in sebelumnya.",
            )
    if facts.device_employees > 1 or "shared_device" in facts.reasons:
        add(
            "shared_device",
            f"Perangkat yang sama dipakai oleh {max(2, facts.device_employees)} pegawai.",
        )
    if not facts.device_active:
        add("unbound_device", "Perangkat tidak (lagi) terikat aktif pada pegawai ini.")
    elif (
        facts.other_devices > 0
        and facts.device_age_days is not None
        and facts.device_age_days < rules.new_device_days
    ):
        add("new_device", f"Perangkat baru (terdaftar {facts.device_age_days:.0f} hari lalu).")
    if "clock_skew" in facts.reasons:
        add("clock_skew", "Jam perangkat berbeda jauh dari jam server.")
    offline_text = {
        "offline_gap": "Rantai rekaman luring melompat: ada rekaman yang dihapus.",
        "offline_chain_broken": "Rantai rekaman luring rusak: urutan diubah atau diubah isinya.",
        "offline_backdated": "Waktu rekaman luring dimundurkan.",
    }
    for code in OFFLINE_REASONS:
        if code in facts.reasons:
            add(code, offline_text[code])
    return out


def risk_score(signals: list[Signal]) -> float:
    """The sum of the weights, capped at 1, to three decimals."""
    return round(min(1.0, sum(s.weight for s in signals)), 3)


def needs_review(score: float, rules: IntegrityRules) -> bool:
    return score >= rules.review_threshold - 1e-9
