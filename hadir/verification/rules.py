"""Pure dates of the monthly verification cycle (RULEBOOK.md section 7): no ORM, no clock."""

from __future__ import annotations

from datetime import date, timedelta


def month_start(day: date) -> date:
    return day.replace(day=1)


def next_month(month: date) -> date:
    return (month.replace(day=28) + timedelta(days=4)).replace(day=1)


def previous_month(month: date) -> date:
    return (month.replace(day=1) - timedelta(days=1)).replace(day=1)


def due_date(month: date, due_day: int) -> date:
    """The report of `month` is due before this date (the `due_day` of the next month)."""
    return next_month(month).replace(day=due_day)


def is_late(month: date, due_day: int, today: date) -> bool:
    """Submitted on `today` (local): late on or after the due day."""
    return today >= due_date(month, due_day)


def reminder_due(
    month: date, due_day: int, days_before: tuple[int, ...], today: date
) -> int | None:
    """How many days before the deadline `today` is, when a reminder is due today; else None."""
    for n in days_before:
        if today == due_date(month, due_day) - timedelta(days=n):
            return n
    return None
