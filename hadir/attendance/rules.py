"""Day planning and day resolution (CONTRACT.md section 4): pure functions over frozen values.

`plan_day` says what a calendar day is for an employee (working, holiday or off, and which
checkpoints apply); `resolve_day` turns the day's events and approved absence into a status,
late/early minutes and deductions. No ORM, no settings, no clock.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal
from enum import StrEnum
from types import MappingProxyType
from zoneinfo import ZoneInfo

from hadir.tpp.ruleset import ABSENCE_TYPES, Checkpoint, CheckpointKind, Schedule, TppRules

MINUTE = timedelta(minutes=1)


class DayKind(StrEnum):
    WORKING = "working"
    HOLIDAY = "holiday"
    OFF = "off"


class DayStatus(StrEnum):
    PRESENT = "present"
    ABSENT = "absent"
    LEAVE = "leave"
    HOLIDAY = "holiday"
    OFF = "off"


@dataclass(frozen=True, slots=True)
class DayCalendar:
    """What the region's calendar says about a day: a holiday (or cuti bersama), Ramadan."""

    holiday: bool = False
    ramadan: bool = False


def _wall(day: date, minutes: int, tz: ZoneInfo) -> datetime:
    """The aware local datetime `minutes` of wall-clock time after local midnight of `day`."""
    return datetime.combine(day, time(), tzinfo=tz) + timedelta(minutes=minutes)


@dataclass(frozen=True, slots=True)
class DayPlan:
    day: date
    kind: DayKind
    schedule_code: str | None
    checkpoints: tuple[Checkpoint, ...]
    tz: ZoneInfo

    @property
    def working(self) -> bool:
        return self.kind == DayKind.WORKING

    def window(self, cp: Checkpoint) -> tuple[datetime, datetime]:
        """[opens, closes] of a checkpoint as aware local datetimes, both ends inclusive.

        An event counts when its local time, truncated to the minute, lies in the window.
        """
        return _wall(self.day, cp.opens, self.tz), _wall(self.day, cp.closes, self.tz)

    def span(self) -> tuple[datetime, datetime]:
        """[start, end) of the events that belong to this day: from local midnight to the next
        local midnight, or to one minute after the latest `closes` when a window runs past it."""
        latest = max((cp.closes + 1 for cp in self.checkpoints), default=0)
        return _wall(self.day, 0, self.tz), _wall(self.day, max(24 * 60, latest), self.tz)

    def minute_of(self, at: datetime) -> int:
        """Whole minutes of local wall-clock time from this day's midnight to `at` (seconds
        dropped; negative before the day, 1440 and more on the next day)."""
        local = at.astimezone(self.tz)
        return (local.date() - self.day).days * 24 * 60 + local.hour * 60 + local.minute


def plan_day(
    *,
    day: date,
    schedule: Schedule,
    calendar: DayCalendar,
    tz: ZoneInfo,
    shift: Schedule | None = None,
    rostered_off: bool = False,
) -> DayPlan:
    """What `day` is for an employee on `schedule`, given the calendar and the roster.

    `shift` is the schedule a roster entry names for the day; `rostered_off` a roster entry
    saying the day is off. A holiday wins over everything, unless the schedule worked that day
    (the shift if any) works holidays.
    """
    if shift is not None and rostered_off:
        raise ValueError(f"{day.isoformat()}: a roster entry cannot be both a shift and off")
    effective = shift or schedule

    def plan(kind: DayKind, checkpoints: tuple[Checkpoint, ...] = ()) -> DayPlan:
        return DayPlan(day, kind, effective.code, checkpoints, tz)

    if calendar.holiday and not effective.works_holidays:
        return plan(DayKind.HOLIDAY)
    weekday = day.weekday()
    if shift is None and (rostered_off or schedule.rostered or weekday not in schedule.workdays):
        return plan(DayKind.OFF)
    checkpoints = effective.checkpoints_for(day, ramadan=calendar.ramadan)
    return plan(
        DayKind.WORKING,
        tuple(cp for cp in checkpoints if cp.days is None or weekday in cp.days),
    )


@dataclass(frozen=True, slots=True)
class Event:
    """One attendance event; `checkpoint` set when it was recorded for one checkpoint only."""

    at: datetime
    checkpoint: str | None = None

    def __post_init__(self) -> None:
        if self.at.utcoffset() is None:
            raise ValueError(f"event time {self.at.isoformat()} must be timezone-aware")


@dataclass(frozen=True, slots=True)
class Deduction:
    code: str
    pct: Decimal


@dataclass(frozen=True, slots=True)
class DayResult:
    day: date
    status: DayStatus
    absence: str | None
    counts_as_present: bool
    late_minutes: int
    early_minutes: int
    late_tiers: tuple[int, ...]  # per `in` checkpoint late (its tier) or missing (the last tier)
    early_tiers: tuple[int, ...]  # the same for `out` checkpoints (PSW)
    missed_marks: int
    missed_apel: int
    checkpoints: Mapping[str, str | None] = field(hash=False)  # code -> local "HH:MM" or None
    deductions: tuple[Deduction, ...]

    @property
    def present(self) -> bool:
        return self.status == DayStatus.PRESENT or (
            self.status == DayStatus.LEAVE and self.counts_as_present
        )

    @property
    def working(self) -> bool:
        return self.status in (DayStatus.PRESENT, DayStatus.ABSENT, DayStatus.LEAVE)

    @property
    def excused(self) -> bool:
        return self.status == DayStatus.LEAVE and not self.counts_as_present


def _result(
    plan: DayPlan,
    status: DayStatus,
    deductions: tuple[Deduction, ...] = (),
    *,
    absence: str | None = None,
    counts_as_present: bool = False,
) -> DayResult:
    """A day with no checkpoint resolution: every checkpoint unmet, nothing late."""
    return DayResult(
        day=plan.day,
        status=status,
        absence=absence,
        counts_as_present=counts_as_present,
        late_minutes=0,
        early_minutes=0,
        late_tiers=(),
        early_tiers=(),
        missed_marks=0,
        missed_apel=0,
        checkpoints=MappingProxyType(dict.fromkeys((cp.code for cp in plan.checkpoints), None)),
        deductions=deductions,
    )


def _whole_minutes(later: datetime, earlier: datetime) -> int:
    """Elapsed whole minutes from `earlier` to `later`, seconds dropped (floor)."""
    return (later.astimezone(UTC) - earlier.astimezone(UTC)) // MINUTE


def resolve_day(
    *, plan: DayPlan, events: Sequence[Event], absence: str | None, rules: TppRules
) -> DayResult:
    """Resolve one employee-day.

    `events` are the events inside `plan.span()`; `absence` is the type of an approved absence
    covering the day, or None; `rules` are the TPP rules in force on the day.
    """
    if not plan.working:
        status = DayStatus.HOLIDAY if plan.kind == DayKind.HOLIDAY else DayStatus.OFF
        return _result(DayPlan(plan.day, plan.kind, plan.schedule_code, (), plan.tz), status)
    if absence is not None:
        if absence not in ABSENCE_TYPES:
            raise ValueError(f"unknown absence type {absence!r}")
        rule = rules.absences.get(absence)
        if rule is None:
            return _result(plan, DayStatus.LEAVE, absence=absence)
        per_day = () if rule.per_day_pct is None else (Deduction(absence, rule.per_day_pct),)
        return _result(
            plan,
            DayStatus.LEAVE,
            per_day,
            absence=absence,
            counts_as_present=rule.counts_as_present,
        )
    if not events:
        return _result(plan, DayStatus.ABSENT, (Deduction("TK", rules.absent_day_pct),))
    return _resolve_present(plan, events, rules)


def _first(item: tuple[datetime, int, str | None]) -> datetime:
    return item[0]


def _resolve_present(plan: DayPlan, events: Sequence[Event], rules: TppRules) -> DayResult:
    timeline = sorted(((e.at, plan.minute_of(e.at), e.checkpoint) for e in events), key=_first)
    checkpoints: dict[str, str | None] = {}
    deductions: list[Deduction] = []
    late_tiers: list[int] = []
    early_tiers: list[int] = []
    late_minutes = early_minutes = missed_marks = missed_apel = 0
    for cp in plan.checkpoints:
        hits = [
            at
            for at, minute, code in timeline
            if cp.opens <= minute <= cp.closes and (code is None or code == cp.code)
        ]
        hit = (hits[-1] if cp.kind == CheckpointKind.OUT else hits[0]) if hits else None
        checkpoints[cp.code] = None if hit is None else hit.astimezone(plan.tz).strftime("%H:%M")
        if cp.kind in (CheckpointKind.IN, CheckpointKind.OUT):
            is_in = cp.kind == CheckpointKind.IN
            table, prefix = (rules.late, "TL") if is_in else (rules.early, "PSW")
            tiers = late_tiers if is_in else early_tiers
            if hit is None:
                tiers.append(len(table.tiers))
                deductions.append(Deduction(f"{prefix}{len(table.tiers)}", table.missing_pct))
                continue
            due = _wall(plan.day, cp.due or 0, plan.tz)  # in/out always have a due
            minutes = max(0, _whole_minutes(hit, due) if is_in else _whole_minutes(due, hit))
            if is_in:
                late_minutes += minutes
            else:
                early_minutes += minutes
            tier = table.tier_of(minutes)
            if tier is not None:
                tiers.append(tier)
                deductions.append(Deduction(f"{prefix}{tier}", table.pct_of_tier(tier)))
        elif hit is None and cp.kind == CheckpointKind.MARK:
            missed_marks += 1
            deductions.append(Deduction(cp.code, rules.missed_checkpoint_pct))
        elif hit is None:
            missed_apel += 1
            deductions.append(Deduction(cp.code, rules.apel_missed_pct))
    return DayResult(
        day=plan.day,
        status=DayStatus.PRESENT,
        absence=None,
        counts_as_present=False,
        late_minutes=late_minutes,
        early_minutes=early_minutes,
        late_tiers=tuple(late_tiers),
        early_tiers=tuple(early_tiers),
        missed_marks=missed_marks,
        missed_apel=missed_apel,
        checkpoints=MappingProxyType(checkpoints),
        deductions=tuple(deductions),
    )
