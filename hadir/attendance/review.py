"""The atasan's decision on a check-in (called from the verification queue, issue 5)."""

from __future__ import annotations

from datetime import timedelta

from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction
from django.utils import timezone

from hadir.attendance.choices import ReviewStatus
from hadir.attendance.models import CheckIn
from hadir.attendance.services import stale_mark
from hadir.audit.services import audit_record
from hadir.core.errors import DomainError


class ReviewReasonRequired(DomainError):
    code = "review_reason_required"


def checkin_review_set(
    *, checkin: CheckIn, status: str, by: AbstractBaseUser | None, reason: str = ""
) -> CheckIn:
    """Approve or reject a check-in (or put it back to unreviewed), audited. The employee's
    days around the record are marked stale: day resolution ignores the events of rejected
    check-ins, so a change either way can change the day."""
    status = ReviewStatus(status)
    reason = reason.strip()
    if status == ReviewStatus.REJECTED and not reason:
        raise ReviewReasonRequired("Alasan penolakan wajib diisi.")
    with transaction.atomic():
        locked = CheckIn.objects.select_for_update().select_related("employee").get(pk=checkin.pk)
        before = locked.review_status
        locked.review_status = status
        locked.reviewed_by = by if status != ReviewStatus.UNREVIEWED else None  # type: ignore[assignment]
        locked.reviewed_at = timezone.now() if status != ReviewStatus.UNREVIEWED else None
        locked.review_reason = reason
        locked.save(update_fields=["review_status", "reviewed_by", "reviewed_at", "review_reason"])
        audit_record(
            actor=by.get_username() if by is not None else "system",
            action="checkin.review",
            object_type="attendance.CheckIn",
            object_id=str(locked.pk),
            data={"from": before, "to": str(status), "reason": reason},
        )
        if before != status and locked.event_id is not None:
            day = locked.at.date()
            stale_mark(
                region=locked.employee.region,
                start=day - timedelta(days=1),
                end=day + timedelta(days=1),
                employee_ids=[locked.employee_id],
            )
    checkin.refresh_from_db()
    return checkin
