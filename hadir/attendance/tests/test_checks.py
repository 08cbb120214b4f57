"""The background-check hook: registration, failures isolated, the sweep of missed checks."""

from __future__ import annotations

from datetime import timedelta

import pytest

from hadir.attendance.checks import (
    checks_pending,
    checks_run,
    register_check,
    registered_checks,
    unregister_check,
)
from hadir.attendance.models import CheckIn
from hadir.attendance.tasks import checkin_checks_sweep

pytestmark = pytest.mark.django_db


@pytest.fixture
def checks():  # type: ignore[no-untyped-def]
    calls: list[str] = []

    def broken(checkin: CheckIn) -> None:
        calls.append("broken")
        raise RuntimeError("model file missing")

    def scores(checkin: CheckIn) -> None:
        calls.append("scores")
        CheckIn.objects.filter(pk=checkin.pk).update(risk_score=0.5)

    register_check(broken)
    register_check(scores)
    register_check(scores)  # registered once however often ready() runs
    yield calls, broken, scores
    unregister_check(broken)
    unregister_check(scores)


def test_it_runs_every_check_even_when_one_fails(ani, checks) -> None:  # type: ignore[no-untyped-def]
    calls, _broken, scores = checks
    assert registered_checks().count(scores) == 1
    checkin_id = ani.checkin().json()["id"]
    calls.clear()
    failed = checks_run(checkin_id=checkin_id)
    assert calls == ["broken", "scores"] and len(failed) == 1 and "broken" in failed[0]
    checkin = CheckIn.objects.get(pk=checkin_id)
    assert checkin.risk_score == 0.5 and checkin.checked_at is None  # not all succeeded
    assert checks_run(checkin_id=10**9) == []


def test_it_sweeps_check_ins_that_missed_their_checks(ani, checks, frozen) -> None:  # type: ignore[no-untyped-def]
    calls, broken, _ = checks
    unregister_check(broken)
    checkin_id = ani.checkin().json()["id"]  # tests run outside commit: nothing was queued
    assert checks_pending() == []  # too recent: its own task may still be on the way
    frozen.shift(timedelta(minutes=6))
    assert checks_pending() == [checkin_id]
    calls.clear()
    assert checkin_checks_sweep() == 1  # tasks run inline in tests
    assert calls == ["scores"]
    assert CheckIn.objects.get(pk=checkin_id).checked_at is not None
    assert checks_pending() == []
