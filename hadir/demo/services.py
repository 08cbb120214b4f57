"""`hadir demo`: (re)create the demo region, Kabupaten Kutai Timur, with a realistic history.

Everything enters the way a region's real data does: the rule set through `ruleset_load`;
units, employees, the calendar, absences and events through the importers (`import_table`,
one code path for data entry); the nurses' roster through `roster_set`. The history's days
are then resolved, so that dashboards and recaps have data at once.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, timedelta
from importlib import resources
from random import Random

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import AbstractUser
from django.db import models, transaction
from django.db.models import QuerySet
from django.utils import timezone

from hadir.absences.models import Absence
from hadir.attendance.models import AttendanceEvent
from hadir.attendance.services import stale_mark, stale_resolve
from hadir.audit.services import audit_record
from hadir.calendars.models import CalendarDay, RosterEntry
from hadir.core.errors import DomainError
from hadir.core.tabular import Table
from hadir.demo import data
from hadir.demo.history import History, history_generate
from hadir.demo.people import Person, Role, people_generate, unit_site
from hadir.imports.services import import_table
from hadir.org.choices import Role as UserRole
from hadir.org.models import Employee, Region, Unit
from hadir.org.services import role_grant
from hadir.tpp.ruleset import parse_ruleset
from hadir.tpp.selectors import RuleBook
from hadir.tpp.services import ruleset_load

DEMO_PASSWORD = "hadir-demo-2026"  # noqa: S105 (the published demo password)
ACTOR = "demo"
RULESET_FILE = "ruleset.toml"


def ruleset_text() -> str:
    """The demo rule set (package data of hadir.demo)."""
    return resources.files("hadir.demo").joinpath(RULESET_FILE).read_text(encoding="utf-8")


def demo_create(*, employees: int = 300, days: int = 60, seed: int = 6408) -> str:
    """(Re)create the demo region with `days` days of history ending yesterday; returns the
    summary to print."""
    today = timezone.localdate()
    return demo_load(employees=employees, days=days, seed=seed, end=today - timedelta(days=1))


def demo_load(*, employees: int, days: int, seed: int, end: date) -> str:
    """(Re)create the demo region with the history of the `days` days ending on `end`."""
    rules_text = ruleset_text()
    rng = Random(seed)
    people = people_generate(count=max(employees, 0), rng=rng)
    history = history_generate(
        people=people, rules=parse_ruleset(rules_text), end=end, days=days, rng=rng
    )
    with transaction.atomic():
        old = Region.objects.filter(code=data.REGION_CODE).first()
        if old is not None:
            region_delete(region=old, actor=ACTOR)
        ruleset_load(text=rules_text, source_name=f"hadir/demo/{RULESET_FILE}", actor=ACTOR)
        _import("units", unit_rows())
        _import("employees", employee_rows(people))
        heads = {p.unit.key: p.key for p in people if p.role == Role.HEAD}
        _import("units", unit_rows(heads=heads))  # heads, now that they are employees
        _import("calendar", calendar_rows())
        region = Region.objects.get(code=data.REGION_CODE)
        ids = dict(Employee.objects.filter(region=region).values_list("key", "id"))
        roster_set(
            region=region,
            entries=[(ids[p.key], day, code) for p, day, code in history.roster],
            actor=ACTOR,
        )
        _import("absences", history.absence_rows())
        _import("events", history.events)
        logins = _users(region=region, people=people)
        resolved = 0
        if history.start <= history.end:
            resolved = stale_resolve(region=region, start=history.start, end=history.end)
        summary = _summary(region, history, resolved, logins)
        audit_record(
            actor=ACTOR,
            action="demo.create",
            object_type="Region",
            object_id=str(region.id),
            data={"employees": employees, "days": days, "seed": seed, "end": end},
        )
    return summary


def _import(kind: str, rows: list[dict[str, str]]) -> None:
    if rows:
        import_table(
            kind=kind,
            table=Table.from_dicts(f"demo {kind}", rows),
            region_code=data.REGION_CODE,
            dry_run=False,
            actor=ACTOR,
        )


def unit_rows(heads: Mapping[str, str] | None = None) -> list[dict[str, str]]:
    """The unit tree as rows of the units import; with `heads` (unit key -> NIP) also the
    PemimpinPnsId column."""
    by_key = {u.key: u for u in data.UNITS}
    rows = []
    for unit in data.UNITS:
        lat, lon = unit_site(unit)
        row = {
            "Id": unit.code,
            "NamaUnor": unit.name,
            "DiatasanId": by_key[unit.parent].code if unit.parent else "",
            "Timezone": data.TIMEZONE if not unit.parent else "",
            "Latitude": f"{lat:.6f}",
            "Longitude": f"{lon:.6f}",
            "RadiusM": str(data.RADIUS_M),
        }
        if heads is not None:
            row["PemimpinPnsId"] = heads.get(unit.key, "")
        rows.append(row)
    return rows


def employee_rows(people: Iterable[Person]) -> list[dict[str, str]]:
    return [
        {
            **p.ident,
            "nama": p.name,
            "jenisPegawai": p.kind,
            "unorId": p.unit.code,
            "jabatanNama": p.title,
            "kelasJabatan": str(p.kelas),
            "tppBase": str(p.tpp_base),
            "phone": p.phone,
            "email": p.email,
            "schedule": p.schedule,
            "pin": p.pin,
        }
        for p in people
    ]


def calendar_rows() -> list[dict[str, str]]:
    rows = [{"date": h.day.isoformat(), "kind": h.kind, "name": h.name} for h in data.HOLIDAYS_2026]
    rows += [
        {"date": d.isoformat(), "kind": "ramadan", "name": "Ramadan 1447 H"}
        for d in data.ramadan_days()
    ]
    return rows


def roster_set(*, region: Region, entries: Iterable[tuple[int, date, str]], actor: str) -> int:
    """Set rosters: (employee id, date, shift code, "" for a day off) entries replace each
    employee's roster from its first to its last date given. Returns the number of entries."""
    rows = list(entries)
    if not rows:
        return 0
    known = {s.code for s in RuleBook(region).latest().rules.schedules}
    unknown = sorted({code for _, _, code in rows if code and code not in known})
    if unknown:
        raise DomainError(
            f"unknown shift(s) {', '.join(unknown)}: not a schedule of the rule set",
            code="unknown_schedule",
        )
    spans: dict[int, tuple[date, date]] = {}
    for employee_id, day, _ in rows:
        lo, hi = spans.get(employee_id, (day, day))
        spans[employee_id] = (min(lo, day), max(hi, day))
    ours = set(
        Employee.objects.filter(region=region, id__in=list(spans)).values_list("id", flat=True)
    )
    if strangers := sorted(set(spans) - ours):
        raise DomainError(
            f"employee(s) {', '.join(map(str, strangers))} are not of region {region.code}",
            code="employee_outside_region",
        )
    by_span: dict[tuple[date, date], list[int]] = defaultdict(list)
    for employee_id, span in spans.items():
        by_span[span].append(employee_id)
    with transaction.atomic():
        for (start, end), employee_ids in by_span.items():
            RosterEntry.objects.filter(
                employee_id__in=employee_ids, date__gte=start, date__lte=end
            ).delete()
        RosterEntry.objects.bulk_create(
            [RosterEntry(employee_id=e, date=d, shift_code=c) for e, d, c in rows],
            batch_size=1000,
        )
        for (start, end), employee_ids in sorted(by_span.items()):
            stale_mark(region=region, start=start, end=end, employee_ids=employee_ids)
        audit_record(
            actor=actor,
            action="roster.set",
            object_type="Region",
            object_id=str(region.id),
            data={"entries": len(rows), "employees": len(spans)},
        )
    return len(rows)


# Rows that reference what is deleted through these are deleted first, depth first; the rest
# (SET_NULL, ...) is left to Django's collector.
_DEPENDANT = (models.CASCADE, models.PROTECT, models.RESTRICT)


def _delete_deep(qs: QuerySet, path: tuple[type[models.Model], ...] = ()) -> None:
    """Delete `qs` after every row that cascades from it or protects it, at any depth; hidden
    relations (`related_name="+"`) included. Self-references must be cleared beforehand."""
    model = qs.model
    for rel in model._meta.get_fields(include_hidden=True):
        if not (rel.auto_created and not rel.concrete and (rel.one_to_many or rel.one_to_one)):
            continue
        child = rel.related_model
        if rel.on_delete not in _DEPENDANT or child is model or child in path:
            continue
        dependants = child._base_manager.filter(**{f"{rel.field.name}__in": qs})
        _delete_deep(dependants, (*path, model))
    qs.delete()


def region_delete(*, region: Region, actor: str) -> None:
    """Delete a region and everything of it: events, absences, days, roster, employees, units,
    positions, calendar, rule sets, role grants. Users and the audit log stay."""
    with transaction.atomic():
        counts = {
            "employees": Employee.objects.filter(region=region).count(),
            "events": AttendanceEvent.objects.filter(employee__region=region).count(),
            "absences": Absence.objects.filter(employee__region=region).count(),
        }
        audit_record(
            actor=actor,
            action="region.delete",
            object_type="Region",
            object_id=str(region.id),
            data={"code": region.code, **counts},
        )
        Unit.objects.filter(region=region).update(parent=None, head=None)
        Employee.objects.filter(region=region).update(atasan=None)
        _delete_deep(Region.objects.filter(pk=region.pk))


@dataclass(frozen=True)
class _Login:
    username: str
    what: str


def _demo_user(username: str, *, staff: bool, superuser: bool, name: str = "") -> AbstractUser:
    user, _ = get_user_model().objects.get_or_create(username=username)
    user.is_active, user.is_staff, user.is_superuser = True, staff, superuser
    user.first_name = name[:150]
    user.set_password(DEMO_PASSWORD)
    user.save()
    return user


def _link(user: AbstractUser, employee: Employee) -> None:
    Employee.objects.filter(user=user).exclude(pk=employee.pk).update(user=None)
    employee.user = user
    employee.save(update_fields=["user"])


def _users(*, region: Region, people: list[Person]) -> list[_Login]:
    """The three demo logins: the BKPSDM admin, the Dinas Kesehatan's operator kepegawaian,
    and the head of the Dinas Kesehatan as atasan."""
    health = Unit.objects.select_related("head").get(
        region=region, code=data.UNITS_BY_KEY[data.HEALTH_OPD].code
    )
    admin = _demo_user("admin", staff=True, superuser=True, name="Admin BKPSDM")
    role_grant(user=admin, role=UserRole.BKPSDM_ADMIN, region=region, actor=ACTOR)

    office = data.UNITS_BY_KEY[data.OPERATOR_UNIT].code
    clerk = next(
        (p for p in people if p.unit.code == office and p.role == Role.STAFF and p.nip), None
    )
    operator = _demo_user(
        "operator", staff=True, superuser=False, name=clerk.name if clerk else "Operator"
    )
    if clerk is not None:
        _link(operator, Employee.objects.get(region=region, key=clerk.key))
    role_grant(user=operator, role=UserRole.OPERATOR, region=region, unit=health, actor=ACTOR)

    head = health.head
    atasan = _demo_user("atasan", staff=False, superuser=False, name=head.name if head else "")
    if head is not None:
        _link(atasan, head)
    role_grant(user=atasan, role=UserRole.ATASAN, region=region, unit=health, actor=ACTOR)
    example = _employee_logins(region)
    return [
        _Login("admin", "BKPSDM admin, whole region: /web/ and /admin/ (enrols TOTP first)"),
        _Login("operator", f"operator kepegawaian of the {health.name} (enrols TOTP first)"),
        _Login("atasan", f"{head.name if head else 'head'}, Kepala {health.name}: /web/"),
        _Login(example or "(NIP)", "any employee's NIP: the employee app (/app/)"),
    ]


def _employee_logins(region: Region) -> str:
    """Every demo employee with a NIP may log in to the employee app with it and the demo
    password (hashed once for all of them). Returns one NIP to show."""
    user_model = get_user_model()
    password = make_password(DEMO_PASSWORD)
    employees = list(
        Employee.objects.filter(region=region, nip__isnull=False, user__isnull=True).order_by("key")
    )
    nips = [e.nip for e in employees if e.nip]
    user_model.objects.bulk_create(
        [user_model(username=nip, password=password) for nip in nips], ignore_conflicts=True
    )
    users = dict(user_model.objects.filter(username__in=nips).values_list("username", "id"))
    user_model.objects.filter(id__in=users.values()).update(password=password, is_active=True)
    for employee in employees:
        employee.user_id = users[employee.nip]
    Employee.objects.bulk_update(employees, ["user"], batch_size=1000)
    return nips[0] if nips else ""


def _summary(region: Region, history: History, resolved: int, logins: list[_Login]) -> str:
    employees = Employee.objects.filter(region=region)
    kinds = dict(employees.values("kind").annotate(n=models.Count("id")).values_list("kind", "n"))
    counts = {
        "units": Unit.objects.filter(region=region).count(),
        "calendar days": CalendarDay.objects.filter(region=region).count(),
        "roster entries": RosterEntry.objects.filter(employee__region=region).count(),
        "absences": Absence.objects.filter(employee__region=region).count(),
        "events": AttendanceEvent.objects.filter(employee__region=region).count(),
    }
    staff = ", ".join(f"{kinds.get(k, 0)} {k}" for k in ("PNS", "PPPK", "NONASN"))
    lines = [
        f"demo region {region.code} {region.name}: {employees.count()} employees ({staff}), "
        + ", ".join(f"{n} {what}" for what, n in counts.items()),
    ]
    if history.start <= history.end:
        days = (history.end - history.start).days + 1
        lines.append(
            f"history {history.start.isoformat()}..{history.end.isoformat()} "
            f"({days} day{'s' if days != 1 else ''}): "
            f"{resolved} employee-days resolved"
        )
    lines.append(f"demo logins (password for all: {DEMO_PASSWORD}):")
    lines += [f"  {login.username:<10}  {login.what}" for login in logins]
    return "\n".join(lines)
