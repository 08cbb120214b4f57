from django.contrib import admin

from hadir.verification.models import AtasanFlag, Correction, MonthlyVerification


@admin.register(MonthlyVerification)
class MonthlyVerificationAdmin(admin.ModelAdmin):
    list_display = ("employee", "month", "atasan", "submitted_at", "late", "approved", "rejected")
    list_filter = ("late", "month")
    search_fields = ("employee__name", "employee__nip")
    list_select_related = ("employee", "atasan")

    def has_add_permission(self, request) -> bool:  # type: ignore[no-untyped-def]
        return False  # submitted by the atasan on the staff web

    def has_change_permission(self, request, obj=None) -> bool:  # type: ignore[no-untyped-def]
        return False


@admin.register(Correction)
class CorrectionAdmin(admin.ModelAdmin):
    list_display = ("employee", "at", "checkpoint", "status", "requested_by", "decided_by")
    list_filter = ("status",)
    search_fields = ("employee__name", "employee__nip", "reason")
    list_select_related = ("employee", "requested_by", "decided_by")

    def has_add_permission(self, request) -> bool:  # type: ignore[no-untyped-def]
        return False  # requested and decided on the staff web, where it is audited

    def has_change_permission(self, request, obj=None) -> bool:  # type: ignore[no-untyped-def]
        return False


@admin.register(AtasanFlag)
class AtasanFlagAdmin(admin.ModelAdmin):
    list_display = ("atasan", "employee", "month", "unverified", "created_at")
    list_filter = ("month",)
    list_select_related = ("atasan", "employee")

    def has_add_permission(self, request) -> bool:  # type: ignore[no-untyped-def]
        return False
