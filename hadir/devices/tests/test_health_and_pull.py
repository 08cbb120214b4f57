"""Silence alerts, and the LAN pull feeding the same ingestion as the push protocol."""

from __future__ import annotations

import socket
from datetime import UTC, datetime, timedelta

import pytest
from django.test import Client
from zk.attendance import Attendance

from hadir.attendance.models import AttendanceEvent
from hadir.audit.models import AuditEntry
from hadir.devices import services, tasks
from hadir.devices.models import FingerprintMachine, MachineAlert
from hadir.devices.pull import machine_pull, machines_due
from hadir.devices.tests.conftest import SERIAL

pytestmark = pytest.mark.django_db

T0 = datetime(2026, 1, 5, tzinfo=UTC)


def test_it_alerts_once_about_a_silent_machine(machine, settings) -> None:  # type: ignore[no-untyped-def]
    settings.HADIR_MACHINE_SILENCE_S = 3600
    FingerprintMachine.objects.filter(pk=machine.pk).update(last_contact_at=T0)
    assert services.machine_silence_alerts(T0 + timedelta(minutes=59)) == []
    [alert] = services.machine_silence_alerts(T0 + timedelta(hours=2))
    assert alert.kind == "silent" and "silent for 2.0 h" in alert.message
    assert "Dinas Contoh" in alert.message
    assert services.machine_silence_alerts(T0 + timedelta(hours=3)) == []
    assert AuditEntry.objects.filter(action="machine.alert.silent").count() == 1
    # Heard from again: the alert closes, and a later silence alerts again.
    services.machine_contact(serial=SERIAL, ip=None, now=T0 + timedelta(hours=4))
    alert.refresh_from_db()
    assert alert.resolved_at == T0 + timedelta(hours=4)
    assert len(services.machine_silence_alerts(T0 + timedelta(hours=6))) == 1
    assert MachineAlert.objects.count() == 2


def _user_with_role(nip: str, role: str, unit_code: str | None):  # type: ignore[no-untyped-def]
    from django.contrib.auth import get_user_model

    from hadir.org.models import Employee, Region, RoleAssignment, Unit
    from hadir.org.services import role_grant

    user = get_user_model().objects.create_user(username=nip)
    Employee.objects.filter(nip=nip).update(user=user, phone="+6281234567890")
    unit = Unit.objects.get(code=unit_code) if unit_code else None
    role_grant(user=user, role=role, region=Region.objects.get(code="6408"), unit=unit)
    assert RoleAssignment.objects.filter(user=user).exists()
    return user


def test_it_messages_the_units_operator_once_per_silence(machine, settings) -> None:  # type: ignore[no-untyped-def]
    from conftest import OPERATOR_NIP, STRANGER_NIP
    from hadir.notify.models import Outbox

    settings.HADIR_MACHINE_SILENCE_S = 3600
    _user_with_role(OPERATOR_NIP, "operator", "A")
    _user_with_role(STRANGER_NIP, "operator", "B")  # another unit's operator: not told
    FingerprintMachine.objects.filter(pk=machine.pk).update(last_contact_at=T0)
    [alert] = services.machine_silence_alerts(T0 + timedelta(hours=2, minutes=30))
    sent = list(Outbox.objects.filter(template="hadir_mesin_senyap"))
    assert {m.recipient.nip for m in sent} == {OPERATOR_NIP}
    assert {m.channel for m in sent} == {"whatsapp"}
    assert "CQZ7231460123" in sent[0].body and "Dinas Contoh" in sent[0].body
    assert "05-01-2026 08:00" in sent[0].body and "(2.5 jam)" in sent[0].body
    assert (sent[0].object_type, sent[0].object_id) == ("MachineAlert", str(alert.id))
    # Still silent an hour later: no second alert, no second message.
    assert services.machine_silence_alerts(T0 + timedelta(hours=3, minutes=30)) == []
    assert Outbox.objects.filter(template="hadir_mesin_senyap").count() == len(sent)


def test_a_region_wide_operator_is_told_when_the_unit_has_none(machine, settings) -> None:  # type: ignore[no-untyped-def]
    from conftest import STRANGER_NIP
    from hadir.notify.models import Outbox

    settings.HADIR_MACHINE_SILENCE_S = 3600
    _user_with_role(STRANGER_NIP, "operator", None)
    FingerprintMachine.objects.filter(pk=machine.pk).update(last_contact_at=T0)
    services.machine_silence_alerts(T0 + timedelta(hours=2))
    assert [m.recipient.nip for m in Outbox.objects.filter(template="hadir_mesin_senyap")] == [
        STRANGER_NIP
    ]


def test_it_never_alerts_about_unapproved_machines(region_setup, settings) -> None:  # type: ignore[no-untyped-def]
    FingerprintMachine.objects.create(serial="X1", last_contact_at=T0)
    assert services.machine_silence_alerts(T0 + timedelta(days=9)) == []


def test_it_pulls_a_log_into_the_same_events_as_a_push(machine, frozen) -> None:  # type: ignore[no-untyped-def]
    client = Client()
    body = "1\t2026-01-05 07:42:10\t0\t1\n"
    assert client.post(
        f"/iclock/cdata?SN={SERIAL}&table=ATTLOG", data=body, content_type="text/plain"
    ).content == (b"OK:1")
    log = [
        Attendance(1, datetime(2026, 1, 5, 7, 42, 10), 0, 1, 1),
        Attendance("2", datetime(2026, 1, 5, 7, 50, 0), 0, 0, 2),
        Attendance("55", datetime(2026, 1, 5, 7, 51, 0), 0, 0, 3),
    ]
    result = machine_pull(machine=machine, now=T0, read=lambda m: log)
    assert (result.accepted, result.created, result.unknown_pins) == (3, 1, 1)
    assert AttendanceEvent.objects.count() == 2
    assert machine_pull(machine=machine, now=T0, read=lambda m: log).created == 0
    assert AttendanceEvent.objects.filter(at=datetime(2026, 1, 4, 23, 50, tzinfo=UTC)).exists()


def test_it_records_a_failed_pull(machine) -> None:  # type: ignore[no-untyped-def]
    with socket.socket() as sock:  # a port nobody listens on: pyzk's real connect fails
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    FingerprintMachine.objects.filter(pk=machine.pk).update(pull_host="127.0.0.1", pull_port=port)
    machine.refresh_from_db()
    with pytest.raises(Exception):  # noqa: B017 (pyzk raises its own ZKError kinds)
        machine_pull(machine=machine, now=T0)
    machine.refresh_from_db()
    assert machine.last_pull_error.startswith("2026-01-05 00:00 ")
    assert tasks.pull_machine(machine.id) == 0  # the task records and carries on


def test_it_claims_a_due_pull_once(machine) -> None:  # type: ignore[no-untyped-def]
    FingerprintMachine.objects.filter(pk=machine.pk).update(pull_host="10.0.0.9")
    assert machines_due(T0) == [machine.id]
    assert machines_due(T0) == []
    assert machines_due(T0 + timedelta(seconds=901)) == [machine.id]


def test_it_skips_rows_a_concurrent_upload_stored_first(machine) -> None:  # type: ignore[no-untyped-def]
    from hadir.devices.services.ingest import _insert_events
    from hadir.imports.events import EventWriter

    ani = machine.unit.employees.get(pin="1").id
    writer = EventWriter(actor="machine:X")
    rows = [
        writer.params((ani, T0 + timedelta(minutes=m), "machine", "", None, None), f"k{m}")
        for m in range(3)
    ]
    _insert_events(writer, rows[1:2])
    _insert_events(writer, rows)  # k1 is stored: the fast path fails, the slow one skips it
    assert sorted(AttendanceEvent.objects.values_list("dedupe_key", flat=True)) == [
        "k0",
        "k1",
        "k2",
    ]
