"""The atasan's monthly verification report and operator corrections awaiting approval."""

from __future__ import annotations

from django.conf import settings
from django.db import models

from hadir.verification.choices import CorrectionStatus


class MonthlyVerification(models.Model):
    """One subordinate's month, submitted as verified by their atasan (RULEBOOK.md section 7).

    Due before the `due_day` of the next month; `late` records a submission after it. The
    counts are what the atasan had decided when submitting.
    """

    employee = models.ForeignKey(
        "org.Employee", on_delete=models.PROTECT, related_name="monthly_verifications"
    )
    month = models.DateField(help_text="First day of the month")
    atasan = models.ForeignKey(
        "org.Employee", null=True, on_delete=models.SET_NULL, related_name="+"
    )
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    submitted_at = models.DateTimeField()
    due = models.DateField()
    late = models.BooleanField(default=False)
    approved = models.PositiveIntegerField(default=0)
    rejected = models.PositiveIntegerField(default=0)
    note = models.TextField(blank=True)

    class Meta:
        ordering = ["-month", "employee"]
        constraints = [
            models.UniqueConstraint(fields=["employee", "month"], name="monthly_verification_once")
        ]

    def __str__(self) -> str:
        return f"{self.employee} {self.month:%Y-%m}"


class Correction(models.Model):
    """A missing attendance record the operator adds with a reason and evidence; once the atasan
    approves it, it is written as a new AttendanceEvent (source operator). Raw events are never
    touched."""

    employee = models.ForeignKey(
        "org.Employee", on_delete=models.PROTECT, related_name="corrections"
    )
    at = models.DateTimeField(help_text="The missing record's time (UTC)")
    checkpoint = models.CharField(max_length=32)
    reason = models.TextField()
    evidence = models.FileField(upload_to="corrections/%Y/%m/")
    status = models.CharField(
        max_length=16, choices=CorrectionStatus.choices, default=CorrectionStatus.PENDING
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    requested_at = models.DateTimeField(auto_now_add=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    decision_reason = models.TextField(blank=True)
    event = models.OneToOneField(
        "attendance.AttendanceEvent",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="correction",
    )

    class Meta:
        ordering = ["-requested_at"]
        indexes = [models.Index(fields=["status", "employee"], name="correction_status")]

    def __str__(self) -> str:
        return f"{self.employee} {self.checkpoint} {self.at:%Y-%m-%d %H:%M} {self.status}"


class AtasanFlag(models.Model):
    """An atasan who left a subordinate's month unverified past the deadline (RULEBOOK.md 7)."""

    atasan = models.ForeignKey("org.Employee", on_delete=models.CASCADE, related_name="+")
    employee = models.ForeignKey("org.Employee", on_delete=models.CASCADE, related_name="+")
    month = models.DateField(help_text="First day of the month")
    unverified = models.PositiveIntegerField(default=0)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-month", "atasan"]
        constraints = [
            models.UniqueConstraint(fields=["atasan", "employee", "month"], name="atasan_flag_once")
        ]

    def __str__(self) -> str:
        return f"{self.atasan} {self.employee} {self.month:%Y-%m}"
