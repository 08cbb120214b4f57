"""Warnings of the escalation ladder, clarifications, and discipline cases with their steps."""

from __future__ import annotations

from django.db import models

from hadir.discipline.choices import (
    CaseKind,
    CaseStatus,
    ClarificationDecision,
    Sanction,
    StepKind,
    WarningStatus,
)


class AbsenceWarning(models.Model):
    """A warning for a run of TK working days (RULEBOOK.md section 6), and where its ladder is.

    Named AbsenceWarning, not Warning, so as not to shadow Python's built-in `Warning`.
    """

    employee = models.ForeignKey("org.Employee", on_delete=models.PROTECT, related_name="warnings")
    streak_start = models.DateField(help_text="First TK day of the run")
    streak_end = models.DateField(help_text="Last TK day of the run seen so far")
    tk_days = models.PositiveSmallIntegerField()
    issued_on = models.DateField()
    clarify_by = models.DateField()
    status = models.CharField(
        max_length=16, choices=WarningStatus.choices, default=WarningStatus.OPEN
    )
    reprimanded_on = models.DateField(null=True, blank=True)
    atasan = models.ForeignKey(
        "org.Employee", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    acted_on = models.DateField(
        null=True, blank=True, help_text="The OPD recorded coaching or another action"
    )
    action_note = models.TextField(blank=True)
    recommended_on = models.DateField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-issued_on", "employee"]
        constraints = [
            models.UniqueConstraint(fields=["employee", "streak_start"], name="warning_per_streak")
        ]

    def __str__(self) -> str:
        return f"{self.employee} TK {self.streak_start}..{self.streak_end} ({self.status})"


class Clarification(models.Model):
    """The employee's answer to a warning, with evidence, and the atasan's decision."""

    warning = models.OneToOneField(
        AbsenceWarning, on_delete=models.CASCADE, related_name="clarification"
    )
    text = models.TextField()
    evidence = models.FileField(upload_to="clarifications/%Y/%m/", blank=True)
    submitted_at = models.DateTimeField()
    decision = models.CharField(
        max_length=16, choices=ClarificationDecision.choices, default=ClarificationDecision.PENDING
    )
    decided_by = models.ForeignKey(
        "org.Employee", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    reason = models.TextField(blank=True)

    def __str__(self) -> str:
        return f"klarifikasi {self.warning_id} ({self.decision})"


class DisciplineCase(models.Model):
    """A case under PP 94/2021: the system recommends the sanction, people decide."""

    employee = models.ForeignKey(
        "org.Employee", on_delete=models.PROTECT, related_name="discipline_cases"
    )
    kind = models.CharField(max_length=16, choices=CaseKind.choices)
    key = models.CharField(max_length=120, unique=True, help_text="Makes the daily job idempotent")
    year = models.PositiveSmallIntegerField()
    opened_on = models.DateField()
    tally_days = models.PositiveSmallIntegerField(default=0)
    level = models.CharField(max_length=8, blank=True, help_text="ringan, sedang or berat")
    recommended = models.CharField(max_length=32, choices=Sanction.choices, blank=True)
    warning = models.ForeignKey(
        AbsenceWarning, null=True, blank=True, on_delete=models.SET_NULL, related_name="cases"
    )
    status = models.CharField(max_length=16, choices=CaseStatus.choices, default=CaseStatus.OPEN)
    decided_sanction = models.CharField(max_length=32, choices=Sanction.choices, blank=True)
    note = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-opened_on", "employee"]

    def __str__(self) -> str:
        return f"{self.employee} {self.get_kind_display()} {self.opened_on}"


class CaseStep(models.Model):
    """One step of a case: summons, examination record (BAP), decision; dates and document."""

    case = models.ForeignKey(DisciplineCase, on_delete=models.CASCADE, related_name="steps")
    kind = models.CharField(max_length=16, choices=StepKind.choices)
    earliest_on = models.DateField(null=True, blank=True)
    due_on = models.DateField(null=True, blank=True)
    done_on = models.DateField(null=True, blank=True)
    document = models.FileField(upload_to="discipline/%Y/%m/", blank=True)
    note = models.TextField(blank=True)
    recorded_by = models.CharField(max_length=150, blank=True)

    class Meta:
        ordering = ["case", "id"]
        constraints = [models.UniqueConstraint(fields=["case", "kind"], name="case_step_unique")]

    def __str__(self) -> str:
        return f"{self.case_id} {self.kind}"
