"""Small helpers of the views: the month asked for, and the employee a user may see."""

from __future__ import annotations

from datetime import date

from django.http import Http404, HttpRequest
from django.utils import timezone

from hadir.org.models import Employee
from hadir.web.access import scope_units


def month_param(request: HttpRequest) -> date:
    raw = request.GET.get("month", "")
    try:
        year, month = (int(p) for p in raw.split("-"))
        return date(year, month, 1)
    except ValueError:
        return timezone.localdate().replace(day=1)


def employee_in_scope(request: HttpRequest, employee_id: int) -> Employee:
    """The employee, when the user may see them; else 404 (a stranger learns nothing)."""
    employee = (
        Employee.objects.filter(pk=employee_id, unit__in=scope_units(request))
        .select_related("unit", "region")
        .first()
    )
    if employee is None:
        raise Http404
    return employee
