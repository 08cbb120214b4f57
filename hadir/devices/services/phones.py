"""The employee app's side of the devices app: login with NIP and password, the device key
binding, bearer tokens (stored as SHA-256 only), the operator's approval of a device change,
and the region's minimum app version.

Passwords are checked with `user.check_password` (not `authenticate`: django-axes guards the
staff logins); the app's own limit is 5 failures in 15 minutes per NIP and per IP, counted in
the database so that every web process sees the same count.
"""

from __future__ import annotations

import base64
import hashlib
import json
import re
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from cryptography.hazmat.primitives.asymmetric import ec
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone

from hadir.audit.services import audit_record
from hadir.core.errors import DomainError
from hadir.devices.choices import DeviceStatus
from hadir.devices.models import AppVersionPolicy, DeviceToken, EmployeeDevice, LoginFailure
from hadir.org.models import Employee, Region

LOGIN_MAX_FAILURES = 5
LOGIN_WINDOW = timedelta(minutes=15)


class ApiError(DomainError):
    """A domain error with the HTTP status the JSON API answers it with."""

    status = 400


class InvalidCredentials(ApiError):
    code, status = "invalid_credentials", 401


class TooManyAttempts(ApiError):
    code, status = "too_many_attempts", 429


class Unauthorized(ApiError):
    code, status = "unauthorized", 401


class DevicePending(ApiError):
    code, status = "device_pending", 403


class DeviceRevoked(ApiError):
    code, status = "device_revoked", 403


class AppOutdated(ApiError):
    code, status = "app_outdated", 426


class InvalidKey(ApiError):
    code, status = "validation_error", 422


# --- keys --------------------------------------------------------------------------------


def b64url_decode(text: str) -> bytes:
    if not isinstance(text, str) or not re.fullmatch(r"[A-Za-z0-9_-]*", text):
        raise ValueError("not base64url")
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def public_key_of(jwk: dict[str, Any]) -> ec.EllipticCurvePublicKey:
    """The P-256 public key of a JWK; InvalidKey when it is not one (or not on the curve)."""
    try:
        if jwk.get("kty") != "EC" or jwk.get("crv") != "P-256":
            raise ValueError("kty must be EC and crv P-256")
        x, y = b64url_decode(jwk["x"]), b64url_decode(jwk["y"])
        if len(x) != 32 or len(y) != 32:
            raise ValueError("x and y must be 32 bytes")
        return ec.EllipticCurvePublicNumbers(
            int.from_bytes(x, "big"), int.from_bytes(y, "big"), ec.SECP256R1()
        ).public_key()
    except (KeyError, TypeError, ValueError) as exc:
        raise InvalidKey(f"Kunci perangkat tidak sah: {exc}") from exc


def jwk_thumbprint(jwk: dict[str, Any]) -> str:
    """RFC 7638: SHA-256 of the required members in lexicographic order, base64url."""
    members = {"crv": jwk["crv"], "kty": jwk["kty"], "x": jwk["x"], "y": jwk["y"]}
    body = json.dumps(members, sort_keys=True, separators=(",", ":")).encode()
    return b64url(hashlib.sha256(body).digest())


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


# --- app versions ------------------------------------------------------------------------


def parse_version(text: str | None) -> tuple[int, ...] | None:
    match = re.fullmatch(r"\s*v?(\d+)(?:\.(\d+))?(?:\.(\d+))?(?:[-+].*)?\s*", text or "")
    if not match:
        return None
    return tuple(int(part or 0) for part in match.groups())


def app_version_check(*, region: Region, version: str | None, now: datetime) -> str | None:
    """None when the app is recent enough; the minimum version to advertise when it is older
    but the deadline has not passed; AppOutdated after the deadline. A missing or unreadable
    version counts as older than any minimum."""
    if "app_version_policy" in region._state.fields_cache:  # select_related
        policy = getattr(region, "app_version_policy", None)
    else:
        policy = AppVersionPolicy.objects.filter(region=region).first()
    if policy is None:
        return None
    minimum = parse_version(policy.min_version) or (0,)
    have = parse_version(version)
    if have is not None and have >= minimum:
        return None
    if now < policy.deadline:
        return policy.min_version
    shown = version if have is not None else "lama"
    raise AppOutdated(
        f"Versi aplikasi {shown} sudah tidak berlaku. Perbarui aplikasi ke versi "
        f"{policy.min_version} atau lebih baru."
    )


# --- login -------------------------------------------------------------------------------


@dataclass(frozen=True)
class Login:
    token: str
    device: EmployeeDevice
    employee: Employee


def _failures(nip: str, ip: str | None, now: datetime) -> int:
    since = now - LOGIN_WINDOW
    by_nip = LoginFailure.objects.filter(nip=nip, at__gte=since).count()
    by_ip = LoginFailure.objects.filter(ip=ip, at__gte=since).count() if ip else 0
    return max(by_nip, by_ip)


def _fail(nip: str, ip: str | None, now: datetime) -> None:
    with transaction.atomic():
        LoginFailure.objects.filter(at__lt=now - LOGIN_WINDOW).delete()
        LoginFailure.objects.create(nip=nip[:64], ip=ip, at=now)


def employee_login(
    *,
    nip: str,
    password: str,
    jwk: dict[str, Any],
    label: str = "",
    platform: str = "",
    ip: str | None = None,
    app_version: str | None = None,
    now: datetime | None = None,
) -> Login:
    """Check the NIP and password, bind the device key and issue a token for it."""
    now = now or timezone.now()
    nip = nip.strip()
    if _failures(nip, ip, now) >= LOGIN_MAX_FAILURES:
        raise TooManyAttempts(
            "Terlalu banyak percobaan masuk yang gagal. Coba lagi dalam 15 menit."
        )
    employee = (
        Employee.objects.select_related("user", "unit", "region").filter(nip=nip).first()
        if nip
        else None
    )
    user = employee.user if employee is not None else None
    if (
        employee is None
        or not employee.active
        or user is None
        or not user.is_active
        or not user.check_password(password)
    ):
        _fail(nip, ip, now)
        raise InvalidCredentials("NIP atau kata sandi salah.")
    app_version_check(region=employee.region, version=app_version, now=now)
    public_key_of(jwk)
    thumbprint = jwk_thumbprint(jwk)
    with transaction.atomic():
        device = _bind(employee, thumbprint, jwk, label, platform, now)
        token = secrets.token_urlsafe(32)
        DeviceToken.objects.create(device=device, token_hash=token_hash(token), last_used_at=now)
        audit_record(
            actor=user.get_username(),
            action="device.login",
            object_type="devices.EmployeeDevice",
            object_id=str(device.pk),
            data={"status": device.status, "shared": device.shared, "ip": ip},
        )
    return Login(token=token, device=device, employee=employee)


def _bind(
    employee: Employee,
    thumbprint: str,
    jwk: dict[str, Any],
    label: str,
    platform: str,
    now: datetime,
) -> EmployeeDevice:
    # One login at a time per employee decides which device is first.
    Employee.objects.select_for_update().filter(pk=employee.pk).first()
    device = EmployeeDevice.objects.filter(employee=employee, thumbprint=thumbprint).first()
    if device is None:
        has_active = EmployeeDevice.objects.filter(
            employee=employee, status=DeviceStatus.ACTIVE
        ).exists()
        others = EmployeeDevice.objects.filter(thumbprint=thumbprint).exclude(employee=employee)
        shared = others.exists()
        try:
            with transaction.atomic():
                device = EmployeeDevice.objects.create(
                    employee=employee,
                    thumbprint=thumbprint,
                    public_key={k: jwk[k] for k in ("kty", "crv", "x", "y")},
                    label=label[:200],
                    platform=platform[:32],
                    status=DeviceStatus.PENDING if has_active else DeviceStatus.ACTIVE,
                    shared=shared,
                    chain_head=genesis_head(thumbprint),
                    decided_at=None if has_active else now,
                    decided_by="" if has_active else "first device",
                )
        except IntegrityError:  # a concurrent first login of the same key
            device = EmployeeDevice.objects.get(employee=employee, thumbprint=thumbprint)
        if shared:
            others.filter(shared=False).update(shared=True)
    device.last_seen_at = now
    device.save(update_fields=["last_seen_at"])
    return device


def genesis_head(thumbprint: str) -> str:
    """The chain head of a device before its first offline record (docs/checkin.md)."""
    return hashlib.sha256(f"hadir-chain:{thumbprint}".encode()).hexdigest()


def token_authenticate(token: str, *, now: datetime | None = None) -> DeviceToken:
    """The live token (with device, employee, unit and region); Unauthorized otherwise, and
    DeviceRevoked for a token of a device that was replaced or revoked."""
    from hadir.devices.services.token_lookup import token_with_context

    row = token_with_context(token_hash(token))  # one query, relations and policy loaded
    if row is None:
        raise Unauthorized("Sesi tidak berlaku. Silakan masuk kembali.")
    device = row.device
    if device.status in (DeviceStatus.RETIRED, DeviceStatus.REVOKED):
        raise DeviceRevoked(
            "Perangkat ini sudah tidak terdaftar untuk akun Anda. Silakan masuk kembali."
        )
    if row.revoked_at is not None or not device.employee.active:
        raise Unauthorized("Sesi tidak berlaku. Silakan masuk kembali.")
    now = now or timezone.now()
    if row.last_used_at is None or now - row.last_used_at > timedelta(minutes=5):
        DeviceToken.objects.filter(pk=row.pk).update(last_used_at=now)
    return row


def token_revoke(*, token: DeviceToken, actor: str) -> None:
    with transaction.atomic():
        DeviceToken.objects.filter(pk=token.pk, revoked_at__isnull=True).update(
            revoked_at=timezone.now()
        )
        audit_record(
            actor=actor,
            action="device.logout",
            object_type="devices.EmployeeDevice",
            object_id=str(token.device_id),
        )


def device_approve(*, device: EmployeeDevice, actor: str) -> EmployeeDevice:
    """The operator approves a pending device: it becomes the employee's active device; the
    one it replaces is retired and its tokens revoked."""
    now = timezone.now()
    with transaction.atomic():
        device = EmployeeDevice.objects.select_for_update().get(pk=device.pk)
        if device.status != DeviceStatus.PENDING:
            raise DomainError("Hanya perangkat yang menunggu yang dapat disetujui.", code="invalid")
        old = list(
            EmployeeDevice.objects.select_for_update()
            .filter(employee_id=device.employee_id, status=DeviceStatus.ACTIVE)
            .values_list("id", flat=True)
        )
        EmployeeDevice.objects.filter(id__in=old).update(
            status=DeviceStatus.RETIRED, decided_at=now, decided_by=actor
        )
        DeviceToken.objects.filter(device_id__in=old, revoked_at__isnull=True).update(
            revoked_at=now
        )
        device.status, device.decided_at, device.decided_by = DeviceStatus.ACTIVE, now, actor
        device.save(update_fields=["status", "decided_at", "decided_by"])
        audit_record(
            actor=actor,
            action="device.approve",
            object_type="devices.EmployeeDevice",
            object_id=str(device.pk),
            data={"employee": device.employee_id, "retired": old},
        )
    return device


def device_revoke(*, device: EmployeeDevice, actor: str) -> EmployeeDevice:
    """Revoke a device (lost phone, employee leaving): its tokens stop working at once."""
    now = timezone.now()
    with transaction.atomic():
        EmployeeDevice.objects.filter(pk=device.pk).update(
            status=DeviceStatus.REVOKED, decided_at=now, decided_by=actor
        )
        DeviceToken.objects.filter(device=device, revoked_at__isnull=True).update(revoked_at=now)
        audit_record(
            actor=actor,
            action="device.revoke",
            object_type="devices.EmployeeDevice",
            object_id=str(device.pk),
            data={"employee": device.employee_id, "was": device.status},
        )
    device.refresh_from_db()
    return device


def employee_tokens_revoke(*, employee: Employee, actor: str) -> int:
    """Every token of an employee (leaving, password reset)."""
    with transaction.atomic():
        count = DeviceToken.objects.filter(
            Q(device__employee=employee), revoked_at__isnull=True
        ).update(revoked_at=timezone.now())
        audit_record(
            actor=actor,
            action="device.tokens_revoke",
            object_type="org.Employee",
            object_id=str(employee.pk),
            data={"tokens": count},
        )
    return count
