"""`hadir run` for real: web server, Celery worker and scheduler as separate processes."""

from __future__ import annotations

import json
import sqlite3
import time
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from tests.processes import hadir_command, hadir_env, hadir_running, http_get


@pytest.fixture(scope="module")
def running(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, dict[str, str]]]:
    var = tmp_path_factory.mktemp("var")
    with hadir_running(
        var,
        HADIR_DEMO_EMPLOYEES="24",
        HADIR_DEMO_DAYS="5",
        HADIR_RESOLVE_INTERVAL_S="3",
        HADIR_WEB_WORKERS="1",
        HADIR_WORKER_CONCURRENCY="1",
    ) as started:
        yield started


def test_it_serves_health_admin_and_api(running) -> None:  # type: ignore[no-untyped-def]
    base, _ = running
    status, body = http_get(f"{base}/healthz")
    assert status == 200 and json.loads(body) == {"status": "ok"}
    status, body = http_get(f"{base}/admin/login/")
    assert status == 200 and b"csrfmiddlewaretoken" in body
    status, body = http_get(f"{base}/api/v1/openapi.json")
    assert status == 200 and json.loads(body)["info"]["title"] == "hadir"


def test_it_loaded_the_demo_and_prints_logins(running) -> None:  # type: ignore[no-untyped-def]
    _, env = running
    db = sqlite3.connect(env["DATABASE_URL"].removeprefix("sqlite:///"))
    assert db.execute("select count(*) from org_employee").fetchone()[0] == 24
    log = (Path(env["HADIR_VAR"]) / "run.log").read_text()
    assert "hadir is running on http://" in log and "admin" in log


def test_it_resolves_new_events_in_the_worker(running, tmp_path) -> None:  # type: ignore[no-untyped-def]
    _, env = running
    db = sqlite3.connect(env["DATABASE_URL"].removeprefix("sqlite:///"), timeout=30)
    nip = db.execute("select key from org_employee where nip is not null limit 1").fetchone()[0]
    # The worker keeps recent days fresh (older ones are left to recaps): use yesterday.
    day = (datetime.now(UTC) - timedelta(days=1)).date().isoformat()
    events = tmp_path / "events.csv"
    events.write_text(f"nip,timestamp,source\n{nip},{day}T07:10:00+08:00,mobile\n")
    started = datetime.now(UTC)
    result = hadir_command(env, "import", "events", str(events))
    assert result.returncode == 0, result.stderr
    stale = "select count(*) from attendance_stalerange where start <= ? and end >= ?"
    fresh = (
        "select d.status, d.resolved_at from attendance_employeeday d join org_employee e "
        "on e.id = d.employee_id where e.key = ? and d.date = ?"
    )
    deadline = time.monotonic() + 60
    while True:
        row = db.execute(fresh, (nip, day)).fetchone()
        done = not db.execute(stale, (day, day)).fetchone()[0]
        if done and row and datetime.fromisoformat(row[1]).replace(tzinfo=UTC) >= started:
            break
        if time.monotonic() > deadline:
            pytest.fail(f"the worker did not resolve {day}: {row}")
        time.sleep(1)
    assert row[0] in {"present", "off", "holiday"}


def test_it_refuses_an_unmigrated_database(tmp_path) -> None:  # type: ignore[no-untyped-def]
    result = hadir_command(hadir_env(tmp_path), "recap", "--month", "2026-01")
    assert result.returncode == 2
    assert "not migrated" in result.stderr and "hadir migrate" in result.stderr
    assert hadir_command(hadir_env(tmp_path), "migrate").returncode == 0
    result = hadir_command(hadir_env(tmp_path), "recap", "--month", "2026-01")
    assert result.returncode == 2 and "no region yet" in result.stderr
