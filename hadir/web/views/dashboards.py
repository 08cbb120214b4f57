"""Dashboards: today's status per OPD (refreshed by htmx), attendance rate per OPD by day and
month with charts and rankings, the per-employee month calendar, the TPP sheet."""

from __future__ import annotations

import calendar as _calendar
from datetime import timedelta

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from hadir.absences.selectors import absences_to_decide
from hadir.attendance.choices import DayStatus
from hadir.attendance.selectors import stored_days
from hadir.reports.dashboards import month_rates, month_trend, today_status
from hadir.reports.letterhead import month_name
from hadir.verification.models import AtasanFlag, Correction
from hadir.verification.scopes import employees_to_verify
from hadir.web.access import PAYROLL, VERIFIERS, scope_units, staff_of, staff_view
from hadir.web.views.common import employee_in_scope, month_param


def _region(request: HttpRequest):  # type: ignore[no-untyped-def]
    region = staff_of(request).region
    if region is None:
        raise PermissionDenied
    return region


@staff_view()
def home(request: HttpRequest) -> HttpResponse:
    staff = staff_of(request)
    region = _region(request)
    scope = scope_units(request)
    now = timezone.now()
    month = month_param(request)
    last = month.replace(day=_calendar.monthrange(month.year, month.month)[1])
    # Today is still in progress (shown live above): the month's figures run to yesterday.
    end = max(month, min(last, timezone.localdate() - timedelta(days=1)))
    ranked, series = month_rates(region=region, scope=scope, start=month, end=end)
    trend = month_trend(region=region, scope=scope, until=end)
    days = [d for d, _ in series]
    grid = [
        (
            r.name,
            [
                round(100 * p / (p + a)) if p + a else None
                for p, a in (r.days.get(d, (0, 0)) for d in days)
            ],
        )
        for r in ranked
    ]
    context = {
        "today": today_status(region=region, scope=scope, now=now),
        "ranked": ranked,
        "grid_days": days,
        "grid": grid,
        "month": month,
        "month_label": month_name(month),
        "prev_month": (month - timedelta(days=1)).replace(day=1),
        "next_month": last + timedelta(days=1),
        "chart": (
            {
                "days": [d.isoformat() for d, _ in series],
                "daily": [r for _, r in series],
                "opds": [r.name for r in ranked],
                "rates": [r.rate for r in ranked],
                "months": [month_name(m) for m, _ in trend],
                "trend": [r for _, r in trend],
            }
        ),
        "region": region,
    }
    if staff.has(VERIFIERS):
        context["pending_absences"] = absences_to_decide(request.user).count()
        context["pending_corrections"] = Correction.objects.filter(
            status="pending", employee__in=employees_to_verify(request.user)
        ).count()
    if staff.has(PAYROLL):
        context["flags"] = AtasanFlag.objects.filter(employee__unit__in=scope).count()
    return render(request, "web/home.html", context)


@staff_view()
def today_partial(request: HttpRequest) -> HttpResponse:
    rows = today_status(region=_region(request), scope=scope_units(request), now=timezone.now())
    return render(request, "web/_today.html", {"today": rows})


@staff_view()
def employee_calendar(request: HttpRequest, employee_id: int) -> HttpResponse:
    employee = employee_in_scope(request, employee_id)
    month = month_param(request)
    last = month.replace(day=_calendar.monthrange(month.year, month.month)[1])
    days = {d.date: d for d in stored_days(employee_ids=[employee.id], start=month, end=last)}
    labels = dict(DayStatus.choices)
    weeks = []
    for week in _calendar.Calendar(firstweekday=0).monthdatescalendar(month.year, month.month):
        weeks.append(
            [
                (d, row, labels.get(row.status, row.status) if row else "")
                for d in week
                for row in [days.get(d) if d.month == month.month else None]
            ]
        )
    return render(
        request,
        "web/calendar.html",
        {
            "employee": employee,
            "weeks": weeks,
            "month": month,
            "month_label": month_name(month),
            "prev_month": (month - timedelta(days=1)).replace(day=1),
            "next_month": last + timedelta(days=1),
            "today": timezone.localdate(),
        },
    )
