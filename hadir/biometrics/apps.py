from django.apps import AppConfig


class BiometricsConfig(AppConfig):
    name = "hadir.biometrics"
    verbose_name = "Biometrik wajah"

    def ready(self) -> None:
        from hadir.core.env import env_bool

        if env_bool("HADIR_PRODUCTION", False):  # refuse to start without a real key
            from hadir.biometrics.crypto import _fernet

            _fernet()
