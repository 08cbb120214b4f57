"""End to end through the employee app's API (docs/checkin.md): a live check-in answers at once,
then the background check (face, liveness, reuse, risk) updates the record."""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model

from conftest import EMPLOYEE_NIP
from hadir.attendance.models import CheckIn
from hadir.attendance.tests.appclient import NOW, PASSWORD, SITE, App
from hadir.biometrics import testing as render
from hadir.biometrics.models import FaceCheck
from hadir.biometrics.services import consent_give, enroll_from_photo
from hadir.biometrics.tests import factories as f
from hadir.org.models import Employee, Site, Unit

pytestmark = pytest.mark.django_db
# A measured point inside the site (browsers give seven or more decimals).
POINT = {"latitude": SITE[0] + 0.0000347, "longitude": SITE[1] + 0.0000123}


@pytest.fixture
def app(region_setup, settings, tmp_path, time_machine) -> App:  # type: ignore[no-untyped-def]
    settings.MEDIA_ROOT = str(tmp_path / "media")
    time_machine.move_to(NOW, tick=False)
    user = get_user_model().objects.create_user("ani", password=PASSWORD)
    Employee.objects.filter(nip=EMPLOYEE_NIP).update(user=user)
    Site.objects.create(
        unit=Unit.objects.get(code="A"),
        name="Kantor",
        latitude=SITE[0],
        longitude=SITE[1],
        radius_m=100,
    )
    ani = f.employee(EMPLOYEE_NIP)
    consent_give(employee=ani, actor="ani")
    enroll_from_photo(employee=ani, photo=render.jpeg(render.person("astronaut")), operator="c")
    client = App()
    assert client.login().status_code == 200
    return client


def _check_in(app: App, person: str, captures, seed: int = 1) -> CheckIn:  # type: ignore[no-untyped-def]
    challenge = app.challenge().json()
    instruction = challenge["instruction"]
    if person == "astronaut" and instruction == "blink":
        blobs = render.burst(person, "blink", seed=seed)
    else:  # Grace Hopper's rendered blink is not seen by dlib: she turns instead (still fails)
        blobs = render.burst(
            person, instruction if instruction != "blink" else "turn_left", seed=seed
        )
    with captures(execute=True):
        response = app.checkin(app.payload(nonce=challenge["nonce"], **POINT), blobs)
    assert response.status_code == 201, response.content
    assert response.json()["status"] == "accepted"  # the answer does not wait for the face
    return CheckIn.objects.get(pk=response.json()["id"])


def test_a_live_checkin_of_the_enrolled_face_stays_accepted(
    app, django_capture_on_commit_callbacks
) -> None:  # type: ignore[no-untyped-def]
    record = _check_in(app, "astronaut", django_capture_on_commit_callbacks)
    assert record.checked_at is not None
    assert (record.status, record.risk_score, record.risk_reasons) == ("accepted", 0.0, [])
    check = FaceCheck.objects.get(checkin=record)
    assert check.matched is True and check.liveness_passed is True


def test_a_colleagues_face_goes_to_the_atasan(app, django_capture_on_commit_callbacks) -> None:  # type: ignore[no-untyped-def]
    record = _check_in(app, "hopper", django_capture_on_commit_callbacks)
    assert record.status == "pending_review"
    codes = [r["code"] for r in record.risk_reasons]
    assert codes[0] == "face_mismatch"
    assert record.risk_score >= 0.5
