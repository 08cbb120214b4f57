"""The face check in a real `hadir run`: an employee consents and enrolls over HTTP, checks in
with live frames, and the Celery worker process matches the face and writes the risk."""

from __future__ import annotations

import io
import json
import sqlite3
import time
import urllib.request
from collections.abc import Iterator
from datetime import UTC, datetime
from typing import Any

import pytest
from django.test.client import encode_multipart

from hadir.attendance.tests.appclient import DeviceKey
from hadir.biometrics import testing as render
from hadir.demo.services import DEMO_PASSWORD
from tests.processes import hadir_running

VERSION = "99.0.0"


@pytest.fixture(scope="module")
def running(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, dict[str, str]]]:
    var = tmp_path_factory.mktemp("var")
    with hadir_running(
        var,
        HADIR_DEMO_EMPLOYEES="12",
        HADIR_DEMO_DAYS="2",
        HADIR_WEB_WORKERS="1",
        HADIR_WORKER_CONCURRENCY="1",
    ) as started:
        yield started


def _call(
    base: str,
    method: str,
    path: str,
    token: str = "",
    body: Any = None,
    files: list[bytes] | None = None,
    payload: Any = None,
) -> tuple[int, Any]:
    headers = {"X-Hadir-App-Version": VERSION}
    if token:
        headers["Authorization"] = f"Bearer {token}"
    data = None
    if files is not None:
        parts: dict[str, Any] = {"frames": [_named(i, b) for i, b in enumerate(files)]}
        if payload is not None:
            parts["payload"] = json.dumps(payload)
        data = encode_multipart("hadirB", parts)
        headers["Content-Type"] = "multipart/form-data; boundary=hadirB"
    elif body is not None:
        data = json.dumps(body).encode()
        headers["Content-Type"] = "application/json"
    url = f"{base}/api/v1{path}"
    request = urllib.request.Request(url, data, headers, method=method)  # noqa: S310 (loopback)
    try:
        with urllib.request.urlopen(request, timeout=60) as response:  # noqa: S310 (loopback)
            return response.status, json.loads(response.read())
    except urllib.error.HTTPError as exc:
        return exc.code, json.loads(exc.read())


def _named(index: int, data: bytes) -> io.BytesIO:
    stream = io.BytesIO(data)
    stream.name = f"f{index}.jpg"
    return stream


def test_the_worker_matches_a_live_checkin(running) -> None:  # type: ignore[no-untyped-def]
    base, env = running
    db = sqlite3.connect(env["DATABASE_URL"].removeprefix("sqlite:///"), timeout=30)
    nip = db.execute(
        "select nip from org_employee where nip is not null and user_id is not null limit 1"
    ).fetchone()[0]
    status, login = _call(
        base,
        "POST",
        "/auth/login",
        body={"nip": nip, "password": DEMO_PASSWORD, "device": {"public_key": DeviceKey().jwk}},
    )
    assert status == 200, login
    token = login["token"]
    assert _call(base, "POST", "/me/biometrics/consent", token, {"agree": True})[0] == 200
    status, enrolled = _call(
        base,
        "POST",
        "/me/biometrics/enroll",
        token,
        files=[render.jpeg(render.person("astronaut"))],
    )
    assert (status, enrolled["enrolled"]) == (201, True), enrolled
    status, challenge = _call(base, "POST", "/checkins/challenge", token, {"checkpoint": "masuk"})
    assert status == 200, challenge
    instruction = challenge["instruction"]
    payload = {
        "nonce": challenge["nonce"],
        "checkpoint": "masuk",
        "idempotency_key": "face-worker-1",
        "latitude": 0.5021347,
        "longitude": 117.1536123,
        "accuracy_m": 11.5,
        "device_time": datetime.now(UTC).isoformat(),
        "mock_location": None,
    }
    frames = render.burst("astronaut", instruction, seed=1)
    status, answer = _call(base, "POST", "/checkins", token, files=frames, payload=payload)
    assert status == 201, answer
    query = (
        "select c.checked_at, c.risk_reasons, f.matched, f.liveness_passed, f.status "
        "from attendance_checkin c join biometrics_facecheck f on f.checkin_id = c.id "
        "where c.id = ?"
    )
    deadline = time.monotonic() + 120
    while (row := db.execute(query, (answer["id"],)).fetchone()) is None or row[0] is None:
        if time.monotonic() > deadline:
            pytest.fail(f"the worker did not check check-in {answer['id']}")
        time.sleep(1)
    _, reasons, matched, live, face_status = row
    assert (face_status, matched, live) == ("checked", 1, 1)
    codes = [r["code"] for r in json.loads(reasons)]
    assert not {"face_mismatch", "liveness_failed", "photo_reused"} & set(codes), codes
