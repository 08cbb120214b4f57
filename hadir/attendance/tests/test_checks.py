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


def test_the_sweep_claims_recent_unchecked_ones_and_tries_a_failing_one_once(  # type: ignore[no-untyped-def]
    ani, checks, frozen
) -> None:
    from hadir.attendance.checks import checks_due

    calls, broken, _ = checks
    first = ani.checkin().json()["id"]
    second = ani.checkin().json()["id"]
    calls.clear()
    assert checks_due() == 2  # each claimed once; "broken" fails on both
    assert calls == ["broken", "scores", "broken", "scores"]
    assert not CheckIn.objects.filter(checked_at__isnull=False).exists()
    unregister_check(broken)
    calls.clear()
    assert checks_due() == 2 and calls == ["scores", "scores"]
    assert set(CheckIn.objects.filter(checked_at__isnull=False).values_list("id", flat=True)) == {
        first,
        second,
    }
    assert checks_due() == 0  # nothing left
    third = ani.checkin().json()["id"]
    frozen.shift(timedelta(minutes=11))
    assert checks_due() == 0  # too old for the kicked sweep: checks_pending's sweep takes it
    assert checks_pending() == [third]


def test_commits_in_a_burst_kick_one_sweep(ani, checks, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    from hadir.attendance import checks as checks_module
    from hadir.attendance.tasks import checkin_checks_due

    sent: list[dict] = []
    conf = checkin_checks_due.app.conf
    monkeypatch.setitem(conf, "task_always_eager", False)  # a real worker: kicks are sent
    monkeypatch.setattr(checkin_checks_due, "apply_async", lambda **kw: sent.append(kw))
    clock = [500.0]
    monkeypatch.setattr(checks_module.time, "monotonic", lambda: clock[0])
    monkeypatch.setattr(checks_module, "_last_kick", -checks_module.KICK_S)
    for _ in range(3):
        checks_module._kick()  # what each commit runs
        clock[0] += 0.1
    assert sent == [{"countdown": checks_module.KICK_S, "retry": False}]
    clock[0] += checks_module.KICK_S
    checks_module._kick()
    assert len(sent) == 2


def test_a_check_failing_in_the_database_spoils_neither_the_others_nor_the_sweep(ani) -> None:  # type: ignore[no-untyped-def]
    from django.db import connection

    from hadir.attendance.checks import checks_due

    def broken_sql(checkin: CheckIn) -> None:
        with connection.cursor() as cursor:
            cursor.execute("SELECT * FROM no_such_table")

    def scores(checkin: CheckIn) -> None:
        CheckIn.objects.filter(pk=checkin.pk).update(risk_score=0.75)

    first = ani.checkin().json()["id"]
    second = ani.checkin().json()["id"]
    register_check(broken_sql)
    register_check(scores)
    try:
        assert checks_due() == 2  # on PostgreSQL the error would abort a shared transaction
    finally:
        unregister_check(broken_sql)
        unregister_check(scores)
    assert dict(CheckIn.objects.values_list("id", "risk_score")) == {first: 0.75, second: 0.75}
