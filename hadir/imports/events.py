"""Import of attendance events: `nip` (or `id`), `timestamp` (with a UTC offset), `source`,
optional `checkpoint`, `latitude, longitude`.

Built for millions of rows: employees are looked up with one query, rows are kept as tuples,
stored duplicate keys are fetched once per chunk of 5,000 events and new events are written
with `bulk_create`. The duplicate key of an imported event is a digest of (employee, time in UTC,
source, checkpoint): the same row twice in a file is one event, and a second import of the file
finds every event stored already.
"""

from __future__ import annotations

import hashlib
import re
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal

from hadir.attendance.choices import EventSource
from hadir.attendance.models import AttendanceEvent
from hadir.attendance.services import stale_mark
from hadir.core.tabular import Table
from hadir.imports.fields import (
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

# (employee id, time in UTC, source, checkpoint, latitude, longitude)
EventRecord = tuple[int, datetime, str, str, Decimal | None, Decimal | None]


@dataclass
class EventPlan:
    records: list[EventRecord]


def dedupe_key(employee_id: int, at_utc: datetime, source: str, checkpoint: str) -> str:
    """The duplicate key of an imported event (68 characters)."""
    raw = f"{employee_id}|{at_utc.isoformat()}|{source}|{checkpoint}"
    return KEY_PREFIX + hashlib.sha256(raw.encode()).hexdigest()


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
                lat, lon = _position(n, lat_text, lon_text, problems)
                ok = ok and lat is not None and lon is not None
        if ok:
            records.append((employee_id, at, source, checkpoint, lat, lon))  # type: ignore[arg-type]
    problems.raise_if_any()
    return EventPlan(records=records)


def _parse_lat(text: str) -> Decimal:
    return parse_coordinate(text, limit=90, what="latitude")


def _parse_lon(text: str) -> Decimal:
    return parse_coordinate(text, limit=180, what="longitude")


def _position(
    n: int, lat_text: str, lon_text: str, problems: Problems
) -> tuple[Decimal | None, Decimal | None]:
    """Both coordinates, or (None, None) after adding the problems."""
    try:
        both_or_none(("latitude", "longitude"), (lat_text, lon_text))
    except BadValue as exc:
        problems.add(n, str(exc))
        return None, None
    lat = take(problems, n, "latitude", lat_text, _parse_lat)
    lon = take(problems, n, "longitude", lon_text, _parse_lon)
    return lat, lon


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


def store(*, plan: EventPlan, region: Region, result: ImportResult, actor: str) -> None:
    """Write the events not stored yet; mark each employee's days around them stale."""
    records = unique_events(plan.records)
    spans: dict[int, tuple[datetime, datetime]] = {}
    created = 0
    for start in range(0, len(records), CHUNK):
        chunk = records[start : start + CHUNK]
        keys = [dedupe_key(r[0], r[1], r[2], r[3]) for r in chunk]
        stored = _stored_keys(chunk, keys)
        new = [
            AttendanceEvent(
                employee_id=r[0],
                at=r[1],
                source=r[2],
                checkpoint=r[3],
                latitude=r[4],
                longitude=r[5],
                dedupe_key=key,
                created_by=actor,
            )
            for r, key in zip(chunk, keys, strict=True)
            if key not in stored
        ]
        AttendanceEvent.objects.bulk_create(new, batch_size=CHUNK)
        created += len(new)
        for event in new:
            lo, hi = spans.get(event.employee_id, (event.at, event.at))
            spans[event.employee_id] = (min(lo, event.at), max(hi, event.at))
    _mark_stale(region, spans)
    result.created += created
    result.unchanged += len(records) - created


def _mark_stale(region: Region, spans: dict[int, tuple[datetime, datetime]]) -> None:
    """Per employee, the days from one before the first new event to one after the last.

    Dates are taken in UTC widened by a day on each side, which covers every time zone.
    """
    by_range: dict[tuple[date, date], list[int]] = defaultdict(list)
    for employee_id, (lo, hi) in spans.items():
        day = timedelta(days=1)
        by_range[(lo.date() - day, hi.date() + day)].append(employee_id)
    for (start, end), employee_ids in sorted(by_range.items()):
        stale_mark(region=region, start=start, end=end, employee_ids=employee_ids)
