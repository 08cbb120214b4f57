"""Delivery over each channel. Each function sends one outbox row or raises:
`TemporaryFailure` (try again later: 429, 5xx, network) or `PermanentFailure` (give up).

WhatsApp follows the WhatsApp Business Cloud API: POST {base}/{phone_number_id}/messages with a
Bearer token and a JSON body (`messaging_product`, `to`, `type` = text or template). SMS posts
{to, from, text} (field names and JSON or form encoding configurable) to an HTTP gateway, with a
Bearer token when one is set. E-mail goes through
Django's mail; Web Push through pywebpush with VAPID. A channel with no provider configured
delivers to the log channel instead.
"""

from __future__ import annotations

import json
import logging
import smtplib
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass
from email.utils import parsedate_to_datetime
from typing import Any

from django.conf import settings
from django.core.mail import send_mail

from hadir.notify.choices import Channel
from hadir.notify.models import Outbox, PushSubscription

log = logging.getLogger("hadir.notify")


class TemporaryFailure(Exception):
    def __init__(self, message: str, retry_after: float | None = None) -> None:
        super().__init__(message)
        self.retry_after = retry_after


class PermanentFailure(Exception):
    pass


@dataclass(frozen=True, slots=True)
class Delivered:
    via: str
    provider_id: str = ""


def _retry_after(value: str | None) -> float | None:
    if not value:
        return None
    try:
        return max(0.0, float(value))
    except ValueError:
        try:
            from django.utils import timezone

            return max(0.0, (parsedate_to_datetime(value) - timezone.now()).total_seconds())
        except (TypeError, ValueError):
            return None


def classify(status: int, detail: str, retry_after: str | None = None) -> Exception:
    """The failure an HTTP status means: 408, 429 and 5xx are worth retrying."""
    message = f"HTTP {status}: {detail[:300]}"
    if status in (408, 429) or status >= 500:
        return TemporaryFailure(message, _retry_after(retry_after))
    return PermanentFailure(message)


def post_json(url: str, body: dict[str, Any], token: str, *, form: bool = False) -> dict[str, Any]:
    """POST JSON (or a form) with a Bearer token when one is given; the parsed JSON answer,
    or a classified failure."""
    if not url.startswith(("http://", "https://")):
        raise PermanentFailure(f"not an HTTP URL: {url!r}")
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    if form:
        data = urllib.parse.urlencode(body).encode()
        headers["Content-Type"] = "application/x-www-form-urlencoded"
    else:
        data = json.dumps(body).encode()
        headers["Content-Type"] = "application/json"
    request = urllib.request.Request(  # noqa: S310  scheme checked above
        url, data=data, method="POST", headers=headers
    )
    timeout = settings.HADIR_NOTIFY["timeout_s"]
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:  # noqa: S310
            raw = response.read()
    except urllib.error.HTTPError as exc:
        detail = exc.read().decode("utf-8", "replace")
        raise classify(exc.code, detail, exc.headers.get("Retry-After")) from exc
    except (urllib.error.URLError, TimeoutError, OSError) as exc:
        raise TemporaryFailure(f"network: {exc}") from exc
    try:
        answer = json.loads(raw or b"{}")
    except ValueError:
        answer = {}
    return answer if isinstance(answer, dict) else {}


def _digits(phone: str) -> str:
    """The number in international form without '+': 0812... becomes 62812..."""
    digits = "".join(c for c in phone if c.isdigit())
    return "62" + digits[1:] if digits.startswith("0") else digits


def send_whatsapp(msg: Outbox) -> Delivered:
    cfg = settings.HADIR_WHATSAPP
    if not (cfg["phone_number_id"] and cfg["token"]):
        return send_log(msg)
    body: dict[str, Any] = {
        "messaging_product": "whatsapp",
        "recipient_type": "individual",
        "to": _digits(msg.address),
    }
    if cfg["use_templates"]:
        parameters = [{"type": "text", "text": p} for p in msg.params]
        body["type"] = "template"
        body["template"] = {
            "name": msg.template,
            "language": {"code": cfg["language"]},
            "components": [{"type": "body", "parameters": parameters}],
        }
    else:
        body["type"] = "text"
        body["text"] = {"preview_url": False, "body": msg.body}
    url = f"{cfg['base_url'].rstrip('/')}/{cfg['phone_number_id']}/messages"
    answer = post_json(url, body, cfg["token"])
    ids = [m.get("id", "") for m in answer.get("messages", []) if isinstance(m, dict)]
    return Delivered("whatsapp_cloud", ids[0] if ids else "")


def send_sms(msg: Outbox) -> Delivered:
    cfg = settings.HADIR_SMS
    if not cfg["url"]:
        return send_log(msg)
    to, sender, text = cfg["fields"]
    body = {to: _digits(msg.address), sender: cfg["sender"], text: msg.body}
    answer = post_json(cfg["url"], body, cfg["token"], form=cfg["format"] == "form")
    ids = [answer.get(k) for k in ("id", "message_id", "messageId") if answer.get(k)]
    return Delivered("sms_gateway", str(ids[0]) if ids else "")


def _email_configured() -> bool:
    smtp = settings.EMAIL_BACKEND == "django.core.mail.backends.smtp.EmailBackend"
    return bool(settings.EMAIL_HOST) or not smtp


def send_email(msg: Outbox) -> Delivered:
    if not _email_configured():
        return send_log(msg)
    try:
        send_mail(msg.subject, msg.body, None, [msg.address], fail_silently=False)
    except smtplib.SMTPRecipientsRefused as exc:
        raise PermanentFailure(f"recipient refused: {exc}") from exc
    except (smtplib.SMTPException, OSError) as exc:
        raise TemporaryFailure(f"smtp: {exc}") from exc
    return Delivered("email")


def send_webpush(msg: Outbox) -> Delivered:
    cfg = settings.HADIR_WEBPUSH
    if not cfg["vapid_private_key"]:
        return send_log(msg)
    from pywebpush import WebPushException, webpush

    sub = PushSubscription.objects.filter(id=int(msg.address), active=True).first()
    if sub is None:
        raise PermanentFailure("push subscription gone")
    info = {"endpoint": sub.endpoint, "keys": {"p256dh": sub.p256dh, "auth": sub.auth}}
    data = json.dumps({"title": msg.subject, "body": msg.body, "tag": msg.template})
    try:
        response = webpush(
            info,
            data=data,
            vapid_private_key=cfg["vapid_private_key"],
            vapid_claims={"sub": cfg["vapid_subject"]},
            timeout=settings.HADIR_NOTIFY["timeout_s"],
            ttl=24 * 3600,
        )
    except WebPushException as exc:
        response = exc.response
        if response is None:
            raise TemporaryFailure(f"push: {exc}") from exc
        if response.status_code in (404, 410):  # the browser unsubscribed
            PushSubscription.objects.filter(id=sub.id).update(active=False)
        raise classify(
            response.status_code, response.text, response.headers.get("Retry-After")
        ) from exc
    except OSError as exc:
        raise TemporaryFailure(f"push network: {exc}") from exc
    return Delivered("webpush", response.headers.get("Location", ""))


def send_log(msg: Outbox) -> Delivered:
    log.info("[%s -> %s] %s", msg.channel, msg.address, msg.body)
    return Delivered("log")


SENDERS = {
    Channel.WHATSAPP: send_whatsapp,
    Channel.SMS: send_sms,
    Channel.EMAIL: send_email,
    Channel.WEBPUSH: send_webpush,
    Channel.LOG: send_log,
}
