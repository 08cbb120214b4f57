"""The employee app's login, logout and configuration (docs/checkin.md)."""

from __future__ import annotations

import os
from typing import Any

from django.conf import settings
from django.http import HttpRequest
from django.utils import timezone
from ninja import Router, Schema, Status
from pydantic import Field

from hadir import __version__
from hadir.devices.app_auth import AppBearer, app_version_of, client_ip
from hadir.devices.services.phones import b64url, employee_login, token_revoke

router = Router(tags=["app"])


class ErrorOut(Schema):
    detail: Any
    code: str


class PublicJwk(Schema):
    kty: str = Field(max_length=8)
    crv: str = Field(max_length=16)
    x: str = Field(max_length=64)
    y: str = Field(max_length=64)


class DeviceIn(Schema):
    public_key: PublicJwk
    label: str = Field("", max_length=200)
    platform: str = Field("", max_length=32)


class LoginIn(Schema):
    nip: str = Field(min_length=1, max_length=64)
    password: str = Field(min_length=1, max_length=256)
    device: DeviceIn


class ChainOut(Schema):
    seq: int
    head: str


class DeviceOut(Schema):
    id: int
    status: str
    label: str
    thumbprint: str
    shared: bool
    chain: ChainOut


class EmployeeBrief(Schema):
    nip: str | None
    name: str
    unit: str


class LoginOut(Schema):
    token: str
    employee: EmployeeBrief
    device: DeviceOut


class LimitsOut(Schema):
    min_frames: int
    max_frames: int
    max_frame_bytes: int
    max_frames_bytes: int


class ConfigOut(Schema):
    server_time: str
    app_version: str
    vapid_public_key: str
    limits: LimitsOut


def device_out(device: Any) -> dict[str, Any]:
    return {
        "id": device.pk,
        "status": device.status,
        "label": device.label,
        "thumbprint": device.thumbprint,
        "shared": device.shared,
        "chain": {"seq": device.chain_seq, "head": device.chain_head},
    }


ERRORS = {401: ErrorOut, 403: ErrorOut, 413: ErrorOut, 422: ErrorOut, 426: ErrorOut, 429: ErrorOut}


@router.post("/auth/login", response={200: LoginOut, **ERRORS}, auth=None)
def login(request: HttpRequest, body: LoginIn) -> dict[str, Any]:
    """NIP and password; binds the device key and answers a token (shown once)."""
    done = employee_login(
        nip=body.nip,
        password=body.password,
        jwk=body.device.public_key.dict(),
        label=body.device.label,
        platform=body.device.platform,
        ip=client_ip(request),
        app_version=app_version_of(request),
    )
    employee = done.employee
    return {
        "token": done.token,
        "employee": {"nip": employee.nip, "name": employee.name, "unit": employee.unit.name},
        "device": device_out(done.device),
    }


@router.post("/auth/logout", response={204: None, **ERRORS}, auth=AppBearer())
def logout(request: HttpRequest) -> Status[Any]:
    token = request.auth  # type: ignore[attr-defined]
    token_revoke(token=token, actor=token.device.employee.key)
    return Status(204, None)


def vapid_public_key() -> str:
    """The VAPID public key (base64url, uncompressed point) for PushManager.subscribe."""
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric import ec

    raw = settings.HADIR_WEBPUSH.get("vapid_private_key", "")
    if not raw:
        return ""
    try:
        if os.path.exists(raw):
            with open(raw, "rb") as fh:
                key = serialization.load_pem_private_key(fh.read(), password=None)
        else:
            from hadir.devices.services.phones import b64url_decode

            key = ec.derive_private_key(
                int.from_bytes(b64url_decode(raw.strip()), "big"), ec.SECP256R1()
            )
        point = key.public_key().public_bytes(  # type: ignore[union-attr]
            serialization.Encoding.X962, serialization.PublicFormat.UncompressedPoint
        )
    except (ValueError, TypeError, OSError):
        return ""
    return b64url(point)


@router.get("/app/config", response=ConfigOut, auth=None)
def config(request: HttpRequest) -> dict[str, Any]:
    """No token needed: nothing about any employee or region."""
    from hadir.attendance.checkin import (
        MAX_FRAME_BYTES,
        MAX_FRAMES,
        MAX_FRAMES_BYTES,
        MIN_FRAMES,
    )

    return {
        "server_time": timezone.now().isoformat(),
        "app_version": __version__,
        "vapid_public_key": vapid_public_key(),
        "limits": {
            "min_frames": MIN_FRAMES,
            "max_frames": MAX_FRAMES,
            "max_frame_bytes": MAX_FRAME_BYTES,
            "max_frames_bytes": MAX_FRAMES_BYTES,
        },
    }
