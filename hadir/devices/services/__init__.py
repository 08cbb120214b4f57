"""Writes of the devices app: machines and alerts, attendance uploads, the command queue.

The ADMS views, the pull task and the admin call these; each takes domain values.
"""

from hadir.core.errors import DomainError
from hadir.devices.services.commands import (
    machine_approve,
    machine_commands_fetch,
    machine_delete_leavers,
    machine_push_users,
    machine_query_logs,
    machine_reboot,
    machine_results_record,
)
from hadir.devices.services.ingest import (
    IngestResult,
    attlog_ingest,
    cdata_upload,
    reject_request,
    unknown_pins_claim,
)
from hadir.devices.services.machines import (
    MachineRefused,
    machine_contact,
    machine_options,
    machine_silence_alerts,
    machine_zone,
)
from hadir.devices.services.phones import (
    device_approve,
    device_revoke,
    employee_tokens_revoke,
)

__all__ = [
    "DomainError",
    "IngestResult",
    "MachineRefused",
    "attlog_ingest",
    "cdata_upload",
    "device_approve",
    "device_revoke",
    "employee_tokens_revoke",
    "machine_approve",
    "machine_commands_fetch",
    "machine_contact",
    "machine_delete_leavers",
    "machine_options",
    "machine_push_users",
    "machine_query_logs",
    "machine_reboot",
    "machine_results_record",
    "machine_silence_alerts",
    "machine_zone",
    "reject_request",
    "unknown_pins_claim",
]
