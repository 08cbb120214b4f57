"""Messages about machines, queued in the notification outbox inside the caller's transaction."""

from __future__ import annotations

from hadir.devices.models import FingerprintMachine, MachineAlert
from hadir.notify.services import outbox_enqueue
from hadir.org.choices import Role
from hadir.org.selectors import unit_role_holders


def notify_machine_silent(alert: MachineAlert, machine: FingerprintMachine) -> int:
    """Tell the operators of the machine's unit (nearest scope) that it stopped reporting.

    Keyed by the alert, so a re-run never sends twice; a unit with no operator who has an
    employee record gets nothing here (the open alert stays on the admin's machine list).
    """
    if machine.unit is None:
        return 0
    from hadir.devices.services.machines import machine_zone

    zone = machine_zone(machine)
    since = machine.last_contact_at or alert.created_at
    hours = (alert.created_at - since).total_seconds() / 3600
    sent = 0
    for operator in unit_role_holders(machine.unit, Role.OPERATOR):
        sent += outbox_enqueue(
            key=f"machine-silent:{alert.id}:{operator.id}",
            template="hadir_mesin_senyap",
            recipient=operator,
            context={
                "name": operator.name,
                "machine": machine.name or machine.serial,
                "serial": machine.serial,
                "unit": machine.unit.name,
                "since": since.astimezone(zone).strftime("%d-%m-%Y %H:%M"),
                "hours": f"{hours:.1f}",
            },
            about=alert,
        )
    return sent
