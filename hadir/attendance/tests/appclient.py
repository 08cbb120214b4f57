"""A client of the employee app's API for tests (docs/checkin.md): device keys made by
`cryptography` that sign as WebCrypto does, real JPEG frames, signed offline records."""

from __future__ import annotations

import hashlib
import io
import json
import uuid
from dataclasses import dataclass, field
from datetime import datetime
from functools import lru_cache
from typing import Any

from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.asymmetric.utils import decode_dss_signature
from django.test import Client
from django.test.client import encode_multipart

from conftest import EMPLOYEE_NIP
from hadir.attendance.offline import canonical
from hadir.devices.services.phones import b64url, jwk_thumbprint

PASSWORD = "kata-sandi-ani-2026"
SITE = (-0.5021, 117.1536)  # Kantor Dinas Contoh, radius 100 m
NOW = "2026-11-30 07:10:00+08:00"  # a Monday, inside the masuk window (06:00-12:00)
APP_VERSION = "0.1.0"


@lru_cache(maxsize=8)
def jpeg(variant: int = 0, size: int = 320, quality: int = 80) -> bytes:
    """A real photo (skimage's astronaut), slightly shifted per variant, as JPEG."""
    from PIL import Image
    from skimage import data

    image = Image.fromarray(data.astronaut()).resize((size + 8, size + 8))
    image = image.crop((variant, variant, variant + size, variant + size))
    out = io.BytesIO()
    image.save(out, "JPEG", quality=quality)
    return out.getvalue()


def frames(n: int = 3) -> list[bytes]:
    return [jpeg(i) for i in range(n)]


@dataclass
class DeviceKey:
    private: ec.EllipticCurvePrivateKey = field(
        default_factory=lambda: ec.generate_private_key(ec.SECP256R1())
    )

    @property
    def jwk(self) -> dict[str, str]:
        numbers = self.private.public_key().public_numbers()
        return {
            "kty": "EC",
            "crv": "P-256",
            "x": b64url(numbers.x.to_bytes(32, "big")),
            "y": b64url(numbers.y.to_bytes(32, "big")),
        }

    @property
    def thumbprint(self) -> str:
        return jwk_thumbprint(self.jwk)

    def sign(self, data: bytes) -> str:
        """As WebCrypto answers: raw r||s, 64 bytes, base64url."""
        der = self.private.sign(data, ec.ECDSA(hashes.SHA256()))
        r, s = decode_dss_signature(der)
        return b64url(r.to_bytes(32, "big") + s.to_bytes(32, "big"))


@dataclass
class App:
    """One installation of the employee app: a key, a token, an offline chain."""

    key: DeviceKey = field(default_factory=DeviceKey)
    token: str = ""
    version: str = APP_VERSION
    client: Client = field(default_factory=Client)
    seq: int = 0
    head: str = ""

    def headers(self, token: str | None = None) -> dict[str, str]:
        out = {"HTTP_X_HADIR_APP_VERSION": self.version}
        token = self.token if token is None else token
        if token:
            out["HTTP_AUTHORIZATION"] = f"Bearer {token}"
        return out

    def login(self, nip: str = EMPLOYEE_NIP, password: str = PASSWORD) -> Any:
        response = self.client.post(
            "/api/v1/auth/login",
            {"nip": nip, "password": password, "device": {"public_key": self.key.jwk}},
            content_type="application/json",
            **self.headers(token=""),
        )
        if response.status_code == 200:
            self.token = response.json()["token"]
            self.head = response.json()["device"]["chain"]["head"]
        return response

    def get(self, path: str, **extra: Any) -> Any:
        return self.client.get(f"/api/v1{path}", **self.headers(), **extra)

    def post_json(self, path: str, body: Any) -> Any:
        return self.client.post(
            f"/api/v1{path}", body, content_type="application/json", **self.headers()
        )

    def challenge(self, checkpoint: str = "masuk") -> Any:
        return self.post_json("/checkins/challenge", {"checkpoint": checkpoint})

    def payload(self, nonce: str | None = None, **changes: Any) -> dict[str, Any]:
        if nonce is None:
            nonce = self.challenge(changes.get("checkpoint", "masuk")).json()["nonce"]
        body = {
            "nonce": nonce,
            "checkpoint": "masuk",
            "idempotency_key": str(uuid.uuid4()),
            "latitude": SITE[0],
            "longitude": SITE[1],
            "accuracy_m": 12.0,
            "device_time": datetime.fromisoformat(NOW).isoformat(),
            "mock_location": None,
        }
        body.update(changes)
        return body

    def multipart(self, path: str, name: str, part: Any, blobs: list[bytes]) -> Any:
        boundary = "hadirBoundary"
        data: dict[str, Any] = {name: part if isinstance(part, str) else json.dumps(part)}
        if blobs:  # every frame under the same field name, as a browser's FormData sends them
            data["frames"] = [_named(f"f{i}.jpg", io.BytesIO(b)) for i, b in enumerate(blobs)]
        body = encode_multipart(boundary, data)
        return self.client.generic(
            "POST",
            f"/api/v1{path}",
            body,
            content_type=f"multipart/form-data; boundary={boundary}",
            **self.headers(),
        )

    def checkin(
        self, payload: dict[str, Any] | None = None, blobs: list[bytes] | None = None
    ) -> Any:
        return self.multipart(
            "/checkins", "payload", payload or self.payload(), frames() if blobs is None else blobs
        )

    def record(self, **changes: Any) -> dict[str, Any]:
        """The next offline record of this device's chain (not yet signed)."""
        blobs = changes.pop("blobs", None) or frames()
        record = {
            "device": self.key.thumbprint,
            "seq": self.seq + 1,
            "prev": self.head,
            "checkpoint": "masuk",
            "latitude": SITE[0],
            "longitude": SITE[1],
            "accuracy_m": 12.0,
            "device_time": "2026-11-30T07:05:00.000+08:00",
            "monotonic_ms": 600000,
            "boot": "boot-1",
            "server_offset_ms": 0,
            "frames": [hashlib.sha256(b).hexdigest() for b in blobs],
            "idempotency_key": str(uuid.uuid4()),
        }
        record.update(changes)
        return record

    def envelope(self, record: dict[str, Any], key: DeviceKey | None = None) -> dict[str, Any]:
        body = canonical(record).encode()
        return {
            "record": record,
            "hash": hashlib.sha256(body).hexdigest(),
            "signature": (key or self.key).sign(body),
        }

    def offline(self, record: dict[str, Any], blobs: list[bytes] | None = None, **kw: Any) -> Any:
        envelope = kw.get("envelope") or self.envelope(record)
        response = self.multipart("/checkins/offline", "envelope", envelope, blobs or frames())
        if response.status_code in (200, 201):
            self.seq = max(self.seq, record["seq"])
            self.head = response.json()["chain"]["head"]
        return response


def _named(name: str, stream: io.BytesIO) -> io.BytesIO:
    stream.name = name
    return stream


def assert_error(response: Any, status: int, code: str) -> dict[str, Any]:
    assert response.status_code == status, (response.status_code, response.content[:500])
    assert response["Content-Type"].startswith("application/json")
    body = response.json()
    assert body["code"] == code, body
    assert body["detail"], body
    return body
