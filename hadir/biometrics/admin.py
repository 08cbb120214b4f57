"""Admin of consents, templates (never their contents), face checks and the access log.

Biometric data itself is not shown here: templates and encodings stay encrypted and are read
only through the services, which log each read."""

from __future__ import annotations

from typing import Any

from django.contrib import admin, messages

from hadir.biometrics.models import BiometricAccess, Consent, FaceCheck, FaceTemplate
from hadir.biometrics.services import consent_give, consent_withdraw


@admin.register(Consent)
class ConsentAdmin(admin.ModelAdmin):
    list_display = ["employee", "given_at", "given_via", "recorded_by", "withdrawn_at"]
    list_filter = ["given_via", "withdrawn_at"]
    search_fields = ["employee__name", "employee__key"]
    raw_id_fields = ["employee"]
    list_select_related = ["employee"]
    fields = ["employee", "given_via", "given_at", "recorded_by", "text_version"]
    fields += ["withdrawn_at", "withdrawn_by", "withdraw_reason"]
    readonly_fields = ["given_at", "recorded_by", "text_version"]
    readonly_fields += ["withdrawn_at", "withdrawn_by", "withdraw_reason"]
    actions = ["withdraw"]

    def get_readonly_fields(self, request: Any, obj: Any = None) -> Any:
        fixed = list(self.readonly_fields)
        return [*fixed, "employee", "given_via"] if obj is not None else fixed

    def save_model(self, request: Any, obj: Any, form: Any, change: bool) -> None:
        """Consent recorded in person by an operator goes through the service (audited)."""
        if not change:
            saved = consent_give(
                employee=obj.employee,
                actor=request.user.get_username(),
                via=obj.given_via or "operator",
            )
            obj.pk = saved.pk

    @admin.action(description="Tarik persetujuan dan hapus data biometrik")
    def withdraw(self, request: Any, queryset: Any) -> None:
        done = 0
        for consent in queryset.filter(withdrawn_at__isnull=True).select_related("employee"):
            done += consent_withdraw(
                employee=consent.employee,
                actor=request.user.get_username(),
                reason="ditarik melalui admin",
            )
        self.message_user(request, f"{done} persetujuan ditarik.", messages.SUCCESS)


@admin.register(FaceTemplate)
class FaceTemplateAdmin(admin.ModelAdmin):
    list_display = ["employee", "vectors", "source", "enrolled_at", "enrolled_by"]
    list_filter = ["source"]
    search_fields = ["employee__name", "employee__key"]
    list_select_related = ["employee"]
    exclude = ["ciphertext"]
    readonly_fields = ["employee", "vectors", "source", "enrolled_at", "enrolled_by", "quality"]

    def has_add_permission(self, request: Any) -> bool:
        return False  # enrollment goes through the quality checks of the services


@admin.register(FaceCheck)
class FaceCheckAdmin(admin.ModelAdmin):
    list_display = [
        "checkin",
        "employee",
        "day",
        "status",
        "matched",
        "distance",
        "liveness_passed",
        "liveness_code",
        "reused_from",
        "shared_with",
        "duration_ms",
    ]
    list_filter = ["status", "matched", "liveness_passed", "day"]
    search_fields = ["employee__name", "employee__key"]
    list_select_related = ["employee"]
    exclude = ["embedding"]

    def has_add_permission(self, request: Any) -> bool:
        return False

    def has_change_permission(self, request: Any, obj: Any = None) -> bool:
        return False


@admin.register(BiometricAccess)
class BiometricAccessAdmin(admin.ModelAdmin):
    list_display = ["at", "actor", "employee", "what", "object_id", "purpose", "detail"]
    list_filter = ["purpose", "what"]
    search_fields = ["actor", "employee__name", "employee__key", "object_id"]
    list_select_related = ["employee"]

    def has_add_permission(self, request: Any) -> bool:
        return False

    def has_change_permission(self, request: Any, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: Any, obj: Any = None) -> bool:
        return False
