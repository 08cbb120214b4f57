"""The atasan's verification: review of check-ins one by one or in bulk (low risk only), the
monthly report per subordinate, reminders before the deadline and what happens after it.

Reviews go through hadir.attendance.review.checkin_review_set, which audits and marks the
day stale: this module decides who may review what, never how a review is stored.
"""

from __future__ import annotations

import logging
from collections import defaultdict
from collections.abc import Iterable
from datetime import date, datetime
from typing import Any
from zoneinfo import ZoneInfo

from django.db import transaction
from django.db.models import Count, Q
from django.utils import timezone

from hadir.attendance.choices import CheckInStatus, ReviewStatus
from hadir.attendance.models import CheckIn
from hadir.attendance.review import checkin_review_set
from hadir.audit.services import audit_record
from hadir.core.errors import DomainError
from hadir.notify.services import outbox_enqueue
from hadir.org.models import Employee, Region
from hadir.tpp.ruleset.verification import VerificationRules
from hadir.tpp.selectors import RuleBook
from hadir.verification.models import AtasanFlag, MonthlyVerification
from hadir.verification.rules import due_date, is_late, next_month, previous_month, reminder_due
from hadir.verification.scopes import atasan_map, employees_to_verify

log = logging.getLogger(__name__)
DEADLINE_REASON = "Tidak diverifikasi atasan sebelum batas waktu."


class VerificationRefused(DomainError):
    code = "verification_refused"


def verification_rules(region: Region, month: date) -> VerificationRules:
    return RuleBook(region).in_force(month).rules.verification


def month_range_utc(month: date, zone: ZoneInfo) -> tuple[datetime, datetime]:
    start = datetime.combine(month, datetime.min.time(), tzinfo=zone)
    end = datetime.combine(next_month(month), datetime.min.time(), tzinfo=zone)
    return start, end


def checkin_verify(*, checkin: CheckIn, by: Any, approve: bool, reason: str = "") -> CheckIn:
    """One record approved or rejected (a rejection needs a reason) by its atasan/verifikator."""
    if not employees_to_verify(by).filter(pk=checkin.employee_id).exists():
        raise VerificationRefused("Anda bukan atasan pegawai ini.", code="forbidden")
    status = ReviewStatus.APPROVED if approve else ReviewStatus.REJECTED
    return checkin_review_set(checkin=checkin, status=status, by=by, reason=reason)


def low_risk_q(rules: VerificationRules) -> Q:
    return Q(status=CheckInStatus.ACCEPTED, risk_score__isnull=False) & Q(
        risk_score__lte=rules.bulk_max_risk
    )


def checkins_bulk_approve(*, ids: Iterable[int], by: Any) -> tuple[int, int]:
    """Approve the given unreviewed records that are low-risk (accepted, checked, risk at or
    below the rule set's `bulk_max_risk`) and in the user's queue. Returns (approved, skipped):
    a record that is not low-risk needs a look of its own."""
    wanted = sorted({int(i) for i in ids})
    rows = list(
        CheckIn.objects.filter(
            pk__in=wanted,
            review_status=ReviewStatus.UNREVIEWED,
            employee__in=employees_to_verify(by),
        ).select_related("employee__region")
    )
    rules_by_region: dict[int, VerificationRules] = {}
    approved = 0
    for checkin in rows:
        region = checkin.employee.region
        if region.id not in rules_by_region:
            rules_by_region[region.id] = verification_rules(region, checkin.at.date())
        rules = rules_by_region[region.id]
        low = (
            checkin.status == CheckInStatus.ACCEPTED
            and checkin.risk_score is not None
            and checkin.risk_score <= rules.bulk_max_risk
        )
        if low:
            checkin_review_set(checkin=checkin, status=ReviewStatus.APPROVED, by=by, reason="")
            approved += 1
    return approved, len(wanted) - approved


def unreviewed_count(employee: Employee, month: date) -> int:
    start, end = month_range_utc(month, ZoneInfo(employee.region.timezone))
    return CheckIn.objects.filter(
        employee=employee,
        at__gte=start,
        at__lt=end,
        review_status=ReviewStatus.UNREVIEWED,
        event__isnull=False,
    ).count()


def month_submit(
    *, employee: Employee, month: date, by: Any, note: str = ""
) -> MonthlyVerification:
    """The atasan submits a subordinate's month as verified: every record of the month must be
    decided first. After the due day the report is still taken, and marked late."""
    month = month.replace(day=1)
    me = Employee.objects.filter(user=by).first()
    if not employees_to_verify(by).filter(pk=employee.pk).exists():
        raise VerificationRefused("Anda bukan atasan pegawai ini.", code="forbidden")
    zone = ZoneInfo(employee.region.timezone)
    today = timezone.now().astimezone(zone).date()
    if today < next_month(month):
        raise VerificationRefused(
            "Laporan bulanan baru dapat dikirim setelah bulan berakhir.", code="month_not_over"
        )
    left = unreviewed_count(employee, month)
    if left:
        raise VerificationRefused(
            f"Masih ada {left} catatan kehadiran yang belum diverifikasi.", code="unverified_left"
        )
    rules = verification_rules(employee.region, month)
    start, end = month_range_utc(month, zone)
    counts = CheckIn.objects.filter(employee=employee, at__gte=start, at__lt=end).aggregate(
        approved=Count("id", filter=Q(review_status=ReviewStatus.APPROVED)),
        rejected=Count("id", filter=Q(review_status=ReviewStatus.REJECTED)),
    )
    with transaction.atomic():
        report, created = MonthlyVerification.objects.get_or_create(
            employee=employee,
            month=month,
            defaults={
                "atasan": me,
                "submitted_by": by,
                "submitted_at": timezone.now(),
                "due": due_date(month, rules.due_day),
                "late": is_late(month, rules.due_day, today),
                "note": note.strip(),
                **counts,
            },
        )
        if not created:
            raise VerificationRefused("Laporan bulan ini sudah dikirim.", code="already_submitted")
        audit_record(
            actor=by.get_username(),
            action="verification.submit",
            object_type="MonthlyVerification",
            object_id=str(report.pk),
            data={"employee": employee.key, "month": month, "late": report.late, **counts},
        )
    return report


def _unsubmitted(region: Region, month: date) -> dict[int, list[int]]:
    """Atasan id -> subordinates whose report of `month` is not in yet."""
    done = set(
        MonthlyVerification.objects.filter(employee__region=region, month=month).values_list(
            "employee_id", flat=True
        )
    )
    by_atasan: dict[int, list[int]] = defaultdict(list)
    for emp_id, atasan_id in atasan_map(region.id).items():
        if emp_id not in done:
            by_atasan[atasan_id].append(emp_id)
    return by_atasan


def verification_remind(*, region: Region, today: date) -> int:
    """Remind each atasan with reports still missing, on the rule set's days before the due
    day. Idempotent per atasan, month and reminder day. Returns messages queued."""
    month = previous_month(today)
    rules = verification_rules(region, month)
    n = reminder_due(month, rules.due_day, rules.remind_days_before, today)
    if n is None:
        return 0
    missing = _unsubmitted(region, month)
    atasans = Employee.objects.in_bulk(list(missing))
    queued = 0
    for atasan_id, subordinates in sorted(missing.items()):
        atasan = atasans.get(atasan_id)
        if atasan is None:
            continue
        queued += outbox_enqueue(
            key=f"verification:{atasan_id}:{month:%Y-%m}:remind{n}",
            template="hadir_verifikasi_pengingat",
            recipient=atasan,
            context={
                "name": atasan.name,
                "count": len(subordinates),
                "month": f"{month:%m/%Y}",
                "due": due_date(month, rules.due_day).isoformat(),
            },
        )
    return queued


def verification_deadline(*, region: Region, today: date) -> tuple[int, int]:
    """After the due day of last month's report: apply the rule set to records still
    unverified, and flag their atasan. Safe to run again. Returns (records, flags)."""
    month = previous_month(today)
    rules = verification_rules(region, month)
    if today < due_date(month, rules.due_day):
        return 0, 0
    start, end = month_range_utc(month, ZoneInfo(region.timezone))
    left = list(
        CheckIn.objects.filter(
            employee__region=region,
            at__gte=start,
            at__lt=end,
            review_status=ReviewStatus.UNREVIEWED,
            event__isnull=False,
        ).order_by("id")
    )
    per_employee: dict[int, int] = defaultdict(int)
    for checkin in left:
        per_employee[checkin.employee_id] += 1
        if rules.unverified_after_deadline == "kept":
            continue
        status = (
            ReviewStatus.REJECTED
            if rules.unverified_after_deadline == "rejected"
            else ReviewStatus.APPROVED
        )
        checkin_review_set(checkin=checkin, status=status, by=None, reason=DEADLINE_REASON)
    flags = 0
    if rules.flag_atasan and per_employee:
        atasans = atasan_map(region.id)
        for emp_id, count in sorted(per_employee.items()):
            atasan_id = atasans.get(emp_id)
            if atasan_id is None:
                continue
            _, created = AtasanFlag.objects.get_or_create(
                atasan_id=atasan_id, employee_id=emp_id, month=month, defaults={"unverified": count}
            )
            if created:
                flags += 1
                audit_record(
                    actor="system",
                    action="verification.flag",
                    object_type="AtasanFlag",
                    object_id=f"{atasan_id}:{emp_id}",
                    data={"month": month, "unverified": count},
                )
    return len(left), flags
