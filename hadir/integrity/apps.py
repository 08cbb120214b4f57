from django.apps import AppConfig


class IntegrityConfig(AppConfig):
    name = "hadir.integrity"
    verbose_name = "Integritas dan kasus kecurangan"

    def ready(self) -> None:
        from hadir.integrity import checks  # noqa: F401  (registers the background check)
