"""The employee app's check-in endpoints (docs/checkin.md): challenge, online and offline.

The multipart bodies are read by hand (hadir.attendance.multipart), after the Content-Length
was checked against the limits, so that an oversized upload is refused (413, JSON) before
its body is read.
"""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any

from django.http import HttpRequest
from django.utils import timezone
from ninja import Router, Schema, Status
from pydantic import Field, ValidationError, field_validator

from hadir.attendance.checkin import (
    MAX_FRAME_BYTES,
    MAX_FRAMES,
    MAX_FRAMES_BYTES,
    CheckinInvalid,
    Submission,
    UploadTooLarge,
    challenge_issue,
    checkin_submit,
)
from hadir.attendance.multipart import MultipartError, multipart_boundary, multipart_parts
from hadir.attendance.offline import offline_submit
from hadir.devices.api import ERRORS
from hadir.devices.app_auth import AppBearer, app_version_of

router = Router(tags=["checkins"], auth=AppBearer())

# Frames plus the JSON part and the multipart framing.
MAX_BODY_BYTES = MAX_FRAMES_BYTES + 64 * 1024


class ChallengeIn(Schema):
    checkpoint: str = Field("", max_length=32)


class ChallengeOut(Schema):
    nonce: str
    instruction: str
    expires_at: datetime
    server_time: datetime


class CheckinPayload(Schema):
    nonce: str = Field(min_length=1, max_length=64)
    checkpoint: str = Field(min_length=1, max_length=32)
    idempotency_key: str = Field(min_length=8, max_length=64, pattern=r"^[A-Za-z0-9_-]+$")
    latitude: float = Field(ge=-90, le=90)
    longitude: float = Field(ge=-180, le=180)
    accuracy_m: float = Field(ge=0, le=1_000_000)
    device_time: datetime | None = None
    mock_location: bool | None = None

    @field_validator("device_time")
    @classmethod
    def _aware(cls, value: datetime | None) -> datetime | None:
        if value is not None and value.tzinfo is None:
            raise ValueError("device_time needs a UTC offset")
        return value


class Reason(Schema):
    code: str
    detail: str


class CheckinOut(Schema):
    id: int
    status: str
    at: datetime
    checkpoint: str
    reasons: list[Reason]
    site: str
    distance_m: int | None


class ChainOut(Schema):
    seq: int
    head: str


class OfflineOut(CheckinOut):
    chain: ChainOut


def _multipart(request: HttpRequest, field: str) -> tuple[Any, list[bytes]]:
    """The JSON field and the frames of a multipart body, the size checked first."""
    try:
        length = int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        length = 0
    if length > MAX_BODY_BYTES:
        raise UploadTooLarge(f"Kiriman terlalu besar ({length} bita; batas {MAX_BODY_BYTES} bita).")
    if not request.content_type.startswith("multipart/form-data") or length <= 0:
        raise CheckinInvalid("Kirim multipart/form-data dengan Content-Length.")
    body = request.read(length)
    if len(body) != length:
        raise CheckinInvalid("Kiriman terputus sebelum lengkap.")
    try:
        parts = multipart_parts(body, multipart_boundary(request.META.get("CONTENT_TYPE", "")))
    except MultipartError as exc:
        raise CheckinInvalid(f"Kiriman multipart rusak: {exc}.") from exc
    raw = next((p.data for p in parts if p.name == field and p.filename is None), None)
    if not raw:
        raise CheckinInvalid(f"Bagian '{field}' (JSON) wajib ada.")
    try:
        data = json.loads(raw)
    except ValueError as exc:
        raise CheckinInvalid(f"Bagian '{field}' bukan JSON yang sah.") from exc
    blobs = [p.data for p in parts if p.name == "frames" and p.filename is not None]
    if len(blobs) > MAX_FRAMES:
        raise CheckinInvalid(f"Paling banyak {MAX_FRAMES} foto.")
    if any(len(blob) > MAX_FRAME_BYTES for blob in blobs):
        raise UploadTooLarge("Satu foto terlalu besar (maksimal 512 KiB).")
    return data, blobs


def _validation(exc: ValidationError) -> CheckinInvalid:
    return CheckinInvalid(
        "Data absen tidak sah: "
        + "; ".join(f"{'.'.join(map(str, e['loc']))}: {e['msg']}" for e in exc.errors())
    )


MULTIPART_DOC = {
    "requestBody": {
        "required": True,
        "content": {
            "multipart/form-data": {
                "schema": {
                    "type": "object",
                    "required": ["payload", "frames"],
                    "properties": {
                        "payload": {
                            "type": "string",
                            "description": "JSON: CheckinPayload",
                        },
                        "frames": {
                            "type": "array",
                            "items": {"type": "string", "format": "binary"},
                            "minItems": 3,
                            "maxItems": 8,
                            "description": "JPEG frames from the camera, each <= 512 KiB",
                        },
                    },
                }
            }
        },
    }
}
OFFLINE_DOC = {
    "requestBody": {
        "required": True,
        "content": {
            "multipart/form-data": {
                "schema": {
                    "type": "object",
                    "required": ["envelope", "frames"],
                    "properties": {
                        "envelope": {
                            "type": "string",
                            "description": 'JSON: {"record", "hash", "signature"}',
                        },
                        "frames": {
                            "type": "array",
                            "items": {"type": "string", "format": "binary"},
                        },
                    },
                }
            }
        },
    }
}


@router.post("/checkins/challenge", response={200: ChallengeOut, **ERRORS})
def challenge(request: HttpRequest, body: ChallengeIn) -> dict[str, Any]:
    """A nonce and a liveness instruction, valid about two minutes, for this device only."""
    now = timezone.now()
    row = challenge_issue(device=request.auth.device, checkpoint=body.checkpoint, now=now)  # type: ignore[attr-defined]
    return {
        "nonce": row.nonce,
        "instruction": row.instruction,
        "expires_at": row.expires_at,
        "server_time": now,
    }


@router.post(
    "/checkins",
    response={200: CheckinOut, 201: CheckinOut, **ERRORS},
    openapi_extra=MULTIPART_DOC,
)
def checkin(request: HttpRequest) -> Status[Any]:
    """An online check-in; the answer comes at once (201, or 200 with the first answer for a
    repeated idempotency key)."""
    device = request.auth.device  # type: ignore[attr-defined]
    from hadir.attendance.checkin import device_usable

    device_usable(device)
    data, blobs = _multipart(request, "payload")
    try:
        payload = CheckinPayload.model_validate(data)
    except ValidationError as exc:
        raise _validation(exc) from exc
    answer, created = checkin_submit(
        device=device,
        sub=Submission(**payload.model_dump()),
        blobs=blobs,
        app_version=app_version_of(request),
        now=timezone.now(),
    )
    return Status(201 if created else 200, answer)


@router.post(
    "/checkins/offline",
    response={200: OfflineOut, 201: OfflineOut, **ERRORS},
    openapi_extra=OFFLINE_DOC,
)
def checkin_offline(request: HttpRequest) -> Status[Any]:
    """One signed offline record, in chain order."""
    device = request.auth.device  # type: ignore[attr-defined]
    from hadir.attendance.checkin import device_usable

    device_usable(device)
    envelope, blobs = _multipart(request, "envelope")
    if not isinstance(envelope, dict):
        raise CheckinInvalid("Amplop harus berupa objek JSON.")
    answer, created = offline_submit(
        device=device,
        envelope=envelope,
        blobs=blobs,
        app_version=app_version_of(request),
        now=timezone.now(),
    )
    return Status(201 if created else 200, answer)
