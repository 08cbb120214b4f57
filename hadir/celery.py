"""The Celery application. Its beat schedule is defined here, in code; nothing starts on import."""

from __future__ import annotations

import os

from celery import Celery
from celery.schedules import crontab
from celery.signals import worker_process_init

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "hadir.settings")

app = Celery("hadir")
# The app of every thread, not only of the one that imported this module: a thread starts with
# no current app and falls back to the process' default one, which is a bare unconfigured app
# whenever anything asked Celery for its current app before this module was imported (a
# web server's request thread would then publish tasks to amqp://localhost that nobody reads).
app.set_default()


@worker_process_init.connect
def _warm_face_models(**_: object) -> None:
    """Each worker process loads the face models (~130 MB) when it starts, not during its first
    check-in (hadir.biometrics.face); nothing is loaded by importing this module."""
    from hadir.biometrics.face import warm_up

    warm_up()


app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()

app.conf.beat_schedule = {
    "resolve-stale-days": {
        "task": "hadir.attendance.tasks.resolve_stale_days",
        "schedule": float(os.environ.get("HADIR_RESOLVE_INTERVAL_S", "60")),
    },
    "discipline-daily": {
        "task": "hadir.attendance.tasks.discipline_daily",
        "schedule": crontab(minute=0, hour=int(os.environ.get("HADIR_DISCIPLINE_HOUR_UTC", "17"))),
    },
    # The outbox is the source of truth: this sweep sends what a lost kick left behind.
    "notify-sweep": {
        "task": "hadir.notify.tasks.send_due",
        "schedule": float(os.environ.get("HADIR_NOTIFY_SWEEP_S", "60")),
    },
    "notify-reminders": {
        "task": "hadir.notify.tasks.send_reminders",
        "schedule": 60.0,
    },
    # Background checks of check-ins that a lost kick left unchecked (hadir.attendance.checks).
    "checkin-checks-sweep": {
        "task": "hadir.attendance.tasks.checkin_checks_sweep",
        "schedule": 300.0,
    },
    "devices-silence": {
        "task": "hadir.devices.tasks.check_silent_machines",
        "schedule": float(os.environ.get("HADIR_MACHINE_SILENCE_CHECK_S", "300")),
    },
    # Templates and encodings of employees who left are deleted (UU PDP; docs/biometrics.md).
    "biometrics-erase-departed": {
        "task": "hadir.biometrics.tasks.erase_departed",
        "schedule": float(os.environ.get("HADIR_BIOMETRIC_PURGE_S", "3600")),
    },
    # The atasan's monthly verification (hadir/verification): reminders, then the deadline rule.
    "verification-daily": {
        "task": "hadir.verification.tasks.verification_daily",
        "schedule": crontab(minute=5, hour=int(os.environ.get("HADIR_VERIFICATION_HOUR_UTC", "0"))),
    },
    "devices-pull": {
        "task": "hadir.devices.tasks.pull_due_machines",
        "schedule": float(os.environ.get("HADIR_PULL_TICK_S", "60")),
    },
}
