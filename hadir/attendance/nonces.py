"""Challenges of the employee app's check-ins, signed instead of stored.

A challenge is a nonce that carries its device, expiry and liveness instruction, signed with
an HMAC of the server's secret key (bound to the checkpoint when one was asked for). Issuing
one writes nothing, which matters in the morning burst; using one inserts its row
(`CheckInChallenge`, unique nonce) with the check-in (hadir.attendance.store), so a second
use finds the row and is refused.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from django.db import connection
from django.utils.crypto import constant_time_compare, salted_hmac

from hadir.attendance.choices import Instruction
from hadir.attendance.models import CheckInChallenge
from hadir.devices.models import EmployeeDevice
from hadir.devices.services.phones import ApiError, b64url

SALT = "hadir.attendance.checkin-challenge"
INSTRUCTIONS = list(Instruction)


class NonceForeign(ApiError):
    code, status = "nonce_foreign", 403


class NonceUsed(ApiError):
    code, status = "nonce_used", 409


class NonceExpired(ApiError):
    code, status = "nonce_expired", 410


class NonceMismatch(ApiError):
    code, status = "validation_error", 422


@dataclass(frozen=True)
class Challenge:
    nonce: str
    instruction: str
    expires_at: datetime


def _mac(payload: str, checkpoint: str) -> str:
    return b64url(salted_hmac(SALT, f"{payload}|{checkpoint}", algorithm="sha256").digest()[:16])


def nonce_issue(*, device: EmployeeDevice, checkpoint: str, ttl_s: int, now: datetime) -> Challenge:
    """A fresh challenge for this device (nothing is written)."""
    index = secrets.randbelow(len(INSTRUCTIONS))
    expires = int(now.timestamp()) + ttl_s
    bound = 1 if checkpoint else 0
    payload = f"{device.pk:x}.{expires:x}.{index}{bound}.{secrets.token_urlsafe(6)}"
    return Challenge(
        nonce=f"{payload}.{_mac(payload, checkpoint)}",
        instruction=INSTRUCTIONS[index],
        expires_at=datetime.fromtimestamp(expires, tz=UTC),
    )


@dataclass(frozen=True)
class NonceRow:
    """A checked nonce: the `CheckInChallenge` row its use inserts (values adapted for the
    database) and its liveness instruction."""

    values: list[Any]
    instruction: str

    @staticmethod
    def insert_sql() -> str:
        """The row's INSERT; it returns the new id, or nothing when the nonce was used."""
        return (
            f"INSERT INTO {connection.ops.quote_name(CheckInChallenge._meta.db_table)} "  # noqa: S608
            "(device_id, nonce, checkpoint, instruction, created_at, expires_at, used_at) "
            "VALUES (%s, %s, %s, %s, %s, %s, %s) ON CONFLICT (nonce) DO NOTHING RETURNING id"
        )


def nonce_check(
    *, device: EmployeeDevice, nonce: str, checkpoint: str, ttl_s: int, now: datetime
) -> NonceRow:
    """Check the nonce's form, signature, device and expiry (no query); its use is recorded by
    inserting the returned row, where a second use finds the unique nonce taken."""
    try:
        device_hex, expires_hex, flags, rand, mac = nonce.split(".")
        device_id, expires, index, bound = (
            int(device_hex, 16),
            int(expires_hex, 16),
            int(flags[0]),
            flags[1] == "1",
        )
        if len(flags) != 2 or not rand or index >= len(INSTRUCTIONS):
            raise ValueError(flags)
    except (ValueError, IndexError):
        raise NonceExpired("Tantangan tidak dikenal atau kedaluwarsa. Ulangi absen.") from None
    payload = f"{device_hex}.{expires_hex}.{flags}.{rand}"
    if not constant_time_compare(mac, _mac(payload, checkpoint if bound else "")):
        raise NonceMismatch("Tantangan tidak sah untuk titik absen ini. Ulangi absen.")
    if device_id != device.pk:
        raise NonceForeign("Tantangan ini milik perangkat lain.")
    expires_at = datetime.fromtimestamp(expires, tz=UTC)
    if expires_at < now:
        raise NonceExpired("Waktu tantangan habis. Ulangi absen.")
    instruction = str(INSTRUCTIONS[index])
    adapt = connection.ops.adapt_datetimefield_value
    return NonceRow(
        values=[
            device.pk,
            nonce,
            checkpoint if bound else "",
            instruction,
            adapt(expires_at - timedelta(seconds=ttl_s)),
            adapt(expires_at),
            adapt(now),
        ],
        instruction=instruction,
    )


def nonce_used() -> NonceUsed:
    return NonceUsed("Tantangan ini sudah dipakai. Ulangi absen.")
