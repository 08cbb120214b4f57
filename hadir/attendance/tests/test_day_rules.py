"""Day planning and day resolution (CONTRACT.md section 4), with the contract's example rules."""

from __future__ import annotations

import dataclasses
from datetime import UTC, date, datetime, time, timedelta, timezone
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from hadir.attendance.rules import (
    DayCalendar,
    DayKind,
    DayPlan,
    DayResult,
    DayStatus,
    Deduction,
    Event,
    plan_day,
    resolve_day,
)
from hadir.tpp.ruleset import Checkpoint, CheckpointKind, Override, Schedule, parse_ruleset
from hadir.tpp.tests.test_ruleset import FULL_EXAMPLE

RULES = parse_ruleset(FULL_EXAMPLE)
TPP = RULES.tpp
FIVE_DAYS = RULES.schedule("5hk")
NIGHT = RULES.schedule("malam")
ROSTERED = RULES.schedule("rs")
WITA = ZoneInfo("Asia/Makassar")
WIB = ZoneInfo("Asia/Jakarta")
WIT = ZoneInfo("Asia/Jayapura")

MON, TUE, WED, THU, FRI, SAT, SUN = (date(2026, 1, 5) + timedelta(days=i) for i in range(7))
RAMADAN_TUE, RAMADAN_FRI = date(2026, 2, 24), date(2026, 2, 20)
FULL_DAY = ("07:00", "11:50", "12:50", "16:05")  # in, ist_out, ist_in, out on a Tue-Thu
FOUR = ["masuk", "ist_out", "ist_in", "pulang"]
Cut = tuple[str, str]


def at(day: date, clock: str, tz: ZoneInfo = WITA) -> datetime:
    """An aware datetime at local wall-clock `clock` ("HH:MM" or "HH:MM:SS") on `day`."""
    return datetime.combine(day, time.fromisoformat(clock), tzinfo=tz)


def plan(
    day: date,
    schedule: Schedule = FIVE_DAYS,
    *,
    holiday: bool = False,
    ramadan: bool = False,
    tz: ZoneInfo = WITA,
    shift: Schedule | None = None,
    rostered_off: bool = False,
) -> DayPlan:
    return plan_day(
        day=day,
        schedule=schedule,
        calendar=DayCalendar(holiday=holiday, ramadan=ramadan),
        tz=tz,
        shift=shift,
        rostered_off=rostered_off,
    )


def resolve(day_plan: DayPlan, *clocks: str | Event, absence: str | None = None) -> DayResult:
    tz = day_plan.tz
    events = [c if isinstance(c, Event) else Event(at(day_plan.day, c, tz)) for c in clocks]
    return resolve_day(plan=day_plan, events=events, absence=absence, rules=TPP)


def seen(
    masuk: str | None, ist_out: str | None, ist_in: str | None, pulang: str | None, **more: str
) -> dict[str, str | None]:
    """The expected checkpoints map of a day."""
    return {"masuk": masuk, "ist_out": ist_out, "ist_in": ist_in, "pulang": pulang, **more}


def cuts(result: DayResult) -> list[Cut]:
    return [(d.code, str(d.pct)) for d in result.deductions]


# --- planning --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("day", "kwargs", "kind", "codes"),
    [
        (MON, {}, DayKind.WORKING, ["masuk", "ist_out", "ist_in", "pulang", "apel"]),
        (TUE, {}, DayKind.WORKING, ["masuk", "ist_out", "ist_in", "pulang"]),
        (THU, {}, DayKind.WORKING, ["masuk", "ist_out", "ist_in", "pulang"]),
        (FRI, {}, DayKind.WORKING, ["masuk", "ist_out", "ist_in", "pulang"]),
        (SAT, {}, DayKind.OFF, []),
        (SUN, {}, DayKind.OFF, []),
        (TUE, {"holiday": True}, DayKind.HOLIDAY, []),
        (MON, {"holiday": True}, DayKind.HOLIDAY, []),
        (SAT, {"holiday": True}, DayKind.HOLIDAY, []),  # a holiday wins over an off day
        (TUE, {"rostered_off": True}, DayKind.OFF, []),
        (TUE, {"rostered_off": True, "holiday": True}, DayKind.HOLIDAY, []),
        (SAT, {"shift": NIGHT}, DayKind.WORKING, ["masuk", "pulang"]),  # shifts ignore workdays
        (TUE, {"shift": ROSTERED, "holiday": True}, DayKind.HOLIDAY, []),
        (TUE, {"shift": NIGHT, "holiday": True}, DayKind.WORKING, ["masuk", "pulang"]),
        (MON, {"shift": FIVE_DAYS}, DayKind.WORKING, [*FOUR, "apel"]),
        (TUE, {"shift": FIVE_DAYS}, DayKind.WORKING, FOUR),
        (SUN, {"shift": FIVE_DAYS}, DayKind.WORKING, FOUR),
        (RAMADAN_TUE, {"ramadan": True}, DayKind.WORKING, ["masuk", "pulang"]),
    ],
)  # fmt: skip
def test_it_plans_days_of_a_five_day_schedule(
    day: date, kwargs: dict[str, Any], kind: DayKind, codes: list[str]
) -> None:
    result = plan(day, **kwargs)
    assert result.kind == kind
    assert [cp.code for cp in result.checkpoints] == codes
    assert result.day == day
    assert result.tz == WITA


@pytest.mark.parametrize(
    ("day", "kwargs", "kind", "schedule_code"),
    [
        (TUE, {}, DayKind.OFF, "rs"),  # rostered: no roster entry, no work
        (SUN, {}, DayKind.OFF, "rs"),
        (TUE, {"shift": ROSTERED}, DayKind.WORKING, "rs"),
        (SUN, {"shift": ROSTERED}, DayKind.WORKING, "rs"),
        (SUN, {"shift": NIGHT}, DayKind.WORKING, "malam"),
        (TUE, {"rostered_off": True}, DayKind.OFF, "rs"),
        (TUE, {"holiday": True}, DayKind.HOLIDAY, "rs"),
    ],
)
def test_it_plans_days_of_a_rostered_schedule(
    day: date, kwargs: dict[str, Any], kind: DayKind, schedule_code: str
) -> None:
    result = plan(day, ROSTERED, **kwargs)
    assert (result.kind, result.schedule_code) == (kind, schedule_code)


def test_it_refuses_a_roster_entry_that_is_both_a_shift_and_off() -> None:
    with pytest.raises(ValueError, match="both a shift and off"):
        plan(TUE, shift=NIGHT, rostered_off=True)


HALF_DAY = (Checkpoint("masuk", CheckpointKind.IN, 360, 450, 720),)
WITH_DATE = dataclasses.replace(
    FIVE_DAYS, overrides=(*FIVE_DAYS.overrides, Override(("2026-01-09",), HALF_DAY))
)


@pytest.mark.parametrize(
    ("schedule", "day", "ramadan", "dues"),
    [
        (FIVE_DAYS, THU, False, {"masuk": 450, "pulang": 960}),
        (FIVE_DAYS, FRI, False, {"masuk": 450, "pulang": 990}),  # the Friday override
        (FIVE_DAYS, RAMADAN_TUE, True, {"masuk": 480, "pulang": 900}),  # ramadan
        (FIVE_DAYS, RAMADAN_FRI, True, {"masuk": 480, "pulang": 930}),  # fri + ramadan
        (FIVE_DAYS, RAMADAN_FRI, False, {"masuk": 450, "pulang": 990}),  # not flagged ramadan
        (WITH_DATE, FRI, False, {"masuk": 450}),  # a date beats the Friday override
        (WITH_DATE, date(2026, 1, 16), False, {"masuk": 450, "pulang": 990}),
    ],
)
def test_it_plans_the_checkpoints_of_overrides(
    schedule: Schedule, day: date, ramadan: bool, dues: dict[str, int]
) -> None:
    result = plan(day, schedule, ramadan=ramadan)
    assert {cp.code: cp.due for cp in result.checkpoints if cp.due is not None} == dues


def test_it_gives_checkpoint_windows_as_aware_local_datetimes() -> None:
    day_plan = plan(TUE)
    masuk = day_plan.checkpoints[0]
    assert day_plan.window(masuk) == (at(TUE, "06:00"), at(TUE, "12:00"))
    assert day_plan.window(masuk)[0].utcoffset() == timedelta(hours=8)
    night = plan(TUE, shift=NIGHT)
    assert night.window(night.checkpoints[1]) == (at(WED, "05:00"), at(WED, "11:00"))


@pytest.mark.parametrize(
    ("day_plan", "start", "end"),
    [
        (plan(TUE), at(TUE, "00:00"), at(WED, "00:00")),  # pulang closes 23:59
        (plan(SAT), at(SAT, "00:00"), at(SUN, "00:00")),
        (plan(TUE, shift=NIGHT), at(TUE, "00:00"), at(WED, "11:01")),  # closes "35:00"
        (plan(TUE, tz=WIT), at(TUE, "00:00", WIT), at(WED, "00:00", WIT)),
    ],
)
def test_it_spans_the_events_of_a_day(day_plan: DayPlan, start: datetime, end: datetime) -> None:
    assert day_plan.span() == (start, end)
    assert day_plan.span()[1].astimezone(UTC) == end.astimezone(UTC)


# --- resolution --------------------------------------------------------------------------------

TL1, TL2, TL3, TL4 = ("TL1", "0.5"), ("TL2", "1.0"), ("TL3", "1.25"), ("TL4", "1.5")
PSW1, PSW2, PSW3, PSW4 = ("PSW1", "0.5"), ("PSW2", "1.0"), ("PSW3", "1.25"), ("PSW4", "1.5")
IST_OUT, IST_IN, APEL = ("ist_out", "0.5"), ("ist_in", "0.5"), ("apel", "0.5")


@pytest.mark.parametrize(
    ("clock", "minutes", "tiers", "expected"),
    [
        ("06:00", 0, (), []),
        ("07:30:00", 0, (), []),
        ("07:30:59", 0, (), []),  # seconds are dropped
        ("07:31:00", 1, (1,), [TL1]),
        ("08:00:59", 30, (1,), [TL1]),
        ("08:01", 31, (2,), [TL2]),
        ("08:30", 60, (2,), [TL2]),
        ("08:31", 61, (3,), [TL3]),
        ("09:00", 90, (3,), [TL3]),
        ("09:01", 91, (4,), [TL4]),
        ("11:44", 254, (4,), [TL4]),
    ],
)
def test_it_deducts_late_arrival_by_tier(
    clock: str, minutes: int, tiers: tuple[int, ...], expected: list[Cut]
) -> None:
    result = resolve(plan(TUE), clock, *FULL_DAY[1:])
    assert result.status == DayStatus.PRESENT
    assert (result.late_minutes, result.late_tiers, cuts(result)) == (minutes, tiers, expected)
    assert result.checkpoints["masuk"] == clock[:5]


@pytest.mark.parametrize(
    ("clock", "minutes", "tiers", "expected"),
    [
        ("23:59:59", 0, (), []),
        ("16:00", 0, (), []),
        ("15:59:30", 0, (), []),  # 30 seconds early: no whole minute
        ("15:59:00", 1, (1,), [PSW1]),
        ("15:58:30", 1, (1,), [PSW1]),
        ("15:30", 30, (1,), [PSW1]),
        ("15:29:30", 30, (1,), [PSW1]),
        ("15:29", 31, (2,), [PSW2]),
        ("15:00", 60, (2,), [PSW2]),
        ("14:59", 61, (3,), [PSW3]),
        ("14:30", 90, (3,), [PSW3]),
        ("14:29", 91, (4,), [PSW4]),
        ("13:15", 165, (4,), [PSW4]),
    ],
)
def test_it_deducts_early_leaving_by_tier(
    clock: str, minutes: int, tiers: tuple[int, ...], expected: list[Cut]
) -> None:
    result = resolve(plan(TUE), *FULL_DAY[:3], clock)
    assert (result.early_minutes, result.early_tiers, cuts(result)) == (minutes, tiers, expected)
    assert result.checkpoints["pulang"] == clock[:5]


@pytest.mark.parametrize(
    ("day", "clocks", "expected", "checkpoints"),
    [
        (TUE, FULL_DAY, [], seen(*FULL_DAY)),
        (TUE, ("07:00", "09:00", *FULL_DAY[1:]), [], None),  # `in` takes the first event
        (TUE, ("07:00", *FULL_DAY[1:3], "14:00", "16:05"), [], None),  # `out` takes the last one
        (TUE, ("16:05", *FULL_DAY[:3]), [], None),  # events in any order
        (TUE, ("12:10", "12:50", "16:05"), [TL4], seen(None, "12:10", "12:50", "16:05")),
        (TUE, FULL_DAY[:3], [PSW4], None),
        (TUE, ("07:00", "12:50", "16:05"), [IST_OUT], None),
        (TUE, ("07:00", "11:50", "16:05"), [IST_IN], None),
        # 11:50 lies in masuk (06:00-12:00) and ist_out (11:45-12:15): it counts for both.
        (TUE, ("11:50",), [TL4, IST_IN, PSW4], seen("11:50", "11:50", None, None)),
        # 13:15 closes ist_in and opens pulang.
        (TUE, ("07:00", "11:50", "13:15"), [PSW4], seen("07:00", "11:50", "13:15", "13:15")),
        # An event outside every window: present (not TK), with every checkpoint missed.
        (TUE, ("05:00",), [TL4, IST_OUT, IST_IN, PSW4], seen(None, None, None, None)),
        # Apel only on Mondays (07:15-07:45).
        (MON, ("07:20", *FULL_DAY[1:]), [], seen("07:20", *FULL_DAY[1:], apel="07:20")),
        (MON, FULL_DAY, [APEL], None),
        (MON, ("07:10", "07:46", *FULL_DAY[1:]), [APEL], None),
        (MON, ("07:15:00", "07:45:59", *FULL_DAY[1:]), [], None),
        (MON, ("05:00",), [TL4, IST_OUT, IST_IN, PSW4, APEL], None),
        # Friday: ist_out 11:15-11:45, pulang due 16:30.
        (FRI, ("07:00", "11:30", "12:50", "16:30"), [], None),
        (FRI, FULL_DAY, [IST_OUT, PSW1], None),
        (FRI, ("07:00", "11:30", "12:50", "15:29"), [PSW3], None),
    ],
)  # fmt: skip
def test_it_resolves_checkpoints(
    day: date, clocks: tuple[str, ...], expected: list[Cut], checkpoints: dict[str, str] | None
) -> None:
    result = resolve(plan(day), *clocks)
    assert result.status == DayStatus.PRESENT
    assert cuts(result) == expected
    assert result.missed_marks == sum(1 for c in expected if c in (IST_OUT, IST_IN))
    assert result.missed_apel == expected.count(APEL)
    if checkpoints is not None:
        assert dict(result.checkpoints) == checkpoints


MORNING, NOON, HOME = ("07:00", None), ("12:50", None), ("16:05", None)
AFTERNOON = ("12:50", "16:05")
NONE_SEEN = dict.fromkeys(FOUR)


@pytest.mark.parametrize(
    ("events", "expected", "checkpoints"),
    [
        # Coded for ist_out: counts for it only, so masuk has no event.
        ([("11:50", "ist_out"), NOON, HOME], [TL4], seen(None, "11:50", "12:50", "16:05")),
        ([("11:50", "masuk"), NOON, HOME], [TL4, IST_OUT], seen("11:50", None, *AFTERNOON)),
        ([MORNING, ("11:50", "masuk"), NOON, HOME], [IST_OUT], seen("07:00", None, *AFTERNOON)),
        # A coded event counts only inside its own window.
        ([MORNING, ("10:00", "ist_out"), NOON, HOME], [IST_OUT], seen("07:00", None, *AFTERNOON)),
        ([MORNING, ("12:00", "ist_out"), NOON, ("16:05", "pulang")], [],
         seen("07:00", "12:00", *AFTERNOON)),
        # An event coded for a checkpoint the day does not have counts for nothing, but the
        # employee came: not TK.
        ([("07:20", "apel")], [TL4, IST_OUT, IST_IN, PSW4], NONE_SEEN),
        ([("16:05", "masuk"), ("07:00", "pulang")], [TL4, IST_OUT, IST_IN, PSW4], NONE_SEEN),
    ],
)  # fmt: skip
def test_it_counts_coded_events_for_their_checkpoint_only(
    events: list[tuple[str, str | None]], expected: list[Cut], checkpoints: dict[str, str | None]
) -> None:
    result = resolve(plan(TUE), *(Event(at(TUE, clock), code) for clock, code in events))
    assert result.status == DayStatus.PRESENT
    assert cuts(result) == expected
    assert dict(result.checkpoints) == checkpoints


def test_it_marks_a_working_day_without_any_event_as_tk() -> None:
    result = resolve(plan(MON))
    assert result.status == DayStatus.ABSENT
    assert result.deductions == (Deduction("TK", Decimal("3.0")),)
    assert (result.late_tiers, result.early_tiers, result.missed_marks, result.missed_apel) == (
        (),
        (),
        0,
        0,
    )
    assert dict(result.checkpoints) == seen(None, None, None, None, apel=None)
    assert (result.present, result.working, result.excused) == (False, True, False)


@pytest.mark.parametrize(
    ("day_plan", "status"),
    [
        (plan(TUE, holiday=True), DayStatus.HOLIDAY),
        (plan(SAT), DayStatus.OFF),
        (plan(SUN, holiday=True), DayStatus.HOLIDAY),
        (plan(TUE, ROSTERED), DayStatus.OFF),
    ],
)
@pytest.mark.parametrize("clocks", [(), ("05:00",), FULL_DAY, ("09:30", "14:00")])
@pytest.mark.parametrize("absence", [None, "cuti_tahunan", "izin"])
def test_it_ignores_events_and_absences_on_days_off(
    day_plan: DayPlan, status: DayStatus, clocks: tuple[str, ...], absence: str | None
) -> None:
    result = resolve(day_plan, *clocks, absence=absence)
    assert (result.status, result.absence, result.deductions) == (status, None, ())
    assert (result.late_minutes, result.early_minutes, result.late_tiers) == (0, 0, ())
    assert dict(result.checkpoints) == {}
    assert (result.present, result.working, result.excused) == (False, False, False)


@pytest.mark.parametrize(
    ("absence", "counts_as_present", "expected"),
    [
        ("dinas_luar", True, []),
        ("izin", False, [("izin", "1.0")]),
        ("sakit", False, []),  # bands apply to the month, not to the day
        ("cuti_tahunan", False, []),  # no entry in [tpp.absence]: no deduction, not present
        ("tugas_belajar", False, []),
    ],
)
@pytest.mark.parametrize("clocks", [(), FULL_DAY, ("09:30",)])
def test_it_resolves_a_day_of_approved_absence(
    absence: str, counts_as_present: bool, expected: list[Cut], clocks: tuple[str, ...]
) -> None:
    result = resolve(plan(MON), *clocks, absence=absence)
    assert (result.status, result.absence, cuts(result)) == (DayStatus.LEAVE, absence, expected)
    assert result.counts_as_present is counts_as_present
    assert (result.present, result.excused, result.working) == (
        counts_as_present,
        not counts_as_present,
        True,
    )
    assert (result.late_tiers, result.early_tiers, result.missed_marks, result.missed_apel) == (
        (),
        (),
        0,
        0,
    )
    assert dict(result.checkpoints) == seen(None, None, None, None, apel=None)


def test_it_refuses_an_unknown_absence_type() -> None:
    with pytest.raises(ValueError, match="unknown absence type 'cuti_hamil'"):
        resolve(plan(TUE), absence="cuti_hamil")


def test_it_refuses_naive_event_times() -> None:
    with pytest.raises(ValueError, match="must be timezone-aware"):
        Event(datetime(2026, 1, 6, 7, 0))


@pytest.mark.parametrize(
    ("tz", "minutes", "masuk", "expected"),
    [
        (WITA, 15, "07:45", [TL1]),  # 23:45 UTC = 07:45 WITA: late
        (WIB, 0, "06:45", []),  # the same instant = 06:45 WIB: on time
        (WIT, 75, "08:45", [TL3]),  # = 08:45 WIT
    ],
)
def test_it_resolves_the_same_instant_in_the_unit_time_zone(
    tz: ZoneInfo, minutes: int, masuk: str, expected: list[Cut]
) -> None:
    day_plan = plan(TUE, tz=tz)
    arrival = Event(datetime(2026, 1, 5, 23, 45, tzinfo=UTC))
    rest = (Event(at(TUE, c, tz)) for c in FULL_DAY[1:])
    result = resolve(day_plan, arrival, *rest)
    assert (result.late_minutes, result.checkpoints["masuk"], cuts(result)) == (
        minutes,
        masuk,
        expected,
    )


@pytest.mark.parametrize(
    ("offset_hours", "clock", "late"),
    [(8, "07:45", 15), (7, "06:45", 15), (9, "08:45", 15), (0, "23:45", 15), (7, "07:45", 75)],
)
def test_it_converts_events_of_any_utc_offset(offset_hours: int, clock: str, late: int) -> None:
    day = MON if offset_hours == 0 else TUE
    offset = timezone(timedelta(hours=offset_hours))
    arrival = datetime.combine(day, time.fromisoformat(clock), tzinfo=offset)
    result = resolve(plan(TUE), Event(arrival), *FULL_DAY[1:])
    assert result.late_minutes == late


@pytest.mark.parametrize(
    ("events", "expected", "pulang", "early"),
    [
        ([(TUE, "18:55"), (WED, "07:05")], [], "07:05", 0),
        ([(TUE, "18:55"), (WED, "07:00:00")], [], "07:00", 0),
        ([(TUE, "18:55"), (WED, "06:59:30")], [], "06:59", 0),
        ([(TUE, "18:55"), (WED, "06:30")], [PSW1], "06:30", 30),
        ([(TUE, "18:55"), (WED, "05:00")], [PSW4], "05:00", 120),
        ([(TUE, "18:55"), (WED, "04:59")], [PSW4], None, 0),  # before pulang opens: missing
        ([(TUE, "18:55"), (WED, "11:00:59")], [], "11:00", 0),
        ([(TUE, "18:55"), (WED, "11:01")], [PSW4], None, 0),  # after pulang closes
        ([(TUE, "19:31"), (WED, "07:05")], [TL2], "07:05", 0),
        ([(WED, "07:05")], [TL4], "07:05", 0),
    ],
)
def test_it_resolves_a_night_shift_crossing_midnight(
    events: list[tuple[date, str]], expected: list[Cut], pulang: str | None, early: int
) -> None:
    day_plan = plan(TUE, shift=NIGHT)
    result = resolve(day_plan, *(Event(at(day, clock)) for day, clock in events))
    assert (result.status, cuts(result)) == (DayStatus.PRESENT, expected)
    assert (result.checkpoints["pulang"], result.early_minutes) == (pulang, early)


@pytest.mark.parametrize(
    ("status", "counts_as_present", "present", "working", "excused"),
    [
        (DayStatus.PRESENT, False, True, True, False),
        (DayStatus.ABSENT, False, False, True, False),
        (DayStatus.LEAVE, True, True, True, False),
        (DayStatus.LEAVE, False, False, True, True),
        (DayStatus.HOLIDAY, False, False, False, False),
        (DayStatus.OFF, False, False, False, False),
    ],
)
def test_it_classifies_day_results(
    status: DayStatus, counts_as_present: bool, present: bool, working: bool, excused: bool
) -> None:
    result = DayResult(TUE, status, None, counts_as_present, 0, 0, (), (), 0, 0, {}, ())
    assert (result.present, result.working, result.excused) == (present, working, excused)
