"""Reads of employee-days, lean enough for a regency's month (hundreds of thousands of rows)."""

from __future__ import annotations

import json
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import date

from django.db import connection

from hadir.attendance.models import EmployeeDay


@dataclass(frozen=True, slots=True)
class StoredDay:
    employee_id: int
    date: date
    status: str
    absence: str
    counts_as_present: bool
    schedule_code: str
    late_minutes: int
    early_minutes: int
    late_tiers: list[int]
    early_tiers: list[int]
    missed_marks: int
    missed_apel: int
    checkpoints: dict[str, str | None]
    deductions: list[list[str]]


_PLAIN = (
    "employee_id",
    "date",
    "status",
    "absence",
    "counts_as_present",
    "schedule_code",
    "late_minutes",
    "early_minutes",
    "missed_marks",
    "missed_apel",
)
_JSON = ("late_tiers", "early_tiers", "checkpoints", "deductions")


def _select_list() -> str:
    """The plain columns, then the four JSON columns as one JSON array: one parse per row."""
    if connection.vendor == "postgresql":
        packed = f"jsonb_build_array({', '.join(_JSON)})::text"
    else:
        packed = f"json_array({', '.join(f'json({c})' for c in _JSON)})"
    return ", ".join((*_PLAIN, packed))


def stored_days(
    *, employee_ids: Sequence[int], start: date, end: date, chunk: int = 2000
) -> Iterator[StoredDay]:
    """The employee-days of the given employees in [start, end], by employee then date.

    Raw SQL on purpose: a month of 20,000 employees is 620,000 rows, and model instances with
    field converters cost several times the query itself.
    """
    table = EmployeeDay._meta.db_table
    sql = (
        f"SELECT {_select_list()} FROM {table} "  # noqa: S608 (no user input in the SQL)
        f"WHERE employee_id IN ({{}}) AND date >= %s AND date <= %s ORDER BY employee_id, date"
    )
    with connection.cursor() as cursor:
        for i in range(0, len(employee_ids), chunk):
            ids = list(employee_ids[i : i + chunk])
            cursor.execute(sql.format(", ".join(["%s"] * len(ids))), [*ids, start, end])
            for row in cursor.fetchall():
                day = row[1] if isinstance(row[1], date) else date.fromisoformat(row[1])
                late, early, checkpoints, deductions = json.loads(row[10])
                yield StoredDay(
                    row[0],
                    day,
                    row[2],
                    row[3],
                    bool(row[4]),
                    row[5],
                    row[6],
                    row[7],
                    late,
                    early,
                    row[8],
                    row[9],
                    checkpoints,
                    deductions,
                )
