"""The provider stand-in, started in its own process on loopback for this module's tests."""

from __future__ import annotations

import json
import subprocess
import sys
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import pytest

TOKEN = "standin-secret-token"
PHONE_NUMBER_ID = "106540352242922"


@dataclass
class Standin:
    base: str

    def _call(self, path: str, body: Any = None) -> Any:
        data = None if body is None else json.dumps(body).encode()
        method = "POST" if data else "GET"
        request = urllib.request.Request(self.base + path, data=data, method=method)  # noqa: S310
        with urllib.request.urlopen(request, timeout=5) as response:  # noqa: S310
            return json.loads(response.read())

    def fail_next(self, *statuses: int, retry_after: int | None = None) -> None:
        self._call("/_fail", {"statuses": list(statuses), "retry_after": retry_after})

    def requests(self) -> list[dict[str, Any]]:
        return self._call("/_requests")

    def reset(self) -> None:
        self._call("/_reset", {})


@pytest.fixture(scope="module")
def standin_server() -> Iterator[Standin]:
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "hadir.notify.testing.standin",
            "--token",
            TOKEN,
            "--phone-number-id",
            PHONE_NUMBER_ID,
        ],
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        line = proc.stdout.readline() if proc.stdout else ""
        assert line.startswith("PORT "), line
        yield Standin(f"http://127.0.0.1:{int(line.split()[1])}")
    finally:
        proc.terminate()
        proc.wait(timeout=10)


@pytest.fixture
def standin(standin_server: Standin, settings) -> Standin:  # type: ignore[no-untyped-def]
    """Every provider pointed at the stand-in; no quiet hours; quick, short retries."""
    standin_server.reset()
    settings.HADIR_WHATSAPP = {
        "base_url": standin_server.base,
        "phone_number_id": PHONE_NUMBER_ID,
        "token": TOKEN,
        "use_templates": False,
        "language": "id",
    }
    settings.HADIR_SMS = {
        "url": standin_server.base + "/sms",
        "token": TOKEN,
        "sender": "HADIR",
        "format": "json",
        "fields": ["to", "from", "text"],
    }
    settings.HADIR_NOTIFY = {
        "quiet_hours": "",
        "max_attempts": 3,
        "backoff_s": 60,
        "backoff_cap_s": 3600,
        "timeout_s": 5,
        "remind_before_min": 10,
    }
    return standin_server


@pytest.fixture
def ani(db):  # type: ignore[no-untyped-def]
    from hadir.org.models import Employee, Region, Unit

    region = Region.objects.create(code="6408", name="Kutai Timur", timezone="Asia/Makassar")
    unit = Unit.objects.create(region=region, code="A", name="Dinas Contoh", path="/1/")
    return Employee.objects.create(
        region=region,
        key="198503152010012002",
        nip="198503152010012002",
        kind="PNS",
        name="Ani Lestari",
        unit=unit,
        phone="0812-3456-7890",
        email="ani@example.go.id",
    )
