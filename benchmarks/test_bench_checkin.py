"""Benchmark: the morning burst of check-ins against a real hadir on PostgreSQL.

Run with `make bench`. A database of its own is created on the server named by DATABASE_URL
(dropped afterwards); gunicorn serves hadir with several worker processes; the load generator
(benchmarks/checkin_load.py) runs in another process. Every virtual employee logs in once
(setup, not timed), then asks a challenge and checks in with 3 JPEG frames. The same load then
goes to a benchmark-only view that writes one row (benchmarks/ceiling.py): the ceiling of a
Django request touching the database on this machine. Prints requests/s, p50/p99 and errors
of both, then counts the rows: none lost, none duplicated.
"""

from __future__ import annotations

import json
import os
import statistics
import subprocess
import sys
from pathlib import Path

import psycopg
import pytest

from benchmarks.test_bench_adms import _admin, _database
from conftest import RULESET_TOML
from tests.processes import (
    ROOT,
    django_shell,
    gunicorn_start,
    gunicorn_stop,
    hadir_command,
    hadir_env,
)

pytestmark = pytest.mark.benchmark

EMPLOYEES = int(os.environ.get("HADIR_BENCH_CHECKIN_EMPLOYEES", "400"))
THREADS = os.environ.get("HADIR_BENCH_CHECKIN_THREADS", "16")
ROUNDS = int(os.environ.get("HADIR_BENCH_CHECKIN_ROUNDS", "5"))
WARMUP = 32  # employees checking in once before the first burst, not timed
WEB_WORKERS = os.environ.get("HADIR_BENCH_WEB_WORKERS", str(max(4, 2 * (os.cpu_count() or 2))))
PASSWORD = "bench-password-2026"  # noqa: S105

SETUP = """
from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from hadir.org.models import Employee, Region, Site, Unit
from benchmarks.ceiling_urls import CREATE
from django.db import connection
region = Region.objects.get(code="6408")
unit = Unit.objects.create(region=region, code="BENCH", name="Dinas Bench")
unit.path = f"/{{unit.pk}}/"
unit.save()
Site.objects.create(unit=unit, name="Kantor", latitude=-0.5021, longitude=117.1536, radius_m=150)
password = make_password({password!r})
User = get_user_model()
users = User.objects.bulk_create(
    [User(username=f"b{{i}}", password=password) for i in range({employees})])
Employee.objects.bulk_create([
    Employee(region=region, key=f"1990010120150{{i:05d}}", nip=f"1990010120150{{i:05d}}",
             kind="PNS", name=f"Pegawai {{i}}", unit=unit, user=users[i])
    for i in range({employees})])
with connection.cursor() as cursor:
    cursor.execute(CREATE)
"""


def _load(base: str, nips: Path) -> dict:
    result = subprocess.run(
        [
            sys.executable,
            str(ROOT / "benchmarks" / "checkin_load.py"),
            f"--base={base}",
            f"--nips={nips}",
            f"--password={PASSWORD}",
            f"--threads={THREADS}",
            f"--rounds={ROUNDS}",
            f"--warmup={WARMUP}",
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    assert result.returncode == 0, result.stdout[-2000:] + result.stderr[-2000:]
    return json.loads(result.stdout)


def _line(label: str, s: dict) -> str:
    return (
        f"{label}: {s['requests']} requests in {s['seconds']:.1f} s = {s['rps']:,.0f} req/s, "
        f"p50 {s['p50_ms']:.0f} ms, p99 {s['p99_ms']:.0f} ms, errors {s['errors']}"
    )


def test_morning_burst_of_check_ins(tmp_path: Path) -> None:
    server = os.environ.get("DATABASE_URL", "")
    assert server.startswith("postgres"), "the benchmark is meant for PostgreSQL"
    name = f"hadir_bench_checkin_{os.getpid()}"
    _admin(server, f'CREATE DATABASE "{name}"')
    url = _database(server, name)
    env = hadir_env(
        tmp_path,
        DATABASE_URL=url,
        HADIR_MEDIA=str(tmp_path / "media"),
        DJANGO_SETTINGS_MODULE="benchmarks.ceiling",
    )
    web = None
    try:
        assert hadir_command(env, "migrate").returncode == 0
        rules = tmp_path / "rules.toml"
        rules.write_text(RULESET_TOML, encoding="utf-8")
        loaded = hadir_command(env, "rules", "load", str(rules))
        assert loaded.returncode == 0, loaded.stderr
        django_shell(env, SETUP.format(password=PASSWORD, employees=EMPLOYEES + WARMUP))
        nips = tmp_path / "nips.txt"
        nips.write_text("\n".join(f"1990010120150{i:05d}" for i in range(EMPLOYEES + WARMUP)))

        web, base = gunicorn_start(
            env, tmp_path, workers=WEB_WORKERS, probe="/api/v1/version", extra=("--backlog", "2048")
        )
        result = _load(base, nips)
        gunicorn_stop(web)
        web = None

        with psycopg.connect(url) as conn:
            stored, keys, accepted, frames = conn.execute(
                "select count(*), count(distinct (employee_id, idempotency_key)), "
                "count(*) filter (where status = 'accepted'), "
                "(select count(*) from attendance_checkinframe) from attendance_checkin"
            ).fetchone()
            events = conn.execute(
                "select count(*) from attendance_attendanceevent where source = 'mobile'"
            ).fetchone()[0]
            rows, distinct_rows = conn.execute(
                "select count(*), count(distinct k) from bench_ceiling"
            ).fetchone()
        expected = ROUNDS * EMPLOYEES + WARMUP
        lost = expected - keys
        duplicated = stored - keys
        lines = [
            f"\n{EMPLOYEES} employees x {ROUNDS} rounds, {THREADS} at a time, {WEB_WORKERS} "
            f"gunicorn workers, {os.cpu_count()} CPUs, load average {os.getloadavg()[0]:.1f}, "
            f"{result['body_bytes']:,} bytes per check-in"
        ]
        for i, r in enumerate(result["rounds"], start=1):
            c, k = r["ceiling"], r["checkin"]
            lines.append(f"round {i}: " + _line("ceiling (one-row view, same requests)", c))
            lines.append(
                f"round {i}: "
                + _line("check-in (challenge + check-in)", k)
                + f"; check-in alone p50 {k['checkin_p50_ms']:.0f} ms, "
                f"p99 {k['checkin_p99_ms']:.0f} ms; ratio {k['rps'] / c['rps']:.2f}"
            )
        ratios = sorted(r["checkin"]["rps"] / r["ceiling"]["rps"] for r in result["rounds"])
        lines.append(
            f"ratio per round (alternating bursts): {', '.join(f'{x:.2f}' for x in ratios)}; "
            f"median {statistics.median(ratios):.2f}"
        )
        best_c = max(r["ceiling"]["rps"] for r in result["rounds"])
        best_k = max(r["checkin"]["rps"] for r in result["rounds"])
        lines.append(
            f"best rounds: check-in {best_k:,.0f} req/s vs ceiling {best_c:,.0f} req/s "
            f"= {best_k / best_c:.2f}; stored {stored} check-ins ({accepted} accepted, "
            f"{frames} frames, {events} events), lost {lost}, duplicated {duplicated}; "
            f"ceiling rows {rows} ({distinct_rows} distinct)"
        )
        print("\n".join(lines))
        errors = sum(r[k]["errors"] for r in result["rounds"] for k in ("ceiling", "checkin"))
        assert errors == 0, [r["checkin"]["first_errors"] for r in result["rounds"]]
        assert lost == 0 and duplicated == 0 and events == expected == accepted
        assert frames == 3 * expected and rows == distinct_rows == 2 * ROUNDS * EMPLOYEES
    finally:
        gunicorn_stop(web)
        _admin(server, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
