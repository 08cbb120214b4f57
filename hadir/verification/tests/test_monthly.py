"""The monthly report: submitted once every record is decided, late on or after the due day,
reminders before the deadline, and after it the rule set's treatment of what is unverified
(default: rejected for TPP) with the atasan flagged."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
import time_machine

from hadir.attendance.choices import ReviewStatus
from hadir.core.errors import DomainError
from hadir.notify.models import Outbox
from hadir.tpp.models import RuleSetVersion
from hadir.verification.models import AtasanFlag, MonthlyVerification
from hadir.verification.services import (
    checkin_verify,
    month_submit,
    verification_deadline,
    verification_remind,
)

pytestmark = pytest.mark.django_db
MARCH = date(2026, 3, 1)
AT = datetime(2026, 3, 2, 23, 20, tzinfo=UTC)


def test_it_takes_the_report_when_all_is_decided_and_marks_it_late(staff, checkin) -> None:  # type: ignore[no-untyped-def]
    record = checkin("ani", AT)
    with time_machine.travel(datetime(2026, 3, 20, 2, tzinfo=UTC), tick=False):
        with pytest.raises(DomainError) as exc:
            month_submit(employee=staff["ani"], month=MARCH, by=staff["budi_user"])
        assert exc.value.code == "month_not_over"
    with time_machine.travel(datetime(2026, 4, 5, 2, tzinfo=UTC), tick=False):
        with pytest.raises(DomainError) as exc:
            month_submit(employee=staff["ani"], month=MARCH, by=staff["budi_user"])
        assert exc.value.code == "unverified_left"
        checkin_verify(checkin=record, by=staff["budi_user"], approve=True)
        report = month_submit(employee=staff["ani"], month=MARCH, by=staff["budi_user"])
    assert (report.late, report.approved, report.rejected) == (False, 1, 0)
    assert report.due == date(2026, 4, 10) and report.atasan == staff["budi"]
    with time_machine.travel(datetime(2026, 4, 10, 0, 30, tzinfo=UTC), tick=False):
        late = month_submit(employee=staff["citra"], month=MARCH, by=staff["budi_user"])
    assert late.late  # 08:30 WITA on the 10th: not before the 10th
    with pytest.raises(DomainError) as exc:
        month_submit(employee=staff["dedi"], month=MARCH, by=staff["budi_user"])
    assert exc.value.code == "forbidden"


def test_it_reminds_atasan_with_reports_missing_on_the_rule_set_days(staff) -> None:  # type: ignore[no-untyped-def]
    region = staff["region"]
    assert verification_remind(region=region, today=date(2026, 4, 6)) == 0
    assert verification_remind(region=region, today=date(2026, 4, 7)) > 0
    messages = Outbox.objects.filter(template="hadir_verifikasi_pengingat")
    assert {m.recipient for m in messages} == {staff["budi"]}
    assert "2 bawahan" in messages[0].body and "2026-04-10" in messages[0].body
    count = messages.count()
    assert verification_remind(region=region, today=date(2026, 4, 7)) == 0  # idempotent
    assert Outbox.objects.filter(template="hadir_verifikasi_pengingat").count() == count
    MonthlyVerification.objects.create(
        employee=staff["ani"], month=MARCH, submitted_at=AT, due=date(2026, 4, 10)
    )
    MonthlyVerification.objects.create(
        employee=staff["citra"], month=MARCH, submitted_at=AT, due=date(2026, 4, 10)
    )
    assert verification_remind(region=region, today=date(2026, 4, 9)) == 0


def test_after_the_deadline_unverified_records_are_rejected_and_the_atasan_flagged(
    staff, checkin
) -> None:  # type: ignore[no-untyped-def]
    left = checkin("ani", AT)
    done = checkin("citra", AT)
    checkin_verify(checkin=done, by=staff["budi_user"], approve=True)
    assert verification_deadline(region=staff["region"], today=date(2026, 4, 9)) == (0, 0)
    assert verification_deadline(region=staff["region"], today=date(2026, 4, 10)) == (1, 1)
    left.refresh_from_db()
    assert left.review_status == ReviewStatus.REJECTED and left.reviewed_by is None
    assert "batas waktu" in left.review_reason
    flag = AtasanFlag.objects.get()
    assert (flag.atasan, flag.employee, flag.unverified) == (staff["budi"], staff["ani"], 1)
    assert verification_deadline(region=staff["region"], today=date(2026, 4, 11)) == (0, 0)


def test_a_region_may_keep_unverified_records(staff, checkin) -> None:  # type: ignore[no-untyped-def]
    version = RuleSetVersion.objects.get(region=staff["region"])
    version.source += '\n[verification]\nunverified_after_deadline = "kept"\nflag_atasan = false\n'
    version.checksum = "kept"
    version.save()
    left = checkin("ani", AT)
    assert verification_deadline(region=staff["region"], today=date(2026, 4, 10)) == (1, 0)
    left.refresh_from_db()
    assert left.review_status == ReviewStatus.UNREVIEWED
    assert not AtasanFlag.objects.exists()


def test_the_daily_task_reminds_and_applies_the_deadline_on_the_local_date(staff, checkin) -> None:  # type: ignore[no-untyped-def]
    from hadir.verification.tasks import verification_daily

    left = checkin("ani", AT)
    # 23:30 UTC on 9 April is 07:30 on the 10th in WITA: the deadline has passed there.
    with time_machine.travel(datetime(2026, 4, 9, 23, 30, tzinfo=UTC), tick=False):
        assert verification_daily() == {"6408": [0, 1, 1]}
    left.refresh_from_db()
    assert left.review_status == ReviewStatus.REJECTED
    with time_machine.travel(datetime(2026, 5, 7, 1, 0, tzinfo=UTC), tick=False):
        result = verification_daily()
    assert result["6408"][0] > 0  # three days before 10 May: reminders for April
