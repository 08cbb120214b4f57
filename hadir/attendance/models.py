"""Attendance events from every channel (append-only) and the resolved employee-days."""

from __future__ import annotations

from django.db import models

from hadir.attendance.choices import DayStatus, EventSource


class AttendanceEvent(models.Model):
    """One raw attendance record. Never edited: corrections are new events with a reason.

    `dedupe_key` makes every capture path idempotent: the client's idempotency key, the
    machine's (serial, PIN, time), or for imports (employee, time, source, checkpoint).
    """

    employee = models.ForeignKey(
        "org.Employee", on_delete=models.PROTECT, related_name="attendance_events"
    )
    at = models.DateTimeField(help_text="Time of record, stored in UTC")
    source = models.CharField(max_length=16, choices=EventSource.choices)
    checkpoint = models.CharField(max_length=32, blank=True)
    latitude = models.DecimalField(max_digits=9, decimal_places=6, null=True, blank=True)
    longitude = models.DecimalField(max_digits=9, decimal_places=6, null=True, blank=True)
    dedupe_key = models.CharField(max_length=128, unique=True)
    received_at = models.DateTimeField(auto_now_add=True)
    created_by = models.CharField(max_length=150, blank=True)
    reason = models.TextField(blank=True, help_text="Required for operator corrections")

    class Meta:
        ordering = ["employee", "at"]
        indexes = [models.Index(fields=["employee", "at"], name="event_employee_at")]

    def __str__(self) -> str:
        return f"{self.employee_id} {self.at:%Y-%m-%d %H:%M} {self.source}"


class EmployeeDay(models.Model):
    """The resolution of one employee's day under the rule set in force (a derived record)."""

    employee = models.ForeignKey("org.Employee", on_delete=models.CASCADE, related_name="days")
    date = models.DateField()
    status = models.CharField(max_length=16, choices=DayStatus.choices)
    absence = models.CharField(max_length=32, blank=True)
    counts_as_present = models.BooleanField(default=False)
    schedule_code = models.CharField(max_length=32, blank=True)
    late_minutes = models.PositiveIntegerField(default=0)
    early_minutes = models.PositiveIntegerField(default=0)
    late_tiers = models.JSONField(default=list)
    early_tiers = models.JSONField(default=list)
    missed_marks = models.PositiveSmallIntegerField(default=0)
    missed_apel = models.PositiveSmallIntegerField(default=0)
    checkpoints = models.JSONField(default=dict)
    deductions = models.JSONField(default=list, help_text='[["TL1", "0.5"], ...]')
    rule_set = models.ForeignKey(
        "tpp.RuleSetVersion", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    resolved_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["employee", "date"]
        constraints = [
            models.UniqueConstraint(fields=["employee", "date"], name="employee_day_unique")
        ]

    def __str__(self) -> str:
        return f"{self.employee_id} {self.date} {self.status}"


class StaleRange(models.Model):
    """Employee-days that must be resolved again because their inputs changed.

    Written in the same transaction as the change (events, absences, calendar, rules, unit
    or employee edits); removed once the days are resolved. `employee` empty: every employee
    of the region. A recap resolves what is stale in its month before it reads.
    """

    region = models.ForeignKey("org.Region", on_delete=models.CASCADE, related_name="+")
    employee = models.ForeignKey(
        "org.Employee", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    start = models.DateField()
    end = models.DateField()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        indexes = [models.Index(fields=["region", "start", "end"], name="stale_region_range")]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(end__gte=models.F("start")), name="stale_range_order"
            )
        ]

    def __str__(self) -> str:
        who = self.employee_id or "all"
        return f"{self.region_id}/{who} {self.start}..{self.end}"
