from django import forms
from django.contrib import admin
from django.db import transaction

from hadir.attendance.services import ALL_END, ALL_START
from hadir.core.admin_mixins import AuditedAdminMixin
from hadir.org.models import Employee, Position, Region, RoleAssignment, Site, Unit
from hadir.org.rules import NipError, validate_nip


@admin.register(Region)
class RegionAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "timezone"]
    search_fields = ["code", "name"]


class SiteInline(admin.TabularInline):
    model = Site
    extra = 0


@admin.register(Unit)
class UnitAdmin(AuditedAdminMixin, admin.ModelAdmin):
    list_display = ["code", "name", "parent", "head", "timezone", "region"]
    list_filter = ["region", "depth"]
    search_fields = ["code", "name"]
    raw_id_fields = ["parent", "head"]
    readonly_fields = ["path", "depth"]
    inlines = [SiteInline]
    list_select_related = ["parent", "head", "region"]

    def affected(self, obj):  # type: ignore[no-untyped-def]
        return {"region": obj.region, "start": ALL_START, "end": ALL_END}

    def save_model(self, request, obj, form, change):  # type: ignore[no-untyped-def]
        from hadir.org.services import unit_tree_rebuild

        with transaction.atomic():
            super().save_model(request, obj, form, change)
            unit_tree_rebuild(region=obj.region)


@admin.register(Position)
class PositionAdmin(admin.ModelAdmin):
    list_display = ["name", "kelas_jabatan", "region"]
    list_filter = ["region", "kelas_jabatan"]
    search_fields = ["name"]


class EmployeeAdminForm(forms.ModelForm):
    """The admin checks a NIP the way imports do (RULEBOOK.md section 1)."""

    class Meta:
        model = Employee
        fields = "__all__"  # noqa: DJ007 (the admin edits every field)

    def clean(self) -> dict:  # type: ignore[type-arg]
        data = super().clean() or {}
        nip, kind = data.get("nip") or "", data.get("kind")
        if kind:
            try:
                validate_nip(nip, kind)
            except NipError as exc:
                self.add_error("nip", str(exc))
        if nip:
            data["nip"] = nip
        else:
            data["nip"] = None  # contract staff have no NIP; NULL keeps the unique index happy
        return data


@admin.register(Employee)
class EmployeeAdmin(AuditedAdminMixin, admin.ModelAdmin):
    form = EmployeeAdminForm
    list_display = ["key", "name", "kind", "unit", "position", "tpp_base", "active"]
    list_filter = ["region", "kind", "active"]
    search_fields = ["key", "nip", "name"]
    raw_id_fields = ["unit", "position", "atasan", "user"]
    list_select_related = ["unit", "position"]

    def affected(self, obj):  # type: ignore[no-untyped-def]
        return {"region": obj.region, "employee_ids": [obj.pk], "start": ALL_START, "end": ALL_END}


@admin.register(RoleAssignment)
class RoleAssignmentAdmin(admin.ModelAdmin):
    list_display = ["user", "role", "region", "unit"]
    list_filter = ["role", "region"]
    raw_id_fields = ["user", "unit"]
    list_select_related = ["user", "region", "unit"]
