"""Benchmark: 50 simulated fingerprint machines uploading at once to a real hadir on PostgreSQL.

Run with `make bench` (PostgreSQL from DATABASE_URL, default the local server). A database of
its own is created on that server and dropped afterwards; gunicorn serves hadir; the simulator
(tools/adms_simulator.py) runs the machines as threads of another process, each with a backlog
of records uploaded in batches, as machines do after an outage. Then every machine sends its
whole log again (a reset stamp). Prints records/s of both passes and the lost and duplicated
counts, read from the database.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import psycopg
import pytest

from tests.processes import (
    ROOT,
    django_shell,
    gunicorn_start,
    gunicorn_stop,
    hadir_command,
    hadir_env,
)

pytestmark = pytest.mark.benchmark

MACHINES = int(os.environ.get("HADIR_BENCH_MACHINES", "50"))
RECORDS = int(os.environ.get("HADIR_BENCH_RECORDS", "2000"))  # per machine
BATCH = int(os.environ.get("HADIR_BENCH_BATCH", "500"))  # lines per upload
EMPLOYEES = 1000
WEB_WORKERS = os.environ.get("HADIR_BENCH_WEB_WORKERS", str(max(2, os.cpu_count() or 2)))

SETUP = """
from hadir.devices.models import FingerprintMachine
from hadir.org.models import Employee, Region, Unit
region = Region.objects.create(code="9999", name="Bench", timezone="Asia/Makassar")
units = [Unit.objects.create(region=region, code=f"U{{i}}", name=f"Unit {{i}}", path=f"/{{i}}/")
         for i in range({machines})]
Employee.objects.bulk_create([
    Employee(region=region, key=f"K{{p}}", kind="NONASN", name=f"Pegawai {{p}}",
             unit=units[p % len(units)], pin=str(p))
    for p in range(1, {employees} + 1)])
FingerprintMachine.objects.bulk_create([
    FingerprintMachine(serial=f"BENCH{{i:03d}}", unit=u, region=region, approved=True)
    for i, u in enumerate(units)])
"""


def _database(url: str, name: str) -> str:
    parts = urlsplit(url)
    return urlunsplit(parts._replace(path=f"/{name}"))


def _admin(url: str, sql: str) -> None:
    with psycopg.connect(_database(url, "postgres"), autocommit=True) as conn:
        conn.execute(sql)


def _simulate(base: str, start: str) -> tuple[float, list[dict]]:
    result = subprocess.run(
        [
            sys.executable,
            str(ROOT / "tools" / "adms_simulator.py"),
            f"--url={base}",
            "--serial=BENCH",
            f"--machines={MACHINES}",
            f"--pins=1-{EMPLOYEES}",
            f"--records={RECORDS}",
            f"--batch={BATCH}",
            f"--start={start}",
            "--upload-every=0.01",
            "--poll-every=30",
            "--error-delay=0.5",
            "--max-seconds=600",
        ],
        capture_output=True,
        text=True,
        timeout=900,
        check=False,
    )
    assert result.returncode == 0, result.stdout[-2000:] + result.stderr[-2000:]
    stats = json.loads(result.stdout)
    # From the machines' start to the last acknowledgement (the process start left out).
    return max(s["seconds"] for s in stats), stats


def test_fifty_machines_at_once(tmp_path: Path) -> None:
    server = os.environ.get("DATABASE_URL", "")
    assert server.startswith("postgres"), "the benchmark is meant for PostgreSQL"
    name = f"hadir_bench_adms_{os.getpid()}"
    _admin(server, f'CREATE DATABASE "{name}"')
    url = _database(server, name)
    env = hadir_env(tmp_path, DATABASE_URL=url)
    web = None
    try:
        assert hadir_command(env, "migrate").returncode == 0
        django_shell(env, SETUP.format(machines=MACHINES, employees=EMPLOYEES))
        web, base = gunicorn_start(
            env, tmp_path, workers=WEB_WORKERS, probe="/iclock/ping?SN=BENCH000"
        )

        total = MACHINES * RECORDS
        # The machines' logs end a day ago, local time (Asia/Makassar is UTC+8).
        start = datetime.now(UTC) + timedelta(hours=8) - timedelta(days=1, seconds=RECORDS)
        first_s, stats = _simulate(base, f"{start:%Y-%m-%d %H:%M:%S}")
        again_s, _ = _simulate(base, f"{start:%Y-%m-%d %H:%M:%S}")
        with psycopg.connect(url) as conn:
            stored, distinct = conn.execute(
                "select count(*), count(distinct (employee_id, at, created_by)) "
                "from attendance_attendanceevent where dedupe_key like 'adms:BENCH%%'"
            ).fetchone()
        lost = total - distinct
        duplicated = stored - distinct
        print(
            f"\n{MACHINES} machines x {RECORDS} records (batches of {BATCH}, "
            f"{WEB_WORKERS} web workers, {os.cpu_count()} CPUs): "
            f"first upload {total / first_s:,.0f} records/s ({first_s:.1f} s), "
            f"whole logs again {total / again_s:,.0f} records/s ({again_s:.1f} s); "
            f"stored {stored:,}, lost {lost}, duplicated {duplicated}; "
            f"failed requests {sum(s['failed_requests'] for s in stats)}"
        )
        assert lost == 0 and duplicated == 0
    finally:
        gunicorn_stop(web)
        _admin(server, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
