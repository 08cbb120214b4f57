"""The outbox (the source of truth for every message) and the recipients' channel settings."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import models

from hadir.notify.choices import Channel, OutboxStatus


class Outbox(models.Model):
    """One message on one channel to one address, written in the transaction of its cause.

    `key` makes enqueueing idempotent: the same cause never queues a message twice. The worker
    claims due rows with a conditional update, so two workers never send one row twice.
    """

    key = models.CharField(max_length=200, unique=True)
    channel = models.CharField(max_length=16, choices=Channel.choices)
    via = models.CharField(
        max_length=16, blank=True, help_text="What carried it: the provider, or 'log'"
    )
    recipient = models.ForeignKey(
        "org.Employee", null=True, blank=True, on_delete=models.SET_NULL, related_name="messages"
    )
    address = models.CharField(max_length=500, help_text="Phone, e-mail or push subscription id")
    template = models.CharField(max_length=64)
    subject = models.CharField(max_length=200, blank=True)
    body = models.TextField()
    params = models.JSONField(default=list, help_text="Template parameters, in order")
    status = models.CharField(
        max_length=16, choices=OutboxStatus.choices, default=OutboxStatus.PENDING
    )
    attempts = models.PositiveSmallIntegerField(default=0)
    next_attempt_at = models.DateTimeField(db_index=True)
    claimed_at = models.DateTimeField(null=True, blank=True)
    deferred_quiet = models.BooleanField(default=False, help_text="Held back by quiet hours")
    expires_at = models.DateTimeField(
        null=True, blank=True, help_text="Not sent after this (a reminder whose window closed)"
    )
    last_error = models.TextField(blank=True)
    provider_id = models.CharField(max_length=200, blank=True)
    object_type = models.CharField(max_length=64, blank=True)
    object_id = models.CharField(max_length=64, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = "outbox message"
        indexes = [models.Index(fields=["status", "next_attempt_at"], name="outbox_due")]

    def __str__(self) -> str:
        return f"{self.template} -> {self.channel}:{self.address} ({self.status})"


def validate_channels(value: object) -> None:
    known = set(Channel.values) - {Channel.LOG}
    if not isinstance(value, list) or any(c not in known for c in value):
        raise ValidationError(f"a list of channels among {', '.join(sorted(known))}")


class ContactPreference(models.Model):
    """A person's channels, in order of preference; empty means each message's defaults."""

    employee = models.OneToOneField(
        "org.Employee", on_delete=models.CASCADE, related_name="contact_preference"
    )
    channels = models.JSONField(
        default=list,
        blank=True,
        validators=[validate_channels],
        help_text='e.g. ["whatsapp", "email"]',
    )
    whatsapp_number = models.CharField(
        max_length=32, blank=True, help_text="Empty: the employee's phone"
    )

    def __str__(self) -> str:
        return f"{self.employee}: {', '.join(self.channels) or 'default'}"


class PushSubscription(models.Model):
    """A browser's Web Push subscription (the PWA registers it)."""

    employee = models.ForeignKey(
        "org.Employee", on_delete=models.CASCADE, related_name="push_subscriptions"
    )
    endpoint = models.URLField(max_length=1000, unique=True)
    p256dh = models.CharField(max_length=200)
    auth = models.CharField(max_length=100)
    active = models.BooleanField(default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return f"{self.employee} {self.endpoint[:60]}"
