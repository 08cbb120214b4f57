from django.apps import AppConfig


class NotifyConfig(AppConfig):
    name = "hadir.notify"
    label = "notify"
    verbose_name = "Notifikasi"
