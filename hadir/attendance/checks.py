"""The hook for the heavy checks of a check-in that run after the answer (face match, liveness,
photo reuse, risk score: the biometrics and integrity apps register them).

A check is a plain function `fn(checkin: CheckIn) -> None` that reads the check-in and its
frames and writes its findings (e.g. `risk_score`, `risk_reasons`, or its own models). Apps
register their checks in `AppConfig.ready()`:

    from hadir.attendance.checks import register_check

    register_check(face_match)

After a check-in commits, `checks_schedule` kicks a sweep (`checkin_checks_due`, at most one
every half second per web process) that claims each recent unchecked check-in and runs every
registered check on it in registration order. Running them twice is safe (a check must be
idempotent), one check that fails is logged and does not stop the others, and `checked_at` is
set when all have run. A broker that is down only delays the checks: the scheduler's sweep
(`checkin_checks_sweep`, every 5 minutes) queues again what `checks_pending` lists.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from datetime import timedelta
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
            with transaction.atomic():  # a failing check's writes go, the others' stay
                fn(checkin)
        except Exception:
            log.exception("check %s failed on check-in %s", name, checkin_id)
            failed.append(name)
    if not failed:
        CheckIn.objects.filter(pk=checkin_id).update(checked_at=timezone.now())
    return failed


# A commit queues no task of its own: it kicks one sweep, at most every KICK_S seconds per
# process, that starts KICK_S seconds later and so finds every check-in committed meanwhile.
KICK_S = 0.5
RECENT_S = 600
_last_kick = -KICK_S


def _kick() -> None:
    global _last_kick
    from hadir.attendance.tasks import checkin_checks_due

    now = time.monotonic()
    if now - _last_kick < KICK_S and not checkin_checks_due.app.conf.task_always_eager:
        return  # the sweep already queued starts after this commit (an eager one ran already)
    _last_kick = now
    try:
        checkin_checks_due.apply_async(countdown=KICK_S, retry=False)
    except Exception as exc:  # the check-in is committed; checks_pending finds it again
        log.warning("could not queue the background checks: %s", exc)


def checks_schedule() -> None:
    """Have the background checks of the check-ins written in the current transaction run once
    it commits (nothing to do while no app has registered a check). The sweep finds them by
    their unset `checked_at`: in the morning burst a task per check-in cost the web process
    more than writing the check-in."""
    if not _checks:
        return
    transaction.on_commit(_kick, robust=True)


def checks_due(*, recent_s: int = RECENT_S) -> int:
    """Run the checks of every check-in of the last `recent_s` seconds not checked yet, oldest
    first, one at a time; returns how many were checked. Each is claimed with its row locked
    (SKIP LOCKED on PostgreSQL), so that sweeps in several worker processes share a burst.
    One whose checks fail is tried once per sweep; older ones are left to `checks_pending`."""
    from hadir.attendance.models import CheckIn

    since = timezone.now() - timedelta(seconds=recent_s)
    tried: list[int] = []
    while True:
        with transaction.atomic():
            claimed = (
                CheckIn.objects.select_for_update(skip_locked=True)
                .filter(checked_at__isnull=True, received_at__gte=since)
                .exclude(pk__in=tried)
                .order_by("id")
                .values_list("id", flat=True)
                .first()
            )
            if claimed is None:
                return len(tried)
            tried.append(claimed)
            checks_run(checkin_id=claimed)


def checks_pending(*, older_than_s: int = 300, limit: int = 500) -> list[int]:
    """Check-ins stored but not checked for a while (a broker was down, a worker died),
    oldest first; none while no app registered a check."""
    from hadir.attendance.models import CheckIn

    if not _checks:
        return []
    before = timezone.now() - timedelta(seconds=older_than_s)
    return list(
        CheckIn.objects.filter(checked_at__isnull=True, received_at__lt=before)
        .order_by("id")
        .values_list("id", flat=True)[:limit]
    )
