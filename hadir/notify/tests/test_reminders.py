"""Reminders before checkpoint windows, by Web Push, once per checkpoint and day."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine

from conftest import EMPLOYEE_NIP, HEAD_NIP, STRANGER_NIP

pytestmark = pytest.mark.django_db
WITA = ZoneInfo("Asia/Makassar")
TUESDAY = date(2026, 3, 3)


def _at(hhmm: str, day: date = TUESDAY) -> datetime:
    hour, minute = map(int, hhmm.split(":"))
    return datetime(day.year, day.month, day.day, hour, minute, tzinfo=WITA)


@pytest.fixture
def subscribed(region_setup):  # type: ignore[no-untyped-def]
    from hadir.notify.services import push_subscription_register
    from hadir.org.models import Employee

    people = {nip: Employee.objects.get(nip=nip) for nip in (EMPLOYEE_NIP, STRANGER_NIP)}
    for i, employee in enumerate(people.values()):
        push_subscription_register(
            employee=employee, endpoint=f"https://push.example/{i}", p256dh="k", auth="a"
        )
    return people


def _remind(at: datetime) -> int:
    from hadir.notify.reminders import reminders_enqueue

    with time_machine.travel(at, tick=False):
        return reminders_enqueue()


def test_it_reminds_before_each_window_once(subscribed):
    from hadir.attendance.models import AttendanceEvent
    from hadir.notify.models import Outbox

    ani = subscribed[EMPLOYEE_NIP]
    assert _remind(_at("05:49")) == 0  # masuk opens at 06:00: ten minutes before
    assert _remind(_at("05:50")) == 2  # Ani and Dedi
    assert _remind(_at("05:55")) == 0  # once per checkpoint and day
    row = Outbox.objects.get(recipient=ani)
    assert (row.channel, row.template, row.address) == (
        "webpush",
        "hadir_pengingat_absen",
        str(ani.push_subscriptions.get().id),
    )
    assert (
        row.body
        == "Jangan lupa absen masuk di HADIR: dibuka 06:00 sampai 12:00, tepat waktu sampai 07:30."
    )
    assert row.expires_at == _at("12:00")
    AttendanceEvent.objects.create(
        employee=ani, at=_at("11:50"), source="mobile", dedupe_key="ani-1150"
    )
    assert _remind(_at("11:40")) == 1  # ist_out: Dedi only, Ani already recorded in its window
    assert set(Outbox.objects.values_list("key", flat=True)) == {
        f"remind:{ani.id}:2026-03-03:masuk:webpush:{ani.push_subscriptions.get().id}",
        *(
            f"remind:{subscribed[STRANGER_NIP].id}:2026-03-03:{cp}:webpush:"
            f"{subscribed[STRANGER_NIP].push_subscriptions.get().id}"
            for cp in ("masuk", "ist_out")
        ),
    }


def test_it_lets_reminders_expire_with_their_window(subscribed, settings):
    from hadir.notify.models import Outbox
    from hadir.notify.services import outbox_send_due

    settings.HADIR_WEBPUSH = {"vapid_private_key": "", "vapid_subject": "mailto:x@example.go.id"}
    _remind(_at("05:50"))
    with time_machine.travel(_at("12:01"), tick=False):
        outbox_send_due()  # the worker was down all morning
    assert set(Outbox.objects.values_list("status", flat=True)) == {"expired"}


def test_it_skips_holidays_weekends_and_leave(subscribed, hadir_cli, write_csv):
    from hadir.notify.models import Outbox

    cal = write_csv("cal.csv", ["date", "kind", "name"], [["2026-03-04", "regional_holiday", "x"]])
    assert hadir_cli("import", "calendar", str(cal), "--region", "6408")[0] == 0
    leave = write_csv(
        "abs.csv",
        ["nip", "start_date", "end_date", "type", "status"],
        [[STRANGER_NIP, "2026-03-03", "2026-03-03", "cuti_tahunan", "approved"]],
    )
    assert hadir_cli("import", "absences", str(leave))[0] == 0
    assert _remind(_at("05:50")) == 1  # Dedi is on leave
    assert _remind(_at("05:50", TUESDAY + timedelta(days=1))) == 0  # holiday
    assert _remind(_at("05:50", date(2026, 3, 7))) == 0  # Saturday
    assert Outbox.objects.get().recipient.nip == EMPLOYEE_NIP
    assert HEAD_NIP not in Outbox.objects.values_list("recipient__nip", flat=True)


def test_it_is_off_when_the_lead_time_is_zero(subscribed, settings):
    settings.HADIR_NOTIFY = {**settings.HADIR_NOTIFY, "remind_before_min": 0}
    assert _remind(_at("05:55")) == 0


def test_it_runs_from_the_scheduler(subscribed):
    from hadir.notify.tasks import send_reminders

    with time_machine.travel(_at("05:55").astimezone(UTC), tick=False):
        assert send_reminders.apply_async().get() == 2


def test_it_reminds_again_when_the_only_check_in_was_rejected(subscribed):
    from hadir.attendance.models import AttendanceEvent, CheckIn
    from hadir.devices.models import EmployeeDevice

    ani = subscribed[EMPLOYEE_NIP]
    assert _remind(_at("05:50")) == 2  # masuk: both
    event = AttendanceEvent.objects.create(
        employee=ani, at=_at("11:50"), source="mobile", checkpoint="ist_out", dedupe_key="a-1"
    )
    device = EmployeeDevice.objects.create(
        employee=ani, thumbprint="t", public_key={}, status="active"
    )
    checkin = CheckIn.objects.create(
        employee=ani,
        device=device,
        checkpoint="ist_out",
        idempotency_key="k-00000001",
        at=event.at,
        received_at=event.at,
        status="accepted",
        event=event,
    )
    assert _remind(_at("11:40")) == 1  # ist_out: Dedi only, Ani's check-in counts
    CheckIn.objects.filter(pk=checkin.pk).update(review_status="rejected")
    assert _remind(_at("11:41")) == 1  # now Ani is reminded too
