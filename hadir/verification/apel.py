"""Apel (morning roll call): the operator ticks the unit's employees present; each tick is an
AttendanceEvent at the apel time with checkpoint "apel" and source operator. Taking the roll
call again adds only the newly ticked; events are never removed."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime, time
from typing import Any
from zoneinfo import ZoneInfo

from django.db import transaction

from hadir.attendance.choices import EventSource
from hadir.attendance.models import AttendanceEvent
from hadir.attendance.services import stale_mark
from hadir.audit.services import audit_record
from hadir.core.errors import DomainError
from hadir.org.models import Unit
from hadir.verification.scopes import employees_for_operator

APEL = "apel"


class ApelRefused(DomainError):
    code = "apel_refused"


def apel_present(*, unit: Unit, day: date) -> set[int]:
    """Employees of the unit already recorded at that day's apel."""
    return set(
        AttendanceEvent.objects.filter(
            employee__unit=unit, checkpoint=APEL, dedupe_key__startswith=f"apel:{day.isoformat()}:"
        ).values_list("employee_id", flat=True)
    )


def apel_take(
    *, operator: Any, unit: Unit, day: date, at: time, present_ids: Iterable[int], zone: ZoneInfo
) -> int:
    """Record the ticked employees present at the apel of `day` (local `at`). Returns how many
    new records were written; ticks of employees outside the operator's units are refused."""
    wanted = {int(i) for i in present_ids}
    allowed = set(employees_for_operator(operator).filter(unit=unit).values_list("id", flat=True))
    outside = wanted - allowed
    if outside:
        raise ApelRefused("Ada pegawai di luar unit Anda.", code="forbidden")
    moment = datetime.combine(day, at, tzinfo=zone)
    already = apel_present(unit=unit, day=day)
    fresh = sorted(wanted - already)
    if not fresh:
        return 0
    with transaction.atomic():
        AttendanceEvent.objects.bulk_create(
            [
                AttendanceEvent(
                    employee_id=eid,
                    at=moment,
                    source=EventSource.OPERATOR,
                    checkpoint=APEL,
                    dedupe_key=f"apel:{day.isoformat()}:{eid}",
                    created_by=operator.get_username(),
                    reason="Apel: hadir menurut daftar hadir operator",
                )
                for eid in fresh
            ],
            ignore_conflicts=True,
        )
        stale_mark(region=unit.region, start=day, end=day, employee_ids=fresh)
        audit_record(
            actor=operator.get_username(),
            action="apel.take",
            object_type="Unit",
            object_id=str(unit.pk),
            data={"date": day, "at": at.isoformat(), "present": fresh},
        )
    return len(fresh)
