"""Absences (leave, permission, sick, official travel) with their status."""

from __future__ import annotations

from django.conf import settings
from django.db import models

from hadir.absences.choices import AbsenceChannel, AbsenceStatus, AbsenceType


class Absence(models.Model):
    employee = models.ForeignKey("org.Employee", on_delete=models.PROTECT, related_name="absences")
    type = models.CharField(max_length=32, choices=AbsenceType.choices)
    start_date = models.DateField()
    end_date = models.DateField()
    status = models.CharField(
        max_length=16, choices=AbsenceStatus.choices, default=AbsenceStatus.PENDING
    )
    reference = models.CharField(max_length=200, blank=True, help_text="SPT number, letter, ...")
    reason = models.TextField(blank=True, help_text="The employee's or operator's explanation")
    document = models.FileField(
        upload_to="absences/%Y/%m/", blank=True, help_text="Sick note, SPT scan, letter, ..."
    )
    channel = models.CharField(
        max_length=16, choices=AbsenceChannel.choices, default=AbsenceChannel.IMPORT
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    decision_reason = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["employee", "start_date"]
        constraints = [
            models.UniqueConstraint(
                fields=["employee", "type", "start_date", "end_date"], name="absence_unique"
            ),
            models.CheckConstraint(
                condition=models.Q(end_date__gte=models.F("start_date")), name="absence_dates_order"
            ),
        ]
        indexes = [models.Index(fields=["employee", "start_date", "end_date"], name="absence_span")]

    def __str__(self) -> str:
        return f"{self.employee} {self.type} {self.start_date}..{self.end_date} {self.status}"
