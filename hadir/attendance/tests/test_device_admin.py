"""The admin of the employee app's devices: approving a device change, the minimum version."""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Permission
from django.test import Client

from conftest import STRANGER_NIP
from hadir.attendance.tests.appclient import App
from hadir.audit.models import AuditEntry
from hadir.devices.models import AppVersionPolicy, EmployeeDevice
from hadir.org.choices import Role
from hadir.org.models import Region, Unit
from hadir.org.services import role_grant

pytestmark = pytest.mark.django_db


def _staff(username: str, **role) -> Client:  # type: ignore[no-untyped-def]
    user = get_user_model().objects.create_user(
        username, password="x-long-password-1", is_staff=True
    )
    perms = Permission.objects.filter(content_type__app_label__in=["devices", "attendance"])
    user.user_permissions.set(perms)
    if role:
        role_grant(user=user, actor="test", **role)
    client = Client()
    client.force_login(user)
    return client


def test_it_lets_the_units_operator_approve_a_device_change_and_hides_others(ani, dedi) -> None:  # type: ignore[no-untyped-def]
    phone = App()
    assert phone.login().json()["device"]["status"] == "pending"
    region = Region.objects.get(code="6408")
    citra = _staff("citra", role=Role.OPERATOR, region=region, unit=Unit.objects.get(code="A"))
    listing = citra.get("/admin/devices/employeedevice/")
    assert listing.status_code == 200
    assert b"Ani Lestari" in listing.content and b"Dedi Kurniawan" not in listing.content
    pending = EmployeeDevice.objects.get(thumbprint=phone.key.thumbprint)
    dedis = EmployeeDevice.objects.get(employee__nip=STRANGER_NIP)
    # Dedi's device is outside Citra's scope: the action leaves it alone.
    citra.post(
        "/admin/devices/employeedevice/",
        {"action": "revoke", "_selected_action": [dedis.pk]},
    )
    dedis.refresh_from_db()
    assert dedis.status == "active"
    response = citra.post(
        "/admin/devices/employeedevice/",
        {"action": "approve", "_selected_action": [pending.pk]},
        follow=True,
    )
    assert "1 perangkat disetujui" in response.content.decode()
    pending.refresh_from_db()
    assert pending.status == "active" and pending.decided_by == "citra"
    assert EmployeeDevice.objects.get(thumbprint=ani.key.thumbprint).status == "retired"
    assert AuditEntry.objects.filter(action="device.approve", actor="citra").exists()


def test_it_sets_the_minimum_version_with_a_deadline(people) -> None:  # type: ignore[no-untyped-def]
    region = Region.objects.get(code="6408")
    eka = _staff("eka", role=Role.BKPSDM_ADMIN, region=region)
    url = "/admin/devices/appversionpolicy/add/"
    assert eka.get(url).status_code == 200
    bad = eka.post(
        url,
        {
            "region": region.pk,
            "min_version": "latest",
            "deadline_0": "2026-12-01",
            "deadline_1": "00:00:00",
        },
    )
    assert bad.status_code == 200 and not AppVersionPolicy.objects.exists()
    ok = eka.post(
        url,
        {
            "region": region.pk,
            "min_version": "1.2.0",
            "deadline_0": "2026-12-01",
            "deadline_1": "00:00:00",
        },
    )
    assert ok.status_code == 302
    policy = AppVersionPolicy.objects.get()
    assert policy.min_version == "1.2.0" and policy.updated_by == "eka"
    assert AuditEntry.objects.filter(action="admin.add", object_type="AppVersionPolicy").exists()
