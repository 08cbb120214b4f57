"""Consent to face processing, encrypted face templates, each check-in's face check, and the log
of every read of biometric data (UU PDP 27/2022, RULEBOOK.md section 8)."""

from __future__ import annotations

from django.db import models

from hadir.biometrics.choices import AccessPurpose, FaceCheckStatus, TemplateSource


class Consent(models.Model):
    """An employee's explicit consent to face processing; withdrawn by setting `withdrawn_at`.

    At most one open consent per employee; the history of earlier ones is kept."""

    employee = models.ForeignKey(
        "org.Employee", on_delete=models.CASCADE, related_name="biometric_consents"
    )
    given_at = models.DateTimeField()
    given_via = models.CharField(max_length=32, help_text="app, operator, ...")
    recorded_by = models.CharField(max_length=150)
    text_version = models.CharField(max_length=32, default="2026-1")
    withdrawn_at = models.DateTimeField(null=True, blank=True)
    withdrawn_by = models.CharField(max_length=150, blank=True)
    withdraw_reason = models.CharField(max_length=300, blank=True)

    class Meta:
        ordering = ["employee", "-given_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["employee"],
                condition=models.Q(withdrawn_at__isnull=True),
                name="biometric_one_open_consent",
            )
        ]

    def __str__(self) -> str:
        state = "ditarik" if self.withdrawn_at else "aktif"
        return f"persetujuan {self.employee_id} ({state})"


class FaceTemplate(models.Model):
    """The encrypted 128-d encodings of an employee's enrolled face (one row per employee).

    `ciphertext` is Fernet over the float32 vectors; it is never shown, only read through
    `template_read`, which logs the access."""

    employee = models.OneToOneField(
        "org.Employee", on_delete=models.CASCADE, related_name="face_template"
    )
    ciphertext = models.BinaryField()
    vectors = models.PositiveSmallIntegerField()
    source = models.CharField(max_length=16, choices=TemplateSource.choices)
    enrolled_at = models.DateTimeField()
    enrolled_by = models.CharField(max_length=150)
    quality = models.JSONField(default=dict, help_text="Measures of the enrolled photos")

    def __str__(self) -> str:
        return f"templat wajah {self.employee_id} ({self.vectors} vektor)"


class FaceCheck(models.Model):
    """The face work done on one check-in: liveness, match, perceptual hashes, the encoding
    (encrypted, for photo-reuse checks across employees) and how long it took."""

    checkin = models.OneToOneField(
        "attendance.CheckIn", on_delete=models.CASCADE, related_name="face_check"
    )
    employee = models.ForeignKey("org.Employee", on_delete=models.CASCADE, related_name="+")
    day = models.DateField(help_text="Local date of the check-in")
    status = models.CharField(max_length=16, choices=FaceCheckStatus.choices)
    frames = models.PositiveSmallIntegerField(default=0)
    faces_found = models.PositiveSmallIntegerField(default=0)
    distance = models.FloatField(null=True, blank=True)
    matched = models.BooleanField(null=True, blank=True)
    liveness_passed = models.BooleanField(null=True, blank=True)
    liveness_code = models.CharField(max_length=32, blank=True)
    liveness_measure = models.FloatField(null=True, blank=True)
    hashes = models.JSONField(default=list, blank=True, help_text="pHash (hex) of each frame")
    reused_from = models.ForeignKey(
        "attendance.CheckIn", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    shared_with = models.ForeignKey(
        "attendance.CheckIn",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="Another employee's check-in of the same day with a near-identical face",
    )
    embedding = models.BinaryField(null=True, blank=True)
    duration_ms = models.PositiveIntegerField(default=0)
    checked_at = models.DateTimeField()

    class Meta:
        indexes = [
            models.Index(fields=["employee", "day"], name="facecheck_employee_day"),
            models.Index(fields=["day"], name="facecheck_day"),
        ]

    def __str__(self) -> str:
        return f"pemeriksaan wajah check-in {self.checkin_id}: {self.status}"


class BiometricAccess(models.Model):
    """One read of biometric data: who, whose, what, why. Append-only."""

    at = models.DateTimeField(auto_now_add=True)
    actor = models.CharField(max_length=150)
    employee = models.ForeignKey(
        "org.Employee", null=True, on_delete=models.SET_NULL, related_name="+"
    )
    what = models.CharField(max_length=32, help_text="template, embedding, frame, ...")
    object_id = models.CharField(max_length=64, blank=True)
    purpose = models.CharField(max_length=16, choices=AccessPurpose.choices)
    detail = models.CharField(max_length=300, blank=True)

    class Meta:
        ordering = ["-at", "-id"]
        verbose_name_plural = "biometric accesses"

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.actor} {self.what} {self.employee_id}"
