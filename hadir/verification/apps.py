from django.apps import AppConfig


class VerificationConfig(AppConfig):
    name = "hadir.verification"
    verbose_name = "Verifikasi"
