"""A simulated fingerprint machine, in a process of its own, against a running hadir over HTTP:
it registers, is approved, receives the unit's employees, loses its link mid-upload, comes
back, and every record it punched is stored exactly once."""

from __future__ import annotations

import json
import sqlite3
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.processes import ROOT, django_shell, hadir_running, http_get

SERIAL = "SIMLIVE01"
RECORDS = 240


@pytest.fixture(scope="module")
def running(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, dict[str, str]]]:
    var = tmp_path_factory.mktemp("var")
    with hadir_running(
        var,
        HADIR_DEMO_EMPLOYEES="24",
        HADIR_DEMO_DAYS="2",
        HADIR_WEB_WORKERS="2",
        HADIR_WORKER_CONCURRENCY="1",
    ) as started:
        yield started


def test_it_stores_every_record_once_across_an_outage(running) -> None:  # type: ignore[no-untyped-def]
    base, env = running
    status, body = http_get(f"{base}/iclock/cdata?SN={SERIAL}&options=all")
    assert (status, body) == (403, f"ERROR: unknown device {SERIAL}: awaiting approval".encode())
    # Approved for the unit of the first PIN: the unit's employees are queued for the machine.
    users, pins = django_shell(
        env,
        "from hadir.devices.models import FingerprintMachine as M; "
        "from hadir.devices.services import machine_approve; "
        "from hadir.org.models import Employee; "
        f"m = M.objects.get(serial='{SERIAL}'); "
        "people = Employee.objects.exclude(pin='').order_by('pin'); "
        "machine_approve(machine=m, unit=people[0].unit, actor='test'); "
        "print(m.commands.count(), ','.join(people.values_list('pin', flat=True)))",
    ).split()[-2:]
    assert int(users) > 0
    # 60 punches a second for 4 s; the link is down from 1.0 s to 3.0 s, and the upload in
    # flight when it goes down reaches hadir but loses its reply, so it is sent again.
    result = subprocess.run(
        [
            sys.executable,
            str(ROOT / "tools" / "adms_simulator.py"),
            f"--url={base}",
            f"--serial={SERIAL}",
            f"--pins={pins}",
            f"--records={RECORDS}",
            "--rate=60",
            "--batch=25",
            "--upload-every=0.2",
            "--poll-every=0.5",
            "--error-delay=0.2",
            "--outage=1.0:2.0",
            "--linger=1.5",
            "--max-seconds=60",
        ],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    [stats] = json.loads(result.stdout)
    assert stats["acknowledged"] == RECORDS
    assert stats["lost_replies"] == 1 and stats["offline_attempts"] >= 1
    assert stats["users"] == int(users)

    db = sqlite3.connect(Path(env["DATABASE_URL"].removeprefix("sqlite:///")), timeout=30)
    stored = db.execute(
        "select count(*), count(distinct dedupe_key), min(source), max(source) "
        "from attendance_attendanceevent where dedupe_key like ?",
        (f"adms:{SERIAL}:%",),
    ).fetchone()
    assert stored == (RECORDS, RECORDS, "machine", "machine")
    commands = db.execute(
        "select status, count(*) from devices_machinecommand group by status"
    ).fetchall()
    assert commands == [("done", int(users))]
    assert db.execute("select count(*) from devices_unknownpin").fetchone()[0] == 0
