"""Login, device binding, tokens, app versions: through the API, errors in the JSON shape."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from conftest import EMPLOYEE_NIP, HEAD_NIP, STRANGER_NIP
from hadir.attendance.tests.appclient import PASSWORD, App, assert_error
from hadir.audit.models import AuditEntry
from hadir.devices.choices import DeviceStatus
from hadir.devices.models import AppVersionPolicy, DeviceToken, EmployeeDevice
from hadir.devices.services.phones import device_approve, device_revoke, token_hash
from hadir.org.models import Employee, Region, Unit

pytestmark = pytest.mark.django_db


def test_it_logs_in_binds_the_first_device_and_stores_only_the_token_hash(people, frozen) -> None:  # type: ignore[no-untyped-def]
    app = App()
    response = app.login()
    assert response.status_code == 200
    body = response.json()
    assert body["employee"] == {"nip": EMPLOYEE_NIP, "name": "Ani Lestari", "unit": "Dinas Contoh"}
    assert body["device"]["status"] == "active"
    assert body["device"]["thumbprint"] == app.key.thumbprint
    assert body["device"]["chain"]["seq"] == 0
    token = body["token"]
    assert len(token) >= 43
    stored = DeviceToken.objects.get()
    assert stored.token_hash == token_hash(token) and token not in stored.token_hash
    assert AuditEntry.objects.filter(action="device.login").count() == 1
    Unit.objects.filter(code="A").update(head=Employee.objects.get(nip=HEAD_NIP))
    me = app.get("/me")
    assert me.status_code == 200
    assert me.json()["nip"] == EMPLOYEE_NIP and me.json()["atasan"] == "Budi Santoso"


@pytest.mark.parametrize(
    ("nip", "password"),
    [(EMPLOYEE_NIP, "wrong-password"), ("199999999999999999", PASSWORD), ("", PASSWORD)],
)
def test_it_answers_the_same_for_unknown_nip_and_wrong_password(
    people, frozen, nip, password
) -> None:  # type: ignore[no-untyped-def]
    response = App().login(nip=nip, password=password)
    if nip == "":
        assert_error(response, 422, "validation_error")
        return
    body = assert_error(response, 401, "invalid_credentials")
    assert body["detail"] == "NIP atau kata sandi salah."


def test_it_refuses_an_employee_without_a_login(people, frozen) -> None:  # type: ignore[no-untyped-def]
    from conftest import OPERATOR_NIP

    assert_error(App().login(nip=OPERATOR_NIP), 401, "invalid_credentials")


def test_it_limits_failures_per_nip_then_per_ip(people, frozen) -> None:  # type: ignore[no-untyped-def]
    for _ in range(5):
        assert_error(App().login(password="nope"), 401, "invalid_credentials")
    # The right password no longer helps for 15 minutes.
    assert_error(App().login(), 429, "too_many_attempts")
    # The same address trying another NIP is refused too (5 failures from this IP).
    assert_error(App().login(nip=STRANGER_NIP), 429, "too_many_attempts")
    frozen.shift(timedelta(minutes=16))
    assert App().login().status_code == 200


def test_it_limits_per_ip_across_nips(people, frozen) -> None:  # type: ignore[no-untyped-def]
    for i in range(5):
        assert_error(App().login(nip=f"19000101200001100{i}"), 401, "invalid_credentials")
    assert_error(App().login(), 429, "too_many_attempts")
    other = App()
    other.client.defaults["REMOTE_ADDR"] = "10.0.0.9"
    assert other.login().status_code == 200


def test_it_rejects_a_key_that_is_not_p256(people, frozen) -> None:  # type: ignore[no-untyped-def]
    app = App()
    response = app.client.post(
        "/api/v1/auth/login",
        {
            "nip": EMPLOYEE_NIP,
            "password": PASSWORD,
            "device": {"public_key": {"kty": "EC", "crv": "P-256", "x": "AAAA", "y": "AAAA"}},
        },
        content_type="application/json",
    )
    assert_error(response, 422, "validation_error")
    assert not EmployeeDevice.objects.exists()


def test_it_puts_a_second_device_on_hold_until_the_operator_approves(ani) -> None:  # type: ignore[no-untyped-def]
    phone = App()
    response = phone.login()
    assert response.json()["device"]["status"] == "pending"
    assert_error(phone.challenge(), 403, "device_pending")
    assert_error(phone.checkin(phone.payload(nonce="x" * 20)), 403, "device_pending")
    assert phone.get("/me").json()["device"]["status"] == "pending"
    pending = EmployeeDevice.objects.get(thumbprint=phone.key.thumbprint)
    device_approve(device=pending, actor="citra")
    assert phone.challenge().status_code == 200
    # The old device is retired and its token answers device_revoked.
    assert_error(ani.get("/me"), 403, "device_revoked")
    old = EmployeeDevice.objects.get(thumbprint=ani.key.thumbprint)
    assert old.status == DeviceStatus.RETIRED
    assert not DeviceToken.objects.filter(device=old, revoked_at__isnull=True).exists()
    assert AuditEntry.objects.filter(action="device.approve").exists()


def test_it_flags_a_device_shared_by_two_employees(ani) -> None:  # type: ignore[no-untyped-def]
    dedi = App(key=ani.key)
    response = dedi.login(nip=STRANGER_NIP)
    assert response.status_code == 200
    assert response.json()["device"]["shared"] is True
    assert EmployeeDevice.objects.filter(thumbprint=ani.key.thumbprint, shared=True).count() == 2


def test_it_refuses_bad_missing_and_revoked_tokens(ani) -> None:  # type: ignore[no-untyped-def]
    assert_error(App().get("/me"), 401, "unauthorized")
    assert_error(App(token="not-a-token").get("/me"), 401, "unauthorized")
    assert ani.post_json("/auth/logout", {}).status_code == 204
    assert_error(ani.get("/me"), 401, "unauthorized")
    assert_error(ani.challenge(), 401, "unauthorized")


def test_it_refuses_every_token_of_a_revoked_device_and_of_a_leaver(ani) -> None:  # type: ignore[no-untyped-def]
    second = App(key=ani.key)
    assert second.login().status_code == 200
    device_revoke(device=EmployeeDevice.objects.get(), actor="citra")
    assert_error(ani.get("/me"), 403, "device_revoked")
    assert_error(second.get("/me"), 403, "device_revoked")
    Employee.objects.filter(nip=STRANGER_NIP).update(active=False)
    assert_error(App().login(nip=STRANGER_NIP), 401, "invalid_credentials")


def test_it_warns_an_old_app_before_the_deadline_and_refuses_it_after(ani, frozen) -> None:  # type: ignore[no-untyped-def]
    AppVersionPolicy.objects.create(
        region=Region.objects.get(code="6408"),
        min_version="1.2.0",
        deadline=timezone.now() + timedelta(days=1),
    )
    ok = ani.get("/me")
    assert ok.status_code == 200 and ok["X-Hadir-Update"] == "1.2.0"
    frozen.shift(timedelta(days=2))
    body = assert_error(ani.get("/me"), 426, "app_outdated")
    assert "1.2.0" in body["detail"] and "Perbarui" in body["detail"]
    assert_error(ani.challenge(), 426, "app_outdated")
    assert_error(App(version="1.0.0").login(), 426, "app_outdated")
    # The configuration stays readable, and a new app works.
    assert App(version="1.0.0").get("/app/config").status_code == 200
    ani.version = "1.2.0"
    response = ani.get("/me")
    assert response.status_code == 200 and "X-Hadir-Update" not in response


def test_it_serves_the_config_without_a_token(people, frozen) -> None:  # type: ignore[no-untyped-def]
    body = App().get("/app/config").json()
    assert body["limits"]["max_frames"] == 8 and body["limits"]["min_frames"] == 3
    assert body["server_time"].startswith("2026-11-29T23:10")
    assert set(body) == {"server_time", "app_version", "vapid_public_key", "limits"}


def test_it_answers_an_oversized_json_body_with_json(people, frozen, settings) -> None:  # type: ignore[no-untyped-def]
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 10_000
    response = App().client.post(
        "/api/v1/auth/login",
        {"nip": EMPLOYEE_NIP, "password": "x" * 20_000, "device": {}},
        content_type="application/json",
    )
    assert_error(response, 413, "upload_too_large")
