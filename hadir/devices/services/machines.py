"""Machines: contact, registration requests, time zone, handshake options, alerts."""

from __future__ import annotations

import time as time_module
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone

from hadir.audit.services import audit_record
from hadir.core.errors import DomainError
from hadir.devices import protocol
from hadir.devices.choices import AlertKind
from hadir.devices.models import (
    FingerprintMachine,
    MachineAlert,
)
from hadir.devices.notices import notify_machine_silent
from hadir.org.selectors import unit_timezones


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
        alert_resolve(machine, AlertKind.SILENT, now)
    return machine


def records_count_add(machine: FingerprintMachine, count: int, now: datetime) -> None:
    """Add new events to the machine's count of the day (for the health view)."""
    today = timezone.localdate(now)
    rows = FingerprintMachine.objects.filter(pk=machine.pk, records_day=today)
    if not rows.update(records_count=F("records_count") + count):
        FingerprintMachine.objects.filter(pk=machine.pk).update(
            records_day=today, records_count=count
        )


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


# --- alerts -------------------------------------------------------------------------------------


def alert_open(
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


def alert_resolve(machine: FingerprintMachine, kind: AlertKind, now: datetime) -> None:
    MachineAlert.objects.filter(machine=machine, kind=kind, resolved_at__isnull=True).update(
        resolved_at=now
    )


def machine_silence_alerts(now: datetime) -> list[MachineAlert]:
    """Open an alert for each approved machine silent longer than HADIR_MACHINE_SILENCE_S.

    Returns the alerts opened by this call (a machine already alerted is not alerted again
    until it has been heard from); each is messaged to the unit's operators through the outbox.
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
        with transaction.atomic():  # the alert and its messages, or neither
            alert = alert_open(machine, AlertKind.SILENT, message, now)
            if alert is not None:
                notify_machine_silent(alert, machine)
                opened.append(alert)
    return opened
