"""Import of attendance events: `nip` (or `id`), `timestamp` (with a UTC offset), `source`,
optional `checkpoint`, `latitude, longitude`.

Built for millions of rows: employees are looked up with one query, rows are kept as tuples,
stored duplicate keys are fetched once per chunk of 5,000 events and new events are written
by `EventWriter` (COPY on PostgreSQL), adapting only the values that vary. The duplicate key of
an imported event is made of (employee, time in UTC, source, checkpoint): the same row twice in
a file is one event, and a second import of the file finds every event stored already.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

from django.db import connection
from django.utils import timezone

from hadir.attendance.choices import EventSource
from hadir.attendance.models import AttendanceEvent
from hadir.attendance.services import stale_mark_spans
from hadir.core.tabular import Table
from hadir.imports.fields import (
    COORD_PLACES,
    BadValue,
    ImportResult,
    Problems,
    both_or_none,
    chunked,
    parse_coordinate,
    parse_timestamp,
    take,
)
from hadir.org.models import Employee, Region
from hadir.tpp.selectors import RuleBook

CHUNK = 5000
KEY_PREFIX = "imp:"
TOKEN = re.compile(r"[a-z0-9_]{1,32}")
SOURCES = {s.casefold(): str(s) for s in EventSource.values}
# Beyond this many employees in one chunk, stored keys are looked up by key instead.
MAX_EMPLOYEES_PER_LOOKUP = 500

# (employee id, time in UTC, source, checkpoint, latitude, longitude): the coordinates stay
# the checked text until they are written, which keeps two million records small.
EventRecord = tuple[int, datetime, str, str, str | None, str | None]


@dataclass
class EventPlan:
    records: list[EventRecord]


def dedupe_key(employee_id: int, at_utc: datetime, source: str, checkpoint: str) -> str:
    """The duplicate key of an imported event (51 characters).

    It begins with the employee and the second of the event, so that keys sort as the importer
    writes them (by employee, then time): a month's events land in a few places of the unique
    index instead of one random page each, which keeps a regency's import linear in its size.
    A digest of the whole identity follows, so that events in the same second differ.
    """
    raw = f"{employee_id}|{at_utc.isoformat()}|{source}|{checkpoint}"
    digest = hashlib.sha256(raw.encode()).hexdigest()[:24]
    return f"{KEY_PREFIX}{employee_id:010d}:{int(at_utc.timestamp()):011d}:{digest}"


def check_checkpoint(text: str, codes: frozenset[str] | None) -> str:
    """A checkpoint code of the region's rule set (any lower-case token without one)."""
    if codes is not None:
        if text not in codes:
            raise BadValue(f"unknown checkpoint {text!r} (known: {', '.join(sorted(codes))})")
    elif not TOKEN.fullmatch(text):
        raise BadValue(f"a checkpoint code is letters a-z, digits and _ (at most 32), got {text!r}")
    return text


def check(*, table: Table, region: Region) -> EventPlan:
    """Every problem of the file, or its events."""
    table.require(("nip", "id"), "timestamp", "source")
    problems = Problems(table.name)
    book = RuleBook(region)
    codes = book.latest().rules.checkpoint_codes() if book else None
    employees: dict[str, int] = dict(
        Employee.objects.filter(region=region).values_list("key", "id")
    )
    get_nip, get_id, get_time, get_source, get_checkpoint, get_lat, get_lon = (
        table.getter(c)
        for c in ("nip", "id", "timestamp", "source", "checkpoint", "latitude", "longitude")
    )
    geo = table.has("latitude") or table.has("longitude")
    records: list[EventRecord] = []
    for row in table.rows:
        n = row.number
        ok = True
        nip = get_nip(row)
        key, column = (nip, "nip") if nip else (get_id(row), "id")
        employee_id = employees.get(key)
        if employee_id is None:
            ok = False
            problems.add(n, f"unknown employee {key!r}" if key else "nip or id is required", column)
        try:
            at = parse_timestamp(get_time(row))
        except BadValue as exc:
            ok = False
            problems.add(n, str(exc), "timestamp")
        source_text = get_source(row)
        source = SOURCES.get(source_text.casefold())
        if source is None:
            ok = False
            problems.add(
                n, f"must be one of {'|'.join(SOURCES.values())}, got {source_text!r}", "source"
            )
        checkpoint = get_checkpoint(row)
        if checkpoint:
            try:
                check_checkpoint(checkpoint, codes)
            except BadValue as exc:
                ok = False
                problems.add(n, str(exc), "checkpoint")
        lat = lon = None
        if geo:
            lat_text, lon_text = get_lat(row), get_lon(row)
            if lat_text or lon_text:
                position = _position(n, lat_text, lon_text, problems)
                if position is None:
                    ok = False
                else:
                    lat, lon = position
        if ok:
            records.append((employee_id, at, source, checkpoint, lat, lon))  # type: ignore[arg-type]
    problems.raise_if_any()
    return EventPlan(records=records)


def _position(n: int, lat_text: str, lon_text: str, problems: Problems) -> tuple[str, str] | None:
    """Both coordinates (checked, as written), or None after adding the problems."""
    try:
        both_or_none(("latitude", "longitude"), (lat_text, lon_text))
    except BadValue as exc:
        problems.add(n, str(exc))
        return None
    lat = take(problems, n, "latitude", lat_text, _parse_lat)
    lon = take(problems, n, "longitude", lon_text, _parse_lon)
    return None if lat is None or lon is None else (lat_text, lon_text)


def _parse_lat(text: str) -> Decimal:
    return parse_coordinate(text, limit=90, what="latitude")


def _parse_lon(text: str) -> Decimal:
    return parse_coordinate(text, limit=180, what="longitude")


def unique_events(records: list[EventRecord]) -> list[EventRecord]:
    """Sorted by employee and time, each (employee, time, source, checkpoint) once."""
    records.sort(key=lambda r: (r[0], r[1], r[2], r[3]))
    out: list[EventRecord] = []
    last: tuple[int, datetime, str, str] | None = None
    for r in records:
        ident = (r[0], r[1], r[2], r[3])
        if ident != last:
            out.append(r)
            last = ident
    return out


def _stored_keys(chunk: Sequence[EventRecord], keys: list[str]) -> set[str]:
    """Which of the chunk's keys are stored already.

    On PostgreSQL: one probe of the unique index per key, in key order (the keys sort as the
    chunk does), whose cost does not depend on how many events are stored. Elsewhere the
    chunk's employees and time range, or the keys in parts that fit SQLite's parameter limit.
    """
    if connection.vendor == "postgresql":
        table = connection.ops.quote_name(AttendanceEvent._meta.db_table)
        with connection.cursor() as cursor:
            cursor.execute(
                f"SELECT dedupe_key FROM {table} WHERE dedupe_key = ANY(%s)",  # noqa: S608
                [sorted(keys)],
            )
            return {row[0] for row in cursor.fetchall()}
    employee_ids = sorted({r[0] for r in chunk})
    if len(employee_ids) <= MAX_EMPLOYEES_PER_LOOKUP:
        qs = AttendanceEvent.objects.filter(
            employee_id__in=employee_ids,
            at__gte=min(r[1] for r in chunk),
            at__lte=max(r[1] for r in chunk),
            dedupe_key__startswith=KEY_PREFIX,
        )
        return set(qs.values_list("dedupe_key", flat=True))
    found: set[str] = set()
    for part in chunked(keys):
        found.update(
            AttendanceEvent.objects.filter(dedupe_key__in=part).values_list("dedupe_key", flat=True)
        )
    return found


class EventWriter:
    """Inserts events with plain SQL built from the model's fields.

    `bulk_create` spends most of its time preparing each value of each model instance; for
    millions of events this writer adapts only the values that vary and takes every other
    column (`received_at`, `reason`, any field added later) from the model's defaults, once.
    """

    VARYING = ("employee", "at", "source", "checkpoint", "latitude", "longitude", "dedupe_key")

    def __init__(self, *, actor: str) -> None:
        meta = AttendanceEvent._meta
        by_name = {f.name: f for f in meta.concrete_fields if not f.primary_key}
        fixed = [f for name, f in by_name.items() if name not in self.VARYING]
        fields = [*(by_name[name] for name in self.VARYING), *fixed]
        qn = connection.ops.quote_name
        # Table and column names come from the model, quoted; values are bound parameters.
        columns = ", ".join(qn(f.column) for f in fields)
        self.insert_sql = (
            f"INSERT INTO {qn(meta.db_table)} ({columns}) "  # noqa: S608
            f"VALUES ({', '.join(['%s'] * len(fields))})"
        )
        self.copy_sql = f"COPY {qn(meta.db_table)} ({columns}) FROM STDIN"
        now = timezone.now()
        values: list[object] = []
        for f in fixed:
            if f.name == "created_by":
                value: object = actor
            elif getattr(f, "auto_now_add", False) or getattr(f, "auto_now", False):
                value = now
            else:
                value = f.get_default()
            values.append(f.get_db_prep_save(value, connection))
        self.fixed = tuple(values)
        self.adapt_time = connection.ops.adapt_datetimefield_value
        self.adapt_decimal = connection.ops.adapt_decimalfield_value

    def params(self, record: EventRecord, key: str) -> tuple[object, ...]:
        lat, lon = record[4], record[5]
        return (
            record[0],
            self.adapt_time(record[1]),
            record[2],
            record[3],
            None if lat is None else self.adapt_decimal(Decimal(lat).quantize(COORD_PLACES), 9, 6),
            None if lon is None else self.adapt_decimal(Decimal(lon).quantize(COORD_PLACES), 9, 6),
            key,
            *self.fixed,
        )

    def insert(self, rows: list[tuple[object, ...]]) -> None:
        """COPY on PostgreSQL; SQLite runs one prepared statement a row fastest.

        Rows are new by construction (stored keys were skipped); should another writer store one
        of them meanwhile, the unique key fails the import's transaction as a whole.
        """
        if not rows:
            return
        with connection.cursor() as cursor:
            if connection.vendor == "postgresql":
                with cursor.cursor.copy(self.copy_sql) as copy:
                    for row in rows:
                        copy.write_row(row)
                return
            cursor.executemany(self.insert_sql, rows)


def store(*, plan: EventPlan, region: Region, result: ImportResult, actor: str) -> None:
    """Write the events not stored yet; mark each employee's days around them stale."""
    records = unique_events(plan.records)
    writer = EventWriter(actor=actor)
    spans: dict[int, tuple[datetime, datetime]] = {}
    created = 0
    for start in range(0, len(records), CHUNK):
        chunk = records[start : start + CHUNK]
        keys = [dedupe_key(r[0], r[1], r[2], r[3]) for r in chunk]
        stored = _stored_keys(chunk, keys)
        rows = []
        for record, key in zip(chunk, keys, strict=True):
            if key in stored:
                continue
            rows.append(writer.params(record, key))
            employee_id, at = record[0], record[1]
            lo, hi = spans.get(employee_id, (at, at))
            spans[employee_id] = (min(lo, at), max(hi, at))
        writer.insert(rows)
        created += len(rows)
    stale_mark_spans(region=region, spans=spans)
    result.created += created
    result.unchanged += len(records) - created
