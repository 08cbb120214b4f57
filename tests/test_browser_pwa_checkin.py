"""Check-ins through the employee app in headless Chromium with a fake camera playing a real
face: binding at first login, inside and outside the geofence, and what the answer says."""

from __future__ import annotations

import hashlib

import pytest
from playwright.sync_api import expect

from conftest import EMPLOYEE_NIP
from hadir.attendance.models import AttendanceEvent, CheckIn
from hadir.biometrics import face
from hadir.devices.models import DeviceToken, EmployeeDevice
from tests import fakecam, pwa_setup
from tests.browser import screenshot
from tests.pwa_setup import ALL_DAY_RULES, AWAY, in_db, login

pytestmark = pytest.mark.django_db(transaction=True)

# Fixtures of the employee-app tests.
camera_browser, fake_video = fakecam.camera_browser, fakecam.fake_video
ani, app_page, ruleset_file = pwa_setup.ani, pwa_setup.app_page, pwa_setup.ruleset_file

INSTRUCTIONS = {"Kedipkan mata", "Tolehkan kepala ke kiri", "Tolehkan kepala ke kanan"}


def check_in(page, name: str):  # type: ignore[no-untyped-def]
    """From Today: the big button, the live camera with its instruction, the burst, the answer."""
    page.click("#checkin-now")
    expect(page.locator("#capture")).to_be_enabled()
    assert page.locator("#instruction").inner_text() in INSTRUCTIONS
    assert page.evaluate("document.querySelector('#camera').videoWidth") == 640
    screenshot(page, f"{name}-camera")
    page.click("#capture")
    result = page.locator("#result")
    result.wait_for()
    screenshot(page, f"{name}-result")
    return result


def test_it_binds_the_device_at_first_login_and_checks_in_inside_the_geofence(
    app_page, ani
) -> None:  # type: ignore[no-untyped-def]
    page = app_page()
    login(page)
    expect(page.locator("#checkpoints li")).to_have_count(2)
    screenshot(page, "pwa-today")

    device = EmployeeDevice.objects.get(employee=ani)
    assert device.status == "active"
    jwk = in_db(
        page,
        """
        const pair = await get('kv', 'keypair');
        return {extractable: pair.privateKey.extractable, token: await get('kv', 'token'),
                jwk: await crypto.subtle.exportKey('jwk', pair.publicKey)};
        """,
    )
    assert jwk["extractable"] is False
    assert device.public_key["x"] == jwk["jwk"]["x"] and device.public_key["y"] == jwk["jwk"]["y"]
    token = DeviceToken.objects.get(device=device)
    assert token.token_hash == hashlib.sha256(jwk["token"].encode()).hexdigest()

    result = check_in(page, "pwa-checkin-inside")
    assert result.get_attribute("data-status") == "accepted"
    expect(result.locator("h1")).to_have_text("Presensi diterima")
    assert "Kantor Dinas Contoh" in result.inner_text()

    checkin = CheckIn.objects.get(employee=ani)
    assert (checkin.checkpoint, checkin.device_id, checkin.offline) == ("masuk", device.id, False)
    assert checkin.site == "Kantor Dinas Contoh"
    assert checkin.accuracy_m == 11.8
    assert checkin.answer["status"] == "accepted"
    frames = list(checkin.frames.order_by("index"))
    assert len(frames) == 5
    assert all(f.image.read(3) == b"\xff\xd8\xff" for f in frames)  # JPEG
    assert len({f.sha256 for f in frames}) > 1  # a live, moving picture, not one still
    # The camera's picture reached the server whole: dlib finds the face in every frame.
    for frame in frames:
        frame.image.seek(0)
        assert face.observe(face.decode(frame.image.read())).found
    assert AttendanceEvent.objects.filter(employee=ani, source="mobile").count() == 1

    page.click("#back-today")
    expect(page.locator("li[data-code=masuk]")).to_have_attribute("data-status", "done")
    assert page.locator("#checkin-now").get_attribute("data-code") == "pulang"
    screenshot(page, "pwa-today-after-checkin")


def test_it_sends_a_checkin_outside_the_geofence_to_review_with_the_distance(app_page, ani) -> None:  # type: ignore[no-untyped-def]
    page = app_page(where=AWAY)
    login(page)
    result = check_in(page, "pwa-checkin-outside")
    assert result.get_attribute("data-status") == "pending_review"
    reason = result.locator("li[data-code=outside_geofence]")
    expect(reason).to_contain_text("Kantor Dinas Contoh")
    distance = CheckIn.objects.get(employee=ani).distance_m
    assert 950 < distance < 975  # 1,112 m from the centre, less the 150 m radius
    assert f"{distance} m" in reason.inner_text()


def test_it_explains_weak_gps(app_page, ani) -> None:  # type: ignore[no-untyped-def]
    page = app_page(accuracy=450)
    login(page)
    page.click("#checkin-now")
    expect(page.locator("#location")).to_contain_text("Sinyal GPS lemah: akurasi 450 m")
    page.click("#capture")
    result = page.locator("#result")
    result.wait_for()
    screenshot(page, "pwa-checkin-weak-gps")
    assert result.get_attribute("data-status") == "rejected"
    expect(result.locator("li[data-code=weak_gps]")).to_contain_text("tempat terbuka")
    assert CheckIn.objects.get(employee__nip=EMPLOYEE_NIP).answer["status"] == "rejected"


def test_it_shows_a_rejection_where_the_region_rejects_checkins_outside_its_sites(
    app_page, ani, hadir_cli, tmp_path
) -> None:  # type: ignore[no-untyped-def]
    rules = tmp_path / "rejecting.toml"
    rules.write_text(ALL_DAY_RULES + '\n[checkin]\noutside_geofence = "rejected"\n')
    code, _, err = hadir_cli("rules", "load", str(rules))
    assert code == 0, err
    page = app_page(where=AWAY)
    login(page)
    result = check_in(page, "pwa-checkin-outside-rejected")
    assert result.get_attribute("data-status") == "rejected"
    expect(result.locator("h1")).to_have_text("Presensi ditolak")
    expect(result.locator("li[data-code=outside_geofence]")).to_contain_text("Di luar lokasi")
    assert CheckIn.objects.get(employee=ani).answer["status"] == "rejected"
    assert not AttendanceEvent.objects.filter(employee=ani).exists()  # a rejection counts nothing
