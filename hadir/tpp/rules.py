"""Monthly summary, TPP and the unit attendance rate (CONTRACT.md sections 4 and 5).

Pure: the month is summed from already resolved employee-days; no ORM, no settings, no clock.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import ROUND_FLOOR, Decimal, localcontext

from hadir.attendance.rules import DayResult, DayStatus, Deduction
from hadir.tpp.ruleset import TppRules

HUNDRED = Decimal(100)


@dataclass(frozen=True, slots=True)
class MonthSummary:
    working_days: int
    present_days: int
    absent_days: int
    excused_days: int
    late: dict[str, int]  # "TL1".."TLn", every key present
    early: dict[str, int]  # "PSW1".."PSWn", every key present
    missed_checkpoints: int
    apel_missed: int
    absences: dict[str, int]  # absence type -> working days it covered (only types with > 0)
    month_deductions: tuple[Deduction, ...]  # band deductions, code = absence type
    raw_pct: Decimal  # sum of every day and month deduction, before the cap
    deduction_pct: Decimal  # after the cap (100 for manipulation under manipulation_zero)
    tpp_base: int
    tpp_paid: int
    manipulation: bool


def _tier_counts(prefix: str, tiers: int, entries: Iterable[int]) -> dict[str, int]:
    counts = {f"{prefix}{i}": 0 for i in range(1, tiers + 1)}
    for index in entries:  # a day resolved under rules with more tiers keeps its own key
        counts[f"{prefix}{index}"] = counts.get(f"{prefix}{index}", 0) + 1
    return counts


def tpp_paid_of(tpp_base: int, deduction_pct: Decimal) -> int:
    """floor(tpp_base * (100 - deduction_pct) / 100), computed exactly."""
    with localcontext() as ctx:
        ctx.prec = 60
        paid = Decimal(tpp_base) * (HUNDRED - deduction_pct) / HUNDRED
        return int(paid.to_integral_value(rounding=ROUND_FLOOR))


def summarize_month(
    *, days: Sequence[DayResult], rules: TppRules, tpp_base: int, manipulation: bool = False
) -> MonthSummary:
    """Sum one employee's resolved days of a month into counts, deductions and the TPP paid.

    `rules` are the rules in force on the first day of the month: they give the bands, the cap
    and the tier keys; each day's own deductions were computed with that day's rules.
    """
    if tpp_base < 0:
        raise ValueError(f"tpp_base must not be negative, got {tpp_base}")
    seen = Counter(d.day for d in days)
    if duplicates := sorted(day.isoformat() for day, n in seen.items() if n > 1):
        raise ValueError(f"days resolved more than once: {', '.join(duplicates)}")
    absences = Counter(d.absence for d in days if d.status == DayStatus.LEAVE and d.absence)
    month_deductions = tuple(
        Deduction(kind, pct)
        for kind, rule in rules.absences.items()
        if rule.bands and (pct := rule.band_pct(absences.get(kind, 0))) > 0
    )
    raw = sum((x.pct for d in days for x in d.deductions), Decimal(0))
    raw += sum((x.pct for x in month_deductions), Decimal(0))
    if manipulation and rules.manipulation_zero:
        deduction_pct, paid = HUNDRED, 0
    else:
        deduction_pct = min(raw, rules.cap_pct)
        paid = tpp_paid_of(tpp_base, deduction_pct)
    return MonthSummary(
        working_days=sum(1 for d in days if d.working),
        present_days=sum(1 for d in days if d.present),
        absent_days=sum(1 for d in days if d.status == DayStatus.ABSENT),
        excused_days=sum(1 for d in days if d.excused),
        late=_tier_counts("TL", len(rules.late.tiers), (t for d in days for t in d.late_tiers)),
        early=_tier_counts("PSW", len(rules.early.tiers), (t for d in days for t in d.early_tiers)),
        missed_checkpoints=sum(d.missed_marks for d in days),
        apel_missed=sum(d.missed_apel for d in days),
        absences=dict(sorted(absences.items())),
        month_deductions=month_deductions,
        raw_pct=raw,
        deduction_pct=deduction_pct,
        tpp_base=tpp_base,
        tpp_paid=paid,
        manipulation=manipulation,
    )


def attendance_rate(summaries: Iterable[MonthSummary]) -> Decimal | None:
    """Present days / (working days - excused days) over the given summaries; None when no day
    counts (the denominator is 0)."""
    present = working = excused = 0
    for s in summaries:
        present += s.present_days
        working += s.working_days
        excused += s.excused_days
    if working - excused <= 0:
        return None
    return Decimal(present) / Decimal(working - excused)
