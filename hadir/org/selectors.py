"""Reads of organisation data."""

from __future__ import annotations

from typing import Any
from zoneinfo import ZoneInfo

from django.db.models import Q, QuerySet

from hadir.core.errors import DomainError
from hadir.org.models import Employee, Region, RoleAssignment, Unit


def region_get(code: str | None) -> Region:
    """The region named by `code`, or the only region when no code is given."""
    if code:
        region = Region.objects.filter(code=code).first()
        if region is None:
            raise DomainError(f"unknown region {code!r}", code="unknown_region")
        return region
    regions = list(Region.objects.all()[:2])
    if not regions:
        raise DomainError(
            "there is no region yet: load a rule set first (`hadir rules load FILE.toml`) "
            "or pass --region CODE",
            code="no_region",
        )
    if len(regions) > 1:
        raise DomainError("there are several regions: pass --region CODE", code="region_required")
    return regions[0]


def unit_subtree(unit: Unit) -> QuerySet[Unit]:
    return Unit.objects.filter(region=unit.region, path__startswith=unit.path)


def unit_timezones(region: Region) -> dict[int, ZoneInfo]:
    """Each unit's time zone: its own, else its nearest ancestor's, else the region's."""
    rows = Unit.objects.filter(region=region).only("id", "parent_id", "timezone")
    units = {u.id: u for u in rows}
    resolved: dict[int, ZoneInfo] = {}

    def zone_of(unit_id: int) -> ZoneInfo:
        if unit_id in resolved:
            return resolved[unit_id]
        chain: list[int] = []
        current: int | None = unit_id
        name = region.timezone
        while current is not None and current in units:
            if current in resolved:
                name = resolved[current].key
                break
            chain.append(current)
            unit = units[current]
            if unit.timezone:
                name = unit.timezone
                break
            current = unit.parent_id
        zone = ZoneInfo(name)
        for uid in chain:
            resolved[uid] = zone
        return zone

    for unit_id in units:
        zone_of(unit_id)
    return resolved


def employees_in_scope(region: Region, unit: Unit | None = None) -> QuerySet[Employee]:
    qs = Employee.objects.filter(region=region, active=True)
    if unit is not None:
        qs = qs.filter(unit__path__startswith=unit.path)
    return qs


def units_for_user(user: Any) -> QuerySet[Unit]:
    """The units a user may see: the union of their role scopes. Deny by default.

    A role without a unit covers its whole region; with a unit, that unit and everything
    below it. A superuser sees everything; an anonymous user nothing.
    """
    if not getattr(user, "is_authenticated", False):
        return Unit.objects.none()
    if user.is_superuser:
        return Unit.objects.all()
    scope = Q(pk__in=[])
    for region_id, unit_path in RoleAssignment.objects.filter(user=user).values_list(
        "region_id", "unit__path"
    ):
        if unit_path is None:
            scope |= Q(region_id=region_id)
        else:
            scope |= Q(region_id=region_id, path__startswith=unit_path)
    return Unit.objects.filter(scope)


def employees_for_user(user: Any) -> QuerySet[Employee]:
    """The employees a user may see: those of the units in their scope, and themselves."""
    if not getattr(user, "is_authenticated", False):
        return Employee.objects.none()
    own = Q(user=user)
    return Employee.objects.filter(Q(unit__in=units_for_user(user)) | own)


def unit_role_holders(unit: Unit, role: str) -> list[Employee]:
    """The employees whose users hold `role` over `unit`, the nearest scope first.

    The holders scoped to the unit itself or its closest ancestor win; region-wide holders
    are the fallback. A user with no employee record cannot be messaged and is left out.
    """
    ancestors = [int(x) for x in unit.path.strip("/").split("/") if x]
    depth = {unit_id: i for i, unit_id in enumerate(ancestors)}
    rows = RoleAssignment.objects.filter(role=role, region_id=unit.region_id).filter(
        Q(unit__isnull=True) | Q(unit_id__in=ancestors)
    )
    best: dict[int, list[int]] = {}
    for user_id, unit_id in rows.values_list("user_id", "unit_id"):
        best.setdefault(depth.get(unit_id, -1) if unit_id else -1, []).append(user_id)
    if not best:
        return []
    users = best[max(best)]
    return list(
        Employee.objects.filter(user_id__in=users, active=True)
        .select_related("region")
        .order_by("id")
    )
