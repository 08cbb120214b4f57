"""The approval chain of absences: the employee's request goes to the atasan; the operator
enters official travel (approved by its SPT) and leave on behalf; every decision notifies the
employee through the outbox, and approved absences re-resolve the affected days.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone

from hadir.absences.choices import AbsenceChannel, AbsenceStatus, AbsenceType
from hadir.absences.models import Absence
from hadir.attendance.services import stale_mark
from hadir.audit.services import audit_record
from hadir.core.errors import DomainError
from hadir.notify.services import outbox_enqueue
from hadir.org.models import Employee
from hadir.org.services import employee_atasan
from hadir.verification.scopes import employees_for_operator, employees_to_verify

TRAVEL = frozenset({AbsenceType.DINAS_LUAR, AbsenceType.PERJALANAN_DINAS})
# Sick leave needs a doctor's note; a one-day `sakit` may be approved on the atasan's word.
LONGEST_SICK_WITHOUT_NOTE = 1
MAX_SPAN_DAYS = 366
DOCUMENT_TYPES = frozenset({".pdf", ".jpg", ".jpeg", ".png"})
MAX_DOCUMENT_BYTES = 5 * 1024 * 1024


class AbsenceRefused(DomainError):
    code = "absence_refused"


def needs_document(kind: str, start: date, end: date) -> bool:
    days = (end - start).days + 1
    return kind == AbsenceType.CUTI_SAKIT or (
        kind == AbsenceType.SAKIT and days > LONGEST_SICK_WITHOUT_NOTE
    )


def _check(employee: Employee, kind: str, start: date, end: date, document: Any) -> None:
    if kind not in AbsenceType.values:
        raise AbsenceRefused(
            f"Jenis ketidakhadiran {kind!r} tidak dikenal.", code="unknown_absence_type"
        )
    if end < start:
        raise AbsenceRefused("Tanggal selesai sebelum tanggal mulai.", code="bad_dates")
    if (end - start).days >= MAX_SPAN_DAYS:
        raise AbsenceRefused("Ketidakhadiran paling lama satu tahun.", code="bad_dates")
    if document:
        name = (getattr(document, "name", "") or "").lower()
        if not any(name.endswith(ext) for ext in DOCUMENT_TYPES):
            raise AbsenceRefused("Dokumen harus PDF, JPEG atau PNG.", code="bad_document")
        if getattr(document, "size", 0) > MAX_DOCUMENT_BYTES:
            raise AbsenceRefused("Dokumen lebih besar dari 5 MB.", code="bad_document")
    elif needs_document(kind, start, end):
        raise AbsenceRefused(
            "Cuti sakit wajib melampirkan surat keterangan dokter.", code="document_required"
        )
    overlap = Absence.objects.filter(
        employee=employee,
        status__in=[AbsenceStatus.PENDING, AbsenceStatus.APPROVED],
        start_date__lte=end,
        end_date__gte=start,
    ).first()
    if overlap is not None:
        raise AbsenceRefused(
            f"Bertumpang tindih dengan {overlap.get_type_display()} {overlap.start_date} s.d. "
            f"{overlap.end_date} ({overlap.get_status_display()}).",
            code="overlapping_absence",
        )


def _store(
    employee: Employee,
    kind: str,
    start: date,
    end: date,
    document: UploadedFile | None,
    **fields: Any,
) -> Absence:
    """Check and save a new absence, the employee's row locked so that two overlapping
    requests cannot both pass the overlap check (inside the caller's transaction)."""
    Employee.objects.select_for_update().filter(pk=employee.pk).first()
    _check(employee, kind, start, end, document)
    absence = Absence(employee=employee, type=kind, start_date=start, end_date=end, **fields)
    if document:
        absence.document = document
    absence.save()
    return absence


def _audit(absence: Absence, action: str, user: Any, fallback: str = "system") -> None:
    audit_record(
        actor=user.get_username() if user is not None else fallback,
        action=action,
        object_type="Absence",
        object_id=str(absence.pk),
        data={
            "employee": absence.employee.key,
            "type": absence.type,
            "start": absence.start_date,
            "end": absence.end_date,
            "status": absence.status,
            "reference": absence.reference,
            "reason": absence.decision_reason or absence.reason,
        },
    )


def _tell_atasan(absence: Absence) -> None:
    atasan = employee_atasan(absence.employee)
    if atasan is None:
        return
    outbox_enqueue(
        key=f"absence:{absence.pk}:request",
        template="hadir_cuti_masuk",
        recipient=atasan,
        context={
            "name": atasan.name,
            "employee": absence.employee.name,
            "type": absence.get_type_display(),
            "start": absence.start_date.isoformat(),
            "end": absence.end_date.isoformat(),
        },
        about=absence,
    )


def absence_request(
    *,
    employee: Employee,
    kind: str,
    start: date,
    end: date,
    reason: str,
    requested_by: Any,
    document: UploadedFile | None = None,
    channel: str = AbsenceChannel.APP,
    reference: str = "",
) -> Absence:
    """A request waiting for the atasan (from the employee's app, or the operator on behalf)."""
    if not reason.strip():
        raise AbsenceRefused("Alasan wajib diisi.", code="reason_required")
    with transaction.atomic():
        absence = _store(
            employee,
            kind,
            start,
            end,
            document,
            status=AbsenceStatus.PENDING,
            reason=reason.strip(),
            reference=reference.strip(),
            channel=channel,
            requested_by=requested_by,
        )
        _audit(absence, "absence.request", requested_by, fallback=f"pegawai:{employee.key}")
        _tell_atasan(absence)
    return absence


def absence_enter(
    *,
    operator: Any,
    employee: Employee,
    kind: str,
    start: date,
    end: date,
    reason: str,
    reference: str = "",
    document: UploadedFile | None = None,
) -> Absence:
    """The operator's entry: official travel with its SPT number is approved by the SPT itself
    (and re-resolves the days at once); leave on behalf goes to the atasan like a request."""
    if not employees_for_operator(operator).filter(pk=employee.pk).exists():
        raise AbsenceRefused("Pegawai ini di luar unit Anda.", code="forbidden")
    if kind not in TRAVEL:
        return absence_request(
            employee=employee,
            kind=kind,
            start=start,
            end=end,
            reason=reason,
            requested_by=operator,
            document=document,
            channel=AbsenceChannel.OPERATOR,
            reference=reference,
        )
    if not reference.strip():
        raise AbsenceRefused("Perjalanan dinas wajib mencantumkan nomor SPT.", code="spt_required")
    with transaction.atomic():
        absence = _store(
            employee,
            kind,
            start,
            end,
            document,
            status=AbsenceStatus.APPROVED,
            reason=reason.strip(),
            reference=reference.strip(),
            channel=AbsenceChannel.OPERATOR,
            requested_by=operator,
            decided_by=operator,
            decided_at=timezone.now(),
            decision_reason=f"SPT {reference.strip()}",
        )
        stale_mark(region=employee.region, start=start, end=end, employee_ids=[employee.id])
        _audit(absence, "absence.travel", operator)
        _notify_decision(absence)
    return absence


def _notify_decision(absence: Absence) -> None:
    approved = absence.status == AbsenceStatus.APPROVED
    outbox_enqueue(
        key=f"absence:{absence.pk}:{absence.status}",
        template="hadir_cuti_keputusan",
        recipient=absence.employee,
        context={
            "name": absence.employee.name,
            "type": absence.get_type_display(),
            "start": absence.start_date.isoformat(),
            "end": absence.end_date.isoformat(),
            "decision": "disetujui" if approved else "ditolak",
            "reason": absence.decision_reason,
        },
        about=absence,
    )


def absence_decide(*, absence: Absence, by: Any, approve: bool, reason: str = "") -> Absence:
    """The atasan (or verifikator) approves or rejects a pending request; a rejection needs a
    reason. Approval re-resolves the days; either way the employee is told."""
    reason = reason.strip()
    with transaction.atomic():
        locked = (
            Absence.objects.select_for_update()
            .select_related("employee__region")
            .get(pk=absence.pk)
        )
        if not employees_to_verify(by).filter(pk=locked.employee_id).exists():
            raise AbsenceRefused("Anda bukan atasan pegawai ini.", code="forbidden")
        if locked.status != AbsenceStatus.PENDING:
            raise AbsenceRefused(
                f"Permohonan ini sudah diputuskan ({locked.get_status_display()}).",
                code="already_decided",
            )
        if not approve and not reason:
            raise AbsenceRefused("Alasan penolakan wajib diisi.", code="reason_required")
        if (
            approve
            and not locked.document
            and needs_document(locked.type, locked.start_date, locked.end_date)
        ):
            raise AbsenceRefused(
                "Cuti sakit baru dapat disetujui setelah surat keterangan dokter dilampirkan.",
                code="document_required",
            )
        locked.status = AbsenceStatus.APPROVED if approve else AbsenceStatus.REJECTED
        locked.decided_by = by
        locked.decided_at = timezone.now()
        locked.decision_reason = reason
        locked.save()
        if approve:
            stale_mark(
                region=locked.employee.region,
                start=locked.start_date,
                end=locked.end_date,
                employee_ids=[locked.employee_id],
            )
        _audit(locked, "absence.approve" if approve else "absence.reject", by)
        _notify_decision(locked)
    return locked
