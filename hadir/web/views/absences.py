"""Leave requests for the atasan to decide; the operator's entry of official travel (SPT) and
of leave on behalf of an employee."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.db.models import Q
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from hadir.absences.choices import AbsenceType
from hadir.absences.models import Absence
from hadir.absences.selectors import absences_to_decide
from hadir.absences.services import absence_decide, absence_enter
from hadir.audit.services import audit_record
from hadir.core.errors import DomainError
from hadir.verification.scopes import employees_for_operator, employees_to_verify
from hadir.web.access import OPERATORS, VERIFIERS, staff_view


@staff_view(VERIFIERS)
def requests_list(request: HttpRequest) -> HttpResponse:
    rows = list(absences_to_decide(request.user))
    return render(request, "web/absences.html", {"rows": rows})


@staff_view(VERIFIERS)
@require_POST
def decide(request: HttpRequest, pk: int) -> HttpResponse:
    absence = absences_to_decide(request.user).filter(pk=pk).first()
    if absence is None:
        raise Http404
    approve = request.POST.get("decision") == "approve"
    try:
        absence_decide(
            absence=absence, by=request.user, approve=approve, reason=request.POST.get("reason", "")
        )
        messages.success(
            request,
            f"{absence.get_type_display()} {absence.employee.name} "
            + ("disetujui." if approve else "ditolak."),
        )
    except DomainError as exc:
        messages.error(request, exc.message)
    return redirect("web:absences")


@staff_view(VERIFIERS | OPERATORS)
def document(request: HttpRequest, pk: int) -> HttpResponse:
    """An absence's document (a sick note is health data): for the atasan deciding it and the
    operator of the unit; every read is audited."""
    absence = (
        Absence.objects.filter(pk=pk)
        .filter(
            Q(employee__in=employees_to_verify(request.user))
            | Q(employee__in=employees_for_operator(request.user))
        )
        .select_related("employee")
        .first()
    )
    if absence is None or not absence.document:
        raise Http404
    audit_record(
        actor=request.user.get_username(),
        action="absence.document.view",
        object_type="Absence",
        object_id=str(absence.pk),
        data={"employee": absence.employee.key},
    )
    name = absence.document.name.rsplit("/", 1)[-1]
    response = FileResponse(absence.document.open("rb"), filename=name)
    response["Cache-Control"] = "private, no-store"
    response["X-Content-Type-Options"] = "nosniff"
    return response


class EntryForm(forms.Form):
    employee = forms.ModelChoiceField(queryset=None, label="Pegawai")  # type: ignore[arg-type]
    type = forms.ChoiceField(choices=AbsenceType.choices, label="Jenis")
    start = forms.DateField(label="Mulai", widget=forms.DateInput(attrs={"type": "date"}))
    end = forms.DateField(label="Selesai", widget=forms.DateInput(attrs={"type": "date"}))
    reference = forms.CharField(label="Nomor SPT / surat", required=False, max_length=200)
    reason = forms.CharField(label="Keterangan", widget=forms.Textarea(attrs={"rows": 2}))
    document = forms.FileField(label="Dokumen (PDF/JPEG/PNG)", required=False)

    def __init__(self, *args, user, **kwargs) -> None:  # type: ignore[no-untyped-def]
        super().__init__(*args, **kwargs)
        self.fields["employee"].queryset = employees_for_operator(user).order_by("name")


@staff_view(OPERATORS)
def enter(request: HttpRequest) -> HttpResponse:
    """The operator's form: official travel is recorded as approved by its SPT; other types go
    to the atasan as a request made on the employee's behalf."""
    form = EntryForm(request.POST or None, request.FILES or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            absence = absence_enter(
                operator=request.user,
                employee=data["employee"],
                kind=data["type"],
                start=data["start"],
                end=data["end"],
                reason=data["reason"],
                reference=data["reference"],
                document=data["document"],
            )
            state = "tercatat" if absence.status == "approved" else "diteruskan ke atasan"
            messages.success(
                request,
                f"{absence.get_type_display()} {absence.employee.name} {state}.",
            )
            return redirect("web:absence_enter")
        except DomainError as exc:
            form.add_error(None, exc.message)
    return render(request, "web/absence_enter.html", {"form": form})
