"""Offline check-ins: records signed on the device and chained per device (docs/checkin.md).

The server recomputes the record's canonical JSON, checks its hash and the ECDSA P-256
signature (WebCrypto's raw r||s, turned into DER for `cryptography`) against the device's
registered key, the frames against the hashes the record signed, then the record's place in
the device's chain. A deleted record (a gap in `seq`), a `prev` that is not the chain head
(reordered or altered) and device times that went back or moved unlike the monotonic clock
within one page session are findings: reasons on the stored record, which goes to
pending review. Uploads after the rule set's `offline_upload_day` of the month following the
record's month are refused.
"""

from __future__ import annotations

import hashlib
import json
import math
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from typing import Any

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.asymmetric.utils import encode_dss_signature
from django.db import transaction
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from hadir.attendance.checkin import (
    CheckinInvalid,
    Submission,
    areas_for,
    checkin_existing,
    checkin_store,
    device_usable,
    employee_zone,
    first_answer,
    frames_read,
    judge,
    rules_for,
)
from hadir.attendance.choices import CheckInStatus
from hadir.devices.models import EmployeeDevice
from hadir.devices.services.phones import ApiError, b64url_decode, public_key_of

# Device clocks and the monotonic clock may drift apart a little between two records.
MONOTONIC_TOLERANCE_S = 5.0
MONOTONIC_TOLERANCE_RATIO = 0.01


class SignatureInvalid(ApiError):
    code, status = "signature_invalid", 422


class OfflineTooLate(ApiError):
    code, status = "offline_too_late", 422


class OfflineRecord(BaseModel):
    """The signed record; every key of it is signed, unknown keys included."""

    model_config = ConfigDict(extra="allow")

    device: str = Field(min_length=1, max_length=64)
    seq: int = Field(ge=1)
    prev: str = Field(min_length=1, max_length=128)
    checkpoint: str = Field(min_length=1, max_length=32)
    latitude: float = Field(ge=-90, le=90)
    longitude: float = Field(ge=-180, le=180)
    accuracy_m: float = Field(ge=0, le=1_000_000)
    device_time: datetime
    monotonic_ms: float = Field(ge=0)
    boot: str = Field(min_length=1, max_length=64)
    server_offset_ms: float = Field(ge=-10 * 365 * 86_400_000, le=10 * 365 * 86_400_000)
    frames: list[str] = Field(min_length=1, max_length=8)
    idempotency_key: str = Field(min_length=8, max_length=64, pattern=r"^[A-Za-z0-9_-]+$")
    mock_location: bool | None = None

    @field_validator("device_time")
    @classmethod
    def _aware(cls, value: datetime) -> datetime:
        if value.tzinfo is None:
            raise ValueError("device_time needs a UTC offset")
        return value


# --- canonical JSON, as JavaScript's JSON.stringify writes it ------------------------------


def _js_number(value: float | int) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if not math.isfinite(value):
        raise ValueError("numbers must be finite")
    if value == 0:
        return "0"
    text = repr(value)
    if "e" not in text:
        return text[:-2] if text.endswith(".0") else text
    if 1e-6 <= abs(value) < 1e21:
        return format(Decimal(text), "f")
    mantissa, exponent = text.split("e")
    exp = int(exponent)
    return f"{mantissa}e{'+' if exp > 0 else '-'}{abs(exp)}"


def canonical(value: Any) -> str:
    """Keys sorted at every level, no spaces, numbers as JavaScript writes them (12.0 is
    "12"), strings as JSON.stringify escapes them; encode as UTF-8 for the signed bytes."""
    if value is None or isinstance(value, bool):
        return json.dumps(value)
    if isinstance(value, int | float):
        return _js_number(value)
    if isinstance(value, str):
        return json.dumps(value, ensure_ascii=False)
    if isinstance(value, list):
        return "[" + ",".join(canonical(v) for v in value) + "]"
    if isinstance(value, dict):
        items = sorted(value.items())
        return "{" + ",".join(f"{canonical(str(k))}:{canonical(v)}" for k, v in items) + "}"
    raise ValueError(f"cannot sign a {type(value).__name__}")


def signature_verify(public_jwk: dict[str, Any], data: bytes, signature_b64url: str) -> bool:
    """ECDSA P-256 / SHA-256 over `data`; the signature is WebCrypto's raw r||s (64 bytes)."""
    try:
        raw = b64url_decode(signature_b64url)
    except ValueError:
        return False
    if len(raw) != 64:
        return False
    der = encode_dss_signature(int.from_bytes(raw[:32], "big"), int.from_bytes(raw[32:], "big"))
    try:
        public_key_of(public_jwk).verify(der, data, ec.ECDSA(hashes.SHA256()))
    except InvalidSignature:
        return False
    return True


def upload_deadline(record_day: date, upload_day: int) -> date:
    """The last day an offline record of `record_day` may be uploaded (local dates)."""
    year, month = (
        (record_day.year + 1, 1)
        if record_day.month == 12
        else (
            record_day.year,
            record_day.month + 1,
        )
    )
    return date(year, month, upload_day)


def chain_findings(device: EmployeeDevice, record: OfflineRecord) -> list[dict[str, str]]:
    """What the record's place in the chain says: gaps, broken links, clocks that went back."""
    found: list[dict[str, str]] = []
    expected = device.chain_seq + 1
    if record.seq > expected:
        missing = record.seq - expected
        found.append(
            {
                "code": "offline_gap",
                "detail": f"{missing} catatan offline sebelum nomor {record.seq} hilang.",
            }
        )
    elif record.seq < expected:
        found.append(
            {
                "code": "offline_chain_broken",
                "detail": f"Catatan nomor {record.seq} datang setelah nomor {device.chain_seq}.",
            }
        )
    if record.seq == expected and record.prev != device.chain_head:
        found.append(
            {
                "code": "offline_chain_broken",
                "detail": "Rantai catatan offline terputus: urutan diubah atau catatan diganti.",
            }
        )
    last_time = device.chain_device_time
    if last_time is not None and record.device_time < last_time:
        found.append(
            {
                "code": "offline_backdated",
                "detail": "Jam perangkat mundur dibanding catatan sebelumnya.",
            }
        )
    elif (
        last_time is not None
        and device.chain_boot == record.boot
        and device.chain_monotonic_ms is not None
    ):
        wall_s = (record.device_time - last_time).total_seconds()
        mono_s = (record.monotonic_ms - device.chain_monotonic_ms) / 1000
        if abs(wall_s - mono_s) > MONOTONIC_TOLERANCE_S + MONOTONIC_TOLERANCE_RATIO * abs(mono_s):
            found.append(
                {
                    "code": "offline_backdated",
                    "detail": (
                        f"Jam perangkat bergeser {wall_s - mono_s:+.0f} detik dari jam monoton "
                        "di antara dua catatan."
                    ),
                }
            )
    return found


def _advance(device: EmployeeDevice, record: OfflineRecord, digest: str) -> None:
    """Move the device's chain head to this record (the caller holds the row lock)."""
    device.chain_seq = record.seq
    device.chain_head = digest
    device.chain_device_time = record.device_time
    device.chain_boot = record.boot
    device.chain_monotonic_ms = int(record.monotonic_ms)
    device.save(
        update_fields=[
            "chain_seq",
            "chain_head",
            "chain_device_time",
            "chain_boot",
            "chain_monotonic_ms",
        ]
    )


def offline_submit(
    *,
    device: EmployeeDevice,
    envelope: dict[str, Any],
    blobs: list[bytes],
    app_version: str,
    now: datetime,
) -> tuple[dict[str, Any], bool]:
    """Verify and store one offline record; (answer with the chain head, created now)."""
    device_usable(device)
    employee = device.employee
    raw = envelope.get("record")
    if not isinstance(raw, dict) or not isinstance(envelope.get("signature"), str):
        raise CheckinInvalid("Amplop harus berisi record, hash dan signature.")
    try:
        body = canonical(raw).encode()
    except ValueError as exc:
        raise CheckinInvalid(f"Catatan tidak dapat dibaca: {exc}") from exc
    if hashlib.sha256(body).hexdigest() != envelope.get("hash"):
        raise SignatureInvalid("Hash catatan offline tidak cocok: catatan telah diubah.")
    if raw.get("device") != device.thumbprint or not signature_verify(
        device.public_key, body, envelope["signature"]
    ):
        raise SignatureInvalid("Tanda tangan catatan offline tidak sah untuk perangkat ini.")
    try:
        record = OfflineRecord.model_validate(raw)
    except ValidationError as exc:
        raise CheckinInvalid(
            "Catatan offline tidak sah: "
            + "; ".join(f"{'.'.join(map(str, e['loc']))}: {e['msg']}" for e in exc.errors())
        ) from exc
    first = checkin_existing(employee, record.idempotency_key)
    if first is not None:
        # Stored already: this record's own earlier upload, or the online check-in whose
        # answer was lost and which the app then kept offline under the same key. Either way
        # the signed record is the next link of the chain when it fits the head.
        with transaction.atomic():
            current = EmployeeDevice.objects.select_for_update().get(pk=device.pk)
            if record.seq == current.chain_seq + 1 and record.prev == current.chain_head:
                _advance(current, record, envelope["hash"])
        return {
            **first_answer(first),
            "chain": {"seq": current.chain_seq, "head": current.chain_head},
        }, False
    frames = frames_read(blobs)
    if [f.sha256 for f in frames] != [h.lower() for h in record.frames]:
        raise SignatureInvalid("Foto tidak cocok dengan catatan yang ditandatangani.")
    at = (record.device_time - timedelta(milliseconds=record.server_offset_ms)).astimezone(UTC)
    zone = employee_zone(employee)
    day = at.astimezone(zone).date()
    rules, codes = rules_for(employee, day)
    if record.checkpoint not in codes:
        raise CheckinInvalid(f"Titik absen tidak dikenal: {record.checkpoint}.")
    deadline = upload_deadline(day, rules.offline_upload_day)
    if now.astimezone(zone).date() > deadline:
        raise OfflineTooLate(
            f"Batas unggah catatan offline {day:%m/%Y} sudah lewat ({deadline:%d-%m-%Y})."
        )
    sub = Submission(
        checkpoint=record.checkpoint,
        idempotency_key=record.idempotency_key,
        latitude=record.latitude,
        longitude=record.longitude,
        accuracy_m=record.accuracy_m,
        device_time=record.device_time,
        mock_location=record.mock_location,
    )
    verdict = judge(rules=rules, areas=areas_for(employee, day), sub=sub, now=at, check_clock=False)
    with transaction.atomic():
        locked = EmployeeDevice.objects.select_for_update().get(pk=device.pk)
        findings = chain_findings(locked, record)
        if at > now + timedelta(seconds=rules.max_clock_skew_s):
            findings.append(
                {"code": "offline_backdated", "detail": "Waktu catatan offline di masa depan."}
            )
        if findings:
            verdict.reasons.extend(findings)
            if verdict.status == CheckInStatus.ACCEPTED:
                verdict.status = CheckInStatus.PENDING_REVIEW
        checkin, created = checkin_store(
            device=locked,
            sub=sub,
            verdict=verdict,
            frames=frames,
            at=at,
            now=now,
            app_version=app_version,
            offline={
                "offline_seq": record.seq,
                "offline_hash": envelope["hash"],
                "offline_record": raw,
                "offline_signature": envelope["signature"][:128],
            },
        )
        if created and record.seq > locked.chain_seq:
            _advance(locked, record, envelope["hash"])
    answer = first_answer(checkin)
    answer["chain"] = {"seq": locked.chain_seq, "head": locked.chain_head}
    return answer, created
