"""Import of employees: `nip` (or `id` for contract staff), `nama, jenisPegawai, unorId,
jabatanNama, kelasJabatan, tppBase`, optional `atasanNip, phone, email, schedule, pin`.

An employee is identified in its region by its key: the NIP for PNS and PPPK, the `id` column
for contract staff (NONASN). An optional column that is absent leaves that field as it is; one
that is present but empty clears it. `active` is never changed by an import.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.core.validators import validate_email

from hadir.attendance.services import ALL_END, ALL_START, stale_mark
from hadir.core.tabular import Row, Table
from hadir.imports.fields import (
    BadValue,
    ImportResult,
    Problems,
    chunked,
    max_length,
    parse_choice,
    parse_whole,
    required,
    take,
)
from hadir.org.choices import EmployeeKind
from hadir.org.models import Employee, Position, Region, Unit
from hadir.org.rules import NipError, validate_nip
from hadir.tpp.ruleset import RuleSet
from hadir.tpp.selectors import RuleBook

KIND_CHOICES = {k.casefold(): str(k) for k in EmployeeKind.values}
OPTIONAL = ("atasanNip", "phone", "email", "schedule", "pin")
MAX_TPP_BASE = 10**12
FIELDS = [
    "nip",
    "kind",
    "name",
    "unit",
    "position",
    "tpp_base",
    "atasan",
    "schedule_code",
    "pin",
    "phone",
    "email",
]


@dataclass(frozen=True)
class EmployeeRow:
    number: int
    key: str
    key_column: str  # "nip" or "id": where the key came from, for messages
    nip: str | None
    kind: str
    name: str
    unit_code: str
    position: tuple[str, int | None] | None
    tpp_base: int
    optional: dict[str, str]  # the optional columns present in the file


@dataclass
class EmployeePlan:
    rows: list[EmployeeRow]
    stored: dict[str, Employee]
    units: dict[str, int]


def _email(text: str) -> str:
    if text:
        try:
            validate_email(text)
        except ValidationError:
            raise BadValue(f"{text!r} is not an e-mail address") from None
    return max_length(text, 254)


def _schedule(text: str, rules: RuleSet | None) -> str:
    max_length(text, 32)
    if text and rules is not None:
        try:
            rules.schedule(text)
        except LookupError as exc:
            raise BadValue(str(exc)) from None
    return text


def _identity(
    row: Row, kind: str, cells: dict[str, str], problems: Problems
) -> tuple[str, str, str | None] | None:
    """(key, key column, nip) of a row of the given kind, or None after a problem."""
    nip, ident = cells["nip"], cells["id"]
    if kind != EmployeeKind.NONASN and not nip:
        problems.add(row.number, f"a NIP (18 digits) is required for {kind}", "nip")
        return None
    try:
        validate_nip(nip, kind)
    except NipError as exc:
        problems.add(row.number, str(exc), "nip")
        return None
    if kind != EmployeeKind.NONASN:
        return nip, "nip", nip
    if not ident:
        problems.add(row.number, "contract staff (NONASN) need an id (the nip stays empty)", "id")
        return None
    if len(ident) > 64:
        problems.add(row.number, f"at most 64 characters, got {len(ident)}", "id")
        return None
    return ident, "id", None


def _kind(text: str) -> str:
    return parse_choice(text, KIND_CHOICES)


def _kelas(text: str) -> int | None:
    return parse_whole(text, lo=1, hi=17, what="kelasJabatan") if text else None


def _tpp_base(text: str) -> int:
    required(text, "tppBase (rupiah a month, 0 for none)")
    return parse_whole(text, lo=0, hi=MAX_TPP_BASE, what="tppBase (rupiah a month, like 5000000)")


def _unit(text: str, units: dict[str, int]) -> str:
    if required(text, "unorId") not in units:
        raise BadValue(f"unknown unit {text!r}")
    return text


def _parse_row(
    row: Row,
    cells: dict[str, str],
    identity: tuple[str, str, str | None] | None,
    context: _Context,
    problems: Problems,
) -> EmployeeRow | None:
    n = row.number
    name = take(problems, n, "nama", cells["nama"], lambda t: max_length(required(t, "nama"), 200))
    unit = take(problems, n, "unorId", cells["unorId"], lambda t: _unit(t, context.units))
    title = take(problems, n, "jabatanNama", cells["jabatanNama"], lambda t: max_length(t, 300))
    kelas = take(problems, n, "kelasJabatan", cells["kelasJabatan"], _kelas)
    if kelas is not None and not title:
        problems.add(n, "jabatanNama is required when kelasJabatan is given", "jabatanNama")
    tpp = take(problems, n, "tppBase", cells["tppBase"], _tpp_base)
    parsers: dict[str, Callable[[str], str]] = {
        "atasanNip": lambda t: max_length(t, 64),
        "phone": lambda t: max_length(t, 32),
        "email": _email,
        "schedule": lambda t: _schedule(t, context.rules),
        "pin": lambda t: max_length(t, 32),
    }
    optional = {c: take(problems, n, c, cells[c], parsers[c]) for c in context.present}
    if identity is None or name is None or unit is None or tpp is None or title is None:
        return None
    if None in optional.values() or (kelas is not None and not title):
        return None
    key, key_column, nip = identity
    return EmployeeRow(
        number=n,
        key=key,
        key_column=key_column,
        nip=nip,
        kind=cells["jenisPegawai"],
        name=name,
        unit_code=unit,
        position=(title, kelas) if title else None,
        tpp_base=tpp,
        optional={c: v for c, v in optional.items() if v is not None},
    )


@dataclass(frozen=True)
class _Context:
    units: dict[str, int]
    rules: RuleSet | None
    present: list[str]


def check(*, table: Table, region: Region) -> EmployeePlan:
    """Every problem of the file, or the plan to store it."""
    table.require(
        ("nip", "id"), "nama", "jenisPegawai", "unorId", "jabatanNama", "kelasJabatan", "tppBase"
    )
    problems = Problems(table.name)
    book = RuleBook(region)
    rules = book.latest().rules if book else None
    present = [c for c in OPTIONAL if table.has(c)]
    columns = (
        "nip",
        "id",
        "nama",
        "jenisPegawai",
        "unorId",
        "jabatanNama",
        "kelasJabatan",
        "tppBase",
        *OPTIONAL,
    )
    getters = {c: table.getter(c) for c in columns}
    units = dict(Unit.objects.filter(region=region).values_list("code", "id"))
    context = _Context(units=units, rules=rules, present=present)
    rows: list[EmployeeRow] = []
    first_row: dict[str, int] = {}
    for row in table.rows:
        cells = {c: g(row) for c, g in getters.items()}
        kind = take(problems, row.number, "jenisPegawai", cells["jenisPegawai"], _kind)
        identity = _identity(row, kind, cells, problems) if kind else None
        if identity is not None:
            key, key_column, _ = identity
            if key in first_row:
                problems.add(
                    row.number,
                    f"duplicate {key_column} {key} (also in row {first_row[key]})",
                    key_column,
                )
                identity = None
            else:
                first_row[key] = row.number
        parsed = _parse_row(row, {**cells, "jenisPegawai": kind or ""}, identity, context, problems)
        if parsed is not None:
            rows.append(parsed)

    stored = {e.key: e for e in Employee.objects.filter(region=region)}
    _check_other_regions(rows, region, problems)
    _check_atasan(rows, stored, problems)
    _check_pins(rows, stored, problems)
    problems.raise_if_any()
    return EmployeePlan(rows=rows, stored=stored, units=units)


def _check_other_regions(rows: list[EmployeeRow], region: Region, problems: Problems) -> None:
    by_nip = {r.nip: r for r in rows if r.nip}
    for part in chunked(sorted(by_nip)):
        taken = Employee.objects.filter(nip__in=part).exclude(region=region)
        for nip, code in taken.values_list("nip", "region__code"):
            problems.add(
                by_nip[nip].number, f"NIP {nip} belongs to an employee of region {code}", "nip"
            )


def _check_atasan(rows: list[EmployeeRow], stored: dict[str, Employee], problems: Problems) -> None:
    keys = {r.key for r in rows}
    for r in rows:
        atasan = r.optional.get("atasanNip", "")
        if not atasan:
            continue
        if atasan == r.key:
            problems.add(r.number, "an employee cannot be their own atasan", "atasanNip")
        elif atasan not in keys and atasan not in stored:
            problems.add(
                r.number,
                f"unknown employee {atasan!r} (neither in this file nor stored)",
                "atasanNip",
            )


def _check_pins(rows: list[EmployeeRow], stored: dict[str, Employee], problems: Problems) -> None:
    """PINs must stay unique in the region once the file is stored."""
    holders: dict[str, list[tuple[str, int | None]]] = defaultdict(list)
    in_file = {r.key: r for r in rows}
    for key, employee in stored.items():
        row = in_file.get(key)
        if employee.pin and (row is None or "pin" not in row.optional):
            holders[employee.pin].append((key, None))
    for r in rows:
        if r.optional.get("pin"):
            holders[r.optional["pin"]].append((r.key, r.number))
    for pin, users in holders.items():
        if len(users) < 2:
            continue
        for key, number in users:
            if number is None:
                continue
            others = [f"row {n}" if n else f"employee {k}" for k, n in users if k != key]
            problems.add(number, f"pin {pin} is also used by {', '.join(others)}", "pin")


def store(*, plan: EmployeePlan, region: Region, result: ImportResult, actor: str) -> None:
    """Create and update the employees (and positions); mark their days stale where needed."""
    positions = {(p.name, p.kelas_jabatan): p for p in Position.objects.filter(region=region)}
    wanted = sorted(
        {r.position for r in plan.rows if r.position} - positions.keys(),
        key=lambda p: (p[0], p[1] or 0),
    )
    for p in Position.objects.bulk_create(
        [Position(region=region, name=name, kelas_jabatan=kelas) for name, kelas in wanted]
    ):
        positions[(p.name, p.kelas_jabatan)] = p

    new: list[Employee] = []
    changed: list[Employee] = []
    pins_moving: list[int] = []
    stale: set[int] = set()
    for r in plan.rows:
        employee = plan.stored.get(r.key)
        is_new = employee is None
        if employee is None:
            employee = Employee(region=region, key=r.key)
        before = {
            f: getattr(employee, f + "_id" if f in ("unit", "position", "atasan") else f)
            for f in FIELDS
        }
        employee.nip, employee.kind, employee.name = r.nip, r.kind, r.name
        employee.unit_id = plan.units[r.unit_code]
        employee.position = positions[r.position] if r.position else None
        employee.tpp_base = r.tpp_base
        for column, attr in (
            ("phone", "phone"),
            ("email", "email"),
            ("schedule", "schedule_code"),
            ("pin", "pin"),
        ):
            if column in r.optional:
                setattr(employee, attr, r.optional[column])
        after = {
            f: getattr(employee, f + "_id" if f in ("unit", "position", "atasan") else f)
            for f in FIELDS
        }
        if is_new:
            new.append(employee)
        elif before != after:
            changed.append(employee)
            if (before["unit"], before["schedule_code"]) != (after["unit"], after["schedule_code"]):
                stale.add(employee.id)
            if before["pin"] and before["pin"] != after["pin"]:
                pins_moving.append(employee.id)

    # Free the PINs that move first, so that swapping PINs never meets the unique constraint.
    for part in chunked(pins_moving):
        Employee.objects.filter(id__in=part).update(pin="")
    Employee.objects.bulk_create(new, batch_size=1000)
    stale.update(e.id for e in new)
    ids = {key: e.id for key, e in plan.stored.items()}
    ids.update((e.key, e.id) for e in new)
    employees = {e.key: e for e in [*changed, *new]}
    for r in plan.rows:
        if "atasanNip" not in r.optional:
            continue
        atasan = r.optional["atasanNip"]
        atasan_id = ids[atasan] if atasan else None
        employee = employees.get(r.key) or plan.stored[r.key]
        if employee.atasan_id != atasan_id:
            employee.atasan_id = atasan_id
            if r.key not in employees:
                changed.append(employee)
                employees[r.key] = employee
    Employee.objects.bulk_update(
        [*changed, *[e for e in new if e.atasan_id]], FIELDS, batch_size=500
    )
    if stale:
        stale_mark(region=region, employee_ids=stale, start=ALL_START, end=ALL_END)
    result.created += len(new)
    result.updated += len(changed)
    result.unchanged += len(plan.rows) - len(new) - len(changed)
