"""The committed OpenAPI description (docs/openapi.json) is the one the server serves."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from django.test import Client

DOC = Path(__file__).resolve().parents[3] / "docs" / "openapi.json"


@pytest.mark.django_db
def test_it_serves_the_committed_openapi_file() -> None:
    served = Client().get("/api/v1/openapi.json")
    assert served.status_code == 200
    committed = json.loads(DOC.read_text(encoding="utf-8"))
    assert served.json() == committed, (
        "docs/openapi.json is out of date: run `.venv/bin/python tools/write_openapi.py`"
    )
    paths = committed["paths"]
    for path in (
        "/api/v1/auth/login",
        "/api/v1/checkins",
        "/api/v1/checkins/offline",
        "/api/v1/me/today",
    ):
        assert path in paths
    body = paths["/api/v1/checkins"]["post"]["requestBody"]["content"]
    assert "multipart/form-data" in body
