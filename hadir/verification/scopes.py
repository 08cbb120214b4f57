"""Who may act on whom: operator scopes, and the employees an atasan or verifikator verifies.

Deny by default: an anonymous user, or one without the role, gets an empty queryset. Reads for
dashboards use `hadir.org.selectors.units_for_user` (every role); the writes here are narrower.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet

from hadir.org.choices import Role
from hadir.org.models import Employee, RoleAssignment, Unit

OPERATOR_ROLES = (Role.OPERATOR, Role.BKPSDM_ADMIN)
OTP_ROLES = frozenset({Role.OPERATOR, Role.BKPSDM_ADMIN})


def user_roles(user: Any) -> set[str]:
    if not getattr(user, "is_authenticated", False):
        return set()
    roles = set(RoleAssignment.objects.filter(user=user).values_list("role", flat=True))
    if Employee.objects.filter(user=user).exists() and subordinates_of_user(user).exists():
        roles.add(Role.ATASAN)
    return roles


def units_with_role(user: Any, roles: tuple[str, ...]) -> QuerySet[Unit]:
    """The units a user holds one of `roles` over (a role without a unit: its whole region)."""
    if not getattr(user, "is_authenticated", False):
        return Unit.objects.none()
    scope = Q(pk__in=[])
    for region_id, unit_path in RoleAssignment.objects.filter(
        user=user, role__in=roles
    ).values_list("region_id", "unit__path"):
        if unit_path is None:
            scope |= Q(region_id=region_id)
        else:
            scope |= Q(region_id=region_id, path__startswith=unit_path)
    return Unit.objects.filter(scope)


def employees_for_operator(user: Any) -> QuerySet[Employee]:
    """Employees an operator (or a BKPSDM admin) enters leave, travel, apel and corrections for."""
    return Employee.objects.filter(unit__in=units_with_role(user, OPERATOR_ROLES), active=True)


def subordinates_q(atasan: Employee) -> Q:
    """The employees whose atasan is `atasan` (hadir.org.services.employee_atasan, as a query).

    Staff of a unit report to its head; a head reports to the nearest head above; a per-person
    override wins. Computed over the region's units in one query.
    """
    units = {
        u[0]: u
        for u in Unit.objects.filter(region_id=atasan.region_id).values_list(
            "id", "parent_id", "head_id"
        )
    }
    staff_units: list[int] = []  # units whose own staff report to `atasan`
    head_units: list[int] = []  # units whose head (working in that unit) reports to `atasan`
    for unit_id, _parent, head in units.values():
        if head == atasan.id:
            staff_units.append(unit_id)
        elif head is None:
            chain_head = _first_head(units, unit_id)
            if chain_head == atasan.id:
                staff_units.append(unit_id)
        if head is not None and head != atasan.id:
            above = _first_head(units, units[unit_id][1], skip=head)
            if above == atasan.id:
                head_units.append(unit_id)
    no_override = Q(atasan__isnull=True) & ~Q(pk=atasan.pk)
    q = Q(atasan=atasan)
    if staff_units:
        q |= no_override & Q(unit_id__in=staff_units)
    if head_units:
        heads = [units[u][2] for u in head_units]
        q |= no_override & Q(pk__in=heads, unit_id__in=head_units)
    return q


def _first_head(
    units: dict[int, tuple], unit_id: int | None, skip: int | None = None
) -> int | None:
    seen = 0
    while unit_id is not None and unit_id in units and seen < 1000:
        head = units[unit_id][2]
        if head is not None and head != skip:
            return head
        unit_id = units[unit_id][1]
        seen += 1
    return None


def subordinates_of_user(user: Any) -> QuerySet[Employee]:
    me = Employee.objects.filter(user=user).first() if user.is_authenticated else None
    if me is None:
        return Employee.objects.none()
    return Employee.objects.filter(subordinates_q(me), active=True)


def employees_to_verify(user: Any) -> QuerySet[Employee]:
    """The atasan's subordinates, plus the employees of units the user is verifikator of."""
    if not getattr(user, "is_authenticated", False):
        return Employee.objects.none()
    me = Employee.objects.filter(user=user).first()
    q = Q(unit__in=units_with_role(user, (Role.VERIFIKATOR,)))
    if me is not None:
        q |= subordinates_q(me)
    return Employee.objects.filter(q, active=True).exclude(user=user).distinct()


def atasan_map(region_id: int) -> dict[int, int]:
    """Every active employee's atasan in a region (employee id -> atasan id), in two queries:
    the same derivation as hadir.org.services.employee_atasan."""
    units = {
        u[0]: u
        for u in Unit.objects.filter(region_id=region_id).values_list("id", "parent_id", "head_id")
    }
    out: dict[int, int] = {}
    for emp_id, unit_id, override in Employee.objects.filter(
        region_id=region_id, active=True
    ).values_list("id", "unit_id", "atasan_id"):
        if override is not None:
            out[emp_id] = override
            continue
        head = _first_head(units, unit_id, skip=emp_id)
        if head is not None:
            out[emp_id] = head
    return out
