"""Writing and checking the audit chain."""

from __future__ import annotations

import hashlib
import json
from typing import Any

from django.core.serializers.json import DjangoJSONEncoder
from django.db import transaction

from hadir.audit.models import AuditEntry

GENESIS = "0" * 64


def _digest(
    prev_hash: str, actor: str, action: str, object_type: str, object_id: str, data: dict[str, Any]
) -> str:
    body = json.dumps(
        [prev_hash, actor, action, object_type, object_id, data],
        sort_keys=True,
        cls=DjangoJSONEncoder,
        separators=(",", ":"),
    )
    return hashlib.sha256(body.encode()).hexdigest()


def audit_record(
    *,
    actor: str,
    action: str,
    object_type: str = "",
    object_id: str = "",
    data: dict[str, Any] | None = None,
) -> AuditEntry:
    """Append one entry, chained to the previous one. Call inside the changing transaction."""
    payload = json.loads(json.dumps(data or {}, cls=DjangoJSONEncoder))
    with transaction.atomic():
        last = AuditEntry.objects.select_for_update().order_by("-id").first()
        prev_hash = last.hash if last else GENESIS
        return AuditEntry.objects.create(
            actor=actor,
            action=action,
            object_type=object_type,
            object_id=str(object_id),
            data=payload,
            prev_hash=prev_hash,
            hash=_digest(prev_hash, actor, action, object_type, str(object_id), payload),
        )


def audit_verify_chain() -> list[int]:
    """Ids of entries whose hash or link does not match: empty when the chain is intact."""
    broken: list[int] = []
    prev_hash = GENESIS
    for entry in AuditEntry.objects.order_by("id").iterator():
        expected = _digest(
            prev_hash, entry.actor, entry.action, entry.object_type, entry.object_id, entry.data
        )
        if entry.prev_hash != prev_hash or entry.hash != expected:
            broken.append(entry.id)
        prev_hash = entry.hash
    return broken
