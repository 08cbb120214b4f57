"""Regions, the unit tree (BKN unor), positions, employees, roles and geofence sites."""

from __future__ import annotations

from django.conf import settings
from django.db import models

from hadir.org.choices import EmployeeKind, Role, SiteShape


class Region(models.Model):
    """A Pemda (kabupaten/kota/provinsi), identified by its BPS code."""

    code = models.CharField(max_length=16, unique=True)
    name = models.CharField(max_length=200)
    timezone = models.CharField(max_length=64, default="Asia/Jakarta")

    class Meta:
        ordering = ["code"]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"


class Unit(models.Model):
    """A unit of organisation (BKN unor): OPD, bidang, UPT, school, puskesmas, ..."""

    region = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="units")
    code = models.CharField("BKN unor Id", max_length=64)
    name = models.CharField(max_length=300)
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="children"
    )
    head = models.ForeignKey(
        "Employee", null=True, blank=True, on_delete=models.SET_NULL, related_name="heads"
    )
    timezone = models.CharField(max_length=64, blank=True, help_text="Empty: the parent's zone")
    # Materialised path of unit primary keys, "/1/5/9/", kept by services for subtree queries.
    path = models.CharField(max_length=1000, blank=True, db_index=True)
    depth = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["region", "path"]
        constraints = [
            models.UniqueConstraint(fields=["region", "code"], name="unit_code_unique_in_region")
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"


class Site(models.Model):
    """A geofence where check-ins of a unit's employees are accepted."""

    unit = models.ForeignKey(Unit, on_delete=models.CASCADE, related_name="sites")
    name = models.CharField(max_length=200)
    shape = models.CharField(max_length=16, choices=SiteShape.choices, default=SiteShape.CIRCLE)
    latitude = models.DecimalField(max_digits=9, decimal_places=6, null=True, blank=True)
    longitude = models.DecimalField(max_digits=9, decimal_places=6, null=True, blank=True)
    radius_m = models.PositiveIntegerField(null=True, blank=True)
    polygon = models.JSONField(default=list, blank=True, help_text="[[lat, lon], ...]")
    valid_from = models.DateField(null=True, blank=True, help_text="Temporary sites only")
    valid_until = models.DateField(null=True, blank=True)

    def __str__(self) -> str:
        return self.name


class Position(models.Model):
    """A jabatan with its class (kelas jabatan), which sets the TPP base in most regions."""

    region = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="positions")
    name = models.CharField(max_length=300)
    kelas_jabatan = models.PositiveSmallIntegerField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["region", "name", "kelas_jabatan"], name="position_unique_in_region"
            )
        ]

    def __str__(self) -> str:
        return f"{self.name} (kelas {self.kelas_jabatan})"


class Employee(models.Model):
    """An employee (pegawai): PNS, PPPK or contract staff (non-ASN, no NIP)."""

    region = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="employees")
    # The identifier other systems use: the NIP, or the `id` column for contract staff.
    key = models.CharField(max_length=64)
    nip = models.CharField(max_length=18, null=True, blank=True, unique=True)
    kind = models.CharField(max_length=8, choices=EmployeeKind.choices)
    name = models.CharField(max_length=200)
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="employees")
    position = models.ForeignKey(
        Position, null=True, blank=True, on_delete=models.SET_NULL, related_name="employees"
    )
    tpp_base = models.BigIntegerField("TPP base (rupiah/month)", default=0)
    atasan = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="overridden_subordinates",
        help_text="Overrides the atasan derived from the unit tree",
    )
    schedule_code = models.CharField(max_length=32, blank=True)
    pin = models.CharField("fingerprint PIN", max_length=32, blank=True)
    phone = models.CharField(max_length=32, blank=True)
    email = models.EmailField(blank=True)
    active = models.BooleanField(default=True)
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="employee",
    )

    class Meta:
        ordering = ["region", "key"]
        constraints = [
            models.UniqueConstraint(fields=["region", "key"], name="employee_key_unique_in_region"),
            models.UniqueConstraint(
                fields=["region", "pin"],
                condition=~models.Q(pin=""),
                name="employee_pin_unique_in_region",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.key})"


class RoleAssignment(models.Model):
    """A user's role with its scope: a unit subtree, or the whole region when unit is empty."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="hadir_roles"
    )
    role = models.CharField(max_length=32, choices=Role.choices)
    region = models.ForeignKey(Region, on_delete=models.CASCADE, related_name="role_assignments")
    unit = models.ForeignKey(
        Unit, null=True, blank=True, on_delete=models.CASCADE, related_name="role_assignments"
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["user", "role", "region", "unit"], name="role_assignment_unique"
            )
        ]

    def __str__(self) -> str:
        scope = self.unit.name if self.unit else self.region.name
        return f"{self.user} {self.get_role_display()} @ {scope}"
