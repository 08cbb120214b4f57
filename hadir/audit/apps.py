from django.apps import AppConfig


class AuditConfig(AppConfig):
    name = "hadir.audit"
    label = "audit"
    verbose_name = "Jejak audit"
