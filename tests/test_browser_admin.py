"""The Django admin in a real browser: an Indonesian login, the employee list, a refused NIP
and an accepted edit that is audited and re-resolves the employee's days.

The admin's login is the staff login (hadir/web): a superuser enters a TOTP code after the
password."""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model

from conftest import EMPLOYEE_NIP, STRANGER_NIP
from hadir.attendance.models import StaleRange
from hadir.audit.models import AuditEntry
from hadir.org.models import Employee
from tests.browser import screenshot

pytestmark = pytest.mark.django_db(transaction=True)

PASSWORD = "kata-sandi-panjang-2026"


@pytest.fixture
def admin_user(region_setup):  # type: ignore[no-untyped-def]
    from django_otp.plugins.otp_totp.models import TOTPDevice

    user = get_user_model().objects.create_superuser("bkpsdm", "bkpsdm@example.go.id", PASSWORD)
    TOTPDevice.objects.create(user=user, name="hadir", confirmed=True)
    return user


def _login(page, live_server, password: str) -> None:  # type: ignore[no-untyped-def]
    page.goto(f"{live_server.url}/admin/login/?next=/admin/")
    page.fill("#id_username", "bkpsdm")
    page.fill("#id_password", password)
    page.click("main button[type=submit]")
    if password == PASSWORD:
        from django_otp.plugins.otp_totp.models import TOTPDevice

        from hadir.web.tests.people import totp_now

        page.wait_for_url(f"{live_server.url}/web/otp/")
        page.fill("#id_token", totp_now(TOTPDevice.objects.get(user__username="bkpsdm")))
        page.click("main button[type=submit]")


def test_admin_speaks_indonesian_and_refuses_a_wrong_password(
    page, live_server, admin_user
) -> None:  # type: ignore[no-untyped-def]
    page.goto(f"{live_server.url}/admin/login/")
    assert page.locator("html").get_attribute("lang") == "id"
    assert page.locator("main button[type=submit]").inner_text() == "Masuk"
    assert page.url.startswith(f"{live_server.url}/web/masuk/")
    _login(page, live_server, "salah")
    screenshot(page, "admin-login-refused")
    assert "/web/masuk/" in page.url
    assert page.locator("main .error").is_visible()


def test_admin_lists_employees_refuses_a_bad_nip_and_audits_an_edit(
    page, live_server, admin_user
) -> None:  # type: ignore[no-untyped-def]
    _login(page, live_server, PASSWORD)
    page.wait_for_url(f"{live_server.url}/admin/")
    screenshot(page, "admin-index")

    page.goto(f"{live_server.url}/admin/org/employee/")
    listing = page.locator("#result_list").inner_text()
    assert "Ani Lestari" in listing and "Dedi Kurniawan" in listing
    screenshot(page, "admin-employees")

    ani = Employee.objects.get(nip=EMPLOYEE_NIP)
    page.goto(f"{live_server.url}/admin/org/employee/{ani.id}/change/")
    page.fill("#id_nip", "19850315201001200")  # 17 digits
    page.click("input[name=_save]")
    screenshot(page, "admin-employee-bad-nip")
    assert "NIP must be 18 digits, got 17" in page.locator(".errorlist").first.inner_text()
    assert Employee.objects.get(id=ani.id).nip == EMPLOYEE_NIP

    StaleRange.objects.all().delete()
    audits = AuditEntry.objects.filter(action="admin.change").count()
    page.goto(f"{live_server.url}/admin/org/employee/{ani.id}/change/")
    page.fill("#id_name", "Ani Lestari, S.E.")
    page.click("input[name=_save]")
    page.wait_for_url(f"{live_server.url}/admin/org/employee/")
    screenshot(page, "admin-employee-saved")
    assert Employee.objects.get(id=ani.id).name == "Ani Lestari, S.E."
    assert AuditEntry.objects.filter(action="admin.change").count() == audits + 1
    assert StaleRange.objects.filter(employee=ani).exists()
    assert not Employee.objects.filter(nip=STRANGER_NIP, name__contains="S.E.").exists()
