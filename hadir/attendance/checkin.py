"""Check-ins from the employee app (docs/checkin.md): the challenge, the frames, the judgement
(geofence, GPS accuracy, clock, mock location) and the stored record with its event.

Every submission is stored, rejected ones too; accepted and pending-review ones write an
AttendanceEvent in the same transaction (server time of record) and mark the employee's days
stale. The answer is kept on the record and given again for a repeated idempotency key. The
heavy checks (face, liveness, photo reuse) run after commit (hadir.attendance.checks).
"""

from __future__ import annotations

import hashlib
import json
import time
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any
from zoneinfo import ZoneInfo

from django.db import IntegrityError, connection
from django.db.models.signals import post_delete, post_save

from hadir.attendance.checkin_rules import Submission, Verdict, judge
from hadir.attendance.choices import CheckInStatus, EventSource
from hadir.attendance.jpeg import JpegInvalid, jpeg_size
from hadir.attendance.models import AttendanceEvent, CheckIn, frames_name
from hadir.attendance.nonces import (
    Challenge,
    NonceExpired,
    NonceForeign,
    NonceUsed,
    nonce_check,
    nonce_issue,
)
from hadir.attendance.store import CheckinRows, FrameRow, checkin_write
from hadir.biometrics.storage import sealed_storage
from hadir.core.memo import Memo
from hadir.devices.choices import DeviceStatus
from hadir.devices.models import EmployeeDevice
from hadir.devices.services.phones import ApiError, DevicePending, DeviceRevoked
from hadir.org.geofence import Fence
from hadir.org.models import Employee, Site, Unit
from hadir.org.selectors import unit_timezones
from hadir.tpp.models import RuleSetVersion
from hadir.tpp.ruleset import parse_ruleset
from hadir.tpp.ruleset.checkin import DEFAULT_CHECKIN, CheckinRules
from hadir.tpp.selectors import RuleBook

MIN_FRAMES, MAX_FRAMES = 3, 8
MAX_FRAME_BYTES = 512 * 1024
MAX_FRAMES_BYTES = 3 * 1024 * 1024


class CheckinInvalid(ApiError):
    code, status = "validation_error", 422


class UploadTooLarge(ApiError):
    code, status = "upload_too_large", 413


@dataclass(frozen=True)
class Frame:
    data: bytes
    sha256: str
    width: int
    height: int


# --- the employee's context ----------------------------------------------------------------


_ZONES: dict[tuple[int, str, str, str], tuple[float, ZoneInfo]] = {}
ZONE_CACHE_S = 60.0


def employee_zone(employee: Employee) -> ZoneInfo:
    """The time zone of the employee's unit; a unit without its own zone inherits one, looked
    up once a minute per process (keyed by the unit, its path and the zones at hand)."""
    unit = employee.unit
    if unit.timezone:
        return ZoneInfo(unit.timezone)
    key = (unit.pk, unit.path, unit.timezone, employee.region.timezone)
    hit = _ZONES.get(key)
    clock = time.monotonic()
    if hit is not None and hit[0] > clock:
        return hit[1]
    zone = unit_timezones(employee.region)[unit.pk]
    _ZONES[key] = (clock + ZONE_CACHE_S, zone)
    return zone


_PARSED: dict[str, tuple[CheckinRules, frozenset[str]]] = {}


# Read on every challenge and check-in; a change is seen by every process within this time.
MEMO_S = 10.0
_VERSIONS: Memo[list[tuple[str, int]]] = Memo(MEMO_S)
_AREAS: Memo[tuple[Fence, ...]] = Memo(MEMO_S)


def rules_for(employee: Employee, day: date) -> tuple[CheckinRules, frozenset[str]]:
    """The [checkin] rules in force on `day` and every checkpoint code of the rule set. One
    small query (ids, dates, checksums), remembered for MEMO_S seconds; a version is parsed
    once per process."""

    def load() -> list[tuple[str, int]]:
        with connection.cursor() as cursor:  # plain SQL: one small query
            cursor.execute(
                f"SELECT checksum, id FROM {_sql(RuleSetVersion)} WHERE region_id = %s "  # noqa: S608
                "AND (effective_from IS NULL OR effective_from <= %s) "
                "ORDER BY CASE WHEN effective_from IS NULL THEN 0 ELSE 1 END DESC, "
                "effective_from DESC LIMIT 1",
                [employee.region_id, connection.ops.adapt_datefield_value(day)],
            )
            return cursor.fetchall()

    in_force = _VERSIONS.get((employee.region_id, day), load)
    if not in_force:
        RuleBook(employee.region).in_force(day)  # raises the usual no_rule_set error
        return DEFAULT_CHECKIN, frozenset()
    checksum, version_id = in_force[-1]
    hit = _PARSED.get(checksum)
    if hit is None:
        source = RuleSetVersion.objects.values_list("source", flat=True).get(pk=version_id)
        rules = parse_ruleset(source)
        hit = _PARSED[checksum] = (rules.checkin, rules.checkpoint_codes())
    return hit


def _sql(model: Any) -> str:
    return connection.ops.quote_name(model._meta.db_table)


def areas_for(employee: Employee, day: date) -> list[Fence]:
    """Sites of the employee's unit and the units above it, temporary ones valid on `day`,
    remembered for MEMO_S seconds. Plain SQL: it runs on every check-in, and the ORM's query
    building cost more than the query."""
    unit = employee.unit
    return list(_AREAS.get((unit.pk, unit.path, day), lambda: _areas_read(unit, day)))


def _areas_read(unit: Unit, day: date) -> tuple[Fence, ...]:
    unit_ids = {int(p) for p in unit.path.strip("/").split("/") if p}
    unit_ids.add(unit.pk)
    when = connection.ops.adapt_datefield_value(day)
    marks = ", ".join(["%s"] * len(unit_ids))
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT name, shape, latitude, longitude, radius_m, polygon FROM {_sql(Site)} "  # noqa: S608
            f"WHERE unit_id IN ({marks}) AND (valid_from IS NULL OR valid_from <= %s) "
            "AND (valid_until IS NULL OR valid_until >= %s) ORDER BY id",
            [*sorted(unit_ids), when, when],
        )
        rows = cursor.fetchall()
    fences = []  # a site without a usable shape is left out
    for name, shape, lat, lon, radius, polygon in rows:
        if shape == "polygon":
            points = json.loads(polygon) if isinstance(polygon, str | bytes) else polygon
            corners = tuple((float(c[0]), float(c[1])) for c in (points or []) if len(c) == 2)
            if len(corners) >= 3:
                fences.append(Fence(name, polygon=corners))
        elif lat is not None and lon is not None and radius is not None:
            fences.append(Fence(name, centre=(float(lat), float(lon)), radius_m=float(radius)))
    return tuple(fences)


def _forget_versions(**kwargs: Any) -> None:
    _VERSIONS.clear()


def _forget_areas(**kwargs: Any) -> None:
    _AREAS.clear()


for _signal in (post_save, post_delete):
    _signal.connect(_forget_versions, sender=RuleSetVersion, dispatch_uid=f"versions-{_signal}")
    _signal.connect(_forget_areas, sender=Site, dispatch_uid=f"areas-{_signal}")
    _signal.connect(_forget_areas, sender=Unit, dispatch_uid=f"areas-unit-{_signal}")


def device_usable(device: EmployeeDevice) -> None:
    if device.status == DeviceStatus.PENDING:
        raise DevicePending(
            "Perangkat baru ini menunggu persetujuan operator kepegawaian sebelum dapat dipakai "
            "untuk absen."
        )
    if device.status != DeviceStatus.ACTIVE:
        raise DeviceRevoked("Perangkat ini sudah tidak terdaftar untuk akun Anda.")


# --- challenge ---------------------------------------------------------------------------


def challenge_issue(*, device: EmployeeDevice, checkpoint: str, now: datetime) -> Challenge:
    """A one-use nonce with a liveness instruction, bound to the device (signed, not
    stored: hadir.attendance.nonces)."""
    device_usable(device)
    employee = device.employee
    day = now.astimezone(employee_zone(employee)).date()
    rules, codes = rules_for(employee, day)
    if checkpoint and checkpoint not in codes:
        raise CheckinInvalid(f"Titik absen tidak dikenal: {checkpoint}.")
    return nonce_issue(device=device, checkpoint=checkpoint, ttl_s=rules.challenge_ttl_s, now=now)


# --- frames ------------------------------------------------------------------------------


def frames_read(blobs: list[bytes]) -> list[Frame]:
    """Validate the frames: 3 to 8 JPEG images, each within the size limits."""
    if not MIN_FRAMES <= len(blobs) <= MAX_FRAMES:
        raise CheckinInvalid(f"Kirim {MIN_FRAMES} sampai {MAX_FRAMES} foto dari kamera.")
    if sum(len(b) for b in blobs) > MAX_FRAMES_BYTES:
        raise UploadTooLarge("Ukuran foto terlalu besar (maksimal 3 MiB semuanya).")
    frames = []
    for i, data in enumerate(blobs, start=1):
        if len(data) > MAX_FRAME_BYTES:
            raise UploadTooLarge(f"Foto ke-{i} terlalu besar (maksimal 512 KiB).")
        if not data.startswith(b"\xff\xd8\xff"):
            raise CheckinInvalid(f"Foto ke-{i} bukan JPEG.")
        try:
            width, height = jpeg_size(data)
        except JpegInvalid as exc:
            raise CheckinInvalid(f"Foto ke-{i} rusak atau bukan JPEG.") from exc
        frames.append(Frame(data, hashlib.sha256(data).hexdigest(), width, height))
    return frames


# --- storing -----------------------------------------------------------------------------


def answer_of(*, at: datetime, checkpoint: str, verdict: Verdict) -> dict[str, Any]:
    """The answer given at once, stored on the record (its id is added when served)."""
    return {
        "status": verdict.status,
        "at": at.isoformat(),
        "checkpoint": checkpoint,
        "reasons": verdict.reasons,
        "site": verdict.site,
        "distance_m": verdict.distance_m,
    }


def first_answer(checkin: CheckIn) -> dict[str, Any]:
    """The answer as it was first given, for a repeated idempotency key."""
    return {"id": checkin.pk, **checkin.answer}


def checkin_existing(employee: Employee, idempotency_key: str) -> CheckIn | None:
    return CheckIn.objects.filter(employee=employee, idempotency_key=idempotency_key).first()


def checkin_store(
    *,
    device: EmployeeDevice,
    sub: Submission,
    verdict: Verdict,
    frames: list[Frame],
    at: datetime,
    now: datetime,
    app_version: str,
    nonce: str | None = None,
    nonce_ttl_s: int = 120,
    offline: dict[str, Any] | None = None,
) -> tuple[CheckIn, bool]:
    """Store the check-in, its frames and (unless rejected) its event; (record, created).
    An online check-in's nonce is used in the same statement. The frames' files are written
    first, so that no stored row ever names a missing file, and removed again when nothing
    was stored. A concurrent submission with the same idempotency key yields the first
    record."""
    employee = device.employee
    used = None
    if nonce is not None:
        used = nonce_check(
            device=device, nonce=nonce, checkpoint=sub.checkpoint, ttl_s=nonce_ttl_s, now=now
        )
    checkin = CheckIn(
        employee=employee,
        device=device,
        checkpoint=sub.checkpoint,
        idempotency_key=sub.idempotency_key,
        at=at,
        received_at=now,
        device_time=sub.device_time,
        latitude=sub.latitude,
        longitude=sub.longitude,
        accuracy_m=sub.accuracy_m,
        mock_location=sub.mock_location,
        offline=offline is not None,
        status=verdict.status,
        reasons=verdict.reasons,
        site=verdict.site,
        distance_m=verdict.distance_m,
        instruction=used.instruction if used is not None else "",
        app_version=app_version[:32],
        answer=answer_of(at=at, checkpoint=sub.checkpoint, verdict=verdict),
        **(offline or {}),
    )
    rows = CheckinRows(checkin=checkin, frames=[], nonce=used)
    if verdict.status != CheckInStatus.REJECTED:
        rows.event = AttendanceEvent(
            employee=employee,
            at=at,
            source=EventSource.MOBILE,
            checkpoint=sub.checkpoint,
            latitude=round(sub.latitude, 6),
            longitude=round(sub.longitude, 6),
            dedupe_key=f"app:{employee.pk}:{sub.idempotency_key}",
            created_by="app",
        )
    storage = sealed_storage()
    names = storage.put_parts(
        frames_name(checkin, frames[0].sha256 if frames else "none"), [f.data for f in frames]
    )
    rows.frames = [
        FrameRow(index, name, frame.sha256, len(frame.data), frame.width, frame.height)
        for index, (name, frame) in enumerate(zip(names, frames, strict=True))
    ]
    try:
        checkin_write(rows)
    except (IntegrityError, ApiError) as exc:
        if names:
            storage.delete(names[0])  # the bundle of every frame
        if isinstance(exc, ApiError):
            raise
        first = checkin_existing(employee, sub.idempotency_key)
        if first is None:
            raise
        return first, False
    return checkin, True


def checkin_submit(
    *,
    device: EmployeeDevice,
    sub: Submission,
    blobs: list[bytes],
    app_version: str,
    now: datetime,
) -> tuple[dict[str, Any], bool]:
    """An online check-in: (the answer, whether it was created now). A repeated idempotency
    key gives the first answer back, whatever else the request holds: looked up when the
    request fails (a used nonce) or its record cannot be inserted, so that the usual path
    costs no extra query."""
    device_usable(device)
    employee = device.employee
    try:
        day = now.astimezone(employee_zone(employee)).date()
        rules, codes = rules_for(employee, day)
        if sub.checkpoint not in codes:
            raise CheckinInvalid(f"Titik absen tidak dikenal: {sub.checkpoint}.")
        frames = frames_read(blobs)
        verdict = judge(rules=rules, areas=areas_for(employee, day), sub=sub, now=now)
        checkin, created = checkin_store(
            device=device,
            sub=sub,
            verdict=verdict,
            frames=frames,
            at=now,
            now=now,
            app_version=app_version,
            nonce=sub.nonce,
            nonce_ttl_s=rules.challenge_ttl_s,
        )
    except ApiError:
        first = checkin_existing(employee, sub.idempotency_key)
        if first is not None:
            return first_answer(first), False
        raise
    return first_answer(checkin), created


__all__ = [
    "CheckinInvalid",
    "Frame",
    "NonceExpired",
    "NonceForeign",
    "NonceUsed",
    "Submission",
    "UploadTooLarge",
    "Verdict",
    "challenge_issue",
    "checkin_submit",
    "frames_read",
    "judge",
]
