"""The demo region's employees can log in to the employee app with their NIP."""

from __future__ import annotations

from datetime import date

import pytest

from hadir.attendance.tests.appclient import App, assert_error
from hadir.demo.services import DEMO_PASSWORD, demo_load
from hadir.org.models import Employee

pytestmark = pytest.mark.django_db


def test_it_lets_a_demo_employee_log_in_with_the_nip(settings, tmp_path) -> None:  # type: ignore[no-untyped-def]
    settings.MEDIA_ROOT = str(tmp_path)
    summary = demo_load(employees=12, days=0, seed=1, end=date(2026, 3, 1))
    with_nip = Employee.objects.exclude(nip=None)
    assert with_nip.exists() and not with_nip.filter(user=None).exists()
    nip = with_nip.order_by("key").first().nip
    assert nip in summary
    app = App()
    response = app.login(nip=nip, password=DEMO_PASSWORD)
    assert response.status_code == 200, response.json()
    assert app.get("/me").json()["nip"] == nip
    assert_error(App().login(nip=nip, password="salah"), 401, "invalid_credentials")
