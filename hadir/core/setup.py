from __future__ import annotations

from django.conf import settings


def ensure_var_dirs() -> None:
    """Create the folders the embedded defaults write to (database, broker, media)."""
    for path in (
        settings.VAR_DIR,
        settings.MEDIA_ROOT,
        settings.STATIC_ROOT,
        settings.BROKER_DIR / "queue",
        settings.BROKER_DIR / "processed",
        settings.BROKER_DIR / "control",
    ):
        path.mkdir(parents=True, exist_ok=True)
