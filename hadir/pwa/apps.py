from django.apps import AppConfig


class PwaConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "hadir.pwa"
    label = "pwa"
    verbose_name = "Aplikasi pegawai"
