"""Staff login: a wrong password is refused, repeated failures lock the account for that
address, admins and operators need a TOTP code (and enrol with a QR code first)."""

from __future__ import annotations

import pytest
from django.test import Client

from hadir.web.tests.people import PASSWORD, login, totp_now

pytestmark = pytest.mark.django_db


def test_it_refuses_a_wrong_password_in_indonesian(client: Client, staff) -> None:  # type: ignore[no-untyped-def]
    response = client.post("/web/masuk/", {"username": "budi", "password": "salah"})
    assert response.status_code == 401
    assert "Nama pengguna atau kata sandi salah." in response.content.decode()
    assert client.get("/web/").status_code == 302


def test_it_locks_out_after_five_failures_even_with_the_right_password(
    client: Client, staff, settings
) -> None:  # type: ignore[no-untyped-def]
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        assert client.post("/web/masuk/", {"username": "budi", "password": "x"}).status_code == 401
    assert client.post("/web/masuk/", {"username": "budi", "password": "x"}).status_code == 429
    response = client.post("/web/masuk/", {"username": "budi", "password": PASSWORD})
    assert response.status_code == 429
    assert "terkunci" in response.content.decode()
    # Another account from the same address is not locked.
    login(Client(), staff["fajar_user"])


def test_it_resets_the_count_after_a_success(client: Client, staff, settings) -> None:  # type: ignore[no-untyped-def]
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        client.post("/web/masuk/", {"username": "budi", "password": "x"})
    login(client, staff["budi_user"])
    client.post("/web/keluar/")
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        assert client.post("/web/masuk/", {"username": "budi", "password": "x"}).status_code == 401


def test_it_asks_operators_for_a_totp_code(client: Client, staff) -> None:  # type: ignore[no-untyped-def]
    response = client.post("/web/masuk/", {"username": "citra", "password": PASSWORD})
    assert response["Location"] == "/web/otp/"
    # The password alone opens nothing: neither the staff pages nor the Django admin.
    assert client.get("/web/apel/")["Location"].startswith("/web/masuk/")
    assert client.get("/admin/", follow=True).redirect_chain[-1][0].startswith("/web/masuk/")
    assert client.post("/web/otp/", {"token": "000000"}).status_code == 401
    device = staff["citra_device"]
    device.refresh_from_db()
    # A failure throttles the device (django-otp): even the right code waits a moment.
    assert client.post("/web/otp/", {"token": totp_now(device)}).status_code == 401
    device.refresh_from_db()
    device.throttle_reset()
    assert client.post("/web/otp/", {"token": totp_now(device)}).status_code == 302
    assert client.get("/web/apel/").status_code == 200


def test_the_admin_login_is_the_staff_login_with_totp(client: Client, staff) -> None:  # type: ignore[no-untyped-def]
    staff["eka_user"].is_staff = True
    staff["eka_user"].save()
    response = client.get("/admin/login/?next=/admin/")
    assert response["Location"] == "/web/masuk/?next=%2Fadmin%2F"
    client.post("/web/masuk/?next=/admin/", {"username": "eka", "password": PASSWORD})
    assert client.get("/admin/").status_code == 302
    response = client.post("/web/otp/", {"token": totp_now(staff["eka_device"])})
    assert response["Location"] == "/admin/"
    assert "hadir: administrasi" in client.get("/admin/").content.decode()


def test_a_pending_second_step_expires(client: Client, staff) -> None:  # type: ignore[no-untyped-def]
    client.post("/web/masuk/", {"username": "citra", "password": PASSWORD})
    session = client.session
    session["hadir_otp_pending"][2] -= 301
    session.save()
    response = client.post("/web/otp/", {"token": totp_now(staff["citra_device"])})
    assert response["Location"] == "/web/masuk/"


def test_it_enrols_an_admin_without_a_device_by_qr_code(client: Client, staff) -> None:  # type: ignore[no-untyped-def]
    from django_otp.plugins.otp_totp.models import TOTPDevice

    staff["eka_device"].delete()
    client.post("/web/masuk/", {"username": "eka", "password": PASSWORD})
    response = client.get("/web/otp/", follow=True)
    page = response.content.decode()
    assert response.redirect_chain[-1][0] == "/web/otp/daftar/"
    assert "<svg" in page and "<?xml" not in page
    device = TOTPDevice.objects.get(user=staff["eka_user"], confirmed=False)
    assert client.post("/web/otp/daftar/", {"token": "123"}).status_code == 401
    device.refresh_from_db()
    device.throttle_reset()
    assert client.post("/web/otp/daftar/", {"token": totp_now(device)}).status_code == 302
    device.refresh_from_db()
    assert device.confirmed
    assert client.get("/web/tpp/").status_code == 200


def test_it_does_not_ask_an_atasan_for_a_code(client: Client, staff) -> None:  # type: ignore[no-untyped-def]
    login(client, staff["budi_user"])
    assert client.get("/web/verifikasi/").status_code == 200


def test_it_refuses_pages_beyond_the_role(client: Client, staff) -> None:  # type: ignore[no-untyped-def]
    login(client, staff["budi_user"])
    assert client.get("/web/apel/").status_code == 403
    assert client.get("/web/cuti/input/").status_code == 403
    login(client, staff["fajar_user"])
    assert client.get("/web/verifikasi/").status_code == 403
    login(client, staff["ani_user"])
    assert client.get("/web/").status_code == 403


def test_the_employee_api_and_scripts_are_not_locked(client: Client, staff) -> None:  # type: ignore[no-untyped-def]
    from django.contrib.auth import authenticate

    for _ in range(10):
        assert authenticate(username="budi", password="x") is None
    assert authenticate(username="budi", password=PASSWORD) is not None


def test_it_speaks_english_when_asked(client: Client, staff) -> None:  # type: ignore[no-untyped-def]
    assert "Masuk staf" in client.get("/web/masuk/").content.decode()
    page = client.get("/web/masuk/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Staff login" in page and 'lang="en"' in page
    response = client.post(
        "/web/masuk/", {"username": "budi", "password": "x"}, HTTP_ACCEPT_LANGUAGE="en"
    )
    assert "Wrong username or password." in response.content.decode()
