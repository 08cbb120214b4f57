"""Encryption at rest of biometric data (face encodings) with Fernet (AES-128-CBC + HMAC-SHA256).

Keys come from `HADIR_BIOMETRIC_KEY`: one or more comma-separated Fernet keys (urlsafe base64 of
32 bytes, `python -c "from cryptography.fernet import Fernet; print(Fernet.generate_key())"`);
the first encrypts, all decrypt, so a key can be rotated. Without it a development key applies,
refused when `HADIR_PRODUCTION` is on.
"""

from __future__ import annotations

import base64
import hashlib
from functools import lru_cache

import numpy as np
from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from django.core.exceptions import ImproperlyConfigured

from hadir.core.env import env_bool, env_list

_DEV_KEY = base64.urlsafe_b64encode(hashlib.sha256(b"hadir-development-biometric-key").digest())


class BiometricKeyError(Exception):
    """Stored biometric data cannot be decrypted with the configured keys."""


@lru_cache(maxsize=1)
def _fernet() -> MultiFernet:
    keys = env_list("HADIR_BIOMETRIC_KEY", [])
    if not keys:
        if env_bool("HADIR_PRODUCTION", False):
            raise ImproperlyConfigured(
                "HADIR_PRODUCTION is set: HADIR_BIOMETRIC_KEY must be set too (a Fernet key)"
            )
        return MultiFernet([Fernet(_DEV_KEY)])
    try:
        return MultiFernet([Fernet(key.encode()) for key in keys])
    except ValueError as exc:
        raise ImproperlyConfigured(
            "HADIR_BIOMETRIC_KEY: each key must be 32 bytes in urlsafe base64 (a Fernet key)"
        ) from exc


def reset_keys() -> None:
    """Forget the cached keys (after the environment changed: tests, rotation)."""
    _fernet.cache_clear()


def seal(vectors: list[np.ndarray]) -> bytes:
    """Encrypt face encodings (each 128 float32)."""
    raw = b"".join(np.asarray(v, dtype="<f4").tobytes() for v in vectors)
    return _fernet().encrypt(raw)


def unseal(token: bytes) -> list[np.ndarray]:
    try:
        raw = _fernet().decrypt(bytes(token))
    except InvalidToken as exc:
        raise BiometricKeyError(
            "biometric data cannot be decrypted with HADIR_BIOMETRIC_KEY"
        ) from exc
    flat = np.frombuffer(raw, dtype="<f4")
    if flat.size % 128:
        raise BiometricKeyError("biometric data has an unexpected length")
    return [flat[i : i + 128].copy() for i in range(0, flat.size, 128)]


def seal_bytes(data: bytes) -> bytes:
    """Encrypt a file's bytes (a face photo) with the same keys as the templates."""
    return _fernet().encrypt(data)


def unseal_bytes(token: bytes) -> bytes:
    try:
        return _fernet().decrypt(token)
    except InvalidToken as exc:
        raise BiometricKeyError(
            "a biometric file cannot be decrypted with HADIR_BIOMETRIC_KEY"
        ) from exc
