# ruff: noqa: S608 (SQL built from model metadata only; every value is a parameter)
"""Writing one check-in's rows: the used challenge, the event (unless rejected), the check-in,
its frames and the stale mark of its days, all or nothing.

On PostgreSQL the five INSERTs are one statement (data-modifying CTEs), atomic on its own:
one round trip instead of seven with BEGIN and COMMIT, which in the morning burst was a
large part of what the server and the database spent per check-in. A used nonce inserts
nothing, so the rows that select from it are not inserted either; a repeated idempotency key
or event key fails the whole statement with an IntegrityError. Elsewhere (SQLite) the same
rows are inserted one by one in a transaction, with the same outcomes.
"""

from __future__ import annotations

from contextlib import nullcontext
from dataclasses import dataclass
from datetime import UTC, timedelta
from typing import Any

from django.db import connection, models, transaction

from hadir.attendance.checks import checks_schedule
from hadir.attendance.models import (
    AttendanceEvent,
    CheckIn,
    CheckInFrame,
    StaleRange,
)
from hadir.attendance.nonces import NonceRow, nonce_used
from hadir.attendance.rows import row_insert, row_layout, row_saved, row_values
from hadir.attendance.services import stale_written
from hadir.core.prepared import fetch_one


@dataclass(frozen=True)
class FrameRow:
    """A `CheckInFrame` to insert, its file written already under `image`."""

    index: int
    image: str
    sha256: str
    size: int
    width: int
    height: int


@dataclass
class CheckinRows:
    """The rows of one check-in, not yet stored. With an event, the employee's days around the
    check-in's UTC date are marked stale (one day on each side covers every time zone)."""

    checkin: CheckIn
    frames: list[FrameRow]
    event: AttendanceEvent | None = None
    nonce: NonceRow | None = None

    @property
    def stale(self) -> bool:
        return self.event is not None


def checkin_write(rows: CheckinRows) -> None:
    """Insert the rows and set their keys; raises NonceUsed when the challenge was used
    before, IntegrityError when the idempotency key is stored already (nothing is written
    then). Inside an outer transaction the rows go in a savepoint, so that the caller's
    transaction survives either error. The background checks are queued and the resolver
    kicked once the rows commit."""
    in_block = connection.in_atomic_block
    if connection.vendor == "postgresql":
        with transaction.atomic() if in_block else nullcontext():
            _one_statement(rows)
    else:
        with transaction.atomic():
            _one_by_one(rows)
    checks_schedule()
    if rows.stale:
        stale_written()


def _one_by_one(rows: CheckinRows) -> None:
    checkin = rows.checkin
    if rows.nonce is not None:
        with connection.cursor() as cursor:
            cursor.execute(NonceRow.insert_sql(), rows.nonce.values)
            stored = cursor.fetchone()
        if stored is None:
            raise nonce_used()
        checkin.challenge_id = int(stored[0])
    if rows.event is not None:
        checkin.event = row_insert(rows.event)  # type: ignore[assignment]
    row_insert(checkin)
    CheckInFrame.objects.bulk_create(
        [CheckInFrame(checkin=checkin, **vars(frame)) for frame in rows.frames]
    )
    if rows.stale:
        day = checkin.at.astimezone(UTC).date()
        row_insert(
            StaleRange(
                region_id=checkin.employee.region_id,
                employee_id=checkin.employee_id,
                start=day - timedelta(days=1),
                end=day + timedelta(days=1),
            )
        )


_SQL: dict[tuple[bool, bool, bool, bool, tuple[str, ...]], str] = {}
_LINKS = ("challenge_id", "event_id")


def _array_type(field: models.Field[Any, Any]) -> str:
    return "bigint[]" if isinstance(field, models.IntegerField) else "text[]"


def _statement(
    nonce: bool, event: bool, stale: bool, frames: bool, checkin_columns: tuple[str, ...]
) -> str:
    """The statement for this shape of check-in. The check-in's NULL columns are left out and
    the stale mark is computed from the inserted check-in, which keeps the parameters at 50
    or fewer: psycopg caches the parsing of such queries only."""
    key = (nonce, event, stale, frames, checkin_columns)
    if key in _SQL:
        return _SQL[key]
    qn = connection.ops.quote_name

    def marks(fields: list[models.Field[Any, Any]], special: dict[str, str]) -> str:
        return ", ".join(special.get(f.attname, "%s") for f in fields)

    parts = []
    if nonce:
        parts.append(f"n AS ({NonceRow.insert_sql()})")
    else:
        parts.append("n AS (SELECT NULL::bigint AS id)")
    if event:
        target, fields = row_layout(AttendanceEvent)
        parts.append(f"e AS (INSERT INTO {target} SELECT {marks(fields, {})} FROM n RETURNING id)")
    fields = [f for f in row_layout(CheckIn)[1] if f.attname in checkin_columns]
    links = {"challenge_id": "n.id", "event_id": "(SELECT id FROM e)" if event else "NULL"}
    parts.append(
        f"c AS (INSERT INTO {qn(CheckIn._meta.db_table)} "
        f"({', '.join(qn(f.column) for f in fields)}) "
        f"SELECT {marks(fields, links)} FROM n RETURNING id, employee_id, at)"
    )
    if frames:
        target, fields = row_layout(CheckInFrame)
        columns = [f for f in fields if f.attname != "checkin_id"]
        arrays = ", ".join(f"%s::{_array_type(f)}" for f in columns)
        names = ", ".join(f"v{i}" for i in range(len(columns)))
        picks = iter(f"u.v{i}" for i in range(len(columns)))
        select = ", ".join("c.id" if f.attname == "checkin_id" else next(picks) for f in fields)
        parts.append(
            f"f AS (INSERT INTO {target} SELECT {select} FROM c, unnest({arrays}) AS u({names}))"
        )
    if stale:  # the days around the check-in's UTC date, as StaleRange rows are marked
        target, fields = row_layout(StaleRange)
        day = "(c.at AT TIME ZONE 'UTC')::date"
        computed = {
            "employee_id": "c.employee_id",
            "start": f"{day} - 1",
            "end": f"{day} + 1",
            "created_at": "now()",
        }
        parts.append(f"s AS (INSERT INTO {target} SELECT {marks(fields, computed)} FROM c)")
    picked = "(SELECT id FROM e)" if event else "NULL"
    _SQL[key] = f"WITH {', '.join(parts)} SELECT (SELECT id FROM n), {picked}, (SELECT id FROM c)"
    return _SQL[key]


def _one_statement(rows: CheckinRows) -> None:
    checkin = rows.checkin
    params: list[Any] = []
    if rows.nonce is not None:
        params += rows.nonce.values
    if rows.event is not None:
        params += row_values(rows.event)
    _, fields = row_layout(CheckIn)
    included = []
    for field, value in zip(fields, row_values(checkin), strict=True):
        if field.attname in _LINKS:
            included.append(field.attname)
        elif value is not None:
            included.append(field.attname)
            params.append(value)
    if rows.frames:
        _, fields = row_layout(CheckInFrame)
        for field in fields:
            if field.attname != "checkin_id":
                params.append([getattr(frame, field.attname) for frame in rows.frames])
    if rows.stale:
        params.append(checkin.employee.region_id)
    sql = _statement(
        rows.nonce is not None,
        rows.event is not None,
        rows.stale,
        bool(rows.frames),
        tuple(included),
    )
    challenge_id, event_id, checkin_id = fetch_one(sql, params)  # type: ignore[misc]
    if rows.nonce is not None and challenge_id is None:
        raise nonce_used()
    checkin.challenge_id = challenge_id
    if rows.event is not None:
        checkin.event = row_saved(rows.event, event_id)  # type: ignore[assignment]
    row_saved(checkin, checkin_id)


__all__ = ["CheckinRows", "FrameRow", "checkin_write"]
