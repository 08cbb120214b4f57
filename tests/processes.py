"""Start a real `hadir run` (gunicorn, Celery worker and beat) for tests, on a free port with
its own HADIR_VAR and SQLite database. Shared by the process tests and the benchmarks."""

from __future__ import annotations

import contextlib
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def hadir_env(var: Path, **extra: str) -> dict[str, str]:
    """The environment of a hadir process on its own SQLite database under `var` (pass
    DATABASE_URL in `extra` for another database)."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DATABASE_URL", "CELERY_"))}
    env.update(
        HADIR_VAR=str(var),
        DATABASE_URL=f"sqlite:///{var / 'hadir.sqlite3'}",
        PYTHONUNBUFFERED="1",
    )
    env.update(extra)
    return env


def hadir_command(env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "hadir", *args],
        env=env,
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )


def django_shell(env: dict[str, str], code: str) -> str:
    """Run Python code with Django set up, in a process of its own; returns its stdout."""
    result = subprocess.run(
        [sys.executable, "-m", "django", "shell", "--settings=hadir.settings", "-c", code],
        env=env,
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    return result.stdout


def http_get(url: str) -> tuple[int, bytes]:
    try:
        with urllib.request.urlopen(url, timeout=5) as response:  # noqa: S310 (loopback)
            return response.status, response.read()
    except urllib.error.HTTPError as exc:
        return exc.code, exc.read()


@contextmanager
def hadir_running(var: Path, **extra: str) -> Iterator[tuple[str, dict[str, str]]]:
    """`hadir run` until the block ends; yields its base URL and environment."""
    addr = f"127.0.0.1:{free_port()}"
    env = hadir_env(var, HADIR_ADDR=addr, **extra)
    proc = _spawn([sys.executable, "-m", "hadir", "run"], env, var / "run.log")
    base = f"http://{addr}"
    deadline = time.monotonic() + 240
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            pytest.fail(f"hadir run exited {proc.returncode}:\n{(var / 'run.log').read_text()}")
        try:
            if http_get(f"{base}/healthz")[0] == 200:
                break
        except OSError:
            pass
        time.sleep(0.5)
    else:
        os.killpg(proc.pid, signal.SIGKILL)
        pytest.fail(f"hadir run never became healthy:\n{(var / 'run.log').read_text()}")
    try:
        yield base, env
    finally:
        proc.send_signal(signal.SIGTERM)
        try:
            assert proc.wait(timeout=30) == 0
        finally:
            if proc.poll() is None:
                os.killpg(proc.pid, signal.SIGKILL)
            _group_gone(proc.pid)
            _db_sessions_gone(env["DATABASE_URL"])


def _group_gone(pgid: int, timeout_s: float = 30) -> None:
    """Wait until no process of the group is left (web workers and worker children finish
    after `hadir run` itself), killing what remains at the end: a straggler holding a
    database connection would keep the test database from being dropped."""
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        try:
            os.killpg(pgid, 0)
        except ProcessLookupError:
            return
        time.sleep(0.1)
    with contextlib.suppress(ProcessLookupError):
        os.killpg(pgid, signal.SIGKILL)


def _db_sessions_gone(url: str, timeout_s: float = 15) -> None:
    """On PostgreSQL, wait until the server has ended the sessions of the stopped processes:
    a backend outlives its client by a moment, and DROP DATABASE refuses a database in use.
    The test's own connection is not counted."""
    if not url.startswith(("postgres://", "postgresql://")):
        return
    import psycopg
    from django.db import connection

    own = -1
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_backend_pid()")
            own = int(cursor.fetchone()[0])
    name = url.rsplit("/", 1)[-1].split("?", 1)[0]
    sql = (
        "SELECT count(*) FROM pg_stat_activity "
        "WHERE datname = %s AND pid <> pg_backend_pid() AND pid <> %s"
    )
    deadline = time.monotonic() + timeout_s
    with psycopg.connect(url.rsplit("/", 1)[0] + "/postgres", autocommit=True) as conn:
        while time.monotonic() < deadline:
            row = conn.execute(sql, [name, own]).fetchone()
            if row is None or row[0] == 0:
                return
            time.sleep(0.1)


def _spawn(command: list[str], env: dict[str, str], log_path: Path) -> subprocess.Popen[bytes]:
    """`command` in its own process group (stopped as a whole), its output in `log_path`."""
    with log_path.open("w") as log:
        return subprocess.Popen(
            command,
            env=env,
            cwd=ROOT,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )


def gunicorn_start(
    env: dict[str, str], var: Path, *, workers: str, probe: str, extra: tuple[str, ...] = ()
) -> tuple[subprocess.Popen[bytes], str]:
    """hadir's WSGI app under gunicorn with `workers` processes, in its own process group,
    logging to var/web.log; returned once `probe` (a path) answers 200."""
    addr = f"127.0.0.1:{free_port()}"
    log_path = var / "web.log"
    web = _spawn(
        [
            *(sys.executable, "-m", "gunicorn", "hadir.wsgi", "--bind", addr),
            *("--workers", workers, "--timeout", "120", *extra),
        ],
        env,
        log_path,
    )
    base = f"http://{addr}"
    deadline = time.monotonic() + 60
    while True:
        try:
            if http_get(f"{base}{probe}")[0] == 200:
                return web, base
        except OSError:
            pass
        assert web.poll() is None and time.monotonic() < deadline, log_path.read_text()
        time.sleep(0.3)


def gunicorn_stop(web: subprocess.Popen[bytes] | None) -> None:
    if web is None:
        return
    web.send_signal(signal.SIGTERM)
    try:
        web.wait(timeout=30)
    except subprocess.TimeoutExpired:
        os.killpg(web.pid, signal.SIGKILL)
