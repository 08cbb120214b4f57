"""Background jobs of the devices app; each takes plain values and is safe to run twice."""

from __future__ import annotations

import logging

from celery import shared_task
from django.utils import timezone

from hadir.devices.models import FingerprintMachine
from hadir.devices.pull import machine_pull, machines_due
from hadir.devices.services import machine_silence_alerts

log = logging.getLogger(__name__)


@shared_task(name="hadir.devices.tasks.check_silent_machines")
def check_silent_machines() -> int:
    return len(machine_silence_alerts(timezone.now()))


@shared_task(name="hadir.devices.tasks.pull_due_machines")
def pull_due_machines() -> int:
    ids = machines_due(timezone.now())
    for mid in ids:
        pull_machine.delay(mid)
    return len(ids)


@shared_task(name="hadir.devices.tasks.pull_machine")
def pull_machine(machine_id: int) -> int:
    machine = (
        FingerprintMachine.objects.select_related("unit", "region").filter(id=machine_id).first()
    )
    if machine is None or not machine.approved or not machine.pull_host:
        return 0
    try:
        return machine_pull(machine=machine, now=timezone.now()).created
    except Exception as exc:  # recorded on the machine; the next tick tries again
        log.warning("pull of machine %s failed: %s", machine.serial, exc)
        return 0
