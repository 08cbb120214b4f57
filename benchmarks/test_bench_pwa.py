"""Benchmark of the employee app's own costs, in headless Chromium with the fake camera:
the shell's first start (network) and a start from the service worker's cache (no network),
recording a signed offline check-in (frames, SHA-256, ECDSA, one IndexedDB transaction), and
sending a queue of offline records when the network returns (one request per record, in order,
to the live test server: a single Django thread in this process that also runs the background
face and integrity checks of each record inline, so a floor, not the server's capacity).

Run with `make bench` (or `pytest -m benchmark -s benchmarks/test_bench_pwa.py`).
"""

from __future__ import annotations

import os
import statistics
import time

import pytest
from playwright.sync_api import expect

from hadir.attendance.models import CheckIn
from tests import fakecam, pwa_setup
from tests.pwa_setup import login, queued

pytestmark = [pytest.mark.benchmark, pytest.mark.django_db(transaction=True)]

camera_browser, fake_video = fakecam.camera_browser, fakecam.fake_video
ani, app_page, ruleset_file = pwa_setup.ani, pwa_setup.app_page, pwa_setup.ruleset_file

RECORDS = int(os.environ.get("HADIR_BENCH_PWA_RECORDS", "30"))

RECORD_MANY = """async (count) => {
    const { openCamera, burst, closeCamera } = await import('/static/pwa/js/camera.js');
    const { recordOffline } = await import('/static/pwa/js/offline.js');
    const video = document.createElement('video');
    document.body.append(video);
    const stream = await openCamera(video);
    const position = {latitude: -0.5021374, longitude: 117.1535839, accuracy_m: 11.8};
    const burstMs = [], recordMs = [];
    for (let i = 0; i < count; i++) {
        let t0 = performance.now();
        const frames = await burst(video, {count: 5, intervalMs: 0});
        burstMs.push(performance.now() - t0);
        t0 = performance.now();
        await recordOffline({checkpoint: i % 2 ? 'pulang' : 'masuk', position, frames});
        recordMs.push(performance.now() - t0);
    }
    closeCamera(stream);
    return {burstMs, recordMs};
}"""


def _ms(values: list[float]) -> str:
    values = sorted(values)
    p95 = values[max(0, round(0.95 * len(values)) - 1)]
    return f"median {statistics.median(values):.1f} ms, p95 {p95:.1f} ms"


def test_bench_pwa(app_page, ani, live_server) -> None:  # type: ignore[no-untyped-def]
    started = time.perf_counter()
    page = app_page()
    first_start = time.perf_counter() - started
    page.evaluate("navigator.serviceWorker.ready")
    login(page)
    expect(page.locator("#checkpoints li")).to_have_count(2)

    page.context.set_offline(True)
    starts = []
    for _ in range(5):
        t0 = time.perf_counter()
        page.reload()
        page.wait_for_selector("body[data-ready='1']")
        starts.append((time.perf_counter() - t0) * 1000)

    timings = page.evaluate(RECORD_MANY, RECORDS)
    assert len(queued(page)) == RECORDS

    t0 = time.perf_counter()
    page.context.set_offline(False)
    expect(page.locator("#banner")).to_contain_text(f"{RECORDS} presensi offline terkirim")
    upload_s = time.perf_counter() - t0
    assert CheckIn.objects.filter(employee=ani, offline=True).count() == RECORDS
    assert queued(page) == []

    print()
    print(f"PWA first start (page to ready, network): {first_start * 1000:.0f} ms")
    print(f"PWA start offline from the worker's cache: {_ms(starts)} over {len(starts)}")
    print(f"burst of 5 JPEG frames from the camera: {_ms(timings['burstMs'])}")
    print(f"record + sign + store one offline check-in: {_ms(timings['recordMs'])}")
    print(
        f"upload of {RECORDS} queued records: {upload_s:.2f} s, "
        f"{RECORDS / upload_s:.1f} records/s (one request each, in order)"
    )
