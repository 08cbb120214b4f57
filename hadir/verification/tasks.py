"""The daily verification job: reminders before the due day, the rule set after it."""

from __future__ import annotations

import logging
from zoneinfo import ZoneInfo

from celery import shared_task
from django.utils import timezone

from hadir.core.errors import DomainError
from hadir.org.models import Region
from hadir.verification.services import verification_deadline, verification_remind

log = logging.getLogger(__name__)


@shared_task
def verification_daily() -> dict[str, list[int]]:
    """Per region, on its local date. Safe to run twice: reminders are keyed per day and the
    deadline only touches records still unverified. A region without a rule set is skipped."""
    now = timezone.now()
    done: dict[str, list[int]] = {}
    for region in Region.objects.order_by("code"):
        today = now.astimezone(ZoneInfo(region.timezone)).date()
        try:
            reminded = verification_remind(region=region, today=today)
            records, flags = verification_deadline(region=region, today=today)
        except DomainError as exc:
            log.warning("verification of region %s skipped: %s", region.code, exc.message)
            continue
        done[region.code] = [reminded, records, flags]
    return done
