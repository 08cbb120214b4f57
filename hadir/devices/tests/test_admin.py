"""The admin: approving a registration request, machine health, unmatched PINs."""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model
from django.test import Client

from hadir.audit.models import AuditEntry
from hadir.devices.models import FingerprintMachine, MachineCommand

pytestmark = pytest.mark.django_db


@pytest.fixture
def eka() -> Client:
    get_user_model().objects.create_superuser("eka", "eka@example.go.id", "x-long-password-1")
    client = Client()
    client.login(username="eka", password="x-long-password-1")
    return client


def test_it_approves_a_machine_only_once_its_unit_is_chosen(eka, region_setup) -> None:  # type: ignore[no-untyped-def]
    from conftest import EMPLOYEE_NIP
    from hadir.org.models import Employee, Unit

    Employee.objects.filter(nip=EMPLOYEE_NIP).update(pin="1")
    assert Client().get("/iclock/cdata?SN=NEW0001").status_code == 403
    request = FingerprintMachine.objects.get(serial="NEW0001")
    url = "/admin/devices/fingerprintmachine/"
    action = {"action": "approve", "_selected_action": [request.pk]}
    eka.post(url, action)
    request.refresh_from_db()
    assert not request.approved
    request.unit = Unit.objects.get(code="A")
    request.save()
    response = eka.post(url, action, follow=True)
    assert b"1 machine(s) approved" in response.content
    request.refresh_from_db()
    assert request.approved and request.region_id == request.unit.region_id
    assert MachineCommand.objects.get(machine=request).text.startswith(
        "DATA UPDATE USERINFO PIN=1\t"
    )
    assert AuditEntry.objects.filter(action="machine.approved").exists()
    pages = ["unknownpin", "machinecommand", "machinealert", "machinerecord", "rejectedline"]
    for page in [url, f"{url}{request.pk}/change/", *(f"/admin/devices/{p}/" for p in pages)]:
        assert eka.get(page).status_code == 200, page
    assert Client().get(url).status_code == 302  # not signed in: to the login page
