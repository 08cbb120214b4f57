"""LAN pull for machines that cannot push: read the attendance log over ZK's own protocol
(pyzk, UDP/TCP port 4370) and store it through the same ingestion and duplicate key."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import datetime, timedelta
from typing import Any, Protocol

from django.conf import settings
from django.db.models import Q

from hadir.devices import protocol
from hadir.devices.models import FingerprintMachine
from hadir.devices.services import IngestResult, attlog_ingest
from hadir.devices.services.machines import records_count_add


class Attendance(Protocol):
    """What pyzk's `zk.attendance.Attendance` carries."""

    user_id: Any
    timestamp: datetime
    status: int
    punch: int


def records_of(attendances: Iterable[Attendance]) -> list[protocol.AttRecord]:
    """pyzk attendances as records; the machine's timestamps are its local wall time."""
    out = []
    for a in attendances:
        pin = str(a.user_id).strip()
        if not protocol.PIN.fullmatch(pin) or a.timestamp < protocol.EARLIEST:
            continue
        out.append(
            protocol.AttRecord(
                pin=pin,
                local=a.timestamp.replace(tzinfo=None, microsecond=0),
                status=int(a.status or 0),
                verify=int(a.punch or 0),
            )
        )
    return out


def _pyzk_attendance(machine: FingerprintMachine) -> list[Attendance]:
    from zk import ZK

    zk = ZK(
        machine.pull_host,
        port=machine.pull_port,
        timeout=settings.HADIR_PULL_TIMEOUT_S,
        password=machine.pull_password,
        ommit_ping=True,
    )
    conn = zk.connect()
    try:
        return list(conn.get_attendance())
    finally:
        conn.disconnect()


def machine_pull(
    *,
    machine: FingerprintMachine,
    now: datetime,
    read: Callable[[FingerprintMachine], Iterable[Attendance]] = _pyzk_attendance,
) -> IngestResult:
    """Read a machine's whole log over the LAN and store what is new.

    Connection failures are recorded on the machine (`last_pull_error`) and raised again.
    """
    try:
        attendances = read(machine)
    except Exception as exc:
        FingerprintMachine.objects.filter(pk=machine.pk).update(
            last_pull_error=f"{now:%Y-%m-%d %H:%M} {type(exc).__name__}: {exc}"[:500]
        )
        raise
    result = attlog_ingest(machine=machine, records=records_of(attendances))
    records_count_add(machine, result.created, now)
    FingerprintMachine.objects.filter(pk=machine.pk).update(
        last_contact_at=now, last_upload_at=now, last_pull_error=""
    )
    return result


def machines_due(now: datetime) -> list[int]:
    """Claim the approved machines whose pull is due: each is claimed by one scheduler tick
    (a conditional update moves its next pull), so running twice pulls once."""
    due = FingerprintMachine.objects.filter(approved=True).exclude(pull_host="")
    due = due.filter(Q(next_pull_at__isnull=True) | Q(next_pull_at__lte=now))
    claimed = []
    for mid, next_at, interval in due.values_list("id", "next_pull_at", "pull_interval_s"):
        taken = FingerprintMachine.objects.filter(id=mid, next_pull_at=next_at).update(
            next_pull_at=now + timedelta(seconds=max(60, interval))
        )
        if taken:
            claimed.append(mid)
    return claimed
