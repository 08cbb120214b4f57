"""The employee app in headless Chromium: the shell, offline start, login and device binding,
refusals (wrong password, camera or location denied, an outdated app), the other screens."""

from __future__ import annotations

import base64
import json
import re
from datetime import timedelta

import pytest
from cryptography.hazmat.primitives.asymmetric import ec
from django.utils import timezone
from playwright.sync_api import expect

from hadir import __version__
from hadir.absences.models import Absence
from hadir.devices.models import AppVersionPolicy, DeviceToken, EmployeeDevice
from hadir.notify.models import PushSubscription
from tests import fakecam, pwa_setup
from tests.browser import screenshot
from tests.pwa_setup import in_db, login

pytestmark = pytest.mark.django_db(transaction=True)


# Fixtures of the employee-app tests.
camera_browser, fake_video = fakecam.camera_browser, fakecam.fake_video
ani, app_page, ruleset_file = pwa_setup.ani, pwa_setup.app_page, pwa_setup.ruleset_file


def test_it_starts_offline_from_the_service_worker_cache(app_page, live_server) -> None:  # type: ignore[no-untyped-def]
    page = app_page()
    assert page.locator("meta[name=hadir-version]").get_attribute("content") == __version__
    assert page.locator("html").get_attribute("lang") == "id"
    assert page.locator("#login-form").is_visible()
    assert page.locator("#app-version").inner_text() == f"Versi aplikasi {__version__}"
    scope = page.evaluate("navigator.serviceWorker.ready.then(r => r.scope)")
    assert scope == f"{live_server.url}/app/"
    # The worker has cached the whole shell; it controls the page after a reload.
    page.reload()
    page.wait_for_selector("body[data-ready='1']")
    assert page.evaluate("Boolean(navigator.serviceWorker.controller)")
    screenshot(page, "pwa-login")

    page.context.set_offline(True)
    page.reload()
    page.wait_for_selector("body[data-ready='1']")
    assert page.locator("#login-form").is_visible()
    assert page.locator("#net").inner_text() == "Offline"
    screenshot(page, "pwa-login-offline-start")
    login(page, "198503152010012002", "apa saja")
    expect(page.locator("#login-error")).to_contain_text("Tidak ada jaringan")


def test_it_refuses_a_wrong_password_with_the_servers_message(app_page, ani) -> None:  # type: ignore[no-untyped-def]
    page = app_page()
    login(page, password="salah")
    expect(page.locator("#login-error")).to_have_text("NIP atau kata sandi salah.")
    screenshot(page, "pwa-login-refused")
    assert not EmployeeDevice.objects.exists()


def test_it_says_why_when_the_camera_is_denied(app_page, ani) -> None:  # type: ignore[no-untyped-def]
    page = app_page(permissions=["geolocation"])
    login(page)
    page.click("#checkin-now")
    error = page.locator("#checkin-error")
    expect(error).to_have_attribute("data-code", "camera_denied")
    expect(error.locator("h1")).to_have_text("Izin kamera ditolak")
    expect(error).to_contain_text("izinkan Kamera")
    screenshot(page, "pwa-camera-denied")
    assert page.locator("input[type=file]").count() == 0  # no way round the live camera


def test_it_says_why_when_the_location_is_denied(app_page, ani, live_server) -> None:  # type: ignore[no-untyped-def]
    page = app_page(permissions=["camera"])
    login(page)
    page.click("#checkin-now")
    error = page.locator("#checkin-error")
    expect(error).to_have_attribute("data-code", "location_denied")
    expect(error.locator("h1")).to_have_text("Izin lokasi ditolak")
    screenshot(page, "pwa-location-denied")
    # Allowed again, "Coba lagi" goes through to the camera.
    page.context.grant_permissions(["camera", "geolocation"], origin=live_server.url)
    page.click("#retry")
    expect(page.locator("#capture")).to_be_enabled()


def test_it_warns_of_a_minimum_version_then_blocks_after_the_deadline(app_page, ani) -> None:  # type: ignore[no-untyped-def]
    page = app_page()
    login(page)
    expect(page.locator("#checkpoints li")).to_have_count(2)
    policy = AppVersionPolicy.objects.create(
        region=ani.region, min_version="9.0.0", deadline=timezone.now() + timedelta(days=3)
    )
    page.reload()
    expect(page.locator("#banner")).to_contain_text("Versi 9.0.0 tersedia")
    expect(page.locator("#checkin-now")).to_be_visible()
    screenshot(page, "pwa-update-warning")

    policy.deadline = timezone.now() - timedelta(minutes=1)
    policy.save()
    page.reload()
    blocked = page.locator("#outdated")
    expect(blocked).to_be_visible()
    expect(page.locator("#outdated-detail")).to_contain_text(
        f"Versi aplikasi {__version__} sudah tidak berlaku"
    )
    expect(page.locator("#outdated-detail")).to_contain_text("9.0.0")
    assert page.locator("#tabs").is_hidden()
    screenshot(page, "pwa-outdated")
    page.evaluate("location.hash = '#/checkin/masuk'")
    expect(blocked).to_be_visible()  # no way past it


def test_it_refuses_an_outdated_app_at_login(app_page, ani) -> None:  # type: ignore[no-untyped-def]
    AppVersionPolicy.objects.create(
        region=ani.region, min_version="9.0.0", deadline=timezone.now() - timedelta(days=1)
    )
    page = app_page()
    login(page)
    expect(page.locator("#outdated-detail")).to_contain_text("9.0.0")
    assert not DeviceToken.objects.exists()


def test_it_shows_a_second_device_as_pending_and_refuses_its_checkins(app_page, ani) -> None:  # type: ignore[no-untyped-def]
    first = app_page()
    login(first)
    expect(first.locator("#checkpoints li")).to_have_count(2)
    second = app_page()  # another phone: another key
    login(second)
    expect(second.locator("#device-pending")).to_contain_text("menunggu persetujuan operator")
    screenshot(second, "pwa-device-pending")
    devices = dict(EmployeeDevice.objects.filter(employee=ani).values_list("status", "id"))
    assert set(devices) == {"active", "pending"}
    second.click("#checkin-now")
    error = second.locator("#checkin-error")
    expect(error).to_have_attribute("data-code", "device_pending")
    expect(error.locator("h1")).to_have_text("Perangkat menunggu persetujuan")
    screenshot(second, "pwa-device-pending-checkin")


def test_it_shows_the_month_takes_a_leave_request_and_switches_language(app_page, ani) -> None:  # type: ignore[no-untyped-def]
    page = app_page(permissions=["geolocation", "camera", "notifications"])
    login(page)
    expect(page.locator("#checkpoints li")).to_have_count(2)

    page.click("#tabs a[data-tab=month]")
    expect(page.locator("#month-summary")).to_be_visible()
    expect(page.locator("#tpp-estimate")).to_contain_text("Rp")
    assert page.locator("#month-days tbody tr").count() >= 1
    screenshot(page, "pwa-month")

    page.click("#tabs a[data-tab=leave]")
    page.select_option("#leave-type", "izin")
    page.fill("#leave-reason", "Mengantar anak berobat")
    page.click("#leave-submit")
    expect(page.locator("#leave-message")).to_contain_text("menunggu persetujuan")
    expect(page.locator("#leave-list li")).to_have_count(1)
    expect(page.locator("#leave-list li")).to_have_attribute("data-status", "pending")
    screenshot(page, "pwa-leave")
    absence = Absence.objects.get(employee=ani)
    assert (absence.type, absence.status, absence.channel) == ("izin", "pending", "app")
    assert absence.reason == "Mengantar anak berobat"

    page.click("#tabs a[data-tab=profile]")
    expect(page.locator("#profile-nip")).to_have_text(ani.nip)
    expect(page.locator("#profile-name")).to_have_text("Ani Lestari")
    expect(page.locator("#device-status")).to_have_text("Aktif")
    screenshot(page, "pwa-profile")
    page.select_option("#language", "en")
    expect(page.locator("#tabs a[data-tab=today]")).to_have_text("Today")
    expect(page.locator("#device-status")).to_have_text("Active")
    assert page.locator("html").get_attribute("lang") == "en"
    screenshot(page, "pwa-profile-en")
    page.click("#tabs a[data-tab=today]")
    weekdays = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
    expect(page.locator("#today-date")).to_contain_text(re.compile("|".join(weekdays)))
    expect(page.locator("#checkin-now")).to_have_text("Check in: Masuk")
    page.click("#tabs a[data-tab=profile]")
    page.select_option("#language", "id")
    expect(page.locator("#tabs a[data-tab=today]")).to_have_text("Hari ini")

    page.click("#logout")
    expect(page.locator("#login-form")).to_be_visible()
    assert DeviceToken.objects.get(device__employee=ani).revoked_at is not None


def test_it_shows_a_reminder_pushed_to_its_service_worker(
    app_page, ani, live_server, settings
) -> None:  # type: ignore[no-untyped-def]
    key = ec.generate_private_key(ec.SECP256R1()).private_numbers().private_value
    vapid = base64.urlsafe_b64encode(key.to_bytes(32, "big")).rstrip(b"=").decode()
    settings.HADIR_WEBPUSH = {**settings.HADIR_WEBPUSH, "vapid_private_key": vapid}
    page = app_page(permissions=["geolocation", "camera", "notifications"])
    login(page)
    page.click("#tabs a[data-tab=profile]")
    page.click("#push-enable")
    # Headless Chromium on a closed network reaches no push service: the app says so plainly,
    # and registers nothing.
    expect(page.locator("#push-state")).to_have_attribute("data-state", "push_failed")
    assert not PushSubscription.objects.exists()
    screenshot(page, "pwa-push-failed")

    # A push delivered to the worker (as the push service would) shows the reminder.
    cdp = page.context.new_cdp_session(page)
    registrations: list[str] = []
    cdp.on(
        "ServiceWorker.workerRegistrationUpdated",
        lambda event: registrations.extend(r["registrationId"] for r in event["registrations"]),
    )
    cdp.send("ServiceWorker.enable")
    page.wait_for_function("navigator.serviceWorker.controller !== null")
    for _ in range(200):  # the registration event comes on the CDP session, shortly
        if registrations:
            break
        page.wait_for_timeout(100)
    assert registrations
    push = {
        "origin": live_server.url,
        "registrationId": registrations[0],
        "data": '{"title": "Pengingat presensi", "body": "Masuk dibuka 06:00", "tag": "t"}',
    }
    # On a loaded machine a push delivered while the worker is still starting can be dropped
    # (it happened in CI): deliver it again every 2 s until shown, for 20 s at the most. The
    # tag keeps it one notification however often it arrives.
    shown = None
    for attempt in range(200):
        if attempt % 20 == 0:
            cdp.send("ServiceWorker.deliverPushMessage", push)
        shown = page.evaluate(
            """navigator.serviceWorker.ready
                .then((r) => r.getNotifications())
                .then((list) => list.map((n) => [n.title, n.body]))"""
        )
        if shown:
            break
        page.wait_for_timeout(100)
    assert shown == [["Pengingat presensi", "Masuk dibuka 06:00"]]


def test_it_sends_the_employee_back_to_login_when_the_token_is_revoked(app_page, ani) -> None:  # type: ignore[no-untyped-def]
    page = app_page()
    login(page)
    expect(page.locator("#checkpoints li")).to_have_count(2)
    DeviceToken.objects.filter(device__employee=ani).update(revoked_at=timezone.now())
    page.click("#tabs a[data-tab=month]")
    expect(page.locator("#login-form")).to_be_visible()
    expect(page.locator("#banner")).to_have_text("Sesi Anda berakhir. Silakan masuk kembali.")
    assert in_db(page, "return await get('kv', 'token');") is None
    login(page)  # the same device, a new token
    expect(page.locator("#checkpoints li")).to_have_count(2)
    assert EmployeeDevice.objects.filter(employee=ani).count() == 1


def test_it_writes_the_same_canonical_bytes_as_the_server(app_page) -> None:  # type: ignore[no-untyped-def]
    """The signed bytes of an offline record: the app's canonical() against the server's."""
    from hadir.attendance.offline import canonical

    page = app_page()
    values = page.evaluate(
        """async () => {
            const { canonical } = await import('/static/pwa/js/crypto.js');
            const samples = [
                {b: 1, a: [12.0, -0.5021374, 0.1 + 0.2, 1e21, 1e-7, 123456789012.5, -0]},
                {"seq": 3, "prev": "ab", "checkpoint": "ist_in", "nested": {"z": null, "y": true}},
                {"text": "Kantor Bupati – Sangatta \\u00e9 \\u2028 \\"quoted\\" \\n tab\\t"},
                {"monotonic_ms": Math.floor(performance.timeOrigin + performance.now())},
            ];
            return samples.map((s) => [JSON.stringify(s), canonical(s)]);
        }"""
    )
    for raw, app_bytes in values:
        assert canonical(json.loads(raw)) == app_bytes
