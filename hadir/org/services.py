"""Writes of organisation data: the unit tree, supervisors and role grants."""

from __future__ import annotations

from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction

from hadir.audit.services import audit_record
from hadir.core.errors import DomainError
from hadir.org.choices import Role
from hadir.org.models import Employee, Region, RoleAssignment, Unit


class UnitCycle(DomainError):
    code = "unit_cycle"


def unit_tree_rebuild(*, region: Region) -> int:
    """Recompute every unit's materialised path and depth; refuses a cycle. Returns the count."""
    units = {u.id: u for u in Unit.objects.filter(region=region).only("id", "parent_id", "code")}
    paths: dict[int, str] = {}

    def path_of(unit_id: int, trail: tuple[int, ...] = ()) -> str:
        if unit_id in paths:
            return paths[unit_id]
        if unit_id in trail:
            codes = " -> ".join(units[i].code for i in (*trail, unit_id))
            raise UnitCycle(f"the unit tree has a cycle: {codes}")
        parent_id = units[unit_id].parent_id
        prefix = path_of(parent_id, (*trail, unit_id)) if parent_id in units else "/"
        paths[unit_id] = f"{prefix}{unit_id}/"
        return paths[unit_id]

    changed = []
    for unit_id, unit in units.items():
        path = path_of(unit_id)
        depth = path.count("/") - 2
        if (unit.path, unit.depth) != (path, depth):
            unit.path, unit.depth = path, depth
            changed.append(unit)
    Unit.objects.bulk_update(changed, ["path", "depth"], batch_size=1000)
    return len(units)


def employee_atasan(employee: Employee) -> Employee | None:
    """The direct supervisor: the per-person override, else derived from the unit tree.

    A unit's staff report to its head; the head reports to the head of the nearest unit above
    that has one (RULEBOOK.md section 1). None at the top of the tree.
    """
    if employee.atasan_id is not None:
        return employee.atasan
    unit: Unit | None = employee.unit
    while unit is not None:
        if unit.head_id is not None and unit.head_id != employee.id:
            return unit.head
        unit = unit.parent
    return None


def role_grant(
    *,
    user: AbstractBaseUser,
    role: Role,
    region: Region,
    unit: Unit | None = None,
    actor: str = "system",
) -> RoleAssignment:
    """Give a user a role over a unit subtree (or the whole region when unit is None)."""
    if unit is not None and unit.region_id != region.id:
        raise DomainError("the unit is not in the region", code="unit_outside_region")
    with transaction.atomic():
        grant, created = RoleAssignment.objects.get_or_create(
            user=user, role=role, region=region, unit=unit
        )
        if created:
            audit_record(
                actor=actor,
                action="role.grant",
                object_type="RoleAssignment",
                object_id=str(grant.id),
                data={
                    "user": user.get_username(),
                    "role": str(role),
                    "region": region.code,
                    "unit": unit.code if unit else None,
                },
            )
    return grant
