"""The employee app's reads about the employee, leave requests and push subscriptions."""

from __future__ import annotations

import re
from datetime import date
from typing import Any

from django.http import HttpRequest
from django.utils import timezone
from ninja import File, Form, Query, Router, Schema, Status
from ninja.files import UploadedFile
from pydantic import Field

from hadir.absences.choices import AbsenceType
from hadir.absences.models import Absence
from hadir.attendance.checkin import CheckinInvalid
from hadir.attendance.me import employee_month, employee_today
from hadir.core.errors import DomainError
from hadir.devices.api import ERRORS, ChainOut, device_out
from hadir.devices.app_auth import AppBearer
from hadir.devices.services.phones import ApiError
from hadir.org.services import employee_atasan

router = Router(tags=["me"], auth=AppBearer())


class AbsenceInvalid(ApiError):
    status = 422


class MeDevice(Schema):
    id: int
    status: str
    label: str
    thumbprint: str
    shared: bool
    chain: ChainOut


class MeOut(Schema):
    nip: str | None
    name: str
    unit: str
    atasan: str | None
    region: str
    region_code: str
    device: MeDevice
    consent: dict[str, bool]


class TodayCheckin(Schema):
    id: int
    status: str
    at: str
    reasons: list[dict[str, str]]
    review_status: str


class TodayCheckpoint(Schema):
    code: str
    label: str
    kind: str
    opens: str
    due: str | None
    closes: str
    status: str
    checkin: TodayCheckin | None


class TodayOut(Schema):
    date: str
    working_day: bool
    absence: str | None
    checkpoints: list[TodayCheckpoint]
    current: str | None
    server_time: str


class MonthDay(Schema):
    date: str
    status: str
    absence: str | None
    late_minutes: int
    early_minutes: int
    checkpoints: dict[str, str | None]
    deductions: list[dict[str, Any]]


class MonthOut(Schema):
    month: str
    days: list[MonthDay]
    working_days: int
    present_days: int
    deduction_pct: float
    tpp_base: int
    tpp_estimate: int


class MonthQuery(Schema):
    month: str | None = Field(None, pattern=r"^\d{4}-(0[1-9]|1[0-2])$")


class AbsenceOut(Schema):
    id: int
    type: str
    start_date: date
    end_date: date
    status: str
    reason: str
    channel: str
    has_document: bool


class AbsenceIn(Schema):
    type: AbsenceType
    start_date: date
    end_date: date
    reason: str = Field(min_length=1, max_length=2000)


class PushKeys(Schema):
    p256dh: str = Field(min_length=1, max_length=200)
    auth: str = Field(min_length=1, max_length=100)


class PushIn(Schema):
    endpoint: str = Field(min_length=8, max_length=500, pattern=r"^https://")
    keys: PushKeys


class PushOut(Schema):
    id: int
    active: bool


def _consent(employee: Any) -> dict[str, bool]:
    """Consent flags kept by the biometrics app; false while that app has none."""
    from django.apps import apps

    if not apps.is_installed("hadir.biometrics"):
        return {"biometric": False}
    from hadir.biometrics.services import consent_open

    return {"biometric": consent_open(employee) is not None}


@router.get("/me", response={200: MeOut, **ERRORS})
def me(request: HttpRequest) -> dict[str, Any]:
    device = request.auth.device  # type: ignore[attr-defined]
    employee = device.employee
    atasan = employee_atasan(employee)
    return {
        "nip": employee.nip,
        "name": employee.name,
        "unit": employee.unit.name,
        "atasan": atasan.name if atasan else None,
        "region": employee.region.name,
        "region_code": employee.region.code,
        "device": device_out(device),
        "consent": _consent(employee),
    }


@router.get("/me/today", response={200: TodayOut, **ERRORS})
def today(request: HttpRequest) -> dict[str, Any]:
    employee = request.auth.device.employee  # type: ignore[attr-defined]
    return employee_today(employee=employee, now=timezone.now())


@router.get("/me/month", response={200: MonthOut, **ERRORS})
def month(request: HttpRequest, query: Query[MonthQuery]) -> dict[str, Any]:
    employee = request.auth.device.employee  # type: ignore[attr-defined]
    if query.month:
        first = date.fromisoformat(f"{query.month}-01")
    else:
        first = timezone.now().date().replace(day=1)
    return employee_month(employee=employee, month=first)


def _absence_out(a: Absence) -> dict[str, Any]:
    return {
        "id": a.pk,
        "type": a.type,
        "start_date": a.start_date,
        "end_date": a.end_date,
        "status": a.status,
        "reason": a.reason,
        "channel": a.channel,
        "has_document": bool(a.document),
    }


@router.get("/me/absences", response={200: list[AbsenceOut], **ERRORS})
def absences(request: HttpRequest) -> list[dict[str, Any]]:
    employee = request.auth.device.employee  # type: ignore[attr-defined]
    rows = Absence.objects.filter(employee=employee).order_by("-start_date", "-id")[:100]
    return [_absence_out(a) for a in rows]


# `File[UploadedFile] | None` is never filled by ninja; an explicit default is.
OPTIONAL_DOCUMENT = File(None)


@router.post("/me/absences", response={201: AbsenceOut, **ERRORS})
def absence_create(
    request: HttpRequest, body: Form[AbsenceIn], document: UploadedFile | None = OPTIONAL_DOCUMENT
) -> Status[Any]:
    """A leave or permission request, stored pending (channel app) for the atasan."""
    from hadir.absences.services import absence_request

    employee = request.auth.device.employee  # type: ignore[attr-defined]
    if body.end_date < body.start_date:
        raise CheckinInvalid("Tanggal selesai tidak boleh sebelum tanggal mulai.")
    try:
        row = absence_request(
            employee=employee,
            kind=body.type,
            start=body.start_date,
            end=body.end_date,
            reason=body.reason,
            requested_by=employee.user,
            document=document,
        )
    except DomainError as exc:  # bad dates, overlap, a missing sick note: the input's fault
        raise AbsenceInvalid(exc.message, code=exc.code) from exc
    return Status(201, _absence_out(row))


@router.post("/me/push-subscriptions", response={201: PushOut, **ERRORS})
def push_subscribe(request: HttpRequest, body: PushIn) -> Status[Any]:
    """Register this browser's Web Push subscription for checkpoint reminders."""
    from hadir.notify.services import push_subscription_register

    employee = request.auth.device.employee  # type: ignore[attr-defined]
    if not re.fullmatch(r"[A-Za-z0-9_=-]+", body.keys.p256dh + body.keys.auth):
        raise CheckinInvalid("Kunci langganan push tidak sah.")
    sub = push_subscription_register(
        employee=employee, endpoint=body.endpoint, p256dh=body.keys.p256dh, auth=body.keys.auth
    )
    return Status(201, {"id": sub.pk, "active": sub.active})
