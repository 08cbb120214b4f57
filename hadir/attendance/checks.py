"""The hook for the heavy checks of a check-in that run after the answer (face match, liveness,
photo reuse, risk score: the biometrics and integrity apps register them).

A check is a plain function `fn(checkin: CheckIn) -> None` that reads the check-in and its
frames and writes its findings (e.g. `risk_score`, `risk_reasons`, or its own models). Apps
register their checks in `AppConfig.ready()`:

    from hadir.attendance.checks import register_check

    register_check(face_match)

After a check-in commits, `checks_schedule` queues one Celery task that runs every registered
check in registration order; the task is safe to run twice (a check must be idempotent too),
one check that fails is logged and does not stop the others, and `checked_at` is set when all
have run. A broker that is down only delays the checks: the scheduler's sweep
(`checkin_checks_sweep`, every 5 minutes) queues again what `checks_pending` lists.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import TYPE_CHECKING

from django.db import transaction
from django.utils import timezone

if TYPE_CHECKING:
    from hadir.attendance.models import CheckIn

log = logging.getLogger(__name__)

Check = Callable[["CheckIn"], None]
_checks: dict[str, Check] = {}


def _name(fn: Check) -> str:
    return f"{fn.__module__}.{getattr(fn, '__qualname__', repr(fn))}"


def register_check(fn: Check) -> Check:
    """Register a background check (usable as a decorator). Registering the same function
    twice (an app's ready() run again) keeps one entry."""
    _checks[_name(fn)] = fn
    return fn


def unregister_check(fn: Check) -> None:
    _checks.pop(_name(fn), None)


def registered_checks() -> list[Check]:
    return list(_checks.values())


def checks_run(*, checkin_id: int) -> list[str]:
    """Run every registered check on one check-in; returns the names of those that failed."""
    from hadir.attendance.models import CheckIn

    checkin = CheckIn.objects.select_related("employee", "device").filter(pk=checkin_id).first()
    if checkin is None:
        return []
    failed: list[str] = []
    for name, fn in list(_checks.items()):
        try:
            fn(checkin)
        except Exception:
            log.exception("check %s failed on check-in %s", name, checkin_id)
            failed.append(name)
    if not failed:
        CheckIn.objects.filter(pk=checkin_id).update(checked_at=timezone.now())
    return failed


def _queue(checkin_id: int) -> None:
    from hadir.attendance.tasks import checkin_checks

    try:
        checkin_checks.apply_async(args=[checkin_id], retry=False)
    except Exception as exc:  # the check-in is committed; checks_pending finds it again
        log.warning("could not queue the checks of check-in %s: %s", checkin_id, exc)


def checks_schedule(checkin_id: int) -> None:
    """Queue the background checks of a check-in once the current transaction commits
    (nothing to queue while no app has registered a check)."""
    if not _checks:
        return
    transaction.on_commit(lambda: _queue(checkin_id), robust=True)


def checks_pending(*, older_than_s: int = 300, limit: int = 500) -> list[int]:
    """Check-ins stored but not checked for a while (a broker was down, a worker died),
    oldest first; none while no app registered a check."""
    from datetime import timedelta

    from hadir.attendance.models import CheckIn

    if not _checks:
        return []
    before = timezone.now() - timedelta(seconds=older_than_s)
    return list(
        CheckIn.objects.filter(checked_at__isnull=True, received_at__lt=before)
        .order_by("id")
        .values_list("id", flat=True)[:limit]
    )
