"""Background jobs of the attendance app. Each takes plain values and is safe to run twice."""

from __future__ import annotations

import logging
from datetime import timedelta

from celery import shared_task
from django.utils import timezone

from hadir.attendance.services import stale_regions, stale_resolve
from hadir.core.errors import DomainError

log = logging.getLogger(__name__)

# The worker keeps recent days fresh; older stale days are resolved when a recap asks for them.
RECENT_DAYS = 70


@shared_task(name="hadir.attendance.tasks.resolve_stale_days")
def resolve_stale_days() -> int:
    today = timezone.now().date()
    start, end = today - timedelta(days=RECENT_DAYS), today + timedelta(days=1)
    written = 0
    for region in stale_regions(start=start, end=end):
        try:
            written += stale_resolve(region=region, start=start, end=end)
        except DomainError as exc:
            log.warning("region %s: cannot resolve days: %s", region.code, exc.message)
    return written


@shared_task(name="hadir.attendance.tasks.discipline_daily")
def discipline_daily() -> str:
    from hadir.discipline.services import discipline_run

    return discipline_run(on=timezone.now().date())


@shared_task(name="hadir.attendance.tasks.checkin_checks")
def checkin_checks(checkin_id: int) -> list[str]:
    """The background checks of one check-in (hadir.attendance.checks)."""
    from hadir.attendance.checks import checks_run

    return checks_run(checkin_id=checkin_id)


@shared_task(name="hadir.attendance.tasks.checkin_checks_due")
def checkin_checks_due() -> int:
    """The checks of recent check-ins not checked yet (kicked by their commits)."""
    from hadir.attendance.checks import checks_due

    return checks_due()


@shared_task(name="hadir.attendance.tasks.checkin_checks_sweep")
def checkin_checks_sweep() -> int:
    """Queue the checks of check-ins that missed them (the scheduler runs it)."""
    from hadir.attendance.checks import checks_pending

    pending = checks_pending()
    for checkin_id in pending:
        checkin_checks.apply_async(args=[checkin_id], retry=False)
    return len(pending)
