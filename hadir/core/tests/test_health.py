from __future__ import annotations

import pytest
from django.test import Client

from hadir.celery import app

pytestmark = pytest.mark.django_db


def test_it_is_healthy_with_the_local_broker(settings, tmp_path) -> None:  # type: ignore[no-untyped-def]
    response = Client().get("/healthz")
    assert response.status_code == 200 and response.json() == {"status": "ok"}


def test_it_answers_503_when_the_broker_is_unreachable(monkeypatch) -> None:  # type: ignore[no-untyped-def]
    # Nothing listens on port 1 of loopback: a real connection attempt that fails.
    monkeypatch.setattr(app.conf, "broker_url", "amqp://guest:guest@127.0.0.1:1//")
    response = Client().get("/healthz")
    assert response.status_code == 503
    body = response.json()
    assert body["status"] == "unavailable" and "broker" in body["problems"]
    assert "database" not in body["problems"]


def test_it_answers_only_get() -> None:
    assert Client().post("/healthz").status_code == 405
