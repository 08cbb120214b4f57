"""Channels over real HTTP against the provider stand-in (another process, on loopback)."""

from __future__ import annotations

import base64
import os
from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec
from django.core import mail

from hadir.notify.tests.conftest import PHONE_NUMBER_ID, TOKEN

pytestmark = pytest.mark.django_db
NOON = datetime(2026, 3, 2, 4, 0, tzinfo=UTC)  # 12:00 WITA
CONTEXT = {"name": "Ani", "days": 3, "start": "02-03-2026", "end": "04-03-2026", "due": "14-03"}


def _b64(raw: bytes) -> str:
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode()


def _enqueue(ani, key="k1", channels=None, template="hadir_peringatan_tk"):  # type: ignore[no-untyped-def]
    from hadir.notify.services import outbox_enqueue

    return outbox_enqueue(
        key=key, template=template, recipient=ani, context=CONTEXT, channels=channels
    )


def _send(at: datetime) -> None:
    from hadir.notify.services import outbox_send_due

    with time_machine.travel(at, tick=False):
        outbox_send_due()


def test_it_sends_whatsapp_and_sms_in_the_providers_formats(standin, ani):
    from hadir.notify.models import Outbox

    with time_machine.travel(NOON, tick=False):
        assert _enqueue(ani) == 2
        assert _enqueue(ani) == 0  # the same cause queues nothing twice
    _send(NOON)
    wa, sms = standin.requests()
    assert wa["path"] == f"/{PHONE_NUMBER_ID}/messages"
    assert wa["headers"]["authorization"] == f"Bearer {TOKEN}"
    assert wa["headers"]["content-type"] == "application/json"
    assert wa["json"]["messaging_product"] == "whatsapp"
    assert wa["json"]["to"] == "6281234567890"
    assert wa["json"]["type"] == "text"
    assert wa["json"]["text"]["body"].startswith("Yth. Ani, Anda tercatat tidak hadir")
    assert sms["path"] == "/sms"
    assert sms["json"] == {
        "to": "6281234567890",
        "from": "HADIR",
        "text": wa["json"]["text"]["body"],
    }
    rows = {r.channel: r for r in Outbox.objects.all()}
    assert (rows["whatsapp"].status, rows["whatsapp"].via) == ("sent", "whatsapp_cloud")
    assert rows["whatsapp"].provider_id.startswith("wamid.standin")
    assert (rows["sms"].status, rows["sms"].via, rows["sms"].attempts) == ("sent", "sms_gateway", 1)
    _send(NOON + timedelta(hours=1))
    assert len(standin.requests()) == 2  # sent rows are never sent again


def test_it_sends_whatsapp_templates_with_parameters(standin, ani, settings):
    settings.HADIR_WHATSAPP = {**settings.HADIR_WHATSAPP, "use_templates": True}
    with time_machine.travel(NOON, tick=False):
        _enqueue(ani, channels=["whatsapp"])
    _send(NOON)
    [wa] = standin.requests()
    assert wa["status"] == 200
    assert wa["json"]["type"] == "template"
    template = wa["json"]["template"]
    assert (template["name"], template["language"]) == ("hadir_peringatan_tk", {"code": "id"})
    params = [p["text"] for p in template["components"][0]["parameters"]]
    assert params == ["Ani", "3", "02-03-2026", "04-03-2026", "14-03"]


def test_it_speaks_to_a_form_encoded_sms_gateway(standin, ani, settings):
    from hadir.notify.models import Outbox

    settings.HADIR_SMS = {
        "url": f"{standin.base}/sms-form?key={TOKEN}",
        "token": "",
        "sender": "BKPSDM",
        "format": "form",
        "fields": ["nomor", "pengirim", "pesan"],
    }
    with time_machine.travel(NOON, tick=False):
        _enqueue(ani, channels=["sms"])
    _send(NOON)
    [sms] = standin.requests()
    assert sms["status"] == 200
    assert "authorization" not in sms["headers"]
    assert sms["form"]["nomor"] == ["6281234567890"]
    assert sms["form"]["pengirim"] == ["BKPSDM"]
    assert sms["form"]["pesan"][0].startswith("Yth. Ani")
    assert Outbox.objects.get().provider_id.startswith("f-")


def test_it_retries_rate_limits_and_server_errors_with_backoff(standin, ani):
    from hadir.notify.models import Outbox

    standin.fail_next(429, 503, retry_after=120)
    with time_machine.travel(NOON, tick=False):
        _enqueue(ani, channels=["whatsapp"])
    _send(NOON)
    row = Outbox.objects.get()
    assert (row.status, row.attempts) == ("pending", 1)
    assert "HTTP 429" in row.last_error
    assert row.next_attempt_at == NOON + timedelta(seconds=120)  # Retry-After beats 60 s
    _send(NOON + timedelta(seconds=119))  # not due yet
    assert len(standin.requests()) == 1
    _send(NOON + timedelta(seconds=120))
    row.refresh_from_db()
    assert (row.status, row.attempts) == ("pending", 2)
    assert "HTTP 503" in row.last_error
    assert row.next_attempt_at == NOON + timedelta(seconds=120 + 120)  # 60·2, Retry-After 120
    _send(NOON + timedelta(seconds=240))
    row.refresh_from_db()
    assert (row.status, row.attempts, row.last_error) == ("sent", 3, "")
    assert [r["status"] for r in standin.requests()] == [429, 503, 200]


def test_it_gives_up_after_the_last_attempt(standin, ani):
    from hadir.notify.models import Outbox

    standin.fail_next(500, 502, 500, 500)
    with time_machine.travel(NOON, tick=False):
        _enqueue(ani, channels=["sms"])
    at = NOON
    for delay in (0, 60, 120):  # backoff doubles: 60 s, 120 s
        at += timedelta(seconds=delay)
        _send(at)
    row = Outbox.objects.get()
    assert (row.status, row.attempts) == ("failed", 3)
    assert row.last_error.endswith("(gave up)")
    _send(at + timedelta(days=1))
    assert [r["status"] for r in standin.requests()] == [500, 502, 500]


def test_it_fails_at_once_on_a_refused_token(standin, ani, settings):
    from hadir.notify.models import Outbox

    settings.HADIR_WHATSAPP = {**settings.HADIR_WHATSAPP, "token": "wrong"}
    with time_machine.travel(NOON, tick=False):
        _enqueue(ani, channels=["whatsapp"])
    _send(NOON)
    row = Outbox.objects.get()
    assert (row.status, row.attempts) == ("failed", 1)
    assert "HTTP 401" in row.last_error and "Invalid OAuth" in row.last_error


def test_it_retries_when_the_provider_is_unreachable(standin, ani, settings):
    from hadir.notify.models import Outbox

    settings.HADIR_SMS = {**settings.HADIR_SMS, "url": "http://127.0.0.1:1/sms"}
    with time_machine.travel(NOON, tick=False):
        _enqueue(ani, channels=["sms"])
    _send(NOON)
    row = Outbox.objects.get()
    assert (row.status, row.attempts) == ("pending", 1)
    assert row.last_error.startswith("network:")


def _subscription(ani, base: str, name: str):  # type: ignore[no-untyped-def]
    from hadir.notify.services import push_subscription_register

    browser_key = ec.generate_private_key(ec.SECP256R1())
    point = browser_key.public_key().public_bytes(
        serialization.Encoding.X962, serialization.PublicFormat.UncompressedPoint
    )
    return push_subscription_register(
        employee=ani, endpoint=f"{base}/push/{name}", p256dh=_b64(point), auth=_b64(os.urandom(16))
    )


def test_it_sends_web_push_with_vapid(standin, ani, settings):
    from hadir.notify.models import Outbox

    vapid = ec.generate_private_key(ec.SECP256R1()).private_numbers().private_value
    settings.HADIR_WEBPUSH = {
        "vapid_private_key": _b64(vapid.to_bytes(32, "big")),
        "vapid_subject": "mailto:bkpsdm@example.go.id",
    }
    _subscription(ani, standin.base, "phone")
    gone = _subscription(ani, standin.base, "old-laptop")
    with time_machine.travel(NOON, tick=False):
        assert _enqueue(ani, channels=["webpush"]) == 2
    standin.fail_next(201, 410)  # the second browser has unsubscribed
    _send(NOON)
    first, second = standin.requests()
    assert (first["status"], second["status"]) == (201, 410)
    assert first["headers"]["authorization"].startswith("vapid t=")
    assert first["headers"]["content-encoding"] == "aes128gcm"
    assert first["headers"]["ttl"] == str(24 * 3600)
    rows = {r.address: r for r in Outbox.objects.all()}
    assert (rows[str(gone.id - 1)].status, rows[str(gone.id - 1)].via) == ("sent", "webpush")
    assert rows[str(gone.id)].status == "failed"
    gone.refresh_from_db()
    assert not gone.active


def test_it_sends_e_mail_through_django(standin, ani):
    with time_machine.travel(NOON, tick=False):
        from hadir.notify.services import outbox_enqueue

        outbox_enqueue(
            key="e1",
            template="hadir_teguran_atasan",
            recipient=ani,
            context={**CONTEXT, "employee": "Dedi", "nip": "1"},
            channels=["email"],
        )
    _send(NOON)
    [message] = mail.outbox
    assert message.to == ["ani@example.go.id"]
    assert message.subject == "Teguran: bawahan belum memberi klarifikasi"
    assert "PP 94/2021" in message.body


def test_it_logs_messages_when_no_provider_is_configured(ani, settings):
    from hadir.notify.models import Outbox

    settings.HADIR_NOTIFY = {**settings.HADIR_NOTIFY, "quiet_hours": ""}
    with time_machine.travel(NOON, tick=False):
        _enqueue(ani)
    _send(NOON)
    assert set(Outbox.objects.values_list("status", "via")) == {("sent", "log")}
