from django.apps import AppConfig


class BiometricsConfig(AppConfig):
    name = "hadir.biometrics"
    verbose_name = "Biometrik wajah"

    def ready(self) -> None:
        import os

        from hadir.core.env import env_bool

        # Fail at start-up, not at the first face: no key in production, or a malformed key.
        if env_bool("HADIR_PRODUCTION", False) or os.environ.get("HADIR_BIOMETRIC_KEY"):
            from hadir.biometrics.crypto import _fernet

            _fernet()
