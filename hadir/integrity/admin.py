"""Fraud cases in the admin: opened from flagged check-ins and decided through the services
(the BKPSDM admin of the region only; a proven case writes the TPP findings)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import ValidationError

from hadir.core.errors import DomainError
from hadir.integrity.cases import case_decide, case_open, cases_for_user
from hadir.integrity.choices import CaseStatus
from hadir.integrity.models import FraudCase


class FraudCaseForm(forms.ModelForm):
    verdict = forms.ChoiceField(
        label="Putusan",
        required=False,
        choices=[
            ("", "(belum diputus)"),
            ("proven", "Manipulasi terbukti"),
            ("dismissed", "Tidak terbukti"),
        ],
    )

    class Meta:
        model = FraudCase
        fields = ["employee", "checkins", "summary", "decision"]


@admin.register(FraudCase)
class FraudCaseAdmin(admin.ModelAdmin):
    form = FraudCaseForm
    list_display = ["id", "employee", "status", "opened_by", "opened_at", "decided_by"]
    list_filter = ["status", "region"]
    search_fields = ["employee__name", "employee__key", "summary"]
    raw_id_fields = ["employee", "checkins"]
    list_select_related = ["employee", "opened_by", "decided_by"]
    readonly_fields = ["status", "opened_by", "opened_at", "decided_by", "decided_at", "findings"]

    def get_queryset(self, request: Any) -> Any:
        return cases_for_user(request.user)

    def get_readonly_fields(self, request: Any, obj: Any = None) -> Any:
        fixed = list(self.readonly_fields)
        if obj is not None:
            fixed += ["employee", "checkins", "summary"]
            if obj.status != CaseStatus.OPEN:
                fixed += ["decision"]
        return fixed

    def save_model(self, request: Any, obj: Any, form: Any, change: bool) -> None:
        data = form.cleaned_data
        try:
            if not change:
                case = case_open(
                    checkins=list(data["checkins"]), by=request.user, summary=data["summary"]
                )
                obj.pk = case.pk
            elif data.get("verdict"):
                case_decide(
                    case=obj,
                    by=request.user,
                    proven=data["verdict"] == "proven",
                    decision=data.get("decision", ""),
                )
        except DomainError as exc:
            raise ValidationError(exc.message) from exc

    def save_related(self, request: Any, form: Any, formsets: Any, change: bool) -> None:
        """The services set the records themselves."""

    def changeform_view(self, request: Any, *args: Any, **kwargs: Any) -> Any:
        try:
            return super().changeform_view(request, *args, **kwargs)
        except ValidationError as exc:
            self.message_user(request, " ".join(exc.messages), messages.ERROR)
            from django.http import HttpResponseRedirect

            return HttpResponseRedirect(request.get_full_path())
