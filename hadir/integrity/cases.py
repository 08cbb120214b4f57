"""Fraud cases: the BKPSDM admin opens one from flagged check-ins of one employee and decides it.

A proven case records a `tpp.ManipulationFinding` for every month of its records, for the
employee and for each verifier who approved one of them (RULEBOOK.md section 4: TPP 0% for
both). The monthly recap zeroes the TPP of a finding's month when the rule set's
`manipulation_zero` is true; with it false the finding is kept and shown, and TPP is unchanged.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Any
from zoneinfo import ZoneInfo

from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone

from hadir.attendance.checkin import employee_zone
from hadir.attendance.choices import CheckInStatus, ReviewStatus
from hadir.attendance.models import CheckIn
from hadir.audit.services import audit_record
from hadir.core.errors import DomainError
from hadir.integrity.choices import CaseStatus
from hadir.integrity.models import FraudCase
from hadir.org.choices import Role
from hadir.org.models import Employee, RoleAssignment
from hadir.tpp.models import ManipulationFinding


class CaseError(DomainError):
    code = "fraud_case_invalid"


class CaseForbidden(DomainError):
    code = "forbidden"


def admin_region_ids(user: Any) -> set[int]:
    """Regions where the user is a BKPSDM admin (all regions for a superuser)."""
    if not getattr(user, "is_authenticated", False):
        return set()
    if user.is_superuser:
        from hadir.org.models import Region

        return set(Region.objects.values_list("id", flat=True))
    return set(
        RoleAssignment.objects.filter(
            user=user, role=Role.BKPSDM_ADMIN, unit__isnull=True
        ).values_list("region_id", flat=True)
    )


def cases_for_user(user: Any) -> QuerySet[FraudCase]:
    return FraudCase.objects.filter(region_id__in=admin_region_ids(user))


def is_flagged(checkin: CheckIn) -> bool:
    """A record someone or something found doubtful: risk reasons, the review queue, or a
    rejection by the atasan."""
    return bool(
        checkin.risk_reasons
        or checkin.status == CheckInStatus.PENDING_REVIEW
        or checkin.review_status == ReviewStatus.REJECTED
    )


def case_open(*, checkins: Sequence[CheckIn], by: Any, summary: str) -> FraudCase:
    summary = summary.strip()
    if not summary:
        raise CaseError("Ringkasan kasus wajib diisi.")
    if not checkins:
        raise CaseError("Pilih minimal satu check-in yang ditandai.")
    employees = {c.employee_id for c in checkins}
    if len(employees) != 1:
        raise CaseError("Satu kasus hanya untuk check-in satu pegawai.")
    employee = Employee.objects.select_related("region").get(pk=employees.pop())
    if employee.region_id not in admin_region_ids(by):
        raise CaseForbidden("Hanya admin BKPSDM wilayah ini yang dapat membuka kasus.")
    unflagged = [c.pk for c in checkins if not is_flagged(c)]
    if unflagged:
        raise CaseError(
            "Check-in berikut tidak ditandai sehingga tidak dapat dijadikan kasus: "
            + ", ".join(f"#{pk}" for pk in unflagged)
        )
    with transaction.atomic():
        case = FraudCase.objects.create(
            region=employee.region,
            employee=employee,
            summary=summary,
            opened_by=by,
            opened_at=timezone.now(),
        )
        case.checkins.set(checkins)
        audit_record(
            actor=by.get_username(),
            action="integrity.case_open",
            object_type="integrity.FraudCase",
            object_id=str(case.pk),
            data={"employee": employee.key, "checkins": sorted(c.pk for c in checkins)},
        )
    return case


def _month_of(checkin: CheckIn, zone: ZoneInfo) -> date:
    return timezone.localtime(checkin.at, zone).date().replace(day=1)


def case_decide(*, case: FraudCase, by: Any, proven: bool, decision: str) -> FraudCase:
    decision = decision.strip()
    if not decision:
        raise CaseError("Isi keputusan (dasar dan pertimbangan) wajib diisi.")
    if case.region_id not in admin_region_ids(by):
        raise CaseForbidden("Hanya admin BKPSDM wilayah ini yang dapat memutus kasus.")
    with transaction.atomic():
        locked = (
            FraudCase.objects.select_for_update(of=("self",))
            .select_related("region", "employee__unit", "employee__region")
            .get(pk=case.pk)
        )
        if locked.status != CaseStatus.OPEN:
            raise CaseError("Kasus ini sudah diputus.", code="fraud_case_decided")
        locked.status = CaseStatus.PROVEN if proven else CaseStatus.DISMISSED
        locked.decision = decision
        locked.decided_by = by
        locked.decided_at = timezone.now()
        locked.save(update_fields=["status", "decision", "decided_by", "decided_at"])
        findings: list[ManipulationFinding] = []
        if proven:
            findings = _findings_write(locked, by=by)
            locked.findings.add(*findings)
        audit_record(
            actor=by.get_username(),
            action="integrity.case_decide",
            object_type="integrity.FraudCase",
            object_id=str(locked.pk),
            data={
                "status": locked.status,
                "decision": decision,
                "findings": [(f.employee_id, f.month.isoformat()) for f in findings],
            },
        )
    case.refresh_from_db()
    return case


def _findings_write(case: FraudCase, *, by: Any) -> list[ManipulationFinding]:
    """One finding per (person, month): the employee for every month of the case's records,
    and the verifier who approved a record for that record's month."""
    zone = employee_zone(case.employee)
    wanted: dict[tuple[int, date], str] = {}
    for checkin in case.checkins.select_related("reviewed_by"):
        month = _month_of(checkin, zone)
        wanted.setdefault(
            (case.employee_id, month), f"Kasus kecurangan #{case.pk}: manipulasi terbukti."
        )
        if checkin.review_status == ReviewStatus.APPROVED and checkin.reviewed_by_id:
            verifier = Employee.objects.filter(user_id=checkin.reviewed_by_id).first()
            if verifier is not None:
                wanted.setdefault(
                    (verifier.pk, month),
                    f"Kasus kecurangan #{case.pk}: menyetujui check-in #{checkin.pk} "
                    "yang terbukti dimanipulasi.",
                )
    out: list[ManipulationFinding] = []
    for (employee_id, month), reason in sorted(wanted.items()):
        finding, _ = ManipulationFinding.objects.get_or_create(
            employee_id=employee_id,
            month=month,
            defaults={"reason": reason, "decided_by": by},
        )
        out.append(finding)
    return out
