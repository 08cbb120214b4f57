"""Writes of the attendance app: staleness marks and resolving employee-days.

Every change that can alter an employee-day (an event, an absence, a calendar day, a rule set,
an employee's unit or schedule, a unit's time zone) marks the affected range stale in the same
transaction. Stale ranges are resolved by the worker shortly after, and always by a recap for
its own month before it reads, so a recap never reads a day computed from old inputs.
"""

from __future__ import annotations

import bisect
import json
import logging
import time as time_module
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal

from django.db import connection, transaction
from django.db.models import Q
from django.utils import timezone

from hadir.absences.choices import AbsenceStatus
from hadir.absences.models import Absence
from hadir.attendance.choices import ReviewStatus
from hadir.attendance.models import AttendanceEvent, EmployeeDay, StaleRange
from hadir.attendance.rules import (
    DayCalendar,
    DayResult,
    DayStatus,
    Deduction,
    Event,
    plan_day,
    resolve_day,
)
from hadir.attendance.selectors import StoredDay
from hadir.calendars.choices import NON_WORKING_KINDS, CalendarKind
from hadir.calendars.models import CalendarDay, RosterEntry
from hadir.core.errors import DomainError
from hadir.org.models import Employee, Region
from hadir.org.selectors import unit_timezones
from hadir.tpp.selectors import RuleBook

log = logging.getLogger(__name__)

# "All dates" for marks that are not tied to a range (a new employee, a base rule set).
ALL_START = date(2000, 1, 1)
ALL_END = date(2099, 12, 31)
EMPLOYEE_CHUNK = 1000
COPY_FROM = 50  # marks for more employees than this go by COPY (one check-in: one INSERT)


_last_kick = 0.0


def _kick_resolver() -> None:
    """Ask the worker to resolve stale days soon; a broker that is down only delays it, since
    the scheduler also runs the resolver every minute and recaps resolve what they read."""
    global _last_kick
    from hadir.attendance.tasks import resolve_stale_days

    now = time_module.monotonic()
    if now - _last_kick < 1.0:  # one kick covers every mark of a burst of commits
        return
    _last_kick = now
    try:
        resolve_stale_days.apply_async(countdown=2, retry=False)
    except Exception as exc:  # the change is committed; the stale marks are durable
        log.warning("could not queue the day resolver: %s", exc)


def stale_mark(
    *, region: Region, start: date, end: date, employee_ids: Iterable[int] | None = None
) -> None:
    """Mark days stale: for the given employees, or for the whole region when None."""
    if end < start:
        start, end = end, start
    ids = set(employee_ids) if employee_ids is not None else set()
    if employee_ids is None:
        StaleRange.objects.create(region=region, start=start, end=end)
    elif connection.vendor == "postgresql" and len(ids) > COPY_FROM:
        _copy_stale(region, start, end, ids)
    else:
        StaleRange.objects.bulk_create(
            [StaleRange(region=region, employee_id=eid, start=start, end=end) for eid in ids],
            batch_size=2000,
        )
    stale_written()


def stale_written() -> None:
    """Kick the resolver once the marks written in this transaction commit (call it after
    writing `StaleRange` rows by other means than `stale_mark`)."""
    transaction.on_commit(_kick_resolver, robust=True)


def _copy_stale(region: Region, start: date, end: date, employee_ids: set[int]) -> None:
    """COPY the marks: a machine's upload marks hundreds of employees many times a minute,
    and bulk_create spends most of that preparing each value."""
    qn = connection.ops.quote_name
    columns = ", ".join(qn(c) for c in ("region_id", "employee_id", "start", "end", "created_at"))
    sql = f"COPY {qn(StaleRange._meta.db_table)} ({columns}) FROM STDIN"
    now = timezone.now()
    with connection.cursor() as cursor, cursor.cursor.copy(sql) as copy:
        for eid in sorted(employee_ids):
            copy.write_row((region.pk, eid, start, end, now))


def stale_mark_spans(*, region: Region, spans: dict[int, tuple[datetime, datetime]]) -> None:
    """Mark each employee's days around new events: `spans` maps an employee to the first and
    last new event (UTC). Days run from one before the first to one after the last, in UTC
    dates widened by a day on each side, which covers every time zone."""
    by_range: dict[tuple[date, date], list[int]] = defaultdict(list)
    day = timedelta(days=1)
    for employee_id, (lo, hi) in spans.items():
        by_range[(lo.date() - day, hi.date() + day)].append(employee_id)
    for (start, end), employee_ids in sorted(by_range.items()):
        stale_mark(region=region, start=start, end=end, employee_ids=employee_ids)


@dataclass
class _Inputs:
    rulebook: RuleBook
    calendar: dict[date, DayCalendar]
    roster: dict[tuple[int, date], str]
    absences: dict[int, list[tuple[date, date, str]]]
    events: dict[int, list[Event]]


def _calendar(region: Region, start: date, end: date) -> dict[date, DayCalendar]:
    holidays: set[date] = set()
    ramadan: set[date] = set()
    for day, kind in CalendarDay.objects.filter(
        region=region, date__gte=start, date__lte=end
    ).values_list("date", "kind"):
        if kind in NON_WORKING_KINDS:
            holidays.add(day)
        elif kind == CalendarKind.RAMADAN:
            ramadan.add(day)
    return {d: DayCalendar(holiday=d in holidays, ramadan=d in ramadan) for d in holidays | ramadan}


def _load_inputs(region: Region, employee_ids: Sequence[int], start: date, end: date) -> _Inputs:
    roster = {
        (eid, day): code
        for eid, day, code in RosterEntry.objects.filter(
            employee_id__in=employee_ids, date__gte=start, date__lte=end
        ).values_list("employee_id", "date", "shift_code")
    }
    absences: dict[int, list[tuple[date, date, str]]] = defaultdict(list)
    for eid, a_start, a_end, a_type in (
        Absence.objects.filter(
            employee_id__in=employee_ids,
            status=AbsenceStatus.APPROVED,
            start_date__lte=end,
            end_date__gte=start,
        )
        .order_by("start_date", "id")
        .values_list("employee_id", "start_date", "end_date", "type")
    ):
        absences[eid].append((a_start, a_end, a_type))
    # A day's span can reach 47:59 past its own midnight (night shifts), in any UTC offset.
    lo = datetime.combine(start - timedelta(days=1), time.min, tzinfo=UTC)
    hi = datetime.combine(end + timedelta(days=3), time.min, tzinfo=UTC)
    events: dict[int, list[Event]] = defaultdict(list)
    # Events of check-ins the atasan rejected do not count (pending ones do).
    for eid, at, checkpoint in (
        AttendanceEvent.objects.filter(employee_id__in=employee_ids, at__gte=lo, at__lt=hi)
        .exclude(checkin__review_status=ReviewStatus.REJECTED)
        .order_by("employee_id", "at", "id")
        .values_list("employee_id", "at", "checkpoint")
        .iterator(chunk_size=20000)
    ):
        events[eid].append(Event(at=at, checkpoint=checkpoint or None))
    return _Inputs(
        rulebook=RuleBook(region),
        calendar=_calendar(region, start, end),
        roster=roster,
        absences=absences,
        events=events,
    )


def _approved_absence(spans: list[tuple[date, date, str]], day: date) -> str | None:
    for a_start, a_end, a_type in spans:
        if a_start <= day <= a_end:
            return a_type
    return None


def _dates(start: date, end: date) -> list[date]:
    return [start + timedelta(days=i) for i in range((end - start).days + 1)]


def _resolve_chunk(
    region: Region,
    employees: Sequence[tuple[int, int, str, str]],
    start: date,
    end: date,
    zones: dict,  # unit id -> ZoneInfo
) -> list[tuple]:
    ids = [e[0] for e in employees]
    inputs = _load_inputs(region, ids, start, end)
    rows: list[tuple] = []
    no_calendar = DayCalendar()
    days = _dates(start, end)
    for emp_id, unit_id, schedule_code, key in employees:
        tz = zones[unit_id]
        events = inputs.events.get(emp_id, [])
        stamps = [e.at.timestamp() for e in events]
        spans = inputs.absences.get(emp_id, [])
        # A night shift's span runs into the next morning; those events are that shift's, so
        # the next day's span starts where the previous working day's ended.
        previous_end = None
        for day in days:
            version = inputs.rulebook.in_force(day)
            rules = version.rules
            try:
                schedule = (
                    rules.schedule(schedule_code) if schedule_code else rules.default_schedule
                )
                shift_code = inputs.roster.get((emp_id, day))
                shift = rules.schedule(shift_code) if shift_code else None
            except LookupError as exc:
                raise DomainError(
                    f"employee {key} on {day.isoformat()}: {exc}", code="unknown_schedule"
                ) from exc
            plan = plan_day(
                day=day,
                schedule=schedule,
                calendar=inputs.calendar.get(day, no_calendar),
                tz=tz,
                shift=shift,
                rostered_off=shift_code == "",
            )
            lo, hi = plan.span()
            if previous_end is not None and previous_end > lo:
                lo = previous_end
            previous_end = hi if plan.checkpoints else None
            first = bisect.bisect_left(stamps, lo.timestamp())
            day_events = events[first : bisect.bisect_left(stamps, hi.timestamp(), first)]
            result = resolve_day(
                plan=plan,
                events=day_events,
                absence=_approved_absence(spans, day),
                rules=rules.tpp,
            )
            rows.append(_row(emp_id, result, plan.schedule_code, version.version_id))
    return rows


DAY_COLUMNS = (
    "employee_id",
    "date",
    "status",
    "absence",
    "counts_as_present",
    "schedule_code",
    "late_minutes",
    "early_minutes",
    "late_tiers",
    "early_tiers",
    "missed_marks",
    "missed_apel",
    "checkpoints",
    "deductions",
    "rule_set_id",
    "resolved_at",
)
JSON_COLUMNS = frozenset({"late_tiers", "early_tiers", "checkpoints", "deductions"})


def _row(emp_id: int, r: DayResult, schedule_code: str | None, version_id: int) -> tuple:
    """One employee-day as a tuple in DAY_COLUMNS order (resolved_at is added on write)."""
    return (
        emp_id,
        r.day,
        str(r.status),
        r.absence or "",
        r.counts_as_present,
        schedule_code or "",
        r.late_minutes,
        r.early_minutes,
        list(r.late_tiers),
        list(r.early_tiers),
        r.missed_marks,
        r.missed_apel,
        dict(r.checkpoints),
        [[d.code, str(d.pct)] for d in r.deductions],
        version_id,
    )


def _write_days(rows: list[tuple]) -> None:
    """Insert employee-days: COPY on PostgreSQL (the month of a regency in seconds), else
    bulk_create."""
    now = timezone.now()
    if connection.vendor == "postgresql":
        json_at = [i for i, c in enumerate(DAY_COLUMNS) if c in JSON_COLUMNS]
        sql = f"COPY {EmployeeDay._meta.db_table} ({', '.join(DAY_COLUMNS)}) FROM STDIN"
        with connection.cursor() as cursor, cursor.cursor.copy(sql) as copy:
            for row in rows:
                values = list(row)
                for i in json_at:
                    values[i] = json.dumps(values[i])
                values.append(now)
                copy.write_row(values)
        return
    EmployeeDay.objects.bulk_create(
        [
            EmployeeDay(
                **{c: v for c, v in zip(DAY_COLUMNS[:-1], row, strict=True)}, resolved_at=now
            )
            for row in rows
        ],
        batch_size=2000,
    )


def day_result_of(row: StoredDay) -> DayResult:
    """The stored resolution of a day, back as the rules' value type."""
    return DayResult(
        day=row.date,
        status=DayStatus(row.status),
        absence=row.absence or None,
        counts_as_present=row.counts_as_present,
        late_minutes=row.late_minutes,
        early_minutes=row.early_minutes,
        late_tiers=tuple(row.late_tiers),
        early_tiers=tuple(row.early_tiers),
        missed_marks=row.missed_marks,
        missed_apel=row.missed_apel,
        checkpoints=row.checkpoints,
        deductions=tuple(Deduction(code, Decimal(pct)) for code, pct in row.deductions),
    )


def days_resolve(
    *, region: Region, start: date, end: date, employee_ids: Iterable[int] | None = None
) -> int:
    """Resolve (again) the days of the given employees, or of all the region's employees."""
    qs = Employee.objects.filter(region=region)
    if employee_ids is not None:
        qs = qs.filter(id__in=list(employee_ids))
    employees = list(qs.order_by("id").values_list("id", "unit_id", "schedule_code", "key"))
    if not employees:
        return 0
    zones = unit_timezones(region)
    count = 0
    for i in range(0, len(employees), EMPLOYEE_CHUNK):
        chunk = employees[i : i + EMPLOYEE_CHUNK]
        rows = _resolve_chunk(region, chunk, start, end, zones)
        with transaction.atomic():
            EmployeeDay.objects.filter(
                employee_id__in=[e[0] for e in chunk], date__gte=start, date__lte=end
            ).delete()
            _write_days(rows)
        count += len(rows)
    return count


def stale_resolve(*, region: Region, start: date, end: date) -> int:
    """Resolve what is stale in [start, end] for a region; the rest of each range stays stale.

    Returns the number of employee-days written.
    """
    with transaction.atomic():
        ranges = list(
            StaleRange.objects.select_for_update()
            .filter(region=region, start__lte=end, end__gte=start)
            .order_by("id")
        )
        if not ranges:
            return 0
        whole_region = any(r.employee_id is None for r in ranges)
        lo = max(start, min(r.start for r in ranges))
        hi = min(end, max(r.end for r in ranges))
        if whole_region:
            employee_ids: set[int] | None = None
        else:
            employee_ids = {r.employee_id for r in ranges if r.employee_id is not None}
        written = days_resolve(region=region, start=lo, end=hi, employee_ids=employee_ids)
        leftovers = []
        for r in ranges:
            if r.start < start:
                leftovers.append(
                    StaleRange(
                        region=region,
                        employee_id=r.employee_id,
                        start=r.start,
                        end=start - timedelta(days=1),
                    )
                )
            if r.end > end:
                leftovers.append(
                    StaleRange(
                        region=region,
                        employee_id=r.employee_id,
                        start=end + timedelta(days=1),
                        end=r.end,
                    )
                )
        StaleRange.objects.filter(id__in=[r.id for r in ranges]).delete()
        StaleRange.objects.bulk_create(leftovers)
    return written


def stale_regions(*, start: date, end: date) -> list[Region]:
    ids = (
        StaleRange.objects.filter(Q(start__lte=end) & Q(end__gte=start))
        .values_list("region_id", flat=True)
        .distinct()
    )
    return list(Region.objects.filter(id__in=list(ids)))
