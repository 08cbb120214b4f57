"""Who is at the keyboard: their roles, region and scope, computed once per request, and the
decorator every staff page goes through (login, TOTP for admin roles, role check)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import wraps
from typing import Any
from zoneinfo import ZoneInfo

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils import timezone

from hadir.org.choices import Role
from hadir.org.models import Employee, Region, RoleAssignment, Unit
from hadir.org.selectors import units_for_user
from hadir.verification.scopes import OTP_ROLES, subordinates_of_user

READERS = frozenset(
    {
        Role.BKPSDM_ADMIN,
        Role.OPERATOR,
        Role.KEPALA_OPD,
        Role.INSPEKTORAT,
        Role.BPKAD,
        Role.KEPALA_DAERAH,
        Role.ATASAN,
        Role.VERIFIKATOR,
    }
)
VERIFIERS = frozenset({Role.ATASAN, Role.VERIFIKATOR})
OPERATORS = frozenset({Role.OPERATOR, Role.BKPSDM_ADMIN})
PAYROLL = frozenset(
    {Role.BKPSDM_ADMIN, Role.BPKAD, Role.KEPALA_DAERAH, Role.KEPALA_OPD, Role.INSPEKTORAT}
)


@dataclass
class Staff:
    roles: frozenset[str]
    region: Region | None
    employee: Employee | None

    def has(self, roles: frozenset[str]) -> bool:
        return bool(self.roles & roles)

    @property
    def needs_otp(self) -> bool:
        return bool(self.roles & OTP_ROLES)


def user_needs_otp(user: Any) -> bool:
    """BKPSDM admins, operators and superusers log in with a TOTP code."""
    if user.is_superuser:
        return True
    return RoleAssignment.objects.filter(user=user, role__in=list(OTP_ROLES)).exists()


def staff_of(request: HttpRequest) -> Staff:
    cached = getattr(request, "_hadir_staff", None)
    if cached is not None:
        return cached
    user = request.user
    grants = list(RoleAssignment.objects.filter(user=user).select_related("region"))
    roles = {g.role for g in grants}
    employee = Employee.objects.filter(user=user).select_related("region").first()
    if employee is not None and subordinates_of_user(user).exists():
        roles.add(Role.ATASAN)
    if user.is_superuser:
        roles.add(Role.BKPSDM_ADMIN)
    region = grants[0].region if grants else (employee.region if employee else None)
    if region is None and user.is_superuser:
        region = Region.objects.order_by("code").first()
    staff = Staff(frozenset(roles), region, employee)
    request._hadir_staff = staff  # type: ignore[attr-defined]
    return staff


def scope_units(request: HttpRequest) -> QuerySet[Unit]:
    """Units the user reads: their role scopes, and an atasan's own unit subtree."""
    staff = staff_of(request)
    units = units_for_user(request.user)
    if staff.employee is not None and Role.ATASAN in staff.roles:
        units = units | Unit.objects.filter(
            region=staff.employee.region, path__startswith=staff.employee.unit.path
        )
    return units


def staff_view(roles: frozenset[str] = READERS) -> Callable[..., Any]:
    """Login, then TOTP for BKPSDM admins and operators, then one of `roles`; else 403."""

    def decorate(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
        @wraps(view)
        def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            staff = staff_of(request)
            if staff.needs_otp and not request.user.is_verified():  # type: ignore[attr-defined]
                return redirect("web:otp")
            if not staff.has(roles):
                raise PermissionDenied
            if staff.region is not None:  # times shown in the region's zone
                timezone.activate(ZoneInfo(staff.region.timezone))
            try:
                return view(request, *args, **kwargs)
            finally:
                timezone.deactivate()

        return wrapper

    return decorate
