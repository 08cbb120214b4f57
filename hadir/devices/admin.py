"""Admin: approve unknown serials, queue commands, see unmatched PINs and machine health."""

from __future__ import annotations

from datetime import timedelta

from django import forms
from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils import timezone

from hadir.core.admin_mixins import AuditedAdminMixin
from hadir.devices import services
from hadir.devices.choices import DeviceStatus
from hadir.devices.models import (
    AppVersionPolicy,
    EmployeeDevice,
    FingerprintMachine,
    MachineAlert,
    MachineCommand,
    MachineRecord,
    RejectedLine,
    UnknownPin,
)


def records_today(machine: FingerprintMachine) -> int:
    """New events received today (server date)."""
    return machine.records_count if machine.records_day == timezone.localdate() else 0


@admin.register(FingerprintMachine)
class FingerprintMachineAdmin(AuditedAdminMixin, admin.ModelAdmin):
    list_display = [
        "serial",
        "name",
        "unit",
        "approved",
        "last_contact_at",
        "records_today",
        "clock_offset_s",
        "clock_skewed",
        "last_ip",
    ]
    list_filter = ["approved", "clock_skewed", "region"]
    search_fields = ["serial", "name", "unit__name"]
    list_select_related = ["unit", "region"]
    autocomplete_fields = ["unit"]
    readonly_fields = [
        "approved",
        "region",
        "first_seen_at",
        "last_contact_at",
        "last_upload_at",
        "last_ip",
        "push_version",
        "info",
        "attlog_stamp",
        "operlog_stamp",
        "attphoto_stamp",
        "clock_offset_s",
        "clock_skewed",
        "records_day",
        "records_count",
        "next_pull_at",
        "last_pull_error",
    ]
    actions = ["approve", "push_users", "delete_leavers", "query_last_day", "reboot"]

    @admin.display(description="records today")
    def records_today(self, obj: FingerprintMachine) -> int:
        return records_today(obj)

    def save_model(self, request, obj, form, change):  # type: ignore[no-untyped-def]
        if obj.unit_id:
            obj.region_id = obj.unit.region_id
        super().save_model(request, obj, form, change)

    def _each(self, request: HttpRequest, queryset: QuerySet, do, done: str) -> None:  # type: ignore[no-untyped-def]
        count = 0
        for machine in queryset.select_related("unit", "region"):
            try:
                count += do(machine, request.user.get_username())
            except services.DomainError as exc:
                self.message_user(request, f"{machine.serial}: {exc.message}", messages.ERROR)
        self.message_user(request, f"{count} {done}")

    @admin.action(description="Setujui mesin (pilih unitnya dulu)")
    def approve(self, request: HttpRequest, queryset: QuerySet) -> None:
        def do(machine: FingerprintMachine, actor: str) -> int:
            if machine.unit is None:
                raise services.DomainError("choose its unit first")
            services.machine_approve(machine=machine, unit=machine.unit, actor=actor)
            return 1

        self._each(request, queryset, do, "machine(s) approved")

    @admin.action(description="Kirim pegawai unit ke mesin")
    def push_users(self, request: HttpRequest, queryset: QuerySet) -> None:
        self._each(
            request,
            queryset,
            lambda m, a: services.machine_push_users(machine=m, actor=a),
            "command(s) queued",
        )

    @admin.action(description="Hapus pegawai yang keluar dari mesin")
    def delete_leavers(self, request: HttpRequest, queryset: QuerySet) -> None:
        self._each(
            request,
            queryset,
            lambda m, a: services.machine_delete_leavers(machine=m, actor=a),
            "command(s) queued",
        )

    @admin.action(description="Minta ulang log 24 jam terakhir")
    def query_last_day(self, request: HttpRequest, queryset: QuerySet) -> None:
        now = timezone.now()
        self._each(
            request,
            queryset,
            lambda m, a: services.machine_query_logs(
                machine=m, start=now - timedelta(days=1), end=now, actor=a
            ),
            "command(s) queued",
        )

    @admin.action(description="Restart mesin")
    def reboot(self, request: HttpRequest, queryset: QuerySet) -> None:
        self._each(
            request,
            queryset,
            lambda m, a: services.machine_reboot(machine=m, actor=a),
            "command(s) queued",
        )


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request):  # type: ignore[no-untyped-def]
        return False

    def has_change_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False


@admin.register(MachineCommand)
class MachineCommandAdmin(ReadOnlyAdmin):
    list_display = ["id", "machine", "kind", "text", "status", "return_code", "created_at"]
    list_filter = ["status", "kind"]
    search_fields = ["machine__serial", "text"]
    list_select_related = ["machine"]


@admin.register(UnknownPin)
class UnknownPinAdmin(ReadOnlyAdmin):
    list_display = ["machine", "pin", "local_time", "at", "claimed_at"]
    list_filter = ["claimed_at"]
    search_fields = ["pin", "machine__serial"]
    list_select_related = ["machine"]
    actions = ["claim"]

    @admin.action(description="Jadikan event bila PIN kini milik pegawai")
    def claim(self, request: HttpRequest, queryset: QuerySet) -> None:
        machines = FingerprintMachine.objects.filter(
            id__in=queryset.values("machine_id"), approved=True
        ).select_related("unit", "region")
        created = sum(services.unknown_pins_claim(machine=m) for m in machines)
        self.message_user(request, f"{created} event(s) created")


@admin.register(MachineRecord)
class MachineRecordAdmin(ReadOnlyAdmin):
    list_display = ["machine", "table", "received_at", "photo"]
    list_filter = ["table"]
    list_select_related = ["machine"]


@admin.register(RejectedLine)
class RejectedLineAdmin(ReadOnlyAdmin):
    list_display = ["serial", "table", "line", "reason", "received_at"]
    list_filter = ["table"]


@admin.register(MachineAlert)
class MachineAlertAdmin(ReadOnlyAdmin):
    list_display = ["machine", "kind", "message", "created_at", "resolved_at"]
    list_filter = ["kind", "resolved_at"]
    list_select_related = ["machine"]


# --- the employee app's devices and the minimum app version --------------------------------


@admin.register(EmployeeDevice)
class EmployeeDeviceAdmin(admin.ModelAdmin):
    """Phones and browsers bound to employees. A device change waits here for the operator:
    approving it retires the old device and revokes its tokens. Scoped to the user's units."""

    list_display = ["employee", "label", "platform", "status", "shared", "created_at"]
    list_filter = ["status", "shared"]
    search_fields = ["employee__key", "employee__name", "thumbprint"]
    list_select_related = ["employee"]
    readonly_fields = [f.name for f in EmployeeDevice._meta.fields]
    actions = ["approve", "revoke"]

    def get_queryset(self, request: HttpRequest) -> QuerySet[EmployeeDevice]:
        from hadir.org.selectors import employees_for_user

        return (
            super()
            .get_queryset(request)
            .filter(employee__in=employees_for_user(request.user).exclude(user=request.user))
        )

    def has_add_permission(self, request):  # type: ignore[no-untyped-def]
        return False

    def has_delete_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False

    @admin.action(description="Setujui perangkat baru (menggantikan yang lama)")
    def approve(self, request: HttpRequest, queryset: QuerySet[EmployeeDevice]) -> None:
        done = 0
        for device in queryset.filter(status=DeviceStatus.PENDING):
            services.device_approve(device=device, actor=request.user.get_username())
            done += 1
        self.message_user(request, f"{done} perangkat disetujui.", messages.SUCCESS)

    @admin.action(description="Cabut perangkat (token berhenti berlaku)")
    def revoke(self, request: HttpRequest, queryset: QuerySet[EmployeeDevice]) -> None:
        done = 0
        for device in queryset.exclude(status=DeviceStatus.REVOKED):
            services.device_revoke(device=device, actor=request.user.get_username())
            done += 1
        self.message_user(request, f"{done} perangkat dicabut.", messages.SUCCESS)


class AppVersionPolicyForm(forms.ModelForm):
    class Meta:
        model = AppVersionPolicy
        fields = ["region", "min_version", "deadline"]

    def clean_min_version(self) -> str:
        from hadir.devices.services.phones import parse_version

        value = self.cleaned_data["min_version"].strip()
        if parse_version(value) is None:
            raise forms.ValidationError("Versi harus berbentuk angka bertitik, misalnya 1.2.0.")
        return value


@admin.register(AppVersionPolicy)
class AppVersionPolicyAdmin(AuditedAdminMixin, admin.ModelAdmin):
    """A region's minimum employee-app version: older apps are told to update, and refused
    after the deadline."""

    form = AppVersionPolicyForm

    list_display = ["region", "min_version", "deadline", "updated_at", "updated_by"]
    readonly_fields = ["updated_at", "updated_by"]

    def get_queryset(self, request: HttpRequest) -> QuerySet[AppVersionPolicy]:
        from hadir.org.selectors import units_for_user

        regions = units_for_user(request.user).values("region_id")
        return super().get_queryset(request).filter(region_id__in=regions)

    def save_model(self, request, obj, form, change):  # type: ignore[no-untyped-def]
        obj.updated_by = request.user.get_username()
        super().save_model(request, obj, form, change)
