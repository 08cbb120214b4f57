"""Writes of the devices app: contact, uploads, commands, alerts.

The ADMS views, the pull task and the admin call these; each takes domain values.
"""

from __future__ import annotations

import logging
import time as time_module
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import psycopg
from django.conf import settings
from django.core.files.base import ContentFile
from django.db import IntegrityError, connection, transaction
from django.utils import timezone

from hadir.attendance.choices import EventSource
from hadir.attendance.models import AttendanceEvent
from hadir.attendance.services import stale_mark_spans
from hadir.audit.services import audit_record
from hadir.core.errors import DomainError
from hadir.devices import protocol
from hadir.devices.choices import AlertKind, CommandKind, CommandStatus, RecordTable
from hadir.devices.models import (
    FingerprintMachine,
    MachineAlert,
    MachineCommand,
    MachineRecord,
    RejectedLine,
    UnknownPin,
)
from hadir.imports.events import EventWriter
from hadir.org.models import Employee, Unit
from hadir.org.selectors import unit_subtree, unit_timezones

log = logging.getLogger(__name__)

KEY_CHUNK = 500
COMMANDS_PER_POLL = 20
RESEND_AFTER = timedelta(minutes=10)
REALTIME_MAX_RECORDS = 3


class MachineRefused(DomainError):
    code = "machine_refused"


def limit(name: str) -> int:
    return int(getattr(settings, name))


# --- contact ----------------------------------------------------------------------------------


def machine_contact(
    *, serial: str, ip: str | None, now: datetime, push_version: str = "", info: str = ""
) -> FingerprintMachine:
    """The approved machine with this serial, its contact noted; else MachineRefused.

    An unknown serial is stored as a registration request for the admin to approve.
    """
    if not protocol.valid_serial(serial):
        raise MachineRefused(f"bad serial number {serial[:40]!r}", code="bad_serial")
    machine = (
        FingerprintMachine.objects.select_related("unit", "region").filter(serial=serial).first()
    )
    if machine is None:
        try:
            with transaction.atomic():
                machine = FingerprintMachine.objects.create(
                    serial=serial, last_contact_at=now, last_ip=ip, push_version=push_version[:64]
                )
                audit_record(
                    actor=f"machine:{serial}",
                    action="machine.registration_requested",
                    object_type="devices.FingerprintMachine",
                    object_id=str(machine.id),
                    data={"serial": serial, "ip": ip},
                )
        except IntegrityError:
            pass  # another request of the same machine registered it first
        raise MachineRefused(f"unknown device {serial}: awaiting approval", code="unknown_device")
    changes: dict[str, object] = {"last_contact_at": now}
    if ip and ip != machine.last_ip:
        changes["last_ip"] = ip
    if push_version and push_version[:64] != machine.push_version:
        changes["push_version"] = push_version[:64]
    if info and info[:500] != machine.info:
        changes["info"] = info[:500]
    FingerprintMachine.objects.filter(pk=machine.pk).update(**changes)
    previous = machine.last_contact_at
    for name, value in changes.items():
        setattr(machine, name, value)
    if not machine.approved:
        raise MachineRefused(f"device {serial} is awaiting approval", code="unknown_device")
    silence = timedelta(seconds=limit("HADIR_MACHINE_SILENCE_S"))
    if previous is None or now - previous > silence:
        _alert_resolve(machine, AlertKind.SILENT, now)
    return machine


_zones: dict[int, tuple[float, ZoneInfo]] = {}


def machine_zone(machine: FingerprintMachine) -> ZoneInfo:
    """The time zone of the machine's unit (cached a minute per process)."""
    if machine.unit_id is None or machine.region is None:
        raise MachineRefused(f"machine {machine.serial} has no unit", code="unknown_device")
    hit = _zones.get(machine.unit_id)
    if hit and time_module.monotonic() - hit[0] < 60:
        return hit[1]
    zone = unit_timezones(machine.region)[machine.unit_id]
    _zones[machine.unit_id] = (time_module.monotonic(), zone)
    return zone


def machine_options(machine: FingerprintMachine, now: datetime) -> protocol.Options:
    zone = machine_zone(machine)
    return protocol.Options(
        serial=machine.serial,
        attlog_stamp=machine.attlog_stamp,
        operlog_stamp=machine.operlog_stamp,
        attphoto_stamp=machine.attphoto_stamp,
        timezone_hours=protocol.zone_hours(zone, now),
        delay_s=limit("HADIR_ADMS_DELAY_S"),
        error_delay_s=limit("HADIR_ADMS_ERROR_DELAY_S"),
    )


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
    attlog_ingest(machine=machine, records=parsed.records)
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
        _alert_open(
            machine,
            AlertKind.CLOCK_SKEW,
            f"machine {machine.serial}: clock off by about {offset_s:+d} s",
            now,
        )
    else:
        _alert_resolve(machine, AlertKind.CLOCK_SKEW, now)


# --- alerts -------------------------------------------------------------------------------------


def _alert_open(
    machine: FingerprintMachine, kind: AlertKind, message: str, now: datetime
) -> MachineAlert | None:
    if MachineAlert.objects.filter(machine=machine, kind=kind, resolved_at__isnull=True).exists():
        return None
    try:
        with transaction.atomic():
            alert = MachineAlert.objects.create(
                machine=machine, kind=kind, message=message[:300], created_at=now
            )
            audit_record(
                actor="system",
                action=f"machine.alert.{kind}",
                object_type="devices.FingerprintMachine",
                object_id=str(machine.id),
                data={"serial": machine.serial, "message": message},
            )
    except IntegrityError:
        return None  # opened meanwhile by another process
    return alert


def _alert_resolve(machine: FingerprintMachine, kind: AlertKind, now: datetime) -> None:
    MachineAlert.objects.filter(machine=machine, kind=kind, resolved_at__isnull=True).update(
        resolved_at=now
    )


def machine_silence_alerts(now: datetime) -> list[MachineAlert]:
    """Open an alert for each approved machine silent longer than HADIR_MACHINE_SILENCE_S.

    Returns the alerts opened by this call (a machine already alerted is not alerted again
    until it has been heard from). The notification outbox reads these.
    """
    cutoff = now - timedelta(seconds=limit("HADIR_MACHINE_SILENCE_S"))
    silent = FingerprintMachine.objects.filter(approved=True, last_contact_at__lt=cutoff).exclude(
        alerts__kind=AlertKind.SILENT, alerts__resolved_at__isnull=True
    )
    opened = []
    for machine in silent.select_related("unit"):
        hours = (now - (machine.last_contact_at or now)).total_seconds() / 3600
        unit = machine.unit.name if machine.unit else "-"
        message = f"machine {machine.serial} ({unit}) silent for {hours:.1f} h"
        alert = _alert_open(machine, AlertKind.SILENT, message, now)
        if alert is not None:
            opened.append(alert)
    return opened


# --- commands -----------------------------------------------------------------------------------


def machine_commands_fetch(*, machine: FingerprintMachine, now: datetime) -> list[tuple[int, str]]:
    """Claim the machine's queued commands (and those sent long ago without an answer)."""
    candidates = list(
        MachineCommand.objects.filter(machine=machine, status=CommandStatus.QUEUED)
        .order_by("id")
        .values_list("id", "text")[:COMMANDS_PER_POLL]
    )
    if len(candidates) < COMMANDS_PER_POLL:
        candidates += list(
            MachineCommand.objects.filter(
                machine=machine, status=CommandStatus.SENT, sent_at__lt=now - RESEND_AFTER
            )
            .order_by("id")
            .values_list("id", "text")[: COMMANDS_PER_POLL - len(candidates)]
        )
    claimed = []
    for cid, text in sorted(candidates):
        # A conditional update: two polls at once never hand out the same command.
        taken = MachineCommand.objects.filter(id=cid, status__in=[CommandStatus.QUEUED]).update(
            status=CommandStatus.SENT, sent_at=now
        ) or MachineCommand.objects.filter(
            id=cid, status=CommandStatus.SENT, sent_at__lt=now - RESEND_AFTER
        ).update(sent_at=now)
        if taken:
            claimed.append((cid, text))
    return claimed


def machine_results_record(
    *, machine: FingerprintMachine, results: Sequence[protocol.CommandResult], now: datetime
) -> int:
    """Record the machine's answers; a result for another machine's command is ignored."""
    done = 0
    for r in results:
        status = CommandStatus.DONE if r.return_code >= 0 else CommandStatus.FAILED
        done += MachineCommand.objects.filter(id=r.command_id, machine=machine).update(
            status=status,
            done_at=now,
            return_code=r.return_code,
            result=(f"CMD={r.cmd} {r.extra}").strip()[:600],
        )
    return done


def _queue(machine: FingerprintMachine, kind: CommandKind, texts: Sequence[str], actor: str) -> int:
    if not machine.approved:
        raise DomainError(f"machine {machine.serial} is not approved", code="machine_not_approved")
    with transaction.atomic():
        MachineCommand.objects.bulk_create(
            [MachineCommand(machine=machine, kind=kind, text=t, created_by=actor) for t in texts]
        )
        audit_record(
            actor=actor,
            action=f"machine.command.{kind}",
            object_type="devices.FingerprintMachine",
            object_id=str(machine.id),
            data={"serial": machine.serial, "count": len(texts), "first": texts[:1]},
        )
    return len(texts)


def _unit_employees(machine: FingerprintMachine) -> list[tuple[str, str, bool]]:
    if machine.unit is None:
        raise DomainError(f"machine {machine.serial} has no unit", code="machine_not_approved")
    units = unit_subtree(machine.unit).values("id")
    return list(
        Employee.objects.filter(unit__in=units)
        .exclude(pin="")
        .order_by("pin")
        .values_list("pin", "name", "active")
    )


def machine_push_users(*, machine: FingerprintMachine, actor: str) -> int:
    """Queue the unit's active employees (PIN, name) for the machine: one command each."""
    texts = [
        protocol.command_user_update(pin, name)
        for pin, name, active in _unit_employees(machine)
        if active
    ]
    return _queue(machine, CommandKind.USER_UPDATE, texts, actor) if texts else 0


def machine_delete_leavers(
    *, machine: FingerprintMachine, actor: str, pins: Sequence[str] = ()
) -> int:
    """Queue deletion of the unit's inactive employees and of any PINs given."""
    leavers = {pin for pin, _, active in _unit_employees(machine) if not active}
    leavers.update(p for p in pins if protocol.PIN.fullmatch(p))
    texts = [protocol.command_user_delete(pin) for pin in sorted(leavers)]
    return _queue(machine, CommandKind.USER_DELETE, texts, actor) if texts else 0


def machine_query_logs(
    *, machine: FingerprintMachine, start: datetime, end: datetime, actor: str
) -> int:
    """Ask the machine to send its logs again between two (aware) times, to recover a gap."""
    zone = machine_zone(machine)
    text = protocol.command_log_query(
        protocol.utc_to_local(start, zone), protocol.utc_to_local(end, zone)
    )
    return _queue(machine, CommandKind.LOG_QUERY, [text], actor)


def machine_reboot(*, machine: FingerprintMachine, actor: str) -> int:
    return _queue(machine, CommandKind.REBOOT, [protocol.COMMAND_REBOOT], actor)


def machine_approve(*, machine: FingerprintMachine, unit: Unit, actor: str) -> None:
    """Approve a registration request for a unit, and queue the unit's employees for it."""
    with transaction.atomic():
        machine.unit, machine.region, machine.approved = unit, unit.region, True
        machine.save(update_fields=["unit", "region", "approved"])
        audit_record(
            actor=actor,
            action="machine.approved",
            object_type="devices.FingerprintMachine",
            object_id=str(machine.id),
            data={"serial": machine.serial, "unit": unit.code},
        )
        machine_push_users(machine=machine, actor=actor)


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
