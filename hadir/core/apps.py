from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "hadir.core"
    label = "core"
    verbose_name = "hadir"
