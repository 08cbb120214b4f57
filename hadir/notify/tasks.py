"""The outbox sender. Kicked after each commit that queues messages, and swept by beat."""

from __future__ import annotations

from celery import shared_task

from hadir.notify.reminders import reminders_enqueue
from hadir.notify.services import outbox_send_due


@shared_task(name="hadir.notify.tasks.send_due")
def send_due() -> int:
    return outbox_send_due()


@shared_task(name="hadir.notify.tasks.send_reminders")
def send_reminders() -> int:
    return reminders_enqueue()
