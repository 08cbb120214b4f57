"""Benchmark: each staff dashboard rendered for the demo region (`hadir demo`: 300 employees
and 60 days of history by default), through the full Django stack with a logged-in session.
Prints the median and slowest of 7 renders per page, after one warm-up. Target: < 300 ms.

Run with `make bench` (PostgreSQL), or on SQLite with DATABASE_URL unset.
"""

from __future__ import annotations

import os
import statistics
import time

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from hadir.demo.services import DEMO_PASSWORD, demo_create

pytestmark = [pytest.mark.benchmark, pytest.mark.django_db(transaction=True)]

EMPLOYEES = int(os.environ.get("HADIR_BENCH_DEMO_EMPLOYEES", "300"))
RUNS = 7


def _client(username: str) -> Client:
    from django_otp.oath import TOTP
    from django_otp.plugins.otp_totp.models import TOTPDevice

    client = Client()
    response = client.post("/web/masuk/", {"username": username, "password": DEMO_PASSWORD})
    assert response.status_code == 302
    if response["Location"] == "/web/otp/":
        from django.contrib.auth import get_user_model

        user = get_user_model().objects.get(username=username)
        device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
        if device is None:
            device = TOTPDevice.objects.create(user=user, name="bench", confirmed=True)
        totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
        response = client.post("/web/otp/", {"token": f"{totp.token():06d}"})
        assert response.status_code == 302, response.content[:300]
    return client


def test_dashboards_of_the_demo_region(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("hadir.attendance.services._kick_resolver", lambda: None)
    monkeypatch.setattr("hadir.notify.services._kick", lambda: None)
    started = time.perf_counter()
    demo_create(employees=EMPLOYEES)
    print(
        f"\n{connection.vendor}: demo of {EMPLOYEES} employees in "
        f"{time.perf_counter() - started:.1f} s"
    )
    from django.contrib.auth import get_user_model

    from hadir.verification.scopes import employees_to_verify

    someone = employees_to_verify(get_user_model().objects.get(username="atasan")).first()
    from django.db.models import Count

    from hadir.org.models import Unit

    biggest = (
        Unit.objects.filter(parent__isnull=True)
        .annotate(n=Count("employees"))
        .order_by("-n")
        .first()
    )
    pages = {
        "admin": [
            "/web/",
            "/web/hari-ini/",
            "/web/tpp/",
            f"/web/tpp/?unit={biggest.pk}",
            "/web/unduh/tpp.xlsx",
            "/web/unduh/rekap.pdf",
        ],
        "atasan": [
            "/web/",
            "/web/verifikasi/",
            "/web/verifikasi/bulanan/",
            "/web/cuti/",
            f"/web/pegawai/{someone.pk}/kalender/",
        ],
        "operator": ["/web/", "/web/apel/", "/web/koreksi/"],
    }
    worst = 0.0
    for username, urls in pages.items():
        client = _client(username)
        for url in urls:
            assert client.get(url).status_code == 200, url  # warm-up (and stale days resolved)
            timings = []
            for _ in range(RUNS):
                with CaptureQueriesContext(connection) as queries:
                    t0 = time.perf_counter()
                    response = client.get(url)
                    timings.append((time.perf_counter() - t0) * 1000)
                assert response.status_code == 200
            median = statistics.median(timings)
            if "/unduh/" not in url:
                worst = max(worst, median)
            print(
                f"  {username:<9} {url:<40} median {median:6.1f} ms  max {max(timings):6.1f} ms"
                f"  {len(queries.captured_queries)} queries"
            )
    print(f"  slowest median: {worst:.1f} ms (target < 300 ms for pages; downloads are not)")
