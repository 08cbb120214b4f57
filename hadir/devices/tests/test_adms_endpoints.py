"""The ADMS endpoints through Django's test client, with the protocol's exact texts."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from django.test import Client

from conftest import EMPLOYEE_NIP, HEAD_NIP
from hadir.attendance.models import AttendanceEvent, StaleRange
from hadir.audit.models import AuditEntry
from hadir.devices.models import (
    FingerprintMachine,
    MachineAlert,
    MachineCommand,
    MachineRecord,
    RejectedLine,
    UnknownPin,
)
from hadir.devices.tests.conftest import SERIAL

pytestmark = pytest.mark.django_db

ATTLOG = f"/iclock/cdata?SN={SERIAL}&table=ATTLOG&Stamp=9999"


def post(client: Client, url: str, body: bytes | str) -> tuple[int, str]:
    data = body.encode() if isinstance(body, str) else body
    response = client.post(url, data=data, content_type="text/plain")
    assert response["Date"].endswith("GMT")
    return response.status_code, response.content.decode()


def get(client: Client, url: str) -> tuple[int, str]:
    response = client.get(url)
    assert response["Date"].endswith("GMT")
    return response.status_code, response.content.decode()


def events() -> list[tuple[str, datetime, str]]:
    return list(AttendanceEvent.objects.order_by("at").values_list("employee__nip", "at", "source"))


def test_it_answers_the_handshake_with_the_units_time_zone(client, machine, frozen) -> None:  # type: ignore[no-untyped-def]
    status, text = get(client, f"/iclock/cdata?SN={SERIAL}&options=all&pushver=2.4.1")
    assert status == 200
    assert text == (
        f"GET OPTION FROM: {SERIAL}\n"
        "ATTLOGStamp=None\nOPERLOGStamp=None\nATTPHOTOStamp=None\n"
        "ErrorDelay=30\nDelay=10\nTransTimes=00:00;14:05\nTransInterval=1\n"
        "TransFlag=TransData AttLog OpLog AttPhoto EnrollUser ChgUser\n"
        "TimeZone=8\nRealtime=1\nEncrypt=None\n"
    )
    machine.refresh_from_db()
    assert machine.last_contact_at == datetime(2026, 1, 5, tzinfo=UTC)
    assert machine.push_version == "2.4.1" and machine.last_ip == "127.0.0.1"


def test_it_refuses_an_unknown_serial_and_keeps_it_for_approval(client, region_setup) -> None:  # type: ignore[no-untyped-def]
    status, text = get(client, "/iclock/cdata?SN=NEW0001&options=all")
    assert (status, text) == (403, "ERROR: unknown device NEW0001: awaiting approval")
    status, text = post(client, "/iclock/cdata?SN=NEW0001&table=ATTLOG", "1\t2026-01-05 07:00:00")
    assert (status, text) == (403, "ERROR: device NEW0001 is awaiting approval")
    request = FingerprintMachine.objects.get(serial="NEW0001")
    assert not request.approved and request.last_contact_at is not None
    assert AuditEntry.objects.filter(action="machine.registration_requested").count() == 1
    assert AttendanceEvent.objects.count() == 0
    assert get(client, "/iclock/ping?SN=bad%20serial")[0] == 400


def test_it_stores_tab_space_and_prefixed_lines_once(client, machine, frozen) -> None:  # type: ignore[no-untyped-def]
    body = (
        "1\t2026-01-05 07:42:10\t0\t1\t0\t0\t0\n"
        "ATTLOG\t2\t2026-01-05 07:20:00\t0\t1\t0\n"
        "ATTLOG 1 2026-01-05 07:55:00 0 15 0 0 0\n"
    )
    assert post(client, ATTLOG, body) == (200, "OK:3")
    assert events() == [
        (HEAD_NIP, datetime(2026, 1, 4, 23, 20, tzinfo=UTC), "machine"),
        (EMPLOYEE_NIP, datetime(2026, 1, 4, 23, 42, 10, tzinfo=UTC), "machine"),
        (EMPLOYEE_NIP, datetime(2026, 1, 4, 23, 55, tzinfo=UTC), "machine"),
    ]
    assert StaleRange.objects.filter(employee__nip=EMPLOYEE_NIP).exists()
    # The machine sends its whole log again (a lost reply, a reset stamp): nothing changes.
    assert post(client, ATTLOG, body + body) == (200, "OK:6")
    assert len(events()) == 3
    machine.refresh_from_db()
    assert machine.attlog_stamp == "9999"
    assert "ATTLOGStamp=9999\n" in get(client, f"/iclock/cdata?SN={SERIAL}")[1]


def test_it_keeps_unknown_pins_aside(client, machine, frozen) -> None:  # type: ignore[no-untyped-def]
    assert post(client, ATTLOG, "77\t2026-01-05 07:00:00\n1\t2026-01-05 07:01:00\n") == (
        200,
        "OK:2",
    )
    assert len(events()) == 1
    kept = UnknownPin.objects.get()
    assert (kept.pin, kept.local_time) == ("77", "2026-01-05 07:00:00")
    assert post(client, ATTLOG, "77\t2026-01-05 07:00:00\n") == (200, "OK:1")
    assert UnknownPin.objects.count() == 1
    # Once an employee holds PIN 77, the kept record becomes their event.
    from hadir.devices.services import unknown_pins_claim
    from hadir.org.models import Employee

    Employee.objects.filter(nip=HEAD_NIP).update(pin="77")
    assert unknown_pins_claim(machine=machine) == 1
    assert len(events()) == 2 and UnknownPin.objects.get().claimed_at is not None


@pytest.mark.parametrize(
    ("url", "body", "answer"),
    [
        (ATTLOG, "1\t2026-13-05 07:00:00\t0\t1", "ERROR: no valid ATTLOG line (bad time "),
        (ATTLOG, "1\t2027-01-05 07:00:00", "ERROR: no valid ATTLOG line (time 2027-01-05 "),
        (ATTLOG, b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "ERROR: binary data in a text table"),
        (ATTLOG, b"1\t2026-01-05 07:00:00\xff\xfe", "ERROR: body is not UTF-8 text"),
        (ATTLOG, "", "ERROR: no valid ATTLOG line (no records)"),
        (f"/iclock/cdata?SN={SERIAL}&table=SECRET", "x", "ERROR: unknown table 'SECRET'"),
        (f"/iclock/cdata?SN={SERIAL}", "1\t2026-01-05 07:00:00", "ERROR: unknown table ''"),
        (f"/iclock/cdata?SN={SERIAL}&table=ATTPHOTO", b"garbage", "ERROR: ATTPHOTO without"),
        (f"/iclock/devicecmd?SN={SERIAL}", "Return=0", "ERROR: bad command result"),
    ],
)
def test_it_answers_malformed_input_with_an_error(
    client, machine, frozen, url, body, answer
) -> None:  # type: ignore[no-untyped-def]
    status, text = post(client, url, body)
    assert status == 400 and text.startswith(answer), text
    assert AttendanceEvent.objects.count() == 0 and UnknownPin.objects.count() == 0
    assert MachineRecord.objects.count() == 0
    assert RejectedLine.objects.filter(serial=SERIAL).exists()


def test_it_refuses_an_oversized_body(client, machine, frozen, settings) -> None:  # type: ignore[no-untyped-def]
    settings.HADIR_ADMS_MAX_BODY_BYTES = 1000
    body = "1\t2026-01-05 07:00:00\t0\t1\n" * 60
    assert post(client, ATTLOG, body) == (413, "ERROR: body too large")
    assert AttendanceEvent.objects.count() == 0
    assert post(client, ATTLOG, body[: 26 * 30]) == (200, "OK:30")


def test_it_stores_the_good_lines_of_a_batch_and_records_the_bad(client, machine, frozen) -> None:  # type: ignore[no-untyped-def]
    body = "1\t2026-01-05 07:00:00\n1\tyesterday\n2\t2026-01-05 07:10:00\n\x01\x02\x03\n"
    assert post(client, ATTLOG, body) == (200, "OK:2")
    assert len(events()) == 2
    assert sorted(RejectedLine.objects.values_list("line", flat=True)) == [
        "\x01\x02\x03",
        "1\tyesterday",
    ]


def test_it_queues_commands_and_records_their_results(client, machine, frozen) -> None:  # type: ignore[no-untyped-def]
    # Approval queued the unit's employees with a PIN (Budi 2, Ani 1), in PIN order.
    first, second = MachineCommand.objects.order_by("id")
    status, text = get(client, f"/iclock/getrequest?SN={SERIAL}")
    assert (status, text) == (
        200,
        f"C:{first.id}:DATA UPDATE USERINFO PIN=1\tName=Ani Lestari\tPri=0\n"
        f"C:{second.id}:DATA UPDATE USERINFO PIN=2\tName=Budi Santoso\tPri=0\n",
    )
    assert get(client, f"/iclock/getrequest?SN={SERIAL}") == (200, "OK")
    body = f"ID={first.id}&Return=0&CMD=DATA\nID={second.id}&Return=-1002&CMD=DATA\n"
    assert post(client, f"/iclock/devicecmd?SN={SERIAL}", body) == (200, "OK")
    first.refresh_from_db()
    second.refresh_from_db()
    assert (first.status, first.return_code) == ("done", 0)
    assert (second.status, second.return_code) == ("failed", -1002)

    from hadir.devices import services
    from hadir.org.models import Employee

    Employee.objects.filter(nip=HEAD_NIP).update(active=False)
    assert services.machine_delete_leavers(machine=machine, actor="citra", pins=["99"]) == 2
    assert services.machine_reboot(machine=machine, actor="citra") == 1
    start = datetime(2026, 1, 4, 16, tzinfo=UTC)  # 2026-01-05 00:00 local
    assert services.machine_query_logs(
        machine=machine, start=start, end=datetime(2026, 1, 5, tzinfo=UTC), actor="citra"
    )
    texts = get(client, f"/iclock/getrequest?SN={SERIAL}")[1].splitlines()
    assert [t.split(":", 2)[2] for t in texts] == [
        "DATA DELETE USERINFO PIN=2",
        "DATA DELETE USERINFO PIN=99",
        "REBOOT",
        "DATA QUERY ATTLOG StartTime=2026-01-05 00:00:00\tEndTime=2026-01-05 08:00:00",
    ]
    assert AuditEntry.objects.filter(action="machine.command.reboot").exists()


def test_it_keeps_operlog_without_templates_and_photos(client, machine, frozen) -> None:  # type: ignore[no-untyped-def]
    body = (
        "USER PIN=1\tName=Ani\tPri=0\tPasswd=\tCard=\tGrp=1\n"
        "FP PIN=1\tFID=6\tSize=1180\tValid=1\tTMP=SstTUzIxAAAE\n"
        "OPLOG 4\t0\t2026-01-05 07:00:00\t0\t0\t0\t0\n"
    )
    url = f"/iclock/cdata?SN={SERIAL}&table=OPERLOG&OpStamp=100"
    assert post(client, url, body) == (200, "OK:3")
    record = MachineRecord.objects.get()
    assert "TMP=(not kept)" in record.content and "SstTUzIxAAAE" not in record.content
    photo = b"PIN=20260105074210-1.jpg\nSN=%s\nsize=3\nCMD=uploadphoto\x00\xff\xd8\xff" % (
        SERIAL.encode()
    )
    assert post(client, f"/iclock/cdata?SN={SERIAL}&table=ATTPHOTO&Stamp=5", photo) == (
        200,
        "OK:1",
    )
    stored = MachineRecord.objects.get(table="ATTPHOTO")
    assert stored.photo.read() == b"\xff\xd8\xff"
    assert get(client, f"/iclock/ping?SN={SERIAL}") == (200, "OK")


def test_it_flags_a_clock_ahead_and_clears_it(client, machine, frozen) -> None:  # type: ignore[no-untyped-def]
    # 08:00 local now; the machine stamps a live punch 09:00.
    assert post(client, ATTLOG, "1\t2026-01-05 09:00:00\n") == (200, "OK:1")
    machine.refresh_from_db()
    assert machine.clock_skewed and machine.clock_offset_s == 3600
    alert = MachineAlert.objects.get(kind="clock_skew")
    assert alert.resolved_at is None
    # A buffered batch of old records says nothing about a clock that is behind.
    batch = "".join(f"2\t2026-01-04 07:{m:02d}:00\n" for m in range(10))
    assert post(client, ATTLOG, batch) == (200, "OK:10")
    machine.refresh_from_db()
    assert machine.clock_skewed
    assert post(client, ATTLOG, "2\t2026-01-05 07:59:30\n") == (200, "OK:1")
    machine.refresh_from_db()
    assert not machine.clock_skewed and machine.clock_offset_s == -30
    alert.refresh_from_db()
    assert alert.resolved_at is not None


def test_it_counts_the_new_records_of_the_day(client, machine, frozen) -> None:  # type: ignore[no-untyped-def]
    from hadir.devices.admin import records_today

    body = "1\t2026-01-05 07:00:00\n2\t2026-01-05 07:01:00\n"
    assert post(client, ATTLOG, body) == (200, "OK:2")
    assert post(client, ATTLOG, body + "1\t2026-01-05 07:30:00\n") == (200, "OK:3")
    machine.refresh_from_db()
    assert records_today(machine) == 3
