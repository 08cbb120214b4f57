"""The monthly recap and TPP (CONTRACT.md section 5), built from employee-days only."""

from __future__ import annotations

import calendar as _calendar
from collections import defaultdict
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from hadir.attendance.selectors import StoredDay, stored_days
from hadir.attendance.services import day_result_of, days_resolve, stale_resolve
from hadir.core.errors import DomainError
from hadir.org.models import Region, Unit
from hadir.org.selectors import employees_in_scope, region_get
from hadir.tpp.models import ManipulationFinding
from hadir.tpp.rules import MonthSummary, attendance_rate, summarize_month
from hadir.tpp.selectors import RuleBook

RATE_PLACES = Decimal("0.001")


def month_bounds(month: date) -> tuple[date, date]:
    last = _calendar.monthrange(month.year, month.month)[1]
    return month.replace(day=1), month.replace(day=last)


def _rate(value: Decimal | None) -> float | None:
    if value is None:
        return None
    return float(value.quantize(RATE_PLACES, rounding=ROUND_HALF_UP))


def _pct(value: Decimal) -> float | int:
    return int(value) if value == value.to_integral_value() else float(value)


def _day_json(row: StoredDay) -> dict[str, Any]:
    day: dict[str, Any] = {
        "date": row.date.isoformat(),
        "status": row.status,
        "late_minutes": row.late_minutes,
        "early_minutes": row.early_minutes,
        "checkpoints": row.checkpoints,
        "deductions": [{"code": code, "pct": _pct(Decimal(pct))} for code, pct in row.deductions],
    }
    if row.absence:
        day["absence"] = row.absence
    if row.schedule_code:
        day["schedule"] = row.schedule_code
    return day


def recap_build(
    *, region: Region, month: date, unit: Unit | None = None, days: bool = True
) -> dict[str, Any]:
    """The recap of CONTRACT.md section 5; `days=False` leaves out each employee's days (the
    TPP sheet page and the payroll sheet do not show them)."""
    start, end = month_bounds(month)
    book = RuleBook(region)
    month_rules = book.in_force(start).rules.tpp
    stale_resolve(region=region, start=start, end=end)
    employees = list(employees_in_scope(region, unit).select_related("unit").order_by("key"))
    ids = [e.id for e in employees]
    by_employee: dict[int, list[StoredDay]] = defaultdict(list)
    for day in stored_days(employee_ids=ids, start=start, end=end):
        by_employee[day.employee_id].append(day)
    days_in_month = (end - start).days + 1
    incomplete = [e.id for e in employees if len(by_employee[e.id]) != days_in_month]
    if incomplete:  # never expected: every change marks its days stale; resolve to be safe
        days_resolve(region=region, start=start, end=end, employee_ids=incomplete)
        for eid in incomplete:
            by_employee[eid] = []
        for day in stored_days(employee_ids=incomplete, start=start, end=end):
            by_employee[day.employee_id].append(day)
    manipulated = set(
        ManipulationFinding.objects.filter(employee_id__in=ids, month=start).values_list(
            "employee_id", flat=True
        )
    )
    out_employees = []
    summaries_by_unit: dict[int, list[MonthSummary]] = defaultdict(list)
    for emp in employees:
        rows = by_employee[emp.id]
        summary = summarize_month(
            days=[day_result_of(r) for r in rows],
            rules=month_rules,
            tpp_base=emp.tpp_base,
            manipulation=emp.id in manipulated,
        )
        summaries_by_unit[emp.unit_id].append(summary)
        out_employees.append(
            {
                "nip": emp.nip,
                "id": emp.key,
                "name": emp.name,
                "unit_id": emp.unit.code,
                "working_days": summary.working_days,
                "present_days": summary.present_days,
                "absent_days": summary.absent_days,
                "excused_days": summary.excused_days,
                "late": summary.late,
                "early": summary.early,
                "missed_checkpoints": summary.missed_checkpoints,
                "apel_missed": summary.apel_missed,
                "absences": summary.absences,
                "month_deductions": [
                    {"code": d.code, "pct": _pct(d.pct)} for d in summary.month_deductions
                ],
                "deduction_pct": _pct(summary.deduction_pct),
                "tpp_base": summary.tpp_base,
                "tpp_paid": summary.tpp_paid,
                "manipulation": summary.manipulation,
                "days": [_day_json(r) for r in rows] if days else [],
            }
        )
    units = Unit.objects.filter(region=region).select_related("parent")
    if unit is not None:
        units = units.filter(path__startswith=unit.path)
    units = list(units.order_by("path"))
    # Each employee's summary counts for their unit and for every unit above it.
    subtree: dict[int, list[MonthSummary]] = defaultdict(list)
    for u in units:
        for ancestor_id in _path_ids(u.path):
            subtree[ancestor_id].extend(summaries_by_unit.get(u.id, []))
    out_units = [
        {
            "unit_id": u.code,
            "name": u.name,
            "parent_id": u.parent.code if u.parent else None,
            "employees": len(summaries_by_unit.get(u.id, [])),
            "attendance_rate": _rate(attendance_rate(summaries_by_unit.get(u.id, []))),
            "subtree_employees": len(subtree[u.id]),
            "subtree_attendance_rate": _rate(attendance_rate(subtree[u.id])),
        }
        for u in units
    ]
    return {
        "region": region.code,
        "month": f"{start:%Y-%m}",
        "employees": out_employees,
        "units": out_units,
    }


def _path_ids(path: str) -> list[int]:
    return [int(part) for part in path.strip("/").split("/") if part]


def recap_export(*, month: date, region_code: str | None, unit_code: str | None, fmt: str) -> bytes:
    region = region_get(region_code)
    unit = None
    if unit_code:
        unit = Unit.objects.filter(region=region, code=unit_code).first()
        if unit is None:
            raise DomainError(
                f"unknown unit {unit_code!r} in region {region.code}", code="unknown_unit"
            )
    data = recap_build(region=region, month=month, unit=unit)
    from hadir.reports import exports

    if fmt == "json":
        return exports.to_json(data)
    if fmt == "csv":
        return exports.to_csv(data)
    if fmt == "xlsx":
        return exports.to_xlsx(data)
    if fmt == "pdf":
        from django.utils import timezone

        from hadir.reports.letterhead import letterhead_for

        today = timezone.localdate()
        return exports.to_pdf(data, letterhead_for(region=region, unit=unit, today=today))
    raise DomainError(f"unknown format {fmt!r}", code="unknown_format")
