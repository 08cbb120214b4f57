"""The daily job: the warning ladder and the PP 94/2021 tallies of a region as of a date.

Idempotent: warnings are unique per (employee, first TK day of the run), cases by a key, and
outbox rows by an idempotency key, so running a date twice creates and sends nothing twice.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, timedelta
from zoneinfo import ZoneInfo

from django.db import transaction
from django.db.models import Count, Min, Q, Sum

from hadir.attendance.models import AttendanceEvent, EmployeeDay
from hadir.attendance.services import days_resolve, stale_resolve
from hadir.audit.services import audit_record
from hadir.core.errors import DomainError
from hadir.discipline.choices import CaseKind, WarningStatus
from hadir.discipline.models import AbsenceWarning, DisciplineCase
from hadir.discipline.notices import notify_case, notify_pasal28, notify_reprimand, notify_warning
from hadir.discipline.rules import (
    LadderStep,
    Mark,
    Streak,
    WarningState,
    heavy_due,
    ladder_next,
    mark_of,
    tally_days,
    tally_step,
    tk_streaks,
    warning_due,
)
from hadir.discipline.services import case_open
from hadir.org.models import Employee, Region
from hadir.org.services import employee_atasan
from hadir.tpp.ruleset.discipline import DisciplineRules
from hadir.tpp.selectors import RuleBook

# Runs of TK days are looked for in this many days before the date judged.
LOOKBACK_DAYS = 90


@dataclass
class RunCounts:
    warnings: int = 0
    reprimands: int = 0
    recommendations: int = 0
    cases: int = 0
    regions: list[str] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)

    def line(self, on: date) -> str:
        return (
            f"discipline ladder for {on.isoformat()}: {self.warnings} warnings, "
            f"{self.reprimands} reprimands to atasan, {self.recommendations} Pasal 28 "
            f"recommendations, {self.cases} cases opened "
            f"(regions: {', '.join(self.regions) or 'none'})"
            + "".join(f"\nskipped {problem}" for problem in self.skipped)
        )


def _ensure_resolved(region: Region, start: date, end: date) -> None:
    """Resolve stale days, and any day never resolved, before judging them."""
    stale_resolve(region=region, start=start, end=end)
    expected = (end - start).days + 1
    counts = dict(
        EmployeeDay.objects.filter(employee__region=region, date__gte=start, date__lte=end)
        .values("employee")
        .annotate(n=Count("id"))
        .values_list("employee", "n")
    )
    ids = Employee.objects.filter(region=region, active=True).values_list("id", flat=True)
    incomplete = [eid for eid in ids if counts.get(eid, 0) != expected]
    if incomplete:
        days_resolve(region=region, start=start, end=end, employee_ids=incomplete)


def _streaks(region: Region, start: date, on: date, *, truncated: bool) -> dict[int, list[Streak]]:
    """Each employee's runs of TK days in [start, on]. When the window was cut short by the
    lookback (`truncated`), a run on its first day may have begun before it and was judged
    then: only runs that begin inside the window are returned."""
    absent = set(
        EmployeeDay.objects.filter(
            employee__region=region,
            employee__active=True,
            date__gte=start,
            date__lte=on,
            status="absent",
        ).values_list("employee_id", flat=True)
    )
    marks: dict[int, list[tuple[date, Mark]]] = defaultdict(list)
    rows = EmployeeDay.objects.filter(employee_id__in=absent, date__gte=start, date__lte=on)
    for eid, day, status, present in rows.values_list(
        "employee_id", "date", "status", "counts_as_present"
    ):
        marks[eid].append((day, mark_of(status, counts_as_present=present)))
    result: dict[int, list[Streak]] = {}
    for eid, days in marks.items():
        runs = tk_streaks(days)
        counted = [mark for _, mark in sorted(days) if mark is not Mark.SKIP]
        if truncated and runs and counted and counted[0] is Mark.TK:
            runs = runs[1:]  # the window opens inside this run
        result[eid] = runs
    return result


def _warn(region: Region, since: date, on: date, rules: DisciplineRules, counts: RunCounts) -> None:
    lookback = on - timedelta(days=LOOKBACK_DAYS)
    streaks = _streaks(region, max(since, lookback), on, truncated=lookback > since)
    known: dict[int, list[AbsenceWarning]] = defaultdict(list)
    for w in AbsenceWarning.objects.filter(employee_id__in=list(streaks)):
        known[w.employee_id].append(w)
    employees = Employee.objects.select_related("region", "unit").in_bulk(list(streaks))
    for eid, runs in streaks.items():
        for streak in runs:
            warn_day = warning_due(streak, rules)
            if warn_day is None:
                continue
            warning = next((w for w in known[eid] if w.streak_start in streak.days), None)
            with transaction.atomic():
                if warning is None:
                    warning = _warning_create(employees[eid], streak, on, rules)
                    known[eid].append(warning)
                    counts.warnings += 1
                elif streak.end > warning.streak_end:
                    warning.streak_end, warning.tk_days = streak.end, len(streak)
                    warning.save(update_fields=["streak_end", "tk_days"])
                heavy_day = heavy_due(streak, rules)
                if heavy_day is not None:
                    key = f"consecutive:{eid}:{warning.streak_start.isoformat()}"
                    case = case_open(
                        employee=employees[eid],
                        kind=CaseKind.CONSECUTIVE,
                        key=key,
                        on=on,
                        tally=len(streak),
                        recommended="pemberhentian",
                        warning=warning,
                    )
                    if case is not None:
                        counts.cases += 1
                        notify_case(case)


def _warning_create(
    employee: Employee, streak: Streak, on: date, rules: DisciplineRules
) -> AbsenceWarning:
    warning = AbsenceWarning.objects.create(
        employee=employee,
        streak_start=streak.start,
        streak_end=streak.end,
        tk_days=len(streak),
        issued_on=on,
        clarify_by=on + timedelta(days=rules.clarify_within_days),
        atasan=employee_atasan(employee),
    )
    audit_record(
        actor="system",
        action="discipline.warning",
        object_type="AbsenceWarning",
        object_id=str(warning.id),
        data={"employee": employee.key, "start": streak.start, "end": streak.end},
    )
    notify_warning(warning)
    return warning


def _escalate(region: Region, on: date, rules: DisciplineRules, counts: RunCounts) -> None:
    open_warnings = AbsenceWarning.objects.filter(
        employee__region=region,
        status__in=[WarningStatus.OPEN, WarningStatus.CLARIFIED, WarningStatus.REPRIMANDED],
    ).select_related("employee__unit", "employee__region", "atasan")
    for w in open_warnings:
        state = WarningState(
            issued_on=w.issued_on,
            clarified=w.status == WarningStatus.CLARIFIED,
            closed=False,
            reprimanded_on=w.reprimanded_on,
            acted_on=w.acted_on,
            recommended_on=w.recommended_on,
        )
        step = ladder_next(state, on, rules)
        if step is LadderStep.NONE:
            continue
        with transaction.atomic():
            locked = AbsenceWarning.objects.select_for_update().get(id=w.id)
            if locked.status != w.status:
                continue
            if step is LadderStep.REPRIMAND:
                w.status, w.reprimanded_on = WarningStatus.REPRIMANDED, on
                w.atasan = w.atasan or employee_atasan(w.employee)
                w.save(update_fields=["status", "reprimanded_on", "atasan"])
                notify_reprimand(w, rules)
                counts.reprimands += 1
            else:
                w.status, w.recommended_on = WarningStatus.RECOMMENDED, on
                w.save(update_fields=["status", "recommended_on"])
                if w.atasan is not None:
                    case = case_open(
                        employee=w.atasan,
                        kind=CaseKind.PASAL_28,
                        key=f"pasal28:{w.id}",
                        on=on,
                        warning=w,
                        note=(
                            f"PP 94/2021 Pasal 28: tidak menindaklanjuti ketidakhadiran "
                            f"{w.employee.name} {w.streak_start}..{w.streak_end}"
                        ),
                    )
                    counts.cases += case is not None
                notify_pasal28(w)
                counts.recommendations += 1
            audit_record(
                actor="system",
                action=f"discipline.{step.value}",
                object_type="AbsenceWarning",
                object_id=str(w.id),
                data={"on": on},
            )


def _tallies(
    region: Region, since: date, on: date, rules: DisciplineRules, counts: RunCounts
) -> None:
    year_start = max(since, date(on.year, 1, 1))
    totals = (
        EmployeeDay.objects.filter(
            employee__region=region, employee__active=True, date__gte=year_start, date__lte=on
        )
        .values("employee")
        .annotate(
            tk=Count("id", filter=Q(status="absent")),
            late=Sum("late_minutes"),
            early=Sum("early_minutes"),
        )
        .filter(Q(tk__gt=0) | Q(late__gt=0) | Q(early__gt=0))
    )
    order = {step.sanction: i for i, step in enumerate(rules.tally)}
    reached: dict[int, tuple[int, int]] = {}
    for row in totals:
        days = tally_days(
            tk_days=row["tk"],
            late_minutes=row["late"] or 0,
            early_minutes=row["early"] or 0,
            rules=rules,
        )
        step = tally_step(days, rules.tally)
        if step is not None:
            reached[row["employee"]] = (days, order[step.sanction])
    if not reached:
        return
    held: dict[int, int] = defaultdict(lambda: -1)
    for eid, sanction in DisciplineCase.objects.filter(
        employee_id__in=list(reached), kind=CaseKind.TALLY, year=on.year
    ).values_list("employee_id", "recommended"):
        held[eid] = max(held[eid], order.get(sanction, -1))
    employees = Employee.objects.select_related("region", "unit").in_bulk(list(reached))
    for eid, (days, index) in reached.items():
        if index <= held[eid]:
            continue
        step = rules.tally[index]
        with transaction.atomic():
            case = case_open(
                employee=employees[eid],
                kind=CaseKind.TALLY,
                key=f"tally:{eid}:{on.year}:{step.sanction}",
                on=on,
                tally=days,
                recommended=step.sanction,
            )
            if case is not None:
                counts.cases += 1
                notify_case(case)


def _judged_from(region: Region) -> date | None:
    """The region's first day with any attendance record: days before it (before the region
    started using hadir) are never judged, so going live does not warn everyone at once."""
    first = AttendanceEvent.objects.filter(employee__region=region).aggregate(m=Min("at"))["m"]
    return None if first is None else first.astimezone(ZoneInfo(region.timezone)).date()


def discipline_run_region(*, region: Region, on: date, counts: RunCounts) -> None:
    book = RuleBook(region)
    if not book:
        return
    try:
        rules = book.in_force(on).rules.discipline
    except DomainError:  # the region's first rule set takes effect later
        return
    since = _judged_from(region)
    if since is not None and since <= on:
        start = max(since, min(date(on.year, 1, 1), on - timedelta(days=LOOKBACK_DAYS)))
        _ensure_resolved(region, start, on)
        _warn(region, since, on, rules, counts)
        _tallies(region, since, on, rules, counts)
    _escalate(region, on, rules, counts)
    counts.regions.append(region.code)
