from django.db import models


class Channel(models.TextChoices):
    WHATSAPP = "whatsapp", "WhatsApp"
    SMS = "sms", "SMS"
    EMAIL = "email", "E-mail"
    WEBPUSH = "webpush", "Web Push"
    LOG = "log", "Log (tanpa penyedia)"


class OutboxStatus(models.TextChoices):
    PENDING = "pending", "Menunggu"
    SENDING = "sending", "Sedang dikirim"
    SENT = "sent", "Terkirim"
    FAILED = "failed", "Gagal"
    EXPIRED = "expired", "Kedaluwarsa (tidak dikirim)"
