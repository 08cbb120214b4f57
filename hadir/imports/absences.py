"""Import of absences: `nip` (or `id`), `start_date, end_date, type, status`, optional `reference`.

An absence is identified by (employee, type, start, end): importing it again updates its status
and reference. Two absences of one employee that are not rejected may not overlap, whether both
are in the file or one is stored already.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from django.utils import timezone

from hadir.absences.choices import AbsenceStatus, AbsenceType
from hadir.absences.models import Absence
from hadir.attendance.services import stale_mark
from hadir.core.tabular import Table
from hadir.imports.fields import (
    ImportResult,
    Problems,
    chunked,
    employee_ref,
    max_length,
    parse_choice,
    parse_date,
    take,
)
from hadir.org.models import Employee, Region

TYPE_CHOICES = {t.casefold(): str(t) for t in AbsenceType.values}
STATUS_CHOICES = {s.casefold(): str(s) for s in AbsenceStatus.values}

Identity = tuple[int, str, date, date]  # employee id, type, start, end


@dataclass(frozen=True)
class AbsenceRow:
    number: int
    employee_id: int
    type: str
    start: date
    end: date
    status: str
    reference: str | None  # None: no `reference` column, keep the stored one

    @property
    def identity(self) -> Identity:
        return (self.employee_id, self.type, self.start, self.end)


@dataclass
class AbsencePlan:
    rows: list[AbsenceRow]
    stored: dict[Identity, Absence]


def overlaps(a_start: date, a_end: date, b_start: date, b_end: date) -> bool:
    return a_start <= b_end and b_start <= a_end


def describe(kind: str, start: date, end: date) -> str:
    return f"{kind} {start.isoformat()}..{end.isoformat()}"


def check(*, table: Table, region: Region) -> AbsencePlan:
    """Every problem of the file, or the plan to store it."""
    table.require(("nip", "id"), "start_date", "end_date", "type", "status")
    problems = Problems(table.name)
    employees = dict(Employee.objects.filter(region=region).values_list("key", "id"))
    get = {
        c: table.getter(c)
        for c in ("nip", "id", "start_date", "end_date", "type", "status", "reference")
    }
    has_reference = table.has("reference")
    rows: list[AbsenceRow] = []
    first_row: dict[Identity, int] = {}
    for row in table.rows:
        n = row.number
        key, column = employee_ref(get["nip"](row), get["id"](row))
        employee_id = employees.get(key)
        if employee_id is None:
            problems.add(n, f"unknown employee {key!r}" if key else "nip or id is required", column)
        start = take(problems, n, "start_date", get["start_date"](row), parse_date)
        end = take(problems, n, "end_date", get["end_date"](row), parse_date)
        if start and end and end < start:
            problems.add(
                n,
                f"end_date {end.isoformat()} is before start_date {start.isoformat()}",
                "end_date",
            )
            end = None
        kind = take(problems, n, "type", get["type"](row), lambda t: parse_choice(t, TYPE_CHOICES))
        status = take(
            problems, n, "status", get["status"](row), lambda t: parse_choice(t, STATUS_CHOICES)
        )
        reference = take(
            problems, n, "reference", get["reference"](row), lambda t: max_length(t, 200)
        )
        if (
            employee_id is None
            or start is None
            or end is None
            or kind is None
            or status is None
            or reference is None
        ):
            continue
        parsed = AbsenceRow(
            n, employee_id, kind, start, end, status, reference if has_reference else None
        )
        if parsed.identity in first_row:
            problems.add(
                n,
                f"the same absence ({describe(kind, start, end)}) is in row "
                f"{first_row[parsed.identity]}",
                "type",
            )
            continue
        first_row[parsed.identity] = n
        rows.append(parsed)
    stored = _stored(rows)
    check_overlaps(rows, stored.values(), problems)
    problems.raise_if_any()
    return AbsencePlan(rows=rows, stored={_identity_of(a): a for a in stored.values()})


def _identity_of(absence: Absence) -> Identity:
    return (absence.employee_id, absence.type, absence.start_date, absence.end_date)


def _stored(rows: list[AbsenceRow]) -> dict[int, Absence]:
    """Stored absences of the file's employees that reach into the file's dates."""
    if not rows:
        return {}
    lo, hi = min(r.start for r in rows), max(r.end for r in rows)
    stored: dict[int, Absence] = {}
    for part in chunked(sorted({r.employee_id for r in rows})):
        stored.update(
            (a.id, a)
            for a in Absence.objects.filter(
                employee_id__in=part, start_date__lte=hi, end_date__gte=lo
            )
        )
    return stored


def check_overlaps(rows: list[AbsenceRow], stored: Iterable[Absence], problems: Problems) -> None:
    """Refuse overlapping absences that are not rejected, as they will be once stored."""
    in_file = {r.identity for r in rows}
    kept: dict[int, list[Absence]] = defaultdict(list)  # stored, not replaced by the file
    for absence in stored:
        if absence.status != AbsenceStatus.REJECTED and _identity_of(absence) not in in_file:
            kept[absence.employee_id].append(absence)
    seen: dict[int, list[AbsenceRow]] = defaultdict(list)
    for r in sorted(rows, key=lambda r: r.number):
        if r.status == AbsenceStatus.REJECTED:
            continue
        for other in seen[r.employee_id]:
            if overlaps(r.start, r.end, other.start, other.end):
                problems.add(
                    r.number,
                    f"overlaps {describe(other.type, other.start, other.end)} "
                    f"in row {other.number}",
                    "start_date",
                )
        for absence in kept[r.employee_id]:
            if overlaps(r.start, r.end, absence.start_date, absence.end_date):
                span = describe(absence.type, absence.start_date, absence.end_date)
                problems.add(r.number, f"overlaps {span} already stored", "start_date")
        seen[r.employee_id].append(r)


def store(*, plan: AbsencePlan, region: Region, result: ImportResult, actor: str) -> None:
    """Create absences and update status and reference; their days become stale."""
    new: list[Absence] = []
    changed: list[Absence] = []
    now = timezone.now()
    for r in plan.rows:
        absence = plan.stored.get(r.identity)
        if absence is None:
            new.append(
                Absence(
                    employee_id=r.employee_id,
                    type=r.type,
                    start_date=r.start,
                    end_date=r.end,
                    status=r.status,
                    reference=r.reference or "",
                )
            )
            continue
        reference = absence.reference if r.reference is None else r.reference
        if (absence.status, absence.reference) != (r.status, reference):
            absence.status, absence.reference, absence.updated_at = r.status, reference, now
            changed.append(absence)
    Absence.objects.bulk_create(new, batch_size=1000)
    Absence.objects.bulk_update(changed, ["status", "reference", "updated_at"], batch_size=500)
    by_range: dict[tuple[date, date], list[int]] = defaultdict(list)
    for absence in (*new, *changed):
        by_range[(absence.start_date, absence.end_date)].append(absence.employee_id)
    for (start, end), employee_ids in sorted(by_range.items()):
        stale_mark(region=region, start=start, end=end, employee_ids=employee_ids)
    result.created += len(new)
    result.updated += len(changed)
    result.unchanged += len(plan.rows) - len(new) - len(changed)
