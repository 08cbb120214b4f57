"""`hadir run`: migrate, load the demo when empty, then supervise web, worker and scheduler.

The three are separate processes (gunicorn, a Celery worker, Celery beat) sharing the same
settings; when one of them ends, the others are stopped and `hadir run` exits.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time

from django.core.management import call_command

from hadir.core.env import env_int
from hadir.core.setup import ensure_var_dirs

DEMO_LOGINS = """Demo logins (password for all: hadir-demo-2026):
  admin       BKPSDM admin: staff web at /web/, Django admin at /admin/ (enrols TOTP first)
  operator    operator kepegawaian of the Dinas Kesehatan (enrols TOTP first)
  atasan      head of the Dinas Kesehatan: the verification queue at /web/
  <NIP>       any demo employee's NIP: the employee app at /app/"""


def _processes(addr: str) -> dict[str, list[str]]:
    python = sys.executable
    web_workers = os.environ.get("HADIR_WEB_WORKERS", "2")
    concurrency = os.environ.get("HADIR_WORKER_CONCURRENCY", "2")
    from django.conf import settings

    return {
        "web": [
            python,
            "-m",
            "gunicorn",
            "hadir.wsgi",
            "--bind",
            addr,
            "--workers",
            web_workers,
            "--access-logfile",
            "-",
            "--timeout",
            "120",
        ],
        "worker": [
            python,
            "-m",
            "celery",
            "-A",
            "hadir",
            "worker",
            "--loglevel",
            "INFO",
            "--concurrency",
            concurrency,
        ],
        "scheduler": [
            python,
            "-m",
            "celery",
            "-A",
            "hadir",
            "beat",
            "--loglevel",
            "INFO",
            "--schedule",
            str(settings.CELERY_BEAT_SCHEDULE_FILENAME),
        ],
    }


def run_all(*, addr: str) -> int:
    from hadir.org.models import Region

    ensure_var_dirs()
    call_command("migrate", interactive=False, verbosity=0)
    if not Region.objects.exists():
        from hadir.demo.services import demo_create

        print("empty database: loading the demo region ...", flush=True)
        print(
            demo_create(
                employees=env_int("HADIR_DEMO_EMPLOYEES", 300), days=env_int("HADIR_DEMO_DAYS", 60)
            ),
            flush=True,
        )
    children = {name: subprocess.Popen(cmd) for name, cmd in _processes(addr).items()}  # noqa: S603
    print(
        f"hadir is running on http://{addr}/ (staff: http://{addr}/web/, "
        f"employees: http://{addr}/app/, admin: http://{addr}/admin/)",
        flush=True,
    )
    print(DEMO_LOGINS, flush=True)

    stopping = False

    def _stop(signum: int, frame: object) -> None:
        nonlocal stopping
        stopping = True

    signal.signal(signal.SIGTERM, _stop)
    signal.signal(signal.SIGINT, _stop)
    exit_code = 0
    try:
        while not stopping:
            for name, proc in children.items():
                code = proc.poll()
                if code is not None:
                    print(f"{name} exited with {code}; stopping hadir", file=sys.stderr)
                    exit_code = code or 1
                    stopping = True
            time.sleep(0.5)
    finally:
        for proc in children.values():
            if proc.poll() is None:
                proc.terminate()
        deadline = time.monotonic() + 15
        for proc in children.values():
            try:
                proc.wait(timeout=max(0.1, deadline - time.monotonic()))
            except subprocess.TimeoutExpired:
                proc.kill()
    return exit_code
