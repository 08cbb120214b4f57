"""Attendance records into events, uploads of the other tables, the clock check."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

import psycopg
from django.core.files.base import ContentFile
from django.db import IntegrityError, connection, transaction
from django.utils import timezone

from hadir.attendance.choices import EventSource
from hadir.attendance.models import AttendanceEvent
from hadir.attendance.services import stale_mark_spans
from hadir.devices import protocol
from hadir.devices.choices import AlertKind, RecordTable
from hadir.devices.models import (
    FingerprintMachine,
    MachineRecord,
    RejectedLine,
    UnknownPin,
)
from hadir.devices.services.machines import (
    alert_open,
    alert_resolve,
    limit,
    machine_zone,
    records_count_add,
)
from hadir.imports.events import EventWriter
from hadir.org.models import Employee

KEY_CHUNK = 500
REALTIME_MAX_RECORDS = 3


# --- attendance ---------------------------------------------------------------------------------


@dataclass
class IngestResult:
    accepted: int = 0  # good records, all in the database after the call
    created: int = 0  # of which new events
    unknown_pins: int = 0  # of which kept aside: no employee with that PIN


def _employees_by_pin(region_id: int | None, pins: set[str]) -> dict[str, int]:
    if connection.vendor == "postgresql":  # one array parameter, not hundreds
        qs = Employee.objects.filter(region_id=region_id).extra(
            where=["pin = ANY(%s)"], params=[sorted(pins)]
        )
    else:
        qs = Employee.objects.filter(region_id=region_id, pin__in=pins)
    return dict(qs.values_list("pin", "id"))


def _stored_keys(keys: list[str]) -> set[str]:
    if connection.vendor == "postgresql":
        table = connection.ops.quote_name(AttendanceEvent._meta.db_table)
        with connection.cursor() as cursor:
            cursor.execute(
                f"SELECT dedupe_key FROM {table} WHERE dedupe_key = ANY(%s)",  # noqa: S608
                [sorted(keys)],
            )
            return {row[0] for row in cursor.fetchall()}
    stored: set[str] = set()
    for i in range(0, len(keys), KEY_CHUNK):
        stored.update(
            AttendanceEvent.objects.filter(dedupe_key__in=keys[i : i + KEY_CHUNK]).values_list(
                "dedupe_key", flat=True
            )
        )
    return stored


def attlog_ingest(
    *, machine: FingerprintMachine, records: Sequence[protocol.AttRecord]
) -> IngestResult:
    """Store a machine's records as events (source machine), once each.

    The duplicate key is (serial, PIN, wall time): a whole log sent again stores nothing. A
    PIN that no employee of the region holds is kept aside as an UnknownPin.
    """
    zone = machine_zone(machine)
    serial = machine.serial
    by_key: dict[str, protocol.AttRecord] = {}
    for r in records:
        by_key.setdefault(protocol.dedupe_key(serial, r.pin, r.local), r)
    employees = _employees_by_pin(machine.region_id, {r.pin for r in by_key.values()})
    result = IngestResult(accepted=len(records))
    with transaction.atomic():
        known = [k for k, r in by_key.items() if r.pin in employees]
        stored = _stored_keys(known)
        writer = EventWriter(actor=f"machine:{serial}")
        rows = []
        spans: dict[int, tuple[datetime, datetime]] = {}
        for key in known:
            if key in stored:
                continue
            r = by_key[key]
            eid = employees[r.pin]
            at = protocol.to_utc(r.local, zone)
            rows.append(writer.params((eid, at, EventSource.MACHINE, "", None, None), key))
            lo, hi = spans.get(eid, (at, at))
            spans[eid] = (min(lo, at), max(hi, at))
        _insert_events(writer, rows)
        stale_mark_spans(region=machine.region, spans=spans)  # type: ignore[arg-type]
        unknown = [
            UnknownPin(
                machine=machine,
                pin=r.pin,
                local_time=f"{r.local:{protocol.TIME_FORMAT}}",
                at=protocol.to_utc(r.local, zone),
                status=r.status,
                verify=r.verify,
            )
            for r in by_key.values()
            if r.pin not in employees
        ]
        UnknownPin.objects.bulk_create(unknown, batch_size=1000, ignore_conflicts=True)
    result.created = len(rows)
    result.unknown_pins = len(unknown)
    return result


def _insert_events(writer: EventWriter, rows: list[tuple[object, ...]]) -> None:
    """The importer's fast writer (COPY on PostgreSQL). Should a concurrent upload of the same
    records (a machine re-sending before its first reply came) store some of them first, the
    unique key fails the fast path: then the rows go in one by one, skipping those stored."""
    try:
        with transaction.atomic():
            writer.insert(rows)
    except (IntegrityError, psycopg.IntegrityError):  # COPY's error is psycopg's own
        qn = connection.ops.quote_name
        key = qn(AttendanceEvent._meta.get_field("dedupe_key").column)
        sql = f"{writer.insert_sql} ON CONFLICT ({key}) DO NOTHING"
        with connection.cursor() as cursor:
            cursor.executemany(sql, rows)


def _reject(
    machine: FingerprintMachine | None, serial: str, table: str, lines: list[tuple[str, str]]
) -> None:
    RejectedLine.objects.bulk_create(
        [
            RejectedLine(
                machine=machine, serial=serial[:40], table=table[:16], line=line, reason=why[:200]
            )
            for line, why in lines[:200]
        ]
    )


def reject_request(*, serial: str, table: str, body: bytes, reason: str) -> None:
    """Keep a refused body's beginning and the reason, for the admin."""
    machine = FingerprintMachine.objects.filter(serial=serial[:40]).first()
    _reject(machine, serial, table, [(repr(body[:120])[:200], reason)])


def cdata_upload(
    *, machine: FingerprintMachine, table: str, stamp: str, body: bytes, now: datetime
) -> str:
    """Store one POST to /iclock/cdata; the answer text, or ProtocolError."""
    if table not in protocol.TABLES:
        raise protocol.ProtocolError(f"unknown table {table[:20]!r}")
    if table == "ATTLOG":
        count = _attlog_upload(machine, body, now)
    elif table == "ATTPHOTO":
        photo = protocol.parse_photo(body)
        record = MachineRecord(machine=machine, table=RecordTable.ATTPHOTO, content=photo.name)
        record.photo.save(f"{machine.serial}-{photo.name}", ContentFile(photo.image), save=True)
        count = 1
    else:
        count = _text_upload(machine, table, body)
    stamp_field = {"ATTLOG": "attlog_stamp", "OPERLOG": "operlog_stamp"}.get(
        table, "attphoto_stamp" if table == "ATTPHOTO" else ""
    )
    changes: dict[str, object] = {"last_upload_at": now}
    if stamp_field and stamp and stamp.isdigit():
        changes[stamp_field] = stamp[:32]
    FingerprintMachine.objects.filter(pk=machine.pk).update(**changes)
    return f"OK:{count}"


def _attlog_upload(machine: FingerprintMachine, body: bytes, now: datetime) -> int:
    text = protocol.decode_text(body)
    zone = machine_zone(machine)
    future = timedelta(seconds=limit("HADIR_ADMS_MAX_FUTURE_S"))
    parsed = protocol.parse_attlog(text, not_after=protocol.utc_to_local(now + future, zone))
    if parsed.rejected:
        _reject(machine, machine.serial, "ATTLOG", parsed.rejected)
    if not parsed.records:
        why = parsed.rejected[0][1] if parsed.rejected else "no records"
        raise protocol.ProtocolError(f"no valid ATTLOG line ({why})")
    result = attlog_ingest(machine=machine, records=parsed.records)
    records_count_add(machine, result.created, now)
    newest = max(protocol.to_utc(r.local, zone) for r in parsed.records)
    _clock_check(machine, int((newest - now).total_seconds()), len(parsed.records), now)
    return len(parsed.records)


def _text_upload(machine: FingerprintMachine, table: str, body: bytes) -> int:
    if b"\x00" in body:
        raise protocol.ProtocolError("binary data in a text table")
    lines = []
    for line in protocol.text_lines(body.decode("utf-8", errors="replace")):
        # Fingerprint templates are biometric data: the line is kept, the template is not.
        head, sep, _ = line.partition("TMP=")
        lines.append(head + ("TMP=(not kept)" if sep else ""))
    if not lines:
        raise protocol.ProtocolError(f"empty {table} upload")
    kind = table if table in {RecordTable.OPERLOG, RecordTable.OPTIONS} else RecordTable.OTHER
    prefix = "" if kind == table else f"{table}\n"
    MachineRecord.objects.create(
        machine=machine, table=kind, content=(prefix + "\n".join(lines))[:100_000]
    )
    return len(lines)


def _clock_check(machine: FingerprintMachine, offset_s: int, count: int, now: datetime) -> None:
    """Skew: the newest record minus its arrival. Ahead (a record from the future) is always
    skew; behind counts only for real-time uploads (a few records), since a buffered re-send
    carries old records by nature."""
    threshold = limit("HADIR_ADMS_CLOCK_SKEW_S")
    realtime = count <= REALTIME_MAX_RECORDS
    skewed = offset_s > threshold or (realtime and offset_s < -threshold)
    if not skewed and not realtime:
        return  # a batch says nothing about a clock that is behind
    FingerprintMachine.objects.filter(pk=machine.pk).update(
        clock_offset_s=offset_s, clock_skewed=skewed
    )
    machine.clock_offset_s, machine.clock_skewed = offset_s, skewed
    if skewed:
        alert_open(
            machine,
            AlertKind.CLOCK_SKEW,
            f"machine {machine.serial}: clock off by about {offset_s:+d} s",
            now,
        )
    else:
        alert_resolve(machine, AlertKind.CLOCK_SKEW, now)


def unknown_pins_claim(*, machine: FingerprintMachine) -> int:
    """Turn records kept aside into events once an employee holds their PIN."""
    pending = UnknownPin.objects.filter(machine=machine, claimed_at__isnull=True)
    pins = set(pending.values_list("pin", flat=True))
    held = set(
        Employee.objects.filter(region_id=machine.region_id, pin__in=pins).values_list(
            "pin", flat=True
        )
    )
    rows = list(pending.filter(pin__in=held))
    if not rows:
        return 0
    records = [
        protocol.AttRecord(
            pin=u.pin,
            local=datetime.strptime(u.local_time, protocol.TIME_FORMAT),  # noqa: DTZ007
            status=u.status,
            verify=u.verify,
        )
        for u in rows
    ]
    with transaction.atomic():
        result = attlog_ingest(machine=machine, records=records)
        UnknownPin.objects.filter(id__in=[u.id for u in rows]).update(claimed_at=timezone.now())
    return result.created
