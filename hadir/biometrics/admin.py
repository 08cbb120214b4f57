"""Admin of consents, templates (never their contents), face checks and the access log.

Biometric data itself is not shown here: templates and encodings stay encrypted and are read
only through the services, which log each read."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin, messages

from hadir.biometrics.models import BiometricAccess, Consent, FaceCheck, FaceTemplate
from hadir.biometrics.services import (
    biometric_erase,
    biometric_rules,
    consent_give,
    consent_open,
    consent_withdraw,
    enroll_from_photo,
)
from hadir.core.errors import DomainError

MAX_PHOTO_BYTES = 4 * 1024 * 1024


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


class EnrollPhotoForm(forms.ModelForm):
    """An operator's in-person photo: checked (consent, one face, size, sharpness, light)
    before anything is stored."""

    photo = forms.FileField(label="Foto wajah (JPEG, diambil langsung)")

    class Meta:
        model = FaceTemplate
        fields = ["employee"]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        employee, photo = data.get("employee"), data.get("photo")
        if employee is None or photo is None:
            return data
        if consent_open(employee) is None:
            raise forms.ValidationError(
                "Pegawai belum memberikan persetujuan pemrosesan data wajah."
            )
        data["photo_bytes"] = photo.read(MAX_PHOTO_BYTES + 1)
        if len(data["photo_bytes"]) > MAX_PHOTO_BYTES:
            raise forms.ValidationError("Foto terlalu besar (maksimal 4 MiB).")
        from hadir.biometrics import pipeline

        try:
            result = pipeline.analyze_photo(data["photo_bytes"], biometric_rules(employee))
        except DomainError as exc:
            raise forms.ValidationError(exc.message) from exc
        if result.problems:
            raise forms.ValidationError([p.text() for p in result.problems])
        return data


@admin.register(FaceTemplate)
class FaceTemplateAdmin(admin.ModelAdmin):
    list_display = ["employee", "vectors", "source", "enrolled_at", "enrolled_by"]
    list_filter = ["source"]
    search_fields = ["employee__name", "employee__key"]
    list_select_related = ["employee"]
    raw_id_fields = ["employee"]
    readonly_fields = ["vectors", "source", "enrolled_at", "enrolled_by", "quality"]

    def get_form(self, request: Any, obj: Any = None, change: bool = False, **kwargs: Any) -> Any:
        if obj is None:
            kwargs["form"] = EnrollPhotoForm
        return super().get_form(request, obj, change=change, **kwargs)

    def get_fields(self, request: Any, obj: Any = None) -> Any:
        if obj is None:
            return ["employee", "photo"]
        return ["employee", *self.readonly_fields]

    def has_change_permission(self, request: Any, obj: Any = None) -> bool:
        return False  # re-enroll with a new photo instead

    def save_model(self, request: Any, obj: Any, form: Any, change: bool) -> None:
        template = enroll_from_photo(
            employee=form.cleaned_data["employee"],
            photo=form.cleaned_data["photo_bytes"],
            operator=request.user.get_username(),
        )
        obj.pk = template.pk

    def delete_model(self, request: Any, obj: Any) -> None:
        biometric_erase(
            employee=obj.employee_id,
            actor=request.user.get_username(),
            reason="dihapus melalui admin",
        )

    def delete_queryset(self, request: Any, queryset: Any) -> None:
        for template in queryset:
            self.delete_model(request, template)


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
