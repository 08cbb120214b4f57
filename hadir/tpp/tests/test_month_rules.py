"""Monthly summary, TPP and attendance rate (CONTRACT.md sections 4 and 5). No database."""

from __future__ import annotations

import dataclasses
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest

from hadir.attendance.rules import (
    DayCalendar,
    DayResult,
    DayStatus,
    Deduction,
    Event,
    plan_day,
    resolve_day,
)
from hadir.tpp.rules import MonthSummary, attendance_rate, summarize_month, tpp_paid_of
from hadir.tpp.ruleset import parse_ruleset
from hadir.tpp.tests.test_ruleset import CONTRACT_EXAMPLE

RULES = parse_ruleset(CONTRACT_EXAMPLE)
TPP = RULES.tpp
WITA = ZoneInfo("Asia/Makassar")
JAN_1 = date(2026, 1, 1)


def day_result(
    n: int,
    status: DayStatus = DayStatus.PRESENT,
    *cuts: tuple[str, str],
    absence: str | None = None,
    counts_as_present: bool = False,
    late: tuple[int, ...] = (),
    early: tuple[int, ...] = (),
    marks: int = 0,
    apel: int = 0,
) -> DayResult:
    """A resolved day `n` days after 2026-01-01."""
    return DayResult(
        day=JAN_1 + timedelta(days=n),
        status=status,
        absence=absence,
        counts_as_present=counts_as_present,
        late_minutes=0,
        early_minutes=0,
        late_tiers=late,
        early_tiers=early,
        missed_marks=marks,
        missed_apel=apel,
        checkpoints={},
        deductions=tuple(Deduction(code, Decimal(pct)) for code, pct in cuts),
    )


def leave(n: int, absence: str, *cuts: tuple[str, str]) -> DayResult:
    rule = TPP.absences.get(absence)
    counts = rule is not None and rule.counts_as_present
    return day_result(n, DayStatus.LEAVE, *cuts, absence=absence, counts_as_present=counts)


def summarize(days: list[DayResult], tpp_base: int = 5_000_000, **kwargs: bool) -> MonthSummary:
    return summarize_month(days=days, rules=TPP, tpp_base=tpp_base, **kwargs)


# --- a whole month resolved with the contract's rules -----------------------------------------

FULL = ("07:00", "11:50", "12:50", "16:05")
FRIDAY_FULL = ("07:00", "11:30", "12:50", "16:35")
MONDAY_FULL = ("07:20", "11:50", "12:50", "16:05")
JANUARY: dict[int, tuple[tuple[str, ...], str | None]] = {
    1: (FULL, None),  # a national holiday: events change nothing
    5: (("07:42", "12:50", "16:03"), None),  # TL1 (12 minutes) + ist_out missed
    6: (("07:35", *FULL[1:]), None),  # TL1
    7: (("12:10", "12:50", "16:05"), None),  # no check-in: TL4 (missing)
    8: (("07:00", "11:50", "12:50", "14:45"), None),  # 75 minutes early: PSW3
    9: ((), None),  # TK
    10: (FULL, None),  # a Saturday: nothing
    12: (FULL, None),  # a Monday without apel
    13: (FULL, "cuti_tahunan"),  # excused, no rule: no deduction
    14: (("07:00", "11:50", "16:05"), None),  # ist_in missed
    15: ((), "dinas_luar"),  # counts as present
    20: (("07:00", "12:50", "16:05"), None),  # ist_out missed
}


def _january() -> list[DayResult]:
    results = []
    for n in range(1, 32):
        day = date(2026, 1, n)
        default = FRIDAY_FULL if day.weekday() == 4 else MONDAY_FULL if day.weekday() == 0 else FULL
        clocks, absence = JANUARY.get(n, (default, None))
        plan = plan_day(
            day=day,
            schedule=RULES.default_schedule,
            calendar=DayCalendar(holiday=n == 1),
            tz=WITA,
        )
        events = [Event(datetime.combine(day, time.fromisoformat(c), tzinfo=WITA)) for c in clocks]
        results.append(resolve_day(plan=plan, events=events, absence=absence, rules=TPP))
    return results


@pytest.mark.parametrize(("tpp_base", "tpp_paid"), [(5_000_000, 4_562_500), (4_999_999, 4_562_499)])
def test_it_summarizes_a_resolved_month(tpp_base: int, tpp_paid: int) -> None:
    summary = summarize(_january(), tpp_base=tpp_base)
    assert summary == MonthSummary(
        working_days=21,
        present_days=19,
        absent_days=1,
        excused_days=1,
        late={"TL1": 2, "TL2": 0, "TL3": 0, "TL4": 1},
        early={"PSW1": 0, "PSW2": 0, "PSW3": 1, "PSW4": 0},
        missed_checkpoints=3,
        apel_missed=1,
        absences={"cuti_tahunan": 1, "dinas_luar": 1},
        month_deductions=(),
        raw_pct=Decimal("8.75"),
        deduction_pct=Decimal("8.75"),
        tpp_base=tpp_base,
        tpp_paid=tpp_paid,
        manipulation=False,
    )


# --- table-driven -----------------------------------------------------------------------------


def test_it_counts_the_days_of_a_month() -> None:
    days = [
        day_result(1),
        day_result(2),
        day_result(3, DayStatus.ABSENT, ("TK", "3.0")),
        leave(4, "dinas_luar"),
        leave(5, "izin", ("izin", "1.0")),
        leave(6, "izin", ("izin", "1.0")),
        leave(7, "cuti_tahunan"),
        day_result(8, DayStatus.HOLIDAY),
        day_result(9, DayStatus.OFF),
        day_result(10, DayStatus.OFF),
    ]
    summary = summarize(days)
    assert (summary.working_days, summary.present_days) == (7, 3)
    assert (summary.absent_days, summary.excused_days) == (1, 3)
    assert summary.absences == {"cuti_tahunan": 1, "dinas_luar": 1, "izin": 2}
    assert (summary.raw_pct, summary.deduction_pct) == (Decimal("5.0"), Decimal("5.0"))
    assert summary.tpp_paid == 4_750_000


@pytest.mark.parametrize(
    ("late", "early", "tl", "psw"),
    [
        ([], [], [0, 0, 0, 0], [0, 0, 0, 0]),
        ([(1,), (1,), (4,)], [(2,)], [2, 0, 0, 1], [0, 1, 0, 0]),
        ([(3,), (2, 4)], [(4,), (4,), (1,)], [0, 1, 1, 1], [1, 0, 0, 2]),
    ],
)
def test_it_counts_late_and_early_tiers(
    late: list[tuple[int, ...]], early: list[tuple[int, ...]], tl: list[int], psw: list[int]
) -> None:
    days = [day_result(i, late=tiers) for i, tiers in enumerate(late)]
    days += [day_result(20 + i, early=tiers) for i, tiers in enumerate(early)]
    summary = summarize(days)
    assert summary.late == dict(zip(["TL1", "TL2", "TL3", "TL4"], tl, strict=True))
    assert summary.early == dict(zip(["PSW1", "PSW2", "PSW3", "PSW4"], psw, strict=True))


def test_it_keeps_tiers_of_days_resolved_under_rules_with_more_tiers() -> None:
    summary = summarize([day_result(1, late=(5,))])
    assert summary.late == {"TL1": 0, "TL2": 0, "TL3": 0, "TL4": 0, "TL5": 1}


def test_it_sums_missed_checkpoints_and_apel() -> None:
    summary = summarize([day_result(1, marks=2, apel=1), day_result(2, marks=1), day_result(3)])
    assert (summary.missed_checkpoints, summary.apel_missed) == (3, 1)


@pytest.mark.parametrize(
    ("sick_days", "pct", "paid"),
    [(0, "0", 5_000_000), (1, "0", 5_000_000), (2, "0", 5_000_000), (3, "25", 3_750_000),
     (14, "25", 3_750_000), (15, "50", 2_500_000), (22, "50", 2_500_000)],
)  # fmt: skip
def test_it_deducts_absence_bands_by_days_in_the_month(sick_days: int, pct: str, paid: int) -> None:
    days = [leave(n, "sakit") for n in range(sick_days)] + [day_result(25)]
    summary = summarize(days)
    expected = (Deduction("sakit", Decimal(pct)),) if pct != "0" else ()
    assert summary.month_deductions == expected
    assert summary.deduction_pct == Decimal(pct)
    assert summary.tpp_paid == paid
    assert summary.absences == ({"sakit": sick_days} if sick_days else {})
    assert summary.excused_days == sick_days


def test_it_adds_band_and_day_deductions_of_the_same_absence_type() -> None:
    rules = parse_ruleset(
        CONTRACT_EXAMPLE.replace(
            "per_day_pct = 1.0", "per_day_pct = 1.0\nbands = [{up_to_days = 1, pct = 0}, {pct = 5}]"
        )
    )
    days = [leave(n, "izin", ("izin", "1.0")) for n in range(3)]
    summary = summarize_month(days=days, rules=rules.tpp, tpp_base=1_000_000)
    assert summary.month_deductions == (Deduction("izin", Decimal(5)),)
    assert summary.deduction_pct == Decimal("8.0")
    assert summary.tpp_paid == 920_000


@pytest.mark.parametrize(
    ("tk_days", "cap", "raw", "capped", "paid"),
    [(10, "100", "30.0", "30.0", 3_500_000), (20, "100", "60.0", "60.0", 2_000_000),
     (20, "50", "60.0", "50", 2_500_000), (10, "30", "30.0", "30.0", 3_500_000),
     (11, "30", "33.0", "30", 3_500_000), (5, "0", "15.0", "0", 5_000_000)],
)  # fmt: skip
def test_it_caps_the_month_total(tk_days: int, cap: str, raw: str, capped: str, paid: int) -> None:
    rules = dataclasses.replace(TPP, cap_pct=Decimal(cap))
    days = [day_result(n, DayStatus.ABSENT, ("TK", "3.0")) for n in range(tk_days)]
    summary = summarize_month(days=days, rules=rules, tpp_base=5_000_000)
    assert (summary.raw_pct, summary.deduction_pct, summary.tpp_paid) == (
        Decimal(raw),
        Decimal(capped),
        paid,
    )


def test_it_caps_at_100_and_pays_nothing() -> None:
    days = [leave(n, "sakit") for n in range(15)]
    days += [day_result(n, DayStatus.ABSENT, ("TK", "3.0")) for n in range(15, 31)]
    summary = summarize(days)
    assert (summary.raw_pct, summary.deduction_pct, summary.tpp_paid) == (
        Decimal("98.0"),
        Decimal("98.0"),
        100_000,
    )
    summary = summarize([*days, day_result(31, DayStatus.ABSENT, ("TK", "3.0"))])
    assert (summary.raw_pct, summary.deduction_pct, summary.tpp_paid) == (
        Decimal("101.0"),
        Decimal(100),
        0,
    )


@pytest.mark.parametrize(
    ("base", "pct", "paid"),
    [(4_999_999, "8.75", 4_562_499), (5_000_000, "8.75", 4_562_500), (1, "0.5", 0),
     (333, "1.25", 328), (100, "0", 100), (100, "100", 0), (7_777_777, "0.5", 7_738_888),
     (0, "3", 0), (10**12 + 1, "0.01", 999_900_000_000)],
)  # fmt: skip
def test_it_floors_the_tpp_paid(base: int, pct: str, paid: int) -> None:
    assert tpp_paid_of(base, Decimal(pct)) == paid


def test_it_floors_the_tpp_paid_of_a_month() -> None:
    days = [day_result(n, DayStatus.PRESENT, ("TL3", "1.25")) for n in range(7)]  # 8.75 %
    assert summarize(days, tpp_base=4_999_999).tpp_paid == 4_562_499


@pytest.mark.parametrize(
    ("manipulation", "zero", "pct", "paid"),
    [(True, True, "100", 0), (True, False, "3.0", 4_850_000), (False, True, "3.0", 4_850_000)],
)
def test_it_zeroes_the_tpp_of_proven_manipulation(
    manipulation: bool, zero: bool, pct: str, paid: int
) -> None:
    rules = dataclasses.replace(TPP, manipulation_zero=zero)
    days = [day_result(1, DayStatus.ABSENT, ("TK", "3.0"))]
    summary = summarize_month(days=days, rules=rules, tpp_base=5_000_000, manipulation=manipulation)
    assert (summary.deduction_pct, summary.tpp_paid) == (Decimal(pct), paid)
    assert summary.raw_pct == Decimal("3.0")
    assert summary.manipulation is manipulation


def test_it_refuses_a_day_twice_and_a_negative_base() -> None:
    with pytest.raises(ValueError, match="days resolved more than once: 2026-01-02"):
        summarize([day_result(1), day_result(1), day_result(2)])
    with pytest.raises(ValueError, match="tpp_base must not be negative"):
        summarize([], tpp_base=-1)


def test_it_summarizes_an_empty_month() -> None:
    summary = summarize([])
    assert (summary.working_days, summary.deduction_pct, summary.tpp_paid) == (0, 0, 5_000_000)


def _summary(working: int, present: int, excused: int) -> MonthSummary:
    days = [day_result(n) for n in range(present)]
    days += [leave(present + n, "cuti_tahunan") for n in range(excused)]
    absent = working - present - excused
    days += [day_result(present + excused + n, DayStatus.ABSENT) for n in range(absent)]
    return summarize(days)


@pytest.mark.parametrize(
    ("months", "rate"),
    [
        ([], None),
        ([(21, 19, 1)], Decimal("0.95")),
        ([(21, 21, 0)], Decimal(1)),
        ([(20, 0, 0)], Decimal(0)),
        ([(3, 0, 3)], None),  # every working day excused
        ([(0, 0, 0)], None),
        ([(21, 19, 1), (20, 18, 0), (3, 0, 3)], Decimal(37) / Decimal(40)),
        ([(10, 5, 2), (10, 10, 0)], Decimal(15) / Decimal(18)),
    ],
)
def test_it_computes_the_attendance_rate(
    months: list[tuple[int, int, int]], rate: Decimal | None
) -> None:
    assert attendance_rate(_summary(*m) for m in months) == rate


def test_it_counts_absences_as_present_in_the_attendance_rate() -> None:
    summary = summarize([leave(1, "dinas_luar"), leave(2, "izin"), day_result(3, DayStatus.ABSENT)])
    assert (summary.present_days, summary.excused_days, summary.working_days) == (1, 1, 3)
    assert attendance_rate([summary]) == Decimal("0.5")
