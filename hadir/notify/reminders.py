"""Reminders before each checkpoint window, by Web Push, through the outbox.

Every minute the scheduler asks: which employees with a push subscription have a checkpoint
whose window opens within `HADIR_REMIND_BEFORE_MIN` minutes (or is open now), on a working day
of their schedule or roster, with no approved absence and no event in that window yet? Each
gets one reminder per checkpoint and day (the outbox key), which expires when the window closes.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import datetime, time, timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from hadir.absences.choices import AbsenceStatus
from hadir.absences.models import Absence
from hadir.attendance.models import AttendanceEvent
from hadir.attendance.rules import DayCalendar, plan_day
from hadir.calendars.choices import NON_WORKING_KINDS, CalendarKind
from hadir.calendars.models import CalendarDay, RosterEntry
from hadir.core.errors import DomainError
from hadir.notify.choices import Channel
from hadir.notify.models import PushSubscription
from hadir.notify.services import outbox_enqueue
from hadir.org.models import Employee, Region
from hadir.org.selectors import unit_timezones
from hadir.tpp.selectors import RuleBook


def _hhmm(at: datetime) -> str:
    return at.strftime("%H:%M")


def reminders_enqueue(*, now: datetime | None = None) -> int:
    """Queue the reminders due now; returns how many were queued (none twice)."""
    before = timedelta(minutes=settings.HADIR_NOTIFY["remind_before_min"])
    if before <= timedelta(0):
        return 0
    now = now or timezone.now()
    subscribed = PushSubscription.objects.filter(active=True, employee__active=True)
    region_ids = set(subscribed.values_list("employee__region_id", flat=True))
    queued = 0
    for region in Region.objects.filter(id__in=region_ids):
        employee_ids = set(
            subscribed.filter(employee__region=region).values_list("employee_id", flat=True)
        )
        queued += _region(region, sorted(employee_ids), now, before)
    return queued


def _region(region: Region, ids: list[int], now: datetime, before: timedelta) -> int:
    book = RuleBook(region)
    zones = unit_timezones(region)
    lo, hi = now - timedelta(days=2), now + timedelta(days=2)
    days = {(now - timedelta(days=1)).date(), now.date(), (now + timedelta(days=1)).date()}
    calendar: dict = defaultdict(DayCalendar)
    for day, kind in CalendarDay.objects.filter(region=region, date__in=days).values_list(
        "date", "kind"
    ):
        old = calendar[day]
        calendar[day] = DayCalendar(
            holiday=old.holiday or kind in NON_WORKING_KINDS,
            ramadan=old.ramadan or kind == CalendarKind.RAMADAN,
        )
    roster = {
        (e, d): code
        for e, d, code in RosterEntry.objects.filter(
            employee_id__in=ids, date__in=days
        ).values_list("employee_id", "date", "shift_code")
    }
    absent = defaultdict(list)
    for e, start, end in Absence.objects.filter(
        employee_id__in=ids,
        status=AbsenceStatus.APPROVED,
        start_date__lte=max(days),
        end_date__gte=min(days),
    ).values_list("employee_id", "start_date", "end_date"):
        absent[e].append((start, end))
    events = defaultdict(list)
    # An event whose check-in the atasan rejected does not count (as in day resolution).
    for e, at in (
        AttendanceEvent.objects.filter(employee_id__in=ids, at__gte=lo, at__lt=hi)
        .exclude(checkin__review_status="rejected")
        .values_list("employee_id", "at")
    ):
        events[e].append(at)
    queued = 0
    for employee in Employee.objects.filter(id__in=ids).select_related("region"):
        tz = zones.get(employee.unit_id)
        if tz is None:
            continue
        day = now.astimezone(tz).date()
        if any(start <= day <= end for start, end in absent[employee.id]):
            continue
        try:
            rules = book.in_force(day).rules
            schedule = rules.schedule(employee.schedule_code or rules.default_schedule.code)
            shift_code = roster.get((employee.id, day))
            shift = rules.schedule(shift_code) if shift_code else None
        except (DomainError, LookupError):
            continue
        plan = plan_day(
            day=day,
            schedule=schedule,
            calendar=calendar[day],
            tz=tz,
            shift=shift,
            rostered_off=shift_code == "",
        )
        for cp in plan.checkpoints:
            opens, closes = plan.window(cp)
            if not (opens - before <= now <= closes):
                continue
            if any(opens <= at <= closes + timedelta(minutes=1) for at in events[employee.id]):
                continue
            due = ""
            if cp.due is not None:
                due_at = datetime.combine(day, time(), tzinfo=tz) + timedelta(minutes=cp.due)
                due = f", tepat waktu sampai {_hhmm(due_at)}"
            with transaction.atomic():
                queued += outbox_enqueue(
                    key=f"remind:{employee.id}:{day.isoformat()}:{cp.code}",
                    template="hadir_pengingat_absen",
                    recipient=employee,
                    context={
                        "checkpoint": cp.code,
                        "opens": _hhmm(opens),
                        "closes": _hhmm(closes),
                        "due": due,
                    },
                    channels=[Channel.WEBPUSH],
                    only_channels=True,
                    expires_at=closes,
                )
    return queued
