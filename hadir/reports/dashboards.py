"""Reads behind the staff dashboards: today's live status per OPD, attendance rates per OPD by
day and by month with rankings, and the trend over the last months. Every function takes the
units a user may see (hadir.org.selectors.units_for_user) and reads nothing outside them.

Rates follow CONTRACT.md section 4: present days (absences counting as present included) over
working days less excused days, from the resolved employee-days; the worker resolves changes
within a minute, and the dashboard reads what is resolved (the recap resolves on demand).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.db.models import Count, Min, Q, QuerySet
from django.db.models.functions import TruncMonth

from hadir.absences.choices import AbsenceStatus
from hadir.absences.models import Absence
from hadir.attendance.models import AttendanceEvent, EmployeeDay
from hadir.attendance.rules import DayCalendar, plan_day
from hadir.calendars.choices import NON_WORKING_KINDS
from hadir.calendars.models import CalendarDay
from hadir.org.models import Employee, Region, Unit
from hadir.tpp.ruleset import CheckpointKind
from hadir.tpp.selectors import RuleBook

PRESENT = Q(status="present") | Q(counts_as_present=True)
ABSENT = Q(status="absent")


@dataclass
class OpdRow:
    unit_id: int
    name: str
    employees: int = 0
    checked_in: int = 0
    late: int = 0
    on_leave: int = 0
    absent: int = 0
    present_days: int = 0
    absent_days: int = 0
    days: dict[date, list[int]] = field(default_factory=dict)  # day -> [present, absent]

    @property
    def rate(self) -> float | None:
        total = self.present_days + self.absent_days
        return round(self.present_days / total, 3) if total else None


def opd_of(units: list[tuple[int, int | None, str]]) -> dict[int, int]:
    """Each unit's OPD: the top unit above it, or the unit below a single region root."""
    roots = [u for u in units if u[1] is None]
    level = 1 if len(roots) == 1 and len(units) > 1 else 0
    out: dict[int, int] = {}
    for unit_id, _parent, path in units:
        parts = [int(p) for p in path.strip("/").split("/") if p] or [unit_id]
        out[unit_id] = parts[min(level, len(parts) - 1)]
    return out


def _opd_rows(region: Region, scope: QuerySet[Unit]) -> tuple[dict[int, int], dict[int, OpdRow]]:
    all_units = list(Unit.objects.filter(region=region).values_list("id", "parent_id", "path"))
    names = dict(Unit.objects.filter(region=region).values_list("id", "name"))
    opd = opd_of(all_units)
    in_scope = set(scope.filter(region=region).values_list("id", flat=True))
    mapping = {u: opd[u] for u in in_scope}
    rows = {o: OpdRow(o, names[o]) for o in sorted(set(mapping.values()), key=lambda o: names[o])}
    return mapping, rows


def today_status(*, region: Region, scope: QuerySet[Unit], now: datetime) -> list[OpdRow]:
    """Per OPD: employees, checked in today, late at the first `in` checkpoint, on approved
    leave, and not (yet) in. Five queries whatever the size of the region."""
    zone = ZoneInfo(region.timezone)
    today = now.astimezone(zone).date()
    mapping, rows = _opd_rows(region, scope)
    employees = list(
        Employee.objects.filter(region=region, active=True, unit_id__in=list(mapping)).values_list(
            "id", "unit_id", "schedule_code"
        )
    )
    lo = datetime.combine(today, time.min, tzinfo=zone)
    first_in = dict(
        AttendanceEvent.objects.filter(
            employee__region=region,
            employee__unit_id__in=list(mapping),
            at__gte=lo,
            at__lt=lo + timedelta(days=1),
        )
        .values("employee_id")
        .annotate(first=Min("at"))
        .values_list("employee_id", "first")
    )
    leave = set(
        Absence.objects.filter(
            employee__region=region,
            employee__unit_id__in=list(mapping),
            status=AbsenceStatus.APPROVED,
            start_date__lte=today,
            end_date__gte=today,
        ).values_list("employee_id", flat=True)
    )
    holiday = CalendarDay.objects.filter(
        region=region, date=today, kind__in=list(NON_WORKING_KINDS)
    ).exists()
    rules = RuleBook(region).in_force(today).rules
    due_by_schedule: dict[str, int | None] = {}
    for emp_id, unit_id, schedule_code in employees:
        row = rows[mapping[unit_id]]
        row.employees += 1
        if schedule_code not in due_by_schedule:
            try:
                schedule = rules.schedule(schedule_code) if schedule_code else None
            except LookupError:
                schedule = None
            plan = plan_day(
                day=today,
                schedule=schedule or rules.default_schedule,
                calendar=DayCalendar(holiday=holiday),
                tz=zone,
            )
            dues = [cp.due for cp in plan.checkpoints if cp.kind == CheckpointKind.IN]
            due_by_schedule[schedule_code] = dues[0] if dues else None
        due = due_by_schedule[schedule_code]
        if emp_id in leave:
            row.on_leave += 1
        elif emp_id in first_in:
            row.checked_in += 1
            local = first_in[emp_id].astimezone(zone)
            if due is not None and local.hour * 60 + local.minute > due:
                row.late += 1
        else:
            row.absent += 1
    return [r for r in rows.values() if r.employees]


def month_rates(
    *, region: Region, scope: QuerySet[Unit], start: date, end: date
) -> tuple[list[OpdRow], list[tuple[date, float | None]]]:
    """Per OPD the rate over [start, end] and per day; and the whole scope's rate per day.
    Rows come ranked, best first; OPDs without working days last."""
    mapping, rows = _opd_rows(region, scope)
    counts = (
        EmployeeDay.objects.filter(
            employee__region=region,
            employee__unit_id__in=list(mapping),
            date__gte=start,
            date__lte=end,
        )
        .values("employee__unit_id", "date")
        .annotate(present=Count("id", filter=PRESENT), absent=Count("id", filter=ABSENT))
        .values_list("employee__unit_id", "date", "present", "absent")
    )
    staffed = set(
        Employee.objects.filter(region=region, active=True, unit_id__in=list(mapping))
        .values_list("unit_id", flat=True)
        .distinct()
    )
    staffed = {mapping[u] for u in staffed}
    daily: dict[date, list[int]] = defaultdict(lambda: [0, 0])
    for unit_id, day, present, absent in counts:
        row = rows[mapping[unit_id]]
        row.present_days += present
        row.absent_days += absent
        cell = row.days.setdefault(day, [0, 0])
        cell[0] += present
        cell[1] += absent
        daily[day][0] += present
        daily[day][1] += absent
    series = []
    day = start
    while day <= end:
        p, a = daily.get(day, (0, 0))
        series.append((day, round(p / (p + a), 3) if p + a else None))
        day += timedelta(days=1)
    kept = [r for r in rows.values() if r.present_days + r.absent_days or r.unit_id in staffed]
    ranked = sorted(kept, key=lambda r: (r.rate is None, -(r.rate or 0), r.name))
    return ranked, series


def month_trend(
    *, region: Region, scope: QuerySet[Unit], until: date, months: int = 6
) -> list[tuple[date, float | None]]:
    """The scope's attendance rate per month, the last `months` months up to `until`."""
    first = until.replace(day=1)
    for _ in range(months - 1):
        first = (first - timedelta(days=1)).replace(day=1)
    rows = (
        EmployeeDay.objects.filter(
            employee__region=region,
            employee__unit__in=scope,
            date__gte=first,
            date__lte=until,
        )
        .annotate(month=TruncMonth("date"))
        .values("month")
        .annotate(present=Count("id", filter=PRESENT), absent=Count("id", filter=ABSENT))
        .values_list("month", "present", "absent")
    )
    by_month = {(m.date() if isinstance(m, datetime) else m): (p, a) for m, p, a in rows}
    out = []
    month = first
    while month <= until:
        p, a = by_month.get(month, (0, 0))
        out.append((month, round(p / (p + a), 3) if p + a else None))
        month = (month.replace(day=28) + timedelta(days=4)).replace(day=1)
    return out
