"""Import of the region's calendar: `date, kind` and an optional `name`.

A day is identified by (date, kind); a second import updates its name. Days missing from the
file are kept (an import never deletes).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from hadir.attendance.services import stale_mark
from hadir.calendars.choices import CalendarKind
from hadir.calendars.models import CalendarDay
from hadir.core.tabular import Table
from hadir.imports.fields import (
    ImportResult,
    Problems,
    max_length,
    parse_choice,
    parse_date,
    take,
)
from hadir.org.models import Region

KIND_CHOICES = {k.casefold(): str(k) for k in CalendarKind.values}


@dataclass(frozen=True)
class CalendarRow:
    number: int
    date: date
    kind: str
    name: str | None  # None: no `name` column, keep the stored name


def check(*, table: Table, region: Region) -> list[CalendarRow]:
    """Every problem of the file, or its rows."""
    table.require("date", "kind")
    problems = Problems(table.name)
    get_date, get_kind, get_name = (table.getter(c) for c in ("date", "kind", "name"))
    has_name = table.has("name")
    rows: list[CalendarRow] = []
    first_row: dict[tuple[date, str], int] = {}
    for row in table.rows:
        day = take(problems, row.number, "date", get_date(row), parse_date)
        kind = take(
            problems, row.number, "kind", get_kind(row), lambda t: parse_choice(t, KIND_CHOICES)
        )
        name = take(problems, row.number, "name", get_name(row), lambda t: max_length(t, 200))
        if day is None or kind is None or name is None:
            continue
        if (day, kind) in first_row:
            problems.add(
                row.number,
                f"{day.isoformat()} {kind} is also in row {first_row[(day, kind)]}",
                "date",
            )
            continue
        first_row[(day, kind)] = row.number
        rows.append(CalendarRow(row.number, day, kind, name if has_name else None))
    problems.raise_if_any()
    return rows


def store(*, plan: list[CalendarRow], region: Region, result: ImportResult, actor: str) -> None:
    """Create and rename calendar days; the days between the first and last change are stale."""
    if not plan:
        return
    lo, hi = min(r.date for r in plan), max(r.date for r in plan)
    stored = {
        (d.date, d.kind): d
        for d in CalendarDay.objects.filter(region=region, date__gte=lo, date__lte=hi)
    }
    new: list[CalendarDay] = []
    renamed: list[CalendarDay] = []
    for r in plan:
        day = stored.get((r.date, r.kind))
        if day is None:
            new.append(CalendarDay(region=region, date=r.date, kind=r.kind, name=r.name or ""))
        elif r.name is not None and day.name != r.name:
            day.name = r.name
            renamed.append(day)
    CalendarDay.objects.bulk_create(new, batch_size=1000)
    CalendarDay.objects.bulk_update(renamed, ["name"], batch_size=1000)
    changed = [d.date for d in (*new, *renamed)]
    if changed:
        stale_mark(region=region, start=min(changed), end=max(changed))
    result.created += len(new)
    result.updated += len(renamed)
    result.unchanged += len(plan) - len(new) - len(renamed)
