"""Rows for the biometrics and integrity tests: devices, check-ins with stored frames, users."""

from __future__ import annotations

import itertools
from collections.abc import Sequence
from datetime import datetime, timedelta

from django.contrib.auth import get_user_model
from django.core.files.base import ContentFile
from django.utils import timezone

from hadir.attendance.models import CheckIn, CheckInFrame
from hadir.devices.models import EmployeeDevice
from hadir.org.choices import Role
from hadir.org.models import Employee, Region, RoleAssignment

_seq = itertools.count(1)
# A point inside Kantor Bupati Kutai Timur, measured (seven decimals).
LAT, LON = 0.5021347, 117.1536123


def employee(nip: str) -> Employee:
    return Employee.objects.select_related("region", "unit").get(nip=nip)


def device(
    emp: Employee, *, thumbprint: str | None = None, age_days: float = 60, status: str = "active"
) -> EmployeeDevice:
    dev = EmployeeDevice.objects.create(
        employee=emp,
        thumbprint=thumbprint or f"thumb-{emp.pk}-{next(_seq)}",
        public_key={"kty": "EC"},
        label="test",
        platform="web",
        status=status,
    )
    EmployeeDevice.objects.filter(pk=dev.pk).update(
        created_at=timezone.now() - timedelta(days=age_days)
    )
    dev.refresh_from_db()
    return dev


def checkin(
    emp: Employee,
    frames: Sequence[bytes] = (),
    *,
    dev: EmployeeDevice | None = None,
    instruction: str = "blink",
    at: datetime | None = None,
    latitude: float | None = LAT,
    longitude: float | None = LON,
    accuracy_m: float | None = 12.5,
    mock_location: bool | None = None,
    reasons: Sequence[dict[str, str]] = (),
    status: str = "accepted",
) -> CheckIn:
    at = at or timezone.now()
    dev = dev or emp.app_devices.filter(status="active").first() or device(emp)
    record = CheckIn.objects.create(
        employee=emp,
        device=dev,
        checkpoint="masuk",
        idempotency_key=f"key-{next(_seq)}",
        at=at,
        received_at=at,
        device_time=at,
        latitude=latitude,
        longitude=longitude,
        accuracy_m=accuracy_m,
        mock_location=mock_location,
        status=status,
        reasons=list(reasons),
        instruction=instruction,
    )
    for index, data in enumerate(frames):
        frame = CheckInFrame(checkin=record, index=index, sha256=f"{index:064d}", size=len(data))
        frame.image.save(f"{index}.jpg", ContentFile(data), save=False)
        frame.save()
    return record


def user(
    username: str,
    *,
    emp: Employee | None = None,
    role: str | None = None,
    region: Region | None = None,
) -> object:
    u = get_user_model().objects.create_user(username=username, password="x-Secret-123")
    if emp is not None:
        Employee.objects.filter(pk=emp.pk).update(user=u)
    if role is not None:
        RoleAssignment.objects.create(user=u, role=Role(role), region=region)
    return u
