"""Attendance events from every channel (append-only), the resolved employee-days, and the
employee app's check-ins (with their frames and challenges)."""

from __future__ import annotations

from django.conf import settings
from django.db import models

from hadir.attendance.choices import (
    CheckInStatus,
    DayStatus,
    EventSource,
    Instruction,
    ReviewStatus,
)
from hadir.biometrics.storage import sealed_storage


class AttendanceEvent(models.Model):
    """One raw attendance record. Never edited: corrections are new events with a reason.

    `dedupe_key` makes every capture path idempotent: the client's idempotency key, the
    machine's (serial, PIN, time), or for imports (employee, time, source, checkpoint).
    """

    # Indexed by event_employee_at; a second index on the employee alone only costs inserts.
    employee = models.ForeignKey(
        "org.Employee", on_delete=models.PROTECT, related_name="attendance_events", db_index=False
    )
    at = models.DateTimeField(help_text="Time of record, stored in UTC")
    source = models.CharField(max_length=16, choices=EventSource.choices)
    checkpoint = models.CharField(max_length=32, blank=True)
    latitude = models.DecimalField(max_digits=9, decimal_places=6, null=True, blank=True)
    longitude = models.DecimalField(max_digits=9, decimal_places=6, null=True, blank=True)
    dedupe_key = models.CharField(max_length=128)  # unique: event_dedupe_key_unique
    received_at = models.DateTimeField(auto_now_add=True)
    created_by = models.CharField(max_length=150, blank=True)
    reason = models.TextField(blank=True, help_text="Required for operator corrections")

    class Meta:
        ordering = ["employee", "at"]
        indexes = [models.Index(fields=["employee", "at"], name="event_employee_at")]
        constraints = [
            # A constraint, not unique=True: that adds a LIKE index nothing uses.
            models.UniqueConstraint(fields=["dedupe_key"], name="event_dedupe_key_unique")
        ]

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

    region = models.ForeignKey(
        "org.Region", on_delete=models.CASCADE, related_name="+", db_index=False
    )  # indexed by stale_region_range
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


class CheckInChallenge(models.Model):
    """A used challenge: the nonce (signed by the server, valid ~2 minutes, bound to one device,
    hadir.attendance.nonces) is stored when a check-in uses it; the unique nonce refuses a
    second use. Issuing a challenge writes nothing."""

    device = models.ForeignKey(
        "devices.EmployeeDevice", on_delete=models.CASCADE, related_name="challenges"
    )
    nonce = models.CharField(max_length=64)  # unique: challenge_nonce_unique
    checkpoint = models.CharField(max_length=32, blank=True)
    instruction = models.CharField(max_length=16, choices=Instruction.choices)
    created_at = models.DateTimeField()
    expires_at = models.DateTimeField()
    used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        constraints = [models.UniqueConstraint(fields=["nonce"], name="challenge_nonce_unique")]

    def __str__(self) -> str:
        return f"{self.device_id} {self.nonce[:8]} {self.instruction}"


class CheckIn(models.Model):
    """One submission from the employee app, stored whatever its outcome.

    `at` is the time of record (server time online; device time corrected by the measured
    offset for offline records). Accepted and pending-review check-ins write an
    AttendanceEvent (`event`) in the same transaction; rejected ones have none. Background
    checks (hadir.attendance.checks) fill `risk_score` and `risk_reasons`; the atasan's
    review fills `review_*`, and a rejected review takes the event out of day resolution.
    """

    # Indexed by checkin_employee_at and the idempotency key's unique index.
    employee = models.ForeignKey(
        "org.Employee", on_delete=models.PROTECT, related_name="checkins", db_index=False
    )
    device = models.ForeignKey(
        "devices.EmployeeDevice", on_delete=models.PROTECT, related_name="checkins"
    )
    checkpoint = models.CharField(max_length=32)
    idempotency_key = models.CharField(max_length=64)
    at = models.DateTimeField(help_text="Time of record (UTC)")
    received_at = models.DateTimeField()
    device_time = models.DateTimeField(null=True, blank=True)
    latitude = models.FloatField(null=True, blank=True)
    longitude = models.FloatField(null=True, blank=True)
    accuracy_m = models.FloatField(null=True, blank=True)
    mock_location = models.BooleanField(null=True, blank=True)
    offline = models.BooleanField(default=False)
    status = models.CharField(max_length=16, choices=CheckInStatus.choices)
    reasons = models.JSONField(default=list, blank=True, help_text='[{"code", "detail"}]')
    site = models.CharField(max_length=200, blank=True, help_text="The site inside or nearest")
    distance_m = models.PositiveIntegerField(null=True, blank=True)
    instruction = models.CharField(max_length=16, choices=Instruction.choices, blank=True)
    challenge = models.OneToOneField(
        CheckInChallenge,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="checkin",
    )
    app_version = models.CharField(max_length=32, blank=True)
    # Offline records: their place in the device's signed chain.
    offline_seq = models.PositiveIntegerField(null=True, blank=True)
    offline_hash = models.CharField(max_length=64, blank=True)
    offline_record = models.JSONField(null=True, blank=True, help_text="The signed record")
    offline_signature = models.CharField(max_length=128, blank=True)
    # Background checks (biometrics, integrity): null until checked.
    risk_score = models.FloatField(null=True, blank=True)
    risk_reasons = models.JSONField(default=list, blank=True)
    checked_at = models.DateTimeField(null=True, blank=True)
    # The atasan's review.
    review_status = models.CharField(
        max_length=16, choices=ReviewStatus.choices, default=ReviewStatus.UNREVIEWED
    )
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    reviewed_at = models.DateTimeField(null=True, blank=True)
    review_reason = models.TextField(blank=True)
    event = models.OneToOneField(
        AttendanceEvent,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="checkin",
    )
    answer = models.JSONField(default=dict, help_text="The first answer, repeated on retries")

    class Meta:
        ordering = ["-at"]
        indexes = [
            models.Index(fields=["employee", "at"], name="checkin_employee_at"),
            models.Index(fields=["review_status", "status"], name="checkin_review"),
            # The unchecked few, which the background checks' sweep claims.
            models.Index(
                fields=["id"], name="checkin_unchecked", condition=models.Q(checked_at=None)
            ),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["employee", "idempotency_key"], name="checkin_idempotency_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.employee_id} {self.at:%Y-%m-%d %H:%M} {self.checkpoint} {self.status}"


def frame_name(checkin: CheckIn, index: int, sha256: str) -> str:
    """Where a frame is stored: under the employee and the UTC date of record, named by the
    check-in's idempotency key (unique per employee, known before the row is inserted)."""
    return (
        f"checkins/{checkin.employee_id}/{checkin.at:%Y-%m-%d}/"
        f"{checkin.idempotency_key}-{index}-{sha256[:16]}.jpg"
    )


def frames_name(checkin: CheckIn, sha256: str) -> str:
    """Where the frames of a check-in are stored together (hadir.biometrics.storage), named by
    the idempotency key and the first frame's hash; each frame is a part of that file."""
    return (
        f"checkins/{checkin.employee_id}/{checkin.at:%Y-%m-%d}/"
        f"{checkin.idempotency_key}-{sha256[:16]}.frames"
    )


def _frame_path(frame: CheckInFrame, filename: str) -> str:
    return frame_name(frame.checkin, frame.index, frame.sha256)


class CheckInFrame(models.Model):
    """One camera frame of a check-in (JPEG), encrypted at rest in the default storage under the
    employee id and the date of record; `sha256` is the hash of the exact bytes received."""

    checkin = models.ForeignKey(
        CheckIn, on_delete=models.CASCADE, related_name="frames", db_index=False
    )  # indexed by checkin_frame_unique
    index = models.PositiveSmallIntegerField()
    image = models.FileField(upload_to=_frame_path, max_length=255, storage=sealed_storage)
    sha256 = models.CharField(max_length=64)
    size = models.PositiveIntegerField()
    width = models.PositiveSmallIntegerField(default=0)
    height = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["checkin", "index"]
        constraints = [
            models.UniqueConstraint(fields=["checkin", "index"], name="checkin_frame_unique")
        ]

    def __str__(self) -> str:
        return f"{self.checkin_id}#{self.index}"
