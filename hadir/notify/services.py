"""The outbox: enqueue in the caller's transaction, send what is due, retry with backoff.

The outbox row is the source of truth. A commit kicks the sender task; if the broker is down
the kick is lost but the row is not, and the periodic sweep (beat) sends it when it returns.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping, Sequence
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db import models, transaction
from django.utils import timezone

from hadir.notify.channels import SENDERS, PermanentFailure, TemporaryFailure
from hadir.notify.choices import Channel, OutboxStatus
from hadir.notify.models import ContactPreference, Outbox, PushSubscription
from hadir.notify.rules import backoff_seconds, parse_quiet_hours, quiet_release
from hadir.notify.templates import TEMPLATES
from hadir.org.models import Employee

log = logging.getLogger(__name__)
CLAIM_TIMEOUT = timedelta(minutes=10)


def _kick() -> None:
    from hadir.notify.tasks import send_due

    try:
        send_due.apply_async(retry=False)
    except Exception as exc:  # the rows are committed: the sweep sends them later
        log.warning("could not queue the outbox sender: %s", exc)


def _addresses(employee: Employee, channel: Channel, pref: ContactPreference | None) -> list[str]:
    if channel == Channel.WHATSAPP:
        number = (pref.whatsapp_number if pref else "") or employee.phone
        return [number] if number else []
    if channel == Channel.SMS:
        return [employee.phone] if employee.phone else []
    if channel == Channel.EMAIL:
        return [employee.email] if employee.email else []
    if channel == Channel.WEBPUSH:
        subs = PushSubscription.objects.filter(employee=employee, active=True).order_by("id")
        return [str(pk) for pk in subs.values_list("id", flat=True)]
    return [employee.key]


def _first_due(now: datetime, zone: ZoneInfo) -> datetime:
    release = quiet_release(now.astimezone(zone), parse_quiet_hours(_cfg("quiet_hours")))
    return now if release is None else release


def _cfg(name: str):  # type: ignore[no-untyped-def]
    return settings.HADIR_NOTIFY[name]


def outbox_enqueue(
    *,
    key: str,
    template: str,
    recipient: Employee,
    context: Mapping[str, object],
    channels: Sequence[Channel] | None = None,
    about: models.Model | None = None,
    only_channels: bool = False,
    expires_at: datetime | None = None,
) -> int:
    """Queue a message to a person on their channels, in the caller's transaction.

    Channels: the person's preference, else `channels`, else the template's; a channel without
    an address for the person is left out, and with none left the message goes to the log
    channel. `only_channels`: exactly `channels`, no preference and no log fallback (a
    reminder by Web Push goes nowhere else). `expires_at`: never sent after it.
    Idempotent: rows are keyed "{key}:{channel}[:{address}]". Returns rows created.
    """
    tpl = TEMPLATES[template]
    subject, body, params = tpl.render(context)
    pref = ContactPreference.objects.filter(employee=recipient).first()
    preferred = pref.channels if pref and isinstance(pref.channels, list) else []
    wanted = [Channel(c) for c in preferred if c in Channel.values]
    wanted = wanted or list(channels or tpl.channels)
    if only_channels:
        wanted = list(channels or tpl.channels)
    now = timezone.now()
    due = _first_due(now, ZoneInfo(recipient.region.timezone))
    rows: list[Outbox] = []
    for channel in dict.fromkeys(wanted):
        for address in _addresses(recipient, channel, pref):
            suffix = f":{address}" if channel == Channel.WEBPUSH else ""
            rows.append(Outbox(key=f"{key}:{channel}{suffix}", channel=channel, address=address))
    if not rows and not only_channels:
        rows = [Outbox(key=f"{key}:log", channel=Channel.LOG, address=recipient.key)]
    for row in rows:
        row.recipient = recipient
        row.template, row.subject, row.body, row.params = template, subject, body, params
        row.next_attempt_at, row.deferred_quiet = due, due > now
        row.expires_at = expires_at
        if about is not None:
            row.object_type, row.object_id = type(about).__name__, str(about.pk)
    with transaction.atomic():
        existing = set(
            Outbox.objects.filter(key__in=[r.key for r in rows]).values_list("key", flat=True)
        )
        fresh = [r for r in rows if r.key not in existing]
        Outbox.objects.bulk_create(fresh, ignore_conflicts=True)
        pending = transaction.get_connection().run_on_commit
        if fresh and not any(callback[1] is _kick for callback in pending):
            transaction.on_commit(_kick, robust=True)  # one kick per transaction
    return len(fresh)


def _zone_of(msg: Outbox) -> ZoneInfo:
    region = msg.recipient.region if msg.recipient else None
    return ZoneInfo(region.timezone if region else settings.TIME_ZONE)


def _deliver(msg: Outbox, now: datetime) -> bool:
    """Send one claimed row; False when held back or failed (it stays or goes back pending)."""
    if msg.expires_at is not None and now > msg.expires_at:
        _finish(msg, msg.attempts, OutboxStatus.EXPIRED, error="expired before it could be sent")
        return False
    due = _first_due(now, _zone_of(msg))
    if due > now:
        Outbox.objects.filter(id=msg.id).update(
            status=OutboxStatus.PENDING, next_attempt_at=due, deferred_quiet=True
        )
        return False
    attempts = msg.attempts + 1
    try:
        result = SENDERS[Channel(msg.channel)](msg)
    except TemporaryFailure as exc:
        if attempts >= _cfg("max_attempts"):
            _finish(msg, attempts, OutboxStatus.FAILED, error=f"{exc} (gave up)")
        else:
            delay = backoff_seconds(
                attempts,
                base=_cfg("backoff_s"),
                cap=_cfg("backoff_cap_s"),
                retry_after=exc.retry_after,
            )
            _finish(msg, attempts, OutboxStatus.PENDING, error=str(exc))
            Outbox.objects.filter(id=msg.id).update(next_attempt_at=now + timedelta(seconds=delay))
        return False
    except PermanentFailure as exc:
        _finish(msg, attempts, OutboxStatus.FAILED, error=str(exc))
        return False
    Outbox.objects.filter(id=msg.id).update(
        status=OutboxStatus.SENT,
        attempts=attempts,
        via=result.via,
        provider_id=result.provider_id[:200],
        sent_at=now,
        last_error="",
    )
    return True


def _finish(msg: Outbox, attempts: int, status: OutboxStatus, *, error: str) -> None:
    log.warning("outbox %s attempt %s: %s", msg.id, attempts, error)
    Outbox.objects.filter(id=msg.id).update(status=status, attempts=attempts, last_error=error)


def outbox_send_due(*, limit: int = 500) -> int:
    """Send due rows; each claimed with a conditional update, so a row goes out once."""
    now = timezone.now()
    Outbox.objects.filter(status=OutboxStatus.SENDING, claimed_at__lt=now - CLAIM_TIMEOUT).update(
        status=OutboxStatus.PENDING
    )
    ids = list(
        Outbox.objects.filter(status=OutboxStatus.PENDING, next_attempt_at__lte=now)
        .order_by("next_attempt_at", "id")
        .values_list("id", flat=True)[:limit]
    )
    sent = 0
    for pk in ids:
        claimed = Outbox.objects.filter(id=pk, status=OutboxStatus.PENDING).update(
            status=OutboxStatus.SENDING, claimed_at=now
        )
        if claimed:
            msg = Outbox.objects.select_related("recipient__region").get(id=pk)
            sent += _deliver(msg, now)
    return sent


def outbox_retry(*, ids: Sequence[int]) -> int:
    """Put failed rows back in the queue now (the admin's action)."""
    return Outbox.objects.filter(id__in=list(ids), status=OutboxStatus.FAILED).update(
        status=OutboxStatus.PENDING, attempts=0, next_attempt_at=timezone.now()
    )


def push_subscription_register(
    *, employee: Employee, endpoint: str, p256dh: str, auth: str
) -> PushSubscription:
    """Store (or renew) a browser's Web Push subscription for the person (the PWA calls it)."""
    with transaction.atomic():
        sub, _ = PushSubscription.objects.update_or_create(
            endpoint=endpoint,
            defaults={"employee": employee, "p256dh": p256dh, "auth": auth, "active": True},
        )
    return sub
