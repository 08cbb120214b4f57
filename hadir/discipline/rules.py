"""Pure calculations of the discipline ladder (RULEBOOK.md sections 5 and 6).

No ORM, no clock, no settings: the service feeds resolved days and dates in, and acts on what
comes out. A day is `TK` (a working day with no record and no approved absence), `PRESENT`, or
`SKIP` (holiday, cuti bersama, non-working day of the schedule or roster, or an absence that
does not count as present): skipped days neither count towards nor break a run of TK days.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from enum import StrEnum

from hadir.tpp.ruleset.discipline import DisciplineRules, TallyStep


class Mark(StrEnum):
    TK = "tk"
    PRESENT = "present"
    SKIP = "skip"


def mark_of(status: str, *, counts_as_present: bool) -> Mark:
    """The mark of a resolved employee-day (attendance DayStatus values)."""
    if status == "absent":
        return Mark.TK
    if status == "present" or (status == "leave" and counts_as_present):
        return Mark.PRESENT
    return Mark.SKIP


@dataclass(frozen=True, slots=True)
class Streak:
    """A run of TK working days, skipped days between them allowed."""

    days: tuple[date, ...]

    @property
    def start(self) -> date:
        return self.days[0]

    @property
    def end(self) -> date:
        return self.days[-1]

    def __len__(self) -> int:
        return len(self.days)

    def day_reaching(self, count: int) -> date | None:
        """The date on which the run reached `count` TK days; None if it has not."""
        return self.days[count - 1] if len(self.days) >= count else None


def tk_streaks(days: Sequence[tuple[date, Mark]]) -> list[Streak]:
    """The runs of TK days in `days` (any order); a present day ends a run."""
    streaks: list[Streak] = []
    current: list[date] = []
    for day, mark in sorted(days):
        if mark is Mark.TK:
            current.append(day)
        elif mark is Mark.PRESENT and current:
            streaks.append(Streak(tuple(current)))
            current = []
    if current:
        streaks.append(Streak(tuple(current)))
    return streaks


def tally_days(
    *, tk_days: int, late_minutes: int, early_minutes: int, rules: DisciplineRules
) -> int:
    """PP 94/2021 days of unexcused absence in a year: TK days, plus late and early minutes
    converted at `minutes_per_day` (7.5 hours) per day when the rule set says so."""
    if not rules.convert_minutes:
        return tk_days
    return tk_days + (late_minutes + early_minutes) // rules.minutes_per_day


def tally_step(days: int, table: Sequence[TallyStep]) -> TallyStep | None:
    """The sanction the yearly tally reaches: the last step whose `from_days` it meets."""
    reached = None
    for step in table:
        if days >= step.from_days:
            reached = step
    return reached


def warning_due(streak: Streak, rules: DisciplineRules) -> date | None:
    """The day a run earns the warning to the employee; None if it is too short."""
    return streak.day_reaching(rules.warn_after_days)


def heavy_due(streak: Streak, rules: DisciplineRules) -> date | None:
    return streak.day_reaching(rules.heavy_consecutive_days)


class LadderStep(StrEnum):
    NONE = "none"
    REPRIMAND = "reprimand"  # no clarification in time: teguran to the atasan, the OPD coaches
    PASAL_28 = "pasal_28"  # no OPD action in time: sanction recommendation against the atasan


@dataclass(frozen=True, slots=True)
class WarningState:
    issued_on: date
    clarified: bool  # a clarification was submitted (pending or decided)
    closed: bool  # accepted, or decided against (rejected: the warning stands, the ladder ends)
    reprimanded_on: date | None
    acted_on: date | None  # the OPD recorded coaching or another action
    recommended_on: date | None


def ladder_next(state: WarningState, on: date, rules: DisciplineRules) -> LadderStep:
    """The step of the ladder a warning takes on day `on`, given its history."""
    if state.closed or state.recommended_on is not None:
        return LadderStep.NONE
    if state.reprimanded_on is None:
        if state.clarified:
            return LadderStep.NONE
        if on > state.issued_on + timedelta(days=rules.clarify_within_days):
            return LadderStep.REPRIMAND
        return LadderStep.NONE
    if state.acted_on is None and on > state.reprimanded_on + timedelta(
        days=rules.opd_action_within_days
    ):
        return LadderStep.PASAL_28
    return LadderStep.NONE


def add_working_days(start: date, count: int, holidays: frozenset[date]) -> date:
    """`count` working days (Mon-Fri, not a holiday) after `start`."""
    day = start
    while count > 0:
        day += timedelta(days=1)
        if day.weekday() < 5 and day not in holidays:
            count -= 1
    return day


def working_days_between(first: date, last: date, holidays: frozenset[date]) -> int:
    """Working days (Mon-Fri, not a holiday) after `first` up to and including `last`."""
    count, day = 0, first
    while day < last:
        day += timedelta(days=1)
        if day.weekday() < 5 and day not in holidays:
            count += 1
    return count
