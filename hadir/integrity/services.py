"""The risk assessment of a check-in: gather the facts, run the pure signals, write the score,
and send a high-risk record to the atasan's queue (status `pending_review`)."""

from __future__ import annotations

from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from hadir.attendance.checkin import employee_zone
from hadir.attendance.choices import CheckInStatus, ReviewStatus
from hadir.attendance.models import CheckIn
from hadir.audit.services import audit_record
from hadir.biometrics.models import FaceCheck
from hadir.core.errors import DomainError
from hadir.devices.choices import DeviceStatus
from hadir.devices.models import EmployeeDevice
from hadir.integrity.rules import (
    REPEAT_DECIMALS,
    CheckInFacts,
    FaceFacts,
    Point,
    decimals,
    needs_review,
    risk_score,
    signals_of,
)
from hadir.tpp.ruleset.biometrics import DEFAULT_INTEGRITY, IntegrityRules
from hadir.tpp.selectors import RuleBook

ACTOR = "system:integritas"
LOOKBACK_DAYS = 90


def integrity_rules(checkin: CheckIn) -> IntegrityRules:
    book = RuleBook(checkin.employee.region)
    zone = employee_zone(checkin.employee)
    try:
        return book.in_force(timezone.localtime(checkin.at, zone).date()).rules.integrity
    except DomainError:  # no rule set (yet) on that day: the defaults
        return DEFAULT_INTEGRITY


def _face_facts(checkin: CheckIn) -> FaceFacts | None:
    check = FaceCheck.objects.filter(checkin=checkin).first()
    if check is None:
        return None
    return FaceFacts(
        status=check.status,
        matched=check.matched,
        distance=check.distance,
        liveness_passed=check.liveness_passed,
        liveness_code=check.liveness_code,
        reused=check.reused_from_id is not None,
        shared=check.shared_with_id is not None,
    )


def checkin_facts(checkin: CheckIn) -> CheckInFacts:
    """Everything the signals need about a check-in, in a handful of queries."""
    employee_checkins = CheckIn.objects.filter(employee_id=checkin.employee_id).exclude(
        pk=checkin.pk
    )
    previous = None
    if checkin.latitude is not None and checkin.longitude is not None:
        prev = (
            employee_checkins.filter(at__lte=checkin.at, latitude__isnull=False)
            .order_by("-at", "-id")
            .values_list("latitude", "longitude", "at")
            .first()
        )
        if prev is not None:
            previous = Point(prev[0], prev[1], prev[2])
    repeated = 0
    if (
        checkin.latitude is not None
        and checkin.longitude is not None
        and min(decimals(checkin.latitude), decimals(checkin.longitude)) >= REPEAT_DECIMALS
    ):
        zone = employee_zone(checkin.employee)
        today = timezone.localtime(checkin.at, zone).date()
        stamps = employee_checkins.filter(
            latitude=checkin.latitude,
            longitude=checkin.longitude,
            at__gte=checkin.at - timedelta(days=LOOKBACK_DAYS),
        ).values_list("at", flat=True)
        repeated = len({timezone.localtime(at, zone).date() for at in stamps} - {today})
    device = checkin.device
    sharing = (
        EmployeeDevice.objects.filter(thumbprint=device.thumbprint)
        .values("employee_id")
        .distinct()
        .count()
    )
    others = (
        EmployeeDevice.objects.filter(
            employee_id=checkin.employee_id, created_at__lt=device.created_at
        )
        .exclude(pk=device.pk)
        .count()
    )
    age = (checkin.at - device.created_at).total_seconds() / 86400 if device.created_at else None
    return CheckInFacts(
        at=checkin.at,
        latitude=checkin.latitude,
        longitude=checkin.longitude,
        accuracy_m=checkin.accuracy_m,
        mock_location=checkin.mock_location,
        face=_face_facts(checkin),
        previous=previous,
        repeated_days=repeated,
        device_employees=max(sharing, 2 if device.shared else 1),
        device_active=device.status == DeviceStatus.ACTIVE,
        device_age_days=age,
        other_devices=others,
        reasons=tuple(str(r.get("code", "")) for r in checkin.reasons or [] if isinstance(r, dict)),
    )


def checkin_assess(checkin: CheckIn) -> CheckIn:
    """Score a check-in; a score at or above the threshold sends an accepted record to review.

    Safe to run twice. A record the atasan already decided keeps its status."""
    rules = integrity_rules(checkin)
    signals = signals_of(checkin_facts(checkin), rules)
    score = risk_score(signals)
    with transaction.atomic():
        locked = CheckIn.objects.select_for_update().get(pk=checkin.pk)
        locked.risk_score = score
        locked.risk_reasons = [s.as_json() for s in signals]
        fields = ["risk_score", "risk_reasons"]
        flagged = (
            needs_review(score, rules)
            and locked.status == CheckInStatus.ACCEPTED
            and locked.review_status == ReviewStatus.UNREVIEWED
        )
        if flagged:
            locked.status = CheckInStatus.PENDING_REVIEW
            fields.append("status")
        locked.save(update_fields=fields)
        if flagged:
            audit_record(
                actor=ACTOR,
                action="integrity.flag",
                object_type="attendance.CheckIn",
                object_id=str(locked.pk),
                data={"score": score, "signals": [s.code for s in signals]},
            )
    checkin.refresh_from_db()
    return checkin
