"""The atasan's queue: subordinates' check-ins with frames (served and access-logged by
hadir.biometrics), map point and risk reasons;
approve or reject one by one (htmx), approve low-risk records in bulk; the monthly report."""

from __future__ import annotations

from zoneinfo import ZoneInfo

from django.contrib import messages
from django.db.models import Count, Prefetch
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from hadir.attendance.choices import ReviewStatus
from hadir.attendance.models import CheckIn, CheckInFrame
from hadir.core.errors import DomainError
from hadir.verification.models import MonthlyVerification
from hadir.verification.rules import due_date, previous_month
from hadir.verification.scopes import employees_to_verify
from hadir.verification.services import (
    checkin_verify,
    checkins_bulk_approve,
    month_range_utc,
    month_submit,
    verification_rules,
)
from hadir.web.access import VERIFIERS, staff_of, staff_view
from hadir.web.views.common import month_param

PAGE = 50


def queue_rows(user):  # type: ignore[no-untyped-def]
    return (
        CheckIn.objects.filter(
            employee__in=employees_to_verify(user), review_status=ReviewStatus.UNREVIEWED
        )
        .select_related("employee__unit")
        .prefetch_related(
            Prefetch("frames", queryset=CheckInFrame.objects.only("id", "checkin_id", "index"))
        )
        .order_by("-risk_score", "at")
    )


@staff_view(VERIFIERS)
def queue(request: HttpRequest) -> HttpResponse:
    region = staff_of(request).region
    rules = verification_rules(region, timezone.localdate()) if region else None
    rows = list(queue_rows(request.user)[:PAGE])
    for row in rows:
        row.low_risk = (
            rules is not None
            and row.status == "accepted"
            and row.risk_score is not None
            and row.risk_score <= rules.bulk_max_risk
        )
    return render(request, "web/queue.html", {"rows": rows, "rules": rules})


def _checkin(request: HttpRequest, pk: int) -> CheckIn:
    checkin = (
        CheckIn.objects.filter(pk=pk, employee__in=employees_to_verify(request.user))
        .select_related("employee__unit")
        .first()
    )
    if checkin is None:
        raise Http404
    return checkin


@staff_view(VERIFIERS)
@require_POST
def decide(request: HttpRequest, pk: int) -> HttpResponse:
    checkin = _checkin(request, pk)
    approve = request.POST.get("decision") == "approve"
    error = ""
    try:
        checkin = checkin_verify(
            checkin=checkin, by=request.user, approve=approve, reason=request.POST.get("reason", "")
        )
    except DomainError as exc:
        error = exc.message
    if request.headers.get("HX-Request"):
        return render(
            request, "web/_queue_row.html", {"row": checkin, "error": error, "done": not error}
        )
    if error:
        messages.error(request, error)
    return redirect("web:queue")


@staff_view(VERIFIERS)
@require_POST
def bulk(request: HttpRequest) -> HttpResponse:
    approved, skipped = checkins_bulk_approve(ids=request.POST.getlist("ids"), by=request.user)
    messages.success(
        request, f"{approved} catatan disetujui; {skipped} dilewati (bukan risiko rendah)."
    )
    return redirect("web:queue")


@staff_view(VERIFIERS)
def monthly(request: HttpRequest) -> HttpResponse:
    """Each subordinate's report for a month (last month by default): submit when all decided."""
    region = staff_of(request).region
    month = month_param(request) if "month" in request.GET else previous_month(timezone.localdate())
    if request.method == "POST":
        employee = get_object_or_404(
            employees_to_verify(request.user), pk=request.POST.get("employee")
        )
        try:
            report = month_submit(
                employee=employee, month=month, by=request.user, note=request.POST.get("note", "")
            )
            text = f"Laporan {employee.name} terkirim" + (" (terlambat)." if report.late else ".")
            messages.success(request, text)
        except DomainError as exc:
            messages.error(request, exc.message)
        return redirect(f"{request.path}?month={month:%Y-%m}")
    people = list(employees_to_verify(request.user).select_related("unit", "region"))
    done = {
        r.employee_id: r
        for r in MonthlyVerification.objects.filter(
            employee__in=[p.id for p in people], month=month
        )
    }
    left: dict[int, int] = {}
    if region is not None:
        start, end = month_range_utc(month, ZoneInfo(region.timezone))
        left = dict(
            CheckIn.objects.filter(
                employee__in=[p.id for p in people],
                at__gte=start,
                at__lt=end,
                review_status=ReviewStatus.UNREVIEWED,
                event__isnull=False,
            )
            .values("employee_id")
            .annotate(n=Count("id"))
            .values_list("employee_id", "n")
        )
    rows = [(p, done.get(p.id), left.get(p.id, 0)) for p in people]
    rules = verification_rules(region, month) if region else None
    return render(
        request,
        "web/monthly.html",
        {
            "rows": rows,
            "month": month,
            "due": due_date(month, rules.due_day) if rules else None,
        },
    )
