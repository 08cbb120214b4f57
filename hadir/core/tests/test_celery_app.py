"""Tasks queued from any thread go through hadir's Celery app, never Celery's bare fallback."""

from __future__ import annotations

import subprocess
import sys

SCRIPT = """
import threading
from celery import _state
_state.get_current_app()  # an early caller: Celery creates its bare fallback app
import django
django.setup()
from hadir.attendance.tasks import checkin_checks
seen = []
thread = threading.Thread(target=lambda: seen.append(checkin_checks.app.main))
thread.start()
thread.join()
print(seen[0])
"""


def test_a_new_thread_queues_tasks_with_hadirs_app() -> None:
    # A fresh process, since the state in question is Celery's process-wide default app.
    out = subprocess.run(
        [sys.executable, "-c", SCRIPT],
        capture_output=True,
        text=True,
        timeout=120,
        env={"DJANGO_SETTINGS_MODULE": "hadir.settings", "DATABASE_URL": "sqlite://:memory:"},
        check=False,
    )
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip() == "hadir"
