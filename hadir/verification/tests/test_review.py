"""The queue's decisions: one by one with a reason to reject, in bulk for low-risk records
only, through the check-in review service (audited, day re-resolved); strangers refused."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from hadir.attendance.choices import ReviewStatus
from hadir.attendance.models import StaleRange
from hadir.audit.models import AuditEntry
from hadir.core.errors import DomainError
from hadir.verification.services import checkin_verify, checkins_bulk_approve

pytestmark = pytest.mark.django_db
AT = datetime(2026, 3, 2, 23, 20, tzinfo=UTC)  # 07:20 WITA on 3 March


def test_it_approves_and_rejects_with_a_reason(staff, checkin) -> None:  # type: ignore[no-untyped-def]
    record = checkin("ani", AT)
    with pytest.raises(DomainError, match="Alasan penolakan"):
        checkin_verify(checkin=record, by=staff["budi_user"], approve=False)
    StaleRange.objects.all().delete()
    checkin_verify(checkin=record, by=staff["budi_user"], approve=False, reason="Bukan wajahnya")
    record.refresh_from_db()
    assert record.review_status == ReviewStatus.REJECTED
    assert record.review_reason == "Bukan wajahnya" and record.reviewed_by == staff["budi_user"]
    assert StaleRange.objects.filter(employee=staff["ani"]).exists()
    assert AuditEntry.objects.filter(action="checkin.review").count() == 1


def test_it_refuses_a_stranger(staff, checkin) -> None:  # type: ignore[no-untyped-def]
    record = checkin("ani", AT)
    for name in ("dedi_user", "citra_user", "eka_user", "fajar_user"):
        with pytest.raises(DomainError) as exc:
            checkin_verify(checkin=record, by=staff[name], approve=True)
        assert exc.value.code == "forbidden"
    record.refresh_from_db()
    assert record.review_status == ReviewStatus.UNREVIEWED


def test_bulk_approval_takes_low_risk_records_only(staff, checkin) -> None:  # type: ignore[no-untyped-def]
    low = checkin("ani", AT, risk=0.1)
    edge = checkin("citra", AT, risk=0.3)
    risky = checkin("ani", AT.replace(hour=8), risk=0.8)
    unchecked = checkin("citra", AT.replace(hour=9), risk=None)
    pending = checkin("ani", AT.replace(hour=10), risk=0.05, status="pending_review")
    stranger = checkin("dedi", AT, risk=0.0)
    ids = [r.pk for r in (low, edge, risky, unchecked, pending, stranger)]
    approved, skipped = checkins_bulk_approve(ids=ids, by=staff["budi_user"])
    assert (approved, skipped) == (2, 4)
    for record, status in (
        (low, ReviewStatus.APPROVED),
        (edge, ReviewStatus.APPROVED),
        (risky, ReviewStatus.UNREVIEWED),
        (unchecked, ReviewStatus.UNREVIEWED),
        (pending, ReviewStatus.UNREVIEWED),
        (stranger, ReviewStatus.UNREVIEWED),
    ):
        record.refresh_from_db()
        assert record.review_status == status
