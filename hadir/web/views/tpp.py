"""The region's TPP sheet and the downloads: recap and TPP payroll sheet as XLSX and PDF,
limited to the units in the user's scope and signed under the region's letterhead."""

from __future__ import annotations

from datetime import date
from typing import Any
from zoneinfo import ZoneInfo

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from hadir.audit.services import audit_record
from hadir.org.models import Region, Unit
from hadir.reports import exports
from hadir.reports.letterhead import letterhead_for, month_name
from hadir.reports.recap import recap_build
from hadir.reports.sheets import payroll_pdf, payroll_xlsx
from hadir.web.access import OPERATORS, PAYROLL, READERS, scope_units, staff_of, staff_view
from hadir.web.views.common import month_param

CONTENT_TYPES = {
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "pdf": "application/pdf",
}


def scope_roots(request: HttpRequest, region: Region) -> list[Unit]:
    units = list(scope_units(request).filter(region=region).order_by("path"))
    ids = {u.id for u in units}
    return [u for u in units if u.parent_id not in ids]


def scoped_recap(request: HttpRequest, month: date) -> tuple[dict[str, Any], Unit | None]:
    region = staff_of(request).region
    if region is None:
        raise PermissionDenied
    roots = scope_roots(request, region)
    if not roots:
        raise PermissionDenied
    merged: dict[str, Any] = {"region": region.code, "month": f"{month:%Y-%m}"}
    merged["employees"], merged["units"] = [], []
    for root in roots:
        part = recap_build(region=region, month=month, unit=root)
        merged["employees"] += part["employees"]
        merged["units"] += part["units"]
    merged["employees"].sort(key=lambda e: (e["unit_id"], e["name"]))
    return merged, roots[0] if len(roots) == 1 else None


@staff_view(PAYROLL | OPERATORS)
def tpp_sheet(request: HttpRequest) -> HttpResponse:
    month = month_param(request)
    data, _ = scoped_recap(request, month)
    totals = {
        "base": sum(e["tpp_base"] for e in data["employees"]),
        "paid": sum(e["tpp_paid"] for e in data["employees"]),
    }
    totals["cut"] = totals["base"] - totals["paid"]
    names = {u["unit_id"]: u["name"] for u in data["units"]}
    for emp in data["employees"]:
        emp["unit_name"] = names.get(emp["unit_id"], emp["unit_id"])
    return render(
        request,
        "web/tpp.html",
        {"data": data, "month": month, "month_label": month_name(month), "totals": totals},
    )


@staff_view(READERS)
def export(request: HttpRequest, kind: str, fmt: str) -> HttpResponse:
    if fmt not in CONTENT_TYPES or kind not in ("rekap", "tpp"):
        raise Http404
    staff = staff_of(request)
    if kind == "tpp" and not staff.has(PAYROLL | OPERATORS):
        raise PermissionDenied
    month = month_param(request)
    data, unit = scoped_recap(request, month)
    region = staff.region
    if region is None:
        raise PermissionDenied
    today = timezone.now().astimezone(ZoneInfo(region.timezone)).date()
    letterhead = letterhead_for(region=region, unit=unit, today=today)
    if kind == "rekap":
        body = exports.to_xlsx(data) if fmt == "xlsx" else exports.to_pdf(data, letterhead)
    else:
        body = payroll_xlsx(data, letterhead) if fmt == "xlsx" else payroll_pdf(data, letterhead)
    audit_record(
        actor=request.user.get_username(),
        action="export.download",
        object_type="Region",
        object_id=region.code,
        data={"kind": kind, "format": fmt, "month": f"{month:%Y-%m}"},
    )
    response = HttpResponse(body, content_type=CONTENT_TYPES[fmt])
    name = f"{kind}-{region.code}-{month:%Y-%m}.{fmt}"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response
