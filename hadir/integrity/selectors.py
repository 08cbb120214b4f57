"""Scoped reads for the atasan's review queue (issue 5) and the BKPSDM's fraud review: a
check-in's evidence (frames as URLs, the map point, the reasons and the risk), deny by default.

Who may see a check-in's evidence: the employee's atasan and verifikator (the queue), and the
BKPSDM admin and Inspektorat of the region (fraud review, audit). Not the operator, not the
payroll roles: biometric data is shown to those who must judge it only.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.db.models import Q, QuerySet
from django.urls import reverse

from hadir.attendance.models import CheckIn
from hadir.biometrics.models import FaceCheck
from hadir.org.choices import Role
from hadir.org.models import Employee, RoleAssignment
from hadir.verification.scopes import employees_to_verify

EVIDENCE_ROLES = (Role.BKPSDM_ADMIN, Role.INSPEKTORAT)


def employees_for_evidence(user: Any) -> QuerySet[Employee]:
    if not getattr(user, "is_authenticated", False):
        return Employee.objects.none()
    if user.is_superuser:
        return Employee.objects.all()
    q = Q(pk__in=employees_to_verify(user).values("pk"))
    for region_id, unit_path in RoleAssignment.objects.filter(
        user=user, role__in=EVIDENCE_ROLES
    ).values_list("region_id", "unit__path"):
        if unit_path is None:
            q |= Q(region_id=region_id)
        else:
            q |= Q(region_id=region_id, unit__path__startswith=unit_path)
    return Employee.objects.filter(q)


def checkins_for_evidence(user: Any) -> QuerySet[CheckIn]:
    return CheckIn.objects.filter(employee__in=employees_for_evidence(user))


@dataclass(frozen=True)
class Evidence:
    checkin_id: int
    employee: str
    at: Any
    checkpoint: str
    status: str
    review_status: str
    point: dict[str, Any] | None  # {"latitude", "longitude", "accuracy_m", "site", "distance_m"}
    risk_score: float | None
    risk_reasons: list[dict[str, Any]]  # [{"code", "weight", "detail"}]
    checkin_reasons: list[dict[str, Any]]  # [{"code", "detail"}] from the check-in itself
    face: dict[str, Any] | None
    frame_urls: list[str] = field(default_factory=list)


def checkin_evidence(*, user: Any, checkin_id: int) -> Evidence | None:
    """What the reviewer sees of one check-in; None when it is unknown or out of scope.

    The frames are URLs of a view that checks the same scope and logs each read."""
    checkin = checkins_for_evidence(user).select_related("employee").filter(pk=checkin_id).first()
    if checkin is None:
        return None
    indexes = list(checkin.frames.order_by("index").values_list("index", flat=True))
    check = FaceCheck.objects.filter(checkin=checkin).first()
    face = None
    if check is not None:
        face = {
            "status": check.status,
            "distance": check.distance,
            "matched": check.matched,
            "liveness_passed": check.liveness_passed,
            "liveness_code": check.liveness_code,
            "reused_from": check.reused_from_id,
            "shared_with": check.shared_with_id,
        }
    point = None
    if checkin.latitude is not None and checkin.longitude is not None:
        point = {
            "latitude": checkin.latitude,
            "longitude": checkin.longitude,
            "accuracy_m": checkin.accuracy_m,
            "site": checkin.site,
            "distance_m": checkin.distance_m,
        }
    return Evidence(
        checkin_id=checkin.pk,
        employee=checkin.employee.name,
        at=checkin.at,
        checkpoint=checkin.checkpoint,
        status=checkin.status,
        review_status=checkin.review_status,
        point=point,
        risk_score=checkin.risk_score,
        risk_reasons=list(checkin.risk_reasons or []),
        checkin_reasons=list(checkin.reasons or []),
        face=face,
        frame_urls=[
            reverse("biometrics:frame", kwargs={"checkin_id": checkin.pk, "index": i})
            for i in indexes
        ],
    )


def flagged_checkins(user: Any) -> QuerySet[CheckIn]:
    """Records a BKPSDM admin may open a fraud case from: those with risk reasons, in the
    atasan's queue, or rejected by the atasan, in the admin's regions; riskiest first."""
    from hadir.attendance.choices import CheckInStatus, ReviewStatus
    from hadir.integrity.cases import admin_region_ids

    flagged = (
        Q(risk_score__gt=0)
        | Q(status=CheckInStatus.PENDING_REVIEW)
        | Q(review_status=ReviewStatus.REJECTED)
    )
    return (
        CheckIn.objects.filter(employee__region_id__in=admin_region_ids(user))
        .filter(flagged)
        .select_related("employee")
        .order_by("-risk_score", "-at")
    )
