"""Per-region calendars (holidays, cuti bersama, Ramadan) and shift rosters.

Schedules with their checkpoints are part of the region's rule set (hadir.tpp); a roster entry
names, for one employee and one date, the schedule (shift) that applies, or that the day is off.
"""

from __future__ import annotations

from django.db import models

from hadir.calendars.choices import CalendarKind


class CalendarDay(models.Model):
    region = models.ForeignKey("org.Region", on_delete=models.CASCADE, related_name="calendar")
    date = models.DateField()
    kind = models.CharField(max_length=24, choices=CalendarKind.choices)
    name = models.CharField(max_length=200, blank=True)

    class Meta:
        ordering = ["region", "date"]
        constraints = [
            models.UniqueConstraint(fields=["region", "date", "kind"], name="calendar_day_unique")
        ]

    def __str__(self) -> str:
        return f"{self.date} {self.get_kind_display()} {self.name}"


class RosterEntry(models.Model):
    """One employee's shift on one date; an empty shift code means the day is off."""

    employee = models.ForeignKey("org.Employee", on_delete=models.CASCADE, related_name="roster")
    date = models.DateField()
    shift_code = models.CharField(max_length=32, blank=True, help_text="Empty: off (libur)")

    class Meta:
        ordering = ["employee", "date"]
        constraints = [
            models.UniqueConstraint(fields=["employee", "date"], name="roster_entry_unique")
        ]

    def __str__(self) -> str:
        return f"{self.employee} {self.date} {self.shift_code or 'libur'}"
