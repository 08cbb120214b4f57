"""Fingerprint machines (their command queue, what they send that is not an event) and the
employee app's devices: key-bound phones, their bearer tokens and the minimum app version."""

from __future__ import annotations

from django.db import models

from hadir.biometrics.storage import sealed_storage
from hadir.devices.choices import (
    AlertKind,
    CommandKind,
    CommandStatus,
    DeviceStatus,
    RecordTable,
)


class FingerprintMachine(models.Model):
    """A machine, known by its serial number. An unknown serial that knocks is stored with
    `approved` false: a registration request the admin approves after choosing its unit."""

    serial = models.CharField(max_length=40, unique=True)
    name = models.CharField(max_length=200, blank=True)
    region = models.ForeignKey(
        "org.Region", null=True, blank=True, on_delete=models.PROTECT, related_name="machines"
    )
    unit = models.ForeignKey(
        "org.Unit", null=True, blank=True, on_delete=models.PROTECT, related_name="machines"
    )
    approved = models.BooleanField(default=False)
    first_seen_at = models.DateTimeField(auto_now_add=True)
    last_contact_at = models.DateTimeField(null=True, blank=True)
    last_ip = models.GenericIPAddressField(null=True, blank=True)
    last_upload_at = models.DateTimeField(null=True, blank=True)
    records_day = models.DateField(null=True, blank=True)
    records_count = models.PositiveIntegerField(
        default=0, help_text="New events received on records_day (server date)"
    )
    push_version = models.CharField(max_length=64, blank=True)
    info = models.CharField(max_length=500, blank=True, help_text="The machine's INFO string")
    attlog_stamp = models.CharField(max_length=32, blank=True)
    operlog_stamp = models.CharField(max_length=32, blank=True)
    attphoto_stamp = models.CharField(max_length=32, blank=True)
    clock_offset_s = models.IntegerField(
        null=True, blank=True, help_text="Newest record minus arrival, last upload (docs)"
    )
    clock_skewed = models.BooleanField(default=False)
    # LAN pull (pyzk) for machines that cannot push.
    pull_host = models.CharField(max_length=255, blank=True)
    pull_port = models.PositiveIntegerField(default=4370)
    pull_password = models.PositiveIntegerField(default=0)
    pull_interval_s = models.PositiveIntegerField(default=900)
    next_pull_at = models.DateTimeField(null=True, blank=True)
    last_pull_error = models.CharField(max_length=500, blank=True)

    class Meta:
        ordering = ["serial"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(approved=False) | models.Q(unit__isnull=False),
                name="machine_approved_has_unit",
            )
        ]

    def __str__(self) -> str:
        return f"{self.serial} {self.name}".strip()


class MachineCommand(models.Model):
    """A command queued for a machine, fetched by getrequest, answered through devicecmd."""

    machine = models.ForeignKey(
        FingerprintMachine, on_delete=models.CASCADE, related_name="commands"
    )
    kind = models.CharField(max_length=16, choices=CommandKind.choices)
    text = models.CharField(max_length=500)
    status = models.CharField(
        max_length=8, choices=CommandStatus.choices, default=CommandStatus.QUEUED
    )
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.CharField(max_length=150, blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    done_at = models.DateTimeField(null=True, blank=True)
    return_code = models.IntegerField(null=True, blank=True)
    result = models.CharField(max_length=600, blank=True)

    class Meta:
        ordering = ["machine", "id"]
        indexes = [models.Index(fields=["machine", "status", "id"], name="command_queue")]

    def __str__(self) -> str:
        return f"{self.machine_id} C:{self.id} {self.text[:40]} ({self.status})"


class UnknownPin(models.Model):
    """A record whose PIN matches no employee of the machine's region: kept aside, not dropped.
    Claimed (turned into an event) once an employee with that PIN exists."""

    machine = models.ForeignKey(FingerprintMachine, on_delete=models.CASCADE, related_name="+")
    pin = models.CharField(max_length=24)
    local_time = models.CharField(max_length=19, help_text="The machine's wall time")
    at = models.DateTimeField(help_text="UTC, in the unit's time zone when received")
    status = models.SmallIntegerField(default=0)
    verify = models.SmallIntegerField(default=0)
    received_at = models.DateTimeField(auto_now_add=True)
    claimed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["machine", "pin", "at"]
        constraints = [
            models.UniqueConstraint(
                fields=["machine", "pin", "local_time"], name="unknown_pin_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.machine_id} PIN {self.pin} {self.at:%Y-%m-%d %H:%M}"


class MachineRecord(models.Model):
    """What a machine sends besides attendance: OPERLOG/USER lines, photos, options."""

    machine = models.ForeignKey(FingerprintMachine, on_delete=models.CASCADE, related_name="+")
    table = models.CharField(max_length=16, choices=RecordTable.choices)
    content = models.TextField(blank=True)
    photo = models.FileField(upload_to="devices/photos/", blank=True, storage=sealed_storage)
    received_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-id"]

    def __str__(self) -> str:
        return f"{self.machine_id} {self.table} {self.content[:40]}"


class RejectedLine(models.Model):
    """A line or body refused as malformed, kept for the admin to see (nothing else stored)."""

    machine = models.ForeignKey(
        FingerprintMachine, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    serial = models.CharField(max_length=40, blank=True)
    table = models.CharField(max_length=16, blank=True)
    line = models.CharField(max_length=200)
    reason = models.CharField(max_length=200)
    received_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-id"]

    def __str__(self) -> str:
        return f"{self.serial} {self.table}: {self.reason}"


class MachineAlert(models.Model):
    """A machine that went silent, or whose clock drifted; open until `resolved_at`."""

    machine = models.ForeignKey(FingerprintMachine, on_delete=models.CASCADE, related_name="alerts")
    kind = models.CharField(max_length=16, choices=AlertKind.choices)
    message = models.CharField(max_length=300)
    created_at = models.DateTimeField()
    resolved_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["machine", "kind"],
                condition=models.Q(resolved_at__isnull=True),
                name="machine_alert_one_open",
            )
        ]

    def __str__(self) -> str:
        return f"{self.machine_id} {self.kind} {self.created_at:%Y-%m-%d %H:%M}"


class EmployeeDevice(models.Model):
    """A phone or browser of the employee app, named by the RFC 7638 thumbprint of the public
    key it generated (non-extractable, WebCrypto). One `active` device per employee; another
    key waits `pending` until an operator approves it. `shared` flags a key that is bound to
    more than one employee (an integrity signal). The offline chain head lives here."""

    employee = models.ForeignKey(
        "org.Employee", on_delete=models.CASCADE, related_name="app_devices"
    )
    thumbprint = models.CharField(max_length=64, db_index=True)
    public_key = models.JSONField(help_text="The public JWK (EC P-256)")
    label = models.CharField(max_length=200, blank=True)
    platform = models.CharField(max_length=32, blank=True)
    status = models.CharField(max_length=8, choices=DeviceStatus.choices)
    shared = models.BooleanField(default=False, help_text="The same key is bound to others")
    created_at = models.DateTimeField(auto_now_add=True)
    last_seen_at = models.DateTimeField(null=True, blank=True)
    decided_at = models.DateTimeField(null=True, blank=True)
    decided_by = models.CharField(max_length=150, blank=True)
    # The offline chain: the last accepted record's seq and hash, device time, boot and clock.
    chain_seq = models.PositiveIntegerField(default=0)
    chain_head = models.CharField(max_length=64, blank=True)
    chain_device_time = models.DateTimeField(null=True, blank=True)
    chain_boot = models.CharField(max_length=64, blank=True)
    chain_monotonic_ms = models.BigIntegerField(null=True, blank=True)

    class Meta:
        ordering = ["employee", "-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["employee", "thumbprint"], name="employee_device_key_unique"
            ),
            models.UniqueConstraint(
                fields=["employee"],
                condition=models.Q(status="active"),
                name="employee_one_active_device",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.employee_id} {self.label or self.thumbprint[:12]} ({self.status})"


class DeviceToken(models.Model):
    """A bearer token of one login on one device. Only its SHA-256 is stored."""

    device = models.ForeignKey(EmployeeDevice, on_delete=models.CASCADE, related_name="tokens")
    token_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"token {self.token_hash[:8]} of device {self.device_id}"


class AppVersionPolicy(models.Model):
    """A region's minimum employee-app version: older apps are warned until the deadline and
    refused after it."""

    region = models.OneToOneField(
        "org.Region", on_delete=models.CASCADE, related_name="app_version_policy"
    )
    min_version = models.CharField(max_length=32, help_text="Semantic version, e.g. 1.2.0")
    deadline = models.DateTimeField(help_text="From this moment older apps are refused")
    updated_at = models.DateTimeField(auto_now=True)
    updated_by = models.CharField(max_length=150, blank=True)

    class Meta:
        verbose_name = "app version policy"
        verbose_name_plural = "app version policies"

    def __str__(self) -> str:
        return f"{self.region_id}: >= {self.min_version} from {self.deadline:%Y-%m-%d}"


class LoginFailure(models.Model):
    """A failed employee-app login, counted per NIP and per IP over a sliding window (works
    across web processes); old rows are pruned on each failure."""

    nip = models.CharField(max_length=64, db_index=True)
    ip = models.GenericIPAddressField(null=True, blank=True, db_index=True)
    at = models.DateTimeField(db_index=True)

    class Meta:
        ordering = ["-at"]

    def __str__(self) -> str:
        return f"{self.nip} {self.ip} {self.at:%Y-%m-%d %H:%M}"
