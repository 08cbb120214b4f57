"""Import of the unit tree (BKN unor): `Id, NamaUnor, DiatasanId`, optional `PemimpinPnsId`,
`Timezone` and a circular geofence `Latitude, Longitude, RadiusM`.

A file may hold the whole tree or only some units; a parent may be in the file (in any order)
or already stored. An optional column that is absent leaves that field as it is; a column that
is present but empty clears it (no head, the parent's time zone). Each unit with coordinates
gets one site named "Kantor <NamaUnor>", updated (never duplicated) by later imports.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal

from hadir.attendance.services import ALL_END, ALL_START, stale_mark
from hadir.core.errors import InputProblems
from hadir.core.tabular import Table
from hadir.imports.fields import (
    BadValue,
    ImportResult,
    Problems,
    both_or_none,
    chunked,
    max_length,
    parse_coordinate,
    parse_whole,
    parse_zone,
    required,
    take,
)
from hadir.org.choices import SiteShape
from hadir.org.models import Employee, Region, Site, Unit
from hadir.org.services import UnitCycle, unit_tree_rebuild

SITE_PREFIX = "Kantor "
MAX_RADIUS_M = 100_000
GEO_COLUMNS = ("Latitude", "Longitude", "RadiusM")


@dataclass(frozen=True)
class SiteSpec:
    latitude: Decimal
    longitude: Decimal
    radius_m: int


@dataclass(frozen=True)
class UnitRow:
    number: int
    code: str
    name: str
    parent_code: str  # "" for a top unit
    head_key: str | None  # None: the column is absent, leave the head as it is
    timezone: str | None  # None: the column is absent
    site: SiteSpec | None  # None: no coordinates, leave the sites as they are


@dataclass
class UnitPlan:
    rows: list[UnitRow]
    stored: dict[str, Unit]
    heads: dict[str, Employee]


def site_name(unit_name: str) -> str:
    return (SITE_PREFIX + unit_name)[:200]


def find_cycles(parents: Mapping[str, str]) -> list[list[str]]:
    """Every cycle of a child -> parent map (a code with no entry or "" is a root), once each."""
    cycles: list[list[str]] = []
    done: set[str] = set()
    for start in parents:
        trail: list[str] = []
        on_trail: set[str] = set()
        code = start
        while code and code in parents and code not in done:
            if code in on_trail:
                cycles.append([*trail[trail.index(code) :], code])
                break
            trail.append(code)
            on_trail.add(code)
            code = parents[code]
        done.update(trail)
    return cycles


def _parse_row(number: int, cells: dict[str, str], table: Table, problems: Problems) -> UnitRow:
    def text(column: str, limit: int, *, needed: bool = False) -> str:
        def parse(t: str) -> str:
            return max_length(required(t, column) if needed else t, limit)

        return take(problems, number, column, cells[column], parse) or ""

    code = text("Id", 64, needed=True)
    name = text("NamaUnor", 300, needed=True)
    parent = text("DiatasanId", 64)
    head = text("PemimpinPnsId", 64) if table.has("PemimpinPnsId") else None
    zone = None
    if table.has("Timezone"):
        zone = take(
            problems, number, "Timezone", cells["Timezone"], lambda t: parse_zone(t) if t else ""
        )
    site = None
    try:
        has_site = both_or_none(GEO_COLUMNS, [cells[c] for c in GEO_COLUMNS])
    except BadValue as exc:
        problems.add(number, str(exc))
        has_site = False
    if has_site:
        lat = take(
            problems,
            number,
            "Latitude",
            cells["Latitude"],
            lambda t: parse_coordinate(t, limit=90, what="latitude"),
        )
        lon = take(
            problems,
            number,
            "Longitude",
            cells["Longitude"],
            lambda t: parse_coordinate(t, limit=180, what="longitude"),
        )
        radius = take(
            problems,
            number,
            "RadiusM",
            cells["RadiusM"],
            lambda t: parse_whole(t, lo=1, hi=MAX_RADIUS_M, what="RadiusM"),
        )
        if lat is not None and lon is not None and radius is not None:
            site = SiteSpec(lat, lon, radius)
    return UnitRow(number, code, name, parent, head, zone, site)


def check(*, table: Table, region: Region) -> UnitPlan:
    """Every problem of the file, or the plan to store it (`region` may be new, unsaved)."""
    table.require("Id", "NamaUnor", "DiatasanId")
    problems = Problems(table.name)
    columns = ("Id", "NamaUnor", "DiatasanId", "PemimpinPnsId", "Timezone", *GEO_COLUMNS)
    getters = {c: table.getter(c) for c in columns}
    rows: list[UnitRow] = []
    first_row: dict[str, int] = {}
    for row in table.rows:
        parsed = _parse_row(row.number, {c: g(row) for c, g in getters.items()}, table, problems)
        if parsed.code in first_row:
            problems.add(
                row.number,
                f"duplicate Id {parsed.code!r} (also in row {first_row[parsed.code]})",
                "Id",
            )
            continue
        if parsed.code:
            first_row[parsed.code] = row.number
        rows.append(parsed)

    units = Unit.objects.filter(region=region) if region.pk else Unit.objects.none()
    stored = {u.code: u for u in units.select_related("parent")}
    parents = {code: (u.parent.code if u.parent else "") for code, u in stored.items()}
    for r in rows:
        if not r.code:
            continue
        parents[r.code] = r.parent_code
        if r.parent_code and r.parent_code not in first_row and r.parent_code not in stored:
            problems.add(
                r.number,
                f"unknown unit {r.parent_code!r} (neither in this file nor stored)",
                "DiatasanId",
            )
    for cycle in find_cycles(parents):
        ring = cycle[:-1]
        in_file = [c for c in ring if c in first_row]
        if in_file:  # name the cycle from the first row of the file that is in it
            at = ring.index(min(in_file, key=first_row.__getitem__))
            ring = ring[at:] + ring[:at]
        problems.add(
            first_row[ring[0]] if in_file else None,
            f"the unit tree would have a cycle: {' -> '.join([*ring, ring[0]])}",
            "DiatasanId",
        )
    problems.raise_if_any()

    head_keys = sorted({r.head_key for r in rows if r.head_key}) if region.pk else []
    heads: dict[str, Employee] = {}
    for part in chunked(head_keys):
        heads.update((e.key, e) for e in Employee.objects.filter(region=region, key__in=part))
    return UnitPlan(rows=rows, stored=stored, heads=heads)


def store(*, plan: UnitPlan, region: Region, result: ImportResult, actor: str) -> None:
    """Create and update the units and their import sites; mark days stale when zones move."""
    units = dict(plan.stored)
    new_codes = {r.code for r in plan.rows if r.code not in units}
    created = Unit.objects.bulk_create(
        [Unit(region=region, code=r.code, name=r.name) for r in plan.rows if r.code in new_codes]
    )
    units.update((u.code, u) for u in created)
    old_names = {code: u.name for code, u in plan.stored.items()}

    touched: list[Unit] = []
    moved = False  # an existing unit changed parent or time zone: every day may change
    changed_codes: set[str] = set()
    for r in plan.rows:
        unit = units[r.code]
        before = (unit.name, unit.parent_id, unit.head_id, unit.timezone)
        unit.name = r.name
        unit.parent = units[r.parent_code] if r.parent_code else None
        if r.head_key is not None:
            head = plan.heads.get(r.head_key) if r.head_key else None
            unit.head = head
            if r.head_key and head is None:
                result.notes.append(
                    f"unit {r.code}: head {r.head_key} is not an employee of the region yet, "
                    "left empty (import the units again after the employees)"
                )
        if r.timezone is not None:
            unit.timezone = r.timezone
        after = (unit.name, unit.parent_id, unit.head_id, unit.timezone)
        if before != after or r.code in new_codes:
            touched.append(unit)
        if r.code not in new_codes and before != after:
            changed_codes.add(r.code)
            moved = moved or before[1] != after[1] or before[3] != after[3]
    Unit.objects.bulk_update(touched, ["name", "parent", "head", "timezone"], batch_size=500)

    changed_codes |= _store_sites(plan, units, old_names)
    try:
        unit_tree_rebuild(region=region)
    except UnitCycle as exc:  # check() refuses cycles; this guards against a race
        raise InputProblems([exc.message]) from exc
    if moved:
        stale_mark(region=region, start=ALL_START, end=ALL_END)
    result.created += len(new_codes)
    result.updated += len(changed_codes - new_codes)
    result.unchanged += len(plan.rows) - len(new_codes) - len(changed_codes - new_codes)


def _store_sites(plan: UnitPlan, units: dict[str, Unit], old_names: dict[str, str]) -> set[str]:
    """Create or update each unit's import site; returns the codes of units whose site changed."""
    with_site = [(r, r.site) for r in plan.rows if r.site is not None]
    if not with_site:
        return set()
    ids = [units[r.code].id for r, _ in with_site]
    existing: dict[tuple[int, str], Site] = {}
    for part in chunked(ids):
        for site in Site.objects.filter(unit_id__in=part, shape=SiteShape.CIRCLE).order_by("id"):
            existing.setdefault((site.unit_id, site.name), site)
    changed: set[str] = set()
    to_create: list[Site] = []
    to_update: list[Site] = []
    for r, spec in with_site:
        unit = units[r.code]
        name = site_name(r.name)
        site = existing.get((unit.id, name))
        if site is None and r.code in old_names:
            site = existing.get((unit.id, site_name(old_names[r.code])))
        if site is None:
            to_create.append(
                Site(
                    unit=unit,
                    name=name,
                    shape=SiteShape.CIRCLE,
                    latitude=spec.latitude,
                    longitude=spec.longitude,
                    radius_m=spec.radius_m,
                )
            )
            changed.add(r.code)
            continue
        wanted = (name, spec.latitude, spec.longitude, spec.radius_m)
        current = (site.name, _dec(site.latitude), _dec(site.longitude), site.radius_m)
        if wanted != current:
            site.name, site.latitude, site.longitude, site.radius_m = wanted
            to_update.append(site)
            changed.add(r.code)
    Site.objects.bulk_create(to_create)
    Site.objects.bulk_update(to_update, ["name", "latitude", "longitude", "radius_m"])
    return changed


def _dec(value: Decimal | float | None) -> Decimal | None:
    return None if value is None else Decimal(str(value)).quantize(Decimal("0.000001"))
