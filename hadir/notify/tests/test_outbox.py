"""The outbox: timing rules, quiet hours, preferences, and nothing lost while the broker is down."""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine

from hadir.notify.rules import backoff_seconds, parse_quiet_hours, quiet_release

WITA = ZoneInfo("Asia/Makassar")
NOON = datetime(2026, 3, 2, 4, 0, tzinfo=UTC)  # 12:00 WITA
CONTEXT = {"name": "Ani", "days": 3, "start": "02-03-2026", "end": "04-03-2026", "due": "14-03"}


@pytest.mark.parametrize(
    ("local", "quiet", "release"),
    [
        ("2026-03-02T12:00", "21:00-06:00", None),
        ("2026-03-02T22:30", "21:00-06:00", "2026-03-03T06:00"),
        ("2026-03-03T01:00", "21:00-06:00", "2026-03-03T06:00"),
        ("2026-03-03T06:00", "21:00-06:00", None),
        ("2026-03-02T13:00", "12:00-14:00", "2026-03-02T14:00"),
        ("2026-03-02T23:00", "", None),
    ],
)
def test_it_holds_messages_in_quiet_hours(local: str, quiet: str, release: str | None) -> None:
    now = datetime.fromisoformat(local).replace(tzinfo=WITA)
    expected = None if release is None else datetime.fromisoformat(release).replace(tzinfo=WITA)
    assert quiet_release(now, parse_quiet_hours(quiet)) == expected


@pytest.mark.parametrize(
    ("attempts", "retry_after", "delay"),
    [(1, None, 60), (2, None, 120), (3, None, 240), (10, None, 3600), (1, 300, 300), (3, 5, 240)],
)
def test_it_backs_off_exponentially(attempts: int, retry_after: float | None, delay: float) -> None:
    assert backoff_seconds(attempts, base=60, cap=3600, retry_after=retry_after) == delay


def test_it_refuses_bad_quiet_hours() -> None:
    with pytest.raises(ValueError, match="HH:MM-HH:MM"):
        parse_quiet_hours("9pm-6am")
    assert parse_quiet_hours("21:00-06:00") == (time(21), time(6))


def _enqueue(ani, key: str = "k1") -> int:  # type: ignore[no-untyped-def]
    from hadir.notify.services import outbox_enqueue

    return outbox_enqueue(key=key, template="hadir_peringatan_tk", recipient=ani, context=CONTEXT)


def test_it_defers_messages_queued_in_quiet_hours(ani, db):  # type: ignore[no-untyped-def]
    from hadir.notify.models import Outbox
    from hadir.notify.services import outbox_send_due

    night = datetime(2026, 3, 2, 15, 0, tzinfo=UTC)  # 23:00 WITA
    with time_machine.travel(night, tick=False):
        _enqueue(ani)
        assert outbox_send_due() == 0
    morning = datetime(2026, 3, 2, 22, 0, tzinfo=UTC)  # 06:00 WITA
    assert set(Outbox.objects.values_list("status", "next_attempt_at", "deferred_quiet")) == {
        ("pending", morning, True)
    }
    with time_machine.travel(morning, tick=False):
        assert outbox_send_due() == 2


def test_it_follows_the_persons_channel_preference(ani, db, settings):  # type: ignore[no-untyped-def]
    from hadir.notify.models import ContactPreference, Outbox

    settings.HADIR_NOTIFY = {**settings.HADIR_NOTIFY, "quiet_hours": ""}
    ContactPreference.objects.create(
        employee=ani, channels=["email", "whatsapp"], whatsapp_number="0899 1111 2222"
    )
    _enqueue(ani)
    rows = set(Outbox.objects.values_list("channel", "address"))
    assert rows == {("email", "ani@example.go.id"), ("whatsapp", "0899 1111 2222")}


def test_it_refuses_unknown_channels_in_a_preference() -> None:
    from django.core.exceptions import ValidationError

    from hadir.notify.models import validate_channels

    validate_channels(["sms", "webpush"])
    for bad in (["pigeon"], "sms", ["log"]):
        with pytest.raises(ValidationError):
            validate_channels(bad)


def test_it_uses_the_log_channel_for_a_person_without_contacts(ani, db):  # type: ignore[no-untyped-def]
    from hadir.notify.models import Outbox

    ani.phone = ani.email = ""
    ani.save()
    _enqueue(ani)
    assert list(Outbox.objects.values_list("channel", "key")) == [("log", "k1:log")]


@pytest.fixture
def broker_down():  # type: ignore[no-untyped-def]
    """A real publish to a broker nobody listens on; restored afterwards."""
    from hadir.celery import app

    saved = (app.conf.task_always_eager, app.conf.broker_url, app._pool)
    timeout = app.conf.broker_connection_timeout
    app.conf.task_always_eager = False
    app.conf.broker_url = "amqp://guest:guest@127.0.0.1:1//"
    app.conf.broker_connection_timeout = 0.5
    app._pool = None
    yield
    app.conf.task_always_eager, app.conf.broker_url, app._pool = saved
    app.conf.broker_connection_timeout = timeout


def test_it_loses_nothing_while_the_broker_is_down(  # type: ignore[no-untyped-def]
    ani, db, settings, broker_down, django_capture_on_commit_callbacks, caplog
):
    from django.db import transaction

    from hadir.celery import app
    from hadir.notify.models import Outbox
    from hadir.notify.tasks import send_due

    settings.HADIR_NOTIFY = {**settings.HADIR_NOTIFY, "quiet_hours": ""}
    with django_capture_on_commit_callbacks(execute=True) as callbacks, transaction.atomic():
        _enqueue(ani)
    assert len(callbacks) == 1  # the commit kicked the sender ...
    assert "could not queue the outbox sender" in caplog.text  # ... and the kick was lost
    assert set(Outbox.objects.values_list("status", flat=True)) == {"pending"}
    # The broker returns: the periodic sweep runs the sender, and the messages go out.
    app.conf.task_always_eager = True
    send_due.apply_async()
    assert set(Outbox.objects.values_list("status", "via")) == {("sent", "log")}


def test_it_kicks_the_sender_on_commit(ani, db, settings, django_capture_on_commit_callbacks):  # type: ignore[no-untyped-def]
    from django.db import transaction

    from hadir.notify.models import Outbox

    settings.HADIR_NOTIFY = {**settings.HADIR_NOTIFY, "quiet_hours": ""}
    with django_capture_on_commit_callbacks(execute=True) as callbacks, transaction.atomic():
        _enqueue(ani)
        _enqueue(ani, key="k2")
        assert set(Outbox.objects.values_list("status", flat=True)) == {"pending"}
    assert len(callbacks) == 1  # one kick for the transaction, however many messages
    assert set(Outbox.objects.values_list("status", flat=True)) == {"sent"}


def test_it_claims_each_row_once(ani, db, settings):  # type: ignore[no-untyped-def]
    from hadir.notify.models import Outbox
    from hadir.notify.services import outbox_send_due

    settings.HADIR_NOTIFY = {**settings.HADIR_NOTIFY, "quiet_hours": ""}
    with time_machine.travel(NOON, tick=False):
        _enqueue(ani)
        Outbox.objects.filter(channel="sms").update(status="sending", claimed_at=NOON)
        assert outbox_send_due() == 1  # another worker holds the SMS
    with time_machine.travel(NOON + timedelta(minutes=11), tick=False):
        assert outbox_send_due() == 1  # its claim expired: the row goes out after all
    assert set(Outbox.objects.values_list("status", flat=True)) == {"sent"}
