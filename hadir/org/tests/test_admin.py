from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model
from django.test import Client

from conftest import EMPLOYEE_NIP
from hadir.attendance.models import StaleRange
from hadir.audit.models import AuditEntry
from hadir.org.models import Employee, Unit

pytestmark = pytest.mark.django_db


@pytest.fixture
def eka() -> Client:
    get_user_model().objects.create_superuser("eka", "eka@example.go.id", "x-long-password-1")
    client = Client()
    client.login(username="eka", password="x-long-password-1")
    return client


def _form(employee: Employee, **changes: object) -> dict[str, object]:
    data = {
        "region": employee.region_id,
        "key": employee.key,
        "nip": employee.nip or "",
        "kind": employee.kind,
        "name": employee.name,
        "unit": employee.unit_id,
        "position": employee.position_id or "",
        "tpp_base": employee.tpp_base,
        "atasan": "",
        "schedule_code": "",
        "pin": "",
        "phone": "",
        "email": "",
        "active": "on",
        "user": "",
    }
    data.update(changes)
    return data


def test_it_refuses_a_malformed_nip_in_the_admin(region_setup, eka) -> None:  # type: ignore[no-untyped-def]
    ani = Employee.objects.get(nip=EMPLOYEE_NIP)
    response = eka.post(
        f"/admin/org/employee/{ani.id}/change/", _form(ani, nip="19850315201001200")
    )
    assert response.status_code == 200
    assert "NIP must be 18 digits, got 17" in response.content.decode()
    assert Employee.objects.get(id=ani.id).nip == EMPLOYEE_NIP


def test_it_marks_days_stale_and_audits_an_admin_edit(region_setup, eka) -> None:  # type: ignore[no-untyped-def]
    ani = Employee.objects.get(nip=EMPLOYEE_NIP)
    StaleRange.objects.all().delete()
    audits = AuditEntry.objects.count()
    unit_b = Unit.objects.get(code="B")
    response = eka.post(f"/admin/org/employee/{ani.id}/change/", _form(ani, unit=unit_b.id))
    assert response.status_code == 302
    assert Employee.objects.get(id=ani.id).unit == unit_b
    assert StaleRange.objects.filter(employee=ani).exists()
    assert AuditEntry.objects.filter(action="admin.change").count() == 1
    assert AuditEntry.objects.count() == audits + 1


def test_it_lists_every_model(region_setup, eka) -> None:  # type: ignore[no-untyped-def]
    for path in (
        "org/region",
        "org/unit",
        "org/employee",
        "org/roleassignment",
        "calendars/calendarday",
        "calendars/rosterentry",
        "tpp/rulesetversion",
        "attendance/attendanceevent",
        "attendance/employeeday",
        "absences/absence",
        "audit/auditentry",
    ):
        assert eka.get(f"/admin/{path}/").status_code == 200, path
