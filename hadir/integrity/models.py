"""Fraud cases opened by the BKPSDM admin from flagged check-ins, with their decision.

The risk score and its reasons live on the check-in itself (`attendance.CheckIn.risk_score`,
`risk_reasons`); a proven case writes `tpp.ManipulationFinding`s, which zero the month's TPP of
the employee and of the verifier who approved a record when the rule set's `manipulation_zero`
is true.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models

from hadir.integrity.choices import CaseStatus


class FraudCase(models.Model):
    region = models.ForeignKey("org.Region", on_delete=models.PROTECT, related_name="+")
    employee = models.ForeignKey(
        "org.Employee", on_delete=models.PROTECT, related_name="fraud_cases"
    )
    checkins = models.ManyToManyField("attendance.CheckIn", related_name="fraud_cases")
    status = models.CharField(max_length=16, choices=CaseStatus.choices, default=CaseStatus.OPEN)
    summary = models.TextField(help_text="Why the case was opened")
    opened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    opened_at = models.DateTimeField()
    decision = models.TextField(blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    findings = models.ManyToManyField("tpp.ManipulationFinding", blank=True, related_name="+")

    class Meta:
        ordering = ["-opened_at"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(status="open") | models.Q(decided_at__isnull=False),
                name="fraud_case_decided_has_time",
            )
        ]

    def __str__(self) -> str:
        return f"kasus #{self.pk} {self.employee} ({self.get_status_display()})"
