"""What the employee app shows an employee about themselves: today's checkpoints and the
month with its deductions and TPP estimate. Reads only the employee's own records."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from typing import Any

from hadir.absences.choices import AbsenceStatus
from hadir.absences.models import Absence
from hadir.attendance.checkin import employee_zone
from hadir.attendance.choices import ReviewStatus
from hadir.attendance.models import AttendanceEvent, CheckIn
from hadir.attendance.rules import DayCalendar, plan_day
from hadir.attendance.selectors import stored_days
from hadir.attendance.services import day_result_of, stale_resolve
from hadir.calendars.choices import NON_WORKING_KINDS, CalendarKind
from hadir.calendars.models import CalendarDay, RosterEntry
from hadir.core.errors import DomainError
from hadir.org.models import Employee
from hadir.reports.recap import month_bounds
from hadir.tpp.models import ManipulationFinding
from hadir.tpp.rules import summarize_month
from hadir.tpp.selectors import RuleBook

CHECKPOINT_LABELS = {
    "masuk": "Masuk",
    "ist_out": "Mulai istirahat",
    "ist_in": "Selesai istirahat",
    "pulang": "Pulang",
    "apel": "Apel pagi",
}


def _calendar(employee: Employee, day: date) -> DayCalendar:
    kinds = set(
        CalendarDay.objects.filter(region_id=employee.region_id, date=day).values_list(
            "kind", flat=True
        )
    )
    return DayCalendar(
        holiday=bool(kinds & set(NON_WORKING_KINDS)), ramadan=CalendarKind.RAMADAN in kinds
    )


def _hhmm(at: datetime, tz: Any) -> str:
    return at.astimezone(tz).strftime("%H:%M")


def employee_today(*, employee: Employee, now: datetime) -> dict[str, Any]:
    """Today's checkpoints with their windows and status, and the one to check in now."""
    tz = employee_zone(employee)
    day = now.astimezone(tz).date()
    rules = RuleBook(employee.region).in_force(day).rules
    shift_code = (
        RosterEntry.objects.filter(employee=employee, date=day)
        .values_list("shift_code", flat=True)
        .first()
    )
    try:
        schedule = (
            rules.schedule(employee.schedule_code)
            if employee.schedule_code
            else rules.default_schedule
        )
        shift = rules.schedule(shift_code) if shift_code else None
    except LookupError as exc:  # a schedule code the rule set does not know: the data's fault
        raise DomainError(
            f"Jadwal kerja tidak dikenal dalam aturan wilayah: {exc}", code="unknown_schedule"
        ) from exc
    plan = plan_day(
        day=day,
        schedule=schedule,
        calendar=_calendar(employee, day),
        tz=tz,
        shift=shift,
        rostered_off=shift_code == "",
    )
    absence = (
        Absence.objects.filter(
            employee=employee,
            status=AbsenceStatus.APPROVED,
            start_date__lte=day,
            end_date__gte=day,
        )
        .values_list("type", flat=True)
        .first()
    )
    lo, hi = plan.span()
    events = list(
        AttendanceEvent.objects.filter(employee=employee, at__gte=lo, at__lt=hi)
        .exclude(checkin__review_status=ReviewStatus.REJECTED)
        .order_by("at")
        .values_list("at", "checkpoint")
    )
    checkins: dict[str, CheckIn] = {}
    for row in CheckIn.objects.filter(employee=employee, at__gte=lo, at__lt=hi).order_by("at"):
        checkins[row.checkpoint] = row  # the latest per checkpoint
    out = []
    current = None
    for cp in plan.checkpoints:
        opens, closes = plan.window(cp)
        closes_end = closes + timedelta(minutes=1)
        done = any(
            opens <= at < closes_end and (not code or code == cp.code) for at, code in events
        )
        if done:
            status = "done"
        elif now < opens:
            status = "upcoming"
        elif now < closes_end:
            status = "open"
        else:
            status = "missed"
        if status == "open" and current is None:
            current = cp.code
        row = checkins.get(cp.code)
        due = datetime.combine(day, time(), tzinfo=tz) + timedelta(minutes=cp.due or 0)
        out.append(
            {
                "code": cp.code,
                "label": CHECKPOINT_LABELS.get(cp.code, cp.code),
                "kind": str(cp.kind),
                "opens": _hhmm(opens, tz),
                "due": _hhmm(due, tz) if cp.due is not None else None,
                "closes": _hhmm(closes, tz),
                "status": status,
                "checkin": None
                if row is None
                else {
                    "id": row.pk,
                    "status": row.status,
                    "at": row.at.isoformat(),
                    "reasons": row.reasons,
                    "review_status": row.review_status,
                },
            }
        )
    return {
        "date": day.isoformat(),
        "working_day": plan.working,
        "absence": absence,
        "checkpoints": out,
        "current": current if plan.working and absence is None else None,
        "server_time": now.isoformat(),
    }


def employee_month(*, employee: Employee, month: date) -> dict[str, Any]:
    """The month's days and the TPP estimate, from the same computation as the recap."""
    start, end = month_bounds(month)
    region = employee.region
    stale_resolve(region=region, start=start, end=end)
    rows = list(stored_days(employee_ids=[employee.pk], start=start, end=end))
    if not rows:  # a month never resolved (older than the worker's window)
        from hadir.attendance.services import days_resolve

        days_resolve(region=region, start=start, end=end, employee_ids=[employee.pk])
        rows = list(stored_days(employee_ids=[employee.pk], start=start, end=end))
    rules = RuleBook(region).in_force(start).rules.tpp
    manipulated = ManipulationFinding.objects.filter(employee=employee, month=start).exists()
    summary = summarize_month(
        days=[day_result_of(r) for r in rows],
        rules=rules,
        tpp_base=employee.tpp_base,
        manipulation=manipulated,
    )
    return {
        "month": f"{start:%Y-%m}",
        "days": [
            {
                "date": r.date.isoformat(),
                "status": r.status,
                "absence": r.absence or None,
                "late_minutes": r.late_minutes,
                "early_minutes": r.early_minutes,
                "checkpoints": r.checkpoints,
                "deductions": [{"code": c, "pct": float(p)} for c, p in r.deductions],
            }
            for r in rows
        ],
        "working_days": summary.working_days,
        "present_days": summary.present_days,
        "deduction_pct": float(summary.deduction_pct),
        "tpp_base": summary.tpp_base,
        "tpp_estimate": summary.tpp_paid,
    }
