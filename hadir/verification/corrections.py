"""Corrections: the operator adds a missing record with a reason and evidence; the atasan
approves it, and only then is it written as a new AttendanceEvent (source operator) carrying
the reason. Raw events are never edited; the audit log names who asked and who decided."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone

from hadir.attendance.choices import EventSource
from hadir.attendance.models import AttendanceEvent
from hadir.attendance.services import stale_mark
from hadir.audit.services import audit_record
from hadir.core.errors import DomainError
from hadir.org.models import Employee
from hadir.tpp.selectors import RuleBook
from hadir.verification.choices import CorrectionStatus
from hadir.verification.models import Correction
from hadir.verification.scopes import employees_for_operator, employees_to_verify

EVIDENCE_TYPES = (".pdf", ".jpg", ".jpeg", ".png")
MAX_EVIDENCE_BYTES = 5 * 1024 * 1024


class CorrectionRefused(DomainError):
    code = "correction_refused"


def _audit(correction: Correction, action: str, user: Any) -> None:
    audit_record(
        actor=user.get_username(),
        action=action,
        object_type="Correction",
        object_id=str(correction.pk),
        data={
            "employee": correction.employee.key,
            "at": correction.at,
            "checkpoint": correction.checkpoint,
            "reason": correction.reason,
            "status": correction.status,
            "decision_reason": correction.decision_reason,
            "event": correction.event_id,
        },
    )


def correction_request(
    *,
    operator: Any,
    employee: Employee,
    at: datetime,
    checkpoint: str,
    reason: str,
    evidence: UploadedFile | None,
) -> Correction:
    if not employees_for_operator(operator).filter(pk=employee.pk).exists():
        raise CorrectionRefused("Pegawai ini di luar unit Anda.", code="forbidden")
    if not reason.strip():
        raise CorrectionRefused("Alasan koreksi wajib diisi.", code="reason_required")
    if not evidence:
        raise CorrectionRefused("Bukti pendukung wajib dilampirkan.", code="evidence_required")
    name = (evidence.name or "").lower()
    if not name.endswith(EVIDENCE_TYPES) or (evidence.size or 0) > MAX_EVIDENCE_BYTES:
        raise CorrectionRefused("Bukti harus PDF, JPEG atau PNG, paling besar 5 MB.")
    if at > timezone.now():
        raise CorrectionRefused("Waktu koreksi tidak boleh di masa depan.", code="future")
    codes = RuleBook(employee.region).in_force(at.date()).rules.checkpoint_codes()
    if checkpoint not in codes:
        raise CorrectionRefused(f"Titik absen {checkpoint!r} tidak dikenal.", code="checkpoint")
    with transaction.atomic():
        correction = Correction.objects.create(
            employee=employee,
            at=at,
            checkpoint=checkpoint,
            reason=reason.strip(),
            evidence=evidence,
            requested_by=operator,
        )
        _audit(correction, "correction.request", operator)
    return correction


def correction_decide(
    *, correction: Correction, by: Any, approve: bool, reason: str = ""
) -> Correction:
    reason = reason.strip()
    with transaction.atomic():
        locked = (
            Correction.objects.select_for_update()
            .select_related("employee__region")
            .get(pk=correction.pk)
        )
        if not employees_to_verify(by).filter(pk=locked.employee_id).exists():
            raise CorrectionRefused("Anda bukan atasan pegawai ini.", code="forbidden")
        if locked.status != CorrectionStatus.PENDING:
            raise CorrectionRefused("Koreksi ini sudah diputuskan.", code="already_decided")
        if not approve and not reason:
            raise CorrectionRefused("Alasan penolakan wajib diisi.", code="reason_required")
        locked.status = CorrectionStatus.APPROVED if approve else CorrectionStatus.REJECTED
        locked.decided_by, locked.decided_at, locked.decision_reason = by, timezone.now(), reason
        if approve:
            locked.event = AttendanceEvent.objects.create(
                employee=locked.employee,
                at=locked.at,
                source=EventSource.OPERATOR,
                checkpoint=locked.checkpoint,
                dedupe_key=f"correction:{locked.pk}",
                created_by=locked.requested_by.get_username() if locked.requested_by else "",
                reason=f"{locked.reason} (disetujui {by.get_username()})",
            )
            day = locked.at.date()
            stale_mark(
                region=locked.employee.region,
                start=day - timedelta(days=1),
                end=day + timedelta(days=1),
                employee_ids=[locked.employee_id],
            )
        locked.save()
        _audit(locked, "correction.approve" if approve else "correction.reject", by)
    return locked
