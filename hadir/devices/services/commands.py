"""The command queue of a machine, and approval."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta

from django.db import transaction

from hadir.audit.services import audit_record
from hadir.core.errors import DomainError
from hadir.devices import protocol
from hadir.devices.choices import CommandKind, CommandStatus
from hadir.devices.models import (
    FingerprintMachine,
    MachineCommand,
)
from hadir.devices.services.machines import machine_zone
from hadir.org.models import Employee, Unit
from hadir.org.selectors import unit_subtree

COMMANDS_PER_POLL = 20
RESEND_AFTER = timedelta(minutes=10)


# --- commands -----------------------------------------------------------------------------------


def machine_commands_fetch(*, machine: FingerprintMachine, now: datetime) -> list[tuple[int, str]]:
    """Claim the machine's queued commands (and those sent long ago without an answer)."""
    candidates = list(
        MachineCommand.objects.filter(machine=machine, status=CommandStatus.QUEUED)
        .order_by("id")
        .values_list("id", "text")[:COMMANDS_PER_POLL]
    )
    if len(candidates) < COMMANDS_PER_POLL:
        candidates += list(
            MachineCommand.objects.filter(
                machine=machine, status=CommandStatus.SENT, sent_at__lt=now - RESEND_AFTER
            )
            .order_by("id")
            .values_list("id", "text")[: COMMANDS_PER_POLL - len(candidates)]
        )
    claimed = []
    for cid, text in sorted(candidates):
        # A conditional update: two polls at once never hand out the same command.
        taken = MachineCommand.objects.filter(id=cid, status__in=[CommandStatus.QUEUED]).update(
            status=CommandStatus.SENT, sent_at=now
        ) or MachineCommand.objects.filter(
            id=cid, status=CommandStatus.SENT, sent_at__lt=now - RESEND_AFTER
        ).update(sent_at=now)
        if taken:
            claimed.append((cid, text))
    return claimed


def machine_results_record(
    *, machine: FingerprintMachine, results: Sequence[protocol.CommandResult], now: datetime
) -> int:
    """Record the machine's answers; a result for another machine's command is ignored."""
    done = 0
    for r in results:
        status = CommandStatus.DONE if r.return_code >= 0 else CommandStatus.FAILED
        done += MachineCommand.objects.filter(id=r.command_id, machine=machine).update(
            status=status,
            done_at=now,
            return_code=r.return_code,
            result=(f"CMD={r.cmd} {r.extra}").strip()[:600],
        )
    return done


def _queue(machine: FingerprintMachine, kind: CommandKind, texts: Sequence[str], actor: str) -> int:
    if not machine.approved:
        raise DomainError(f"machine {machine.serial} is not approved", code="machine_not_approved")
    with transaction.atomic():
        MachineCommand.objects.bulk_create(
            [MachineCommand(machine=machine, kind=kind, text=t, created_by=actor) for t in texts]
        )
        audit_record(
            actor=actor,
            action=f"machine.command.{kind}",
            object_type="devices.FingerprintMachine",
            object_id=str(machine.id),
            data={"serial": machine.serial, "count": len(texts), "first": texts[:1]},
        )
    return len(texts)


def _unit_employees(machine: FingerprintMachine) -> list[tuple[str, str, bool]]:
    if machine.unit is None:
        raise DomainError(f"machine {machine.serial} has no unit", code="machine_not_approved")
    units = unit_subtree(machine.unit).values("id")
    return list(
        Employee.objects.filter(unit__in=units)
        .exclude(pin="")
        .order_by("pin")
        .values_list("pin", "name", "active")
    )


def machine_push_users(*, machine: FingerprintMachine, actor: str) -> int:
    """Queue the unit's active employees (PIN, name) for the machine: one command each."""
    texts = [
        protocol.command_user_update(pin, name)
        for pin, name, active in _unit_employees(machine)
        if active
    ]
    return _queue(machine, CommandKind.USER_UPDATE, texts, actor) if texts else 0


def machine_delete_leavers(
    *, machine: FingerprintMachine, actor: str, pins: Sequence[str] = ()
) -> int:
    """Queue deletion of the unit's inactive employees and of any PINs given."""
    leavers = {pin for pin, _, active in _unit_employees(machine) if not active}
    leavers.update(p for p in pins if protocol.PIN.fullmatch(p))
    texts = [protocol.command_user_delete(pin) for pin in sorted(leavers)]
    return _queue(machine, CommandKind.USER_DELETE, texts, actor) if texts else 0


def machine_query_logs(
    *, machine: FingerprintMachine, start: datetime, end: datetime, actor: str
) -> int:
    """Ask the machine to send its logs again between two (aware) times, to recover a gap."""
    zone = machine_zone(machine)
    text = protocol.command_log_query(
        protocol.utc_to_local(start, zone), protocol.utc_to_local(end, zone)
    )
    return _queue(machine, CommandKind.LOG_QUERY, [text], actor)


def machine_reboot(*, machine: FingerprintMachine, actor: str) -> int:
    return _queue(machine, CommandKind.REBOOT, [protocol.COMMAND_REBOOT], actor)


def machine_approve(*, machine: FingerprintMachine, unit: Unit, actor: str) -> None:
    """Approve a registration request for a unit, and queue the unit's employees for it."""
    with transaction.atomic():
        machine.unit, machine.region, machine.approved = unit, unit.region, True
        machine.save(update_fields=["unit", "region", "approved"])
        audit_record(
            actor=actor,
            action="machine.approved",
            object_type="devices.FingerprintMachine",
            object_id=str(machine.id),
            data={"serial": machine.serial, "unit": unit.code},
        )
        machine_push_users(machine=machine, actor=actor)
