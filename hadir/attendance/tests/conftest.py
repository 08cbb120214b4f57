"""Fixtures of the employee app's API tests: Ani (unit A) and Dedi (unit B) with passwords,
a site for unit A, media under a temporary folder; time frozen on Monday 2026-11-30 07:10 WITA
(inside the masuk window)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from django.contrib.auth import get_user_model

from conftest import EMPLOYEE_NIP, STRANGER_NIP
from hadir.attendance.tests.appclient import NOW, PASSWORD, SITE, App


@pytest.fixture
def people(region_setup, settings, tmp_path):  # type: ignore[no-untyped-def]
    """Ani and Dedi with logins; a circular site for unit A; media under tmp_path."""
    from hadir.org.models import Employee, Site, Unit

    settings.MEDIA_ROOT = str(tmp_path / "media")
    users = {}
    for nip, username in ((EMPLOYEE_NIP, "ani"), (STRANGER_NIP, "dedi")):
        user = get_user_model().objects.create_user(username, password=PASSWORD)
        Employee.objects.filter(nip=nip).update(user=user)
        users[username] = user
    Site.objects.create(
        unit=Unit.objects.get(code="A"),
        name="Kantor Dinas Contoh",
        latitude=SITE[0],
        longitude=SITE[1],
        radius_m=100,
    )
    return users


@pytest.fixture
def frozen(time_machine) -> Iterator[Any]:  # type: ignore[no-untyped-def]
    time_machine.move_to(NOW, tick=False)
    yield time_machine


@pytest.fixture
def ani(people, frozen) -> App:  # type: ignore[no-untyped-def]
    app = App()
    assert app.login().status_code == 200
    return app


@pytest.fixture
def dedi(people, frozen) -> App:  # type: ignore[no-untyped-def]
    app = App()
    assert app.login(nip=STRANGER_NIP).status_code == 200
    return app
