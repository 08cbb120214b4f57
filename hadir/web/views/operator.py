"""The operator's apel roll call and corrections; the atasan's decisions on corrections."""

from __future__ import annotations

from datetime import date, datetime, time
from zoneinfo import ZoneInfo

from django import forms
from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from hadir.core.errors import DomainError
from hadir.verification.apel import apel_present, apel_take
from hadir.verification.corrections import correction_decide, correction_request
from hadir.verification.models import Correction
from hadir.verification.scopes import (
    OPERATOR_ROLES,
    employees_for_operator,
    employees_to_verify,
    units_with_role,
)
from hadir.web.access import OPERATORS, VERIFIERS, staff_of, staff_view

APEL_TIME = time(7, 30)


def _zone(request: HttpRequest) -> ZoneInfo:
    region = staff_of(request).region
    return ZoneInfo(region.timezone if region else "Asia/Jakarta")


@staff_view(OPERATORS)
def apel(request: HttpRequest) -> HttpResponse:
    zone = _zone(request)
    units = list(units_with_role(request.user, OPERATOR_ROLES).order_by("path"))
    if not units:
        raise Http404
    wanted = request.GET.get("unit") or request.POST.get("unit")
    unit = next((u for u in units if str(u.pk) == wanted), units[0])
    try:
        day = date.fromisoformat(request.GET.get("date") or request.POST.get("date") or "")
    except ValueError:
        day = timezone.now().astimezone(zone).date()
    if request.method == "POST":
        try:
            at = time.fromisoformat(request.POST.get("time") or APEL_TIME.isoformat())
            added = apel_take(
                operator=request.user,
                unit=unit,
                day=day,
                at=at,
                present_ids=request.POST.getlist("present"),
                zone=zone,
            )
            messages.success(request, f"Apel {day:%d-%m-%Y}: {added} pegawai dicatat hadir.")
        except (DomainError, ValueError) as exc:
            messages.error(request, getattr(exc, "message", str(exc)))
        return redirect(f"{request.path}?unit={unit.pk}&date={day.isoformat()}")
    people = list(employees_for_operator(request.user).filter(unit=unit).order_by("name"))
    present = apel_present(unit=unit, day=day)
    return render(
        request,
        "web/apel.html",
        {
            "units": units,
            "unit": unit,
            "day": day,
            "people": people,
            "present": present,
            "time": APEL_TIME,
        },
    )


class CorrectionForm(forms.Form):
    employee = forms.ModelChoiceField(queryset=None, label="Pegawai")  # type: ignore[arg-type]
    date = forms.DateField(label="Tanggal", widget=forms.DateInput(attrs={"type": "date"}))
    time = forms.TimeField(label="Jam", widget=forms.TimeInput(attrs={"type": "time"}))
    checkpoint = forms.CharField(label="Titik absen (kode)", max_length=32)
    reason = forms.CharField(label="Alasan", widget=forms.Textarea(attrs={"rows": 2}))
    evidence = forms.FileField(label="Bukti (PDF/JPEG/PNG)")

    def __init__(self, *args, user, **kwargs) -> None:  # type: ignore[no-untyped-def]
        super().__init__(*args, **kwargs)
        self.fields["employee"].queryset = employees_for_operator(user).order_by("name")


@staff_view(OPERATORS | VERIFIERS)
def corrections(request: HttpRequest) -> HttpResponse:
    staff = staff_of(request)
    form = None
    if staff.has(OPERATORS):
        form = CorrectionForm(request.POST or None, request.FILES or None, user=request.user)
        if request.method == "POST" and form.is_valid():
            d = form.cleaned_data
            try:
                correction_request(
                    operator=request.user,
                    employee=d["employee"],
                    at=datetime.combine(d["date"], d["time"], tzinfo=_zone(request)),
                    checkpoint=d["checkpoint"].strip(),
                    reason=d["reason"],
                    evidence=d["evidence"],
                )
                messages.success(request, "Koreksi diajukan ke atasan.")
                return redirect("web:corrections")
            except DomainError as exc:
                form.add_error(None, exc.message)
    to_decide = list(
        Correction.objects.filter(status="pending", employee__in=employees_to_verify(request.user))
        .select_related("employee__unit", "requested_by")
        .order_by("at")
    )
    mine = list(
        Correction.objects.filter(employee__in=employees_for_operator(request.user))
        .select_related("employee", "decided_by")
        .order_by("-requested_at")[:50]
    )
    return render(
        request, "web/corrections.html", {"form": form, "to_decide": to_decide, "mine": mine}
    )


@staff_view(VERIFIERS)
@require_POST
def correction_decision(request: HttpRequest, pk: int) -> HttpResponse:
    correction = Correction.objects.filter(
        pk=pk, employee__in=employees_to_verify(request.user)
    ).first()
    if correction is None:
        raise Http404
    try:
        correction_decide(
            correction=correction,
            by=request.user,
            approve=request.POST.get("decision") == "approve",
            reason=request.POST.get("reason", ""),
        )
        messages.success(request, "Keputusan koreksi tersimpan.")
    except DomainError as exc:
        messages.error(request, exc.message)
    return redirect("web:corrections")
