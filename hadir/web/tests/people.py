"""The staff web's people, on the shared region of conftest.py (units A and B):

- Budi heads unit A: atasan of Ani and Citra (derived from the unit tree), no admin role;
- Citra is the operator of unit A (TOTP enrolled);
- Eka is the region's BKPSDM admin (TOTP enrolled), no employee record;
- Dedi works in unit B: a stranger to everyone in unit A;
- Fajar is the kepala daerah (reads the whole region).

`checkin` stores an app check-in the way the check-in API does (an event and the record).
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from datetime import datetime

import pytest
from django.contrib.auth import get_user_model

from conftest import EMPLOYEE_NIP, HEAD_NIP, OPERATOR_NIP, STRANGER_NIP

OUTSIDE = "Di luar lokasi kerja: 350 m dari Kantor"
MISMATCH = "Wajah tidak cocok (jarak 0,71)"

PASSWORD = "kata-sandi-panjang-2026"


def totp_now(device) -> str:  # type: ignore[no-untyped-def]
    from django_otp.oath import TOTP

    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    return f"{totp.token():0{device.digits}d}"


@pytest.fixture
def staff(region_setup, db, settings, tmp_path):  # type: ignore[no-untyped-def]
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from hadir.org.choices import Role
    from hadir.org.models import Employee, Region, Unit
    from hadir.org.services import role_grant

    settings.MEDIA_ROOT = tmp_path / "media"  # documents and evidence of the tests
    users = get_user_model().objects
    region = Region.objects.get(code="6408")
    unit_a, unit_b = Unit.objects.get(code="A"), Unit.objects.get(code="B")
    people = {
        "budi": Employee.objects.get(nip=HEAD_NIP),
        "ani": Employee.objects.get(nip=EMPLOYEE_NIP),
        "citra": Employee.objects.get(nip=OPERATOR_NIP),
        "dedi": Employee.objects.get(nip=STRANGER_NIP),
    }
    unit_a.head = people["budi"]
    unit_a.save()
    out = dict(people)
    for name in ("budi", "ani", "citra", "dedi", "eka", "fajar"):
        user = users.create_user(name, f"{name}@example.go.id", PASSWORD)
        out[f"{name}_user"] = user
        if name in people:
            people[name].user = user
            people[name].phone = "081200000000"
            people[name].save()
    role_grant(user=out["citra_user"], role=Role.OPERATOR, region=region, unit=unit_a)
    role_grant(user=out["eka_user"], role=Role.BKPSDM_ADMIN, region=region)
    role_grant(user=out["fajar_user"], role=Role.KEPALA_DAERAH, region=region)
    role_grant(user=out["dedi_user"], role=Role.KEPALA_OPD, region=region, unit=unit_b)
    for name in ("citra", "eka"):
        out[f"{name}_device"] = TOTPDevice.objects.create(
            user=out[f"{name}_user"], name="hadir", confirmed=True
        )
    out.update(region=region, unit_a=unit_a, unit_b=unit_b)
    return out


@pytest.fixture
def checkin(staff) -> Callable[..., object]:  # type: ignore[no-untyped-def]
    from hadir.attendance.choices import CheckInStatus, EventSource
    from hadir.attendance.models import AttendanceEvent, CheckIn
    from hadir.devices.models import EmployeeDevice

    def make(
        name: str,
        at: datetime,
        *,
        risk: float | None = 0.1,
        status: str = CheckInStatus.ACCEPTED,
        checkpoint: str = "masuk",
    ) -> CheckIn:
        employee = staff[name]
        device, _ = EmployeeDevice.objects.get_or_create(
            employee=employee,
            thumbprint=f"thumb-{employee.pk}",
            defaults={"public_key": {"kty": "EC"}, "status": "active"},
        )
        key = str(uuid.uuid4())
        event = None
        if status != CheckInStatus.REJECTED:
            event = AttendanceEvent.objects.create(
                employee=employee,
                at=at,
                source=EventSource.MOBILE,
                checkpoint=checkpoint,
                dedupe_key=f"app:{key}",
                latitude=-0.5,
                longitude=117.1,
            )
        return CheckIn.objects.create(
            employee=employee,
            device=device,
            checkpoint=checkpoint,
            idempotency_key=key,
            at=at,
            received_at=at,
            latitude=-0.5021,
            longitude=117.1536,
            accuracy_m=12.0,
            status=status,
            reasons=[]
            if status == CheckInStatus.ACCEPTED
            else [{"code": "outside_geofence", "detail": OUTSIDE}],
            site="Kantor Dinas Contoh",
            distance_m=20,
            risk_score=risk,
            risk_reasons=[]
            if (risk or 0) < 0.5
            else [{"code": "face_mismatch", "detail": MISMATCH}],
            event=event,
        )

    return make


def login(client, user, device=None) -> None:  # type: ignore[no-untyped-def]
    """The real login: password, then the TOTP code when the user has a device."""
    response = client.post("/web/masuk/", {"username": user.username, "password": PASSWORD})
    assert response.status_code == 302, response.content[:500]
    if device is not None:
        response = client.post("/web/otp/", {"token": totp_now(device)})
        assert response.status_code == 302, response.content[:500]
