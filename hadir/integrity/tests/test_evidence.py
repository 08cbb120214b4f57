"""What the atasan's queue shows of a check-in (frames, map point, reasons), to whom, logged."""

from __future__ import annotations

import pytest
from django.test import Client

from conftest import EMPLOYEE_NIP, HEAD_NIP, OPERATOR_NIP, STRANGER_NIP
from hadir.attendance.checks import checks_run
from hadir.biometrics import testing as render
from hadir.biometrics.models import BiometricAccess
from hadir.biometrics.tests import factories as f
from hadir.integrity.selectors import checkin_evidence
from hadir.org.models import Region, Unit

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):  # type: ignore[no-untyped-def]
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def record(region_setup):  # type: ignore[no-untyped-def]
    ani = f.employee(EMPLOYEE_NIP)
    Unit.objects.filter(pk=ani.unit_id).update(head=f.employee(HEAD_NIP))  # Budi heads unit A
    frames = render.still_burst("astronaut", frames=3)
    checkin = f.checkin(ani, frames, mock_location=True)
    checks_run(checkin_id=checkin.pk)
    checkin.refresh_from_db()
    return checkin


def test_the_atasan_sees_frames_point_and_reasons(record) -> None:  # type: ignore[no-untyped-def]
    budi = f.user("budi", emp=f.employee(HEAD_NIP))
    evidence = checkin_evidence(user=budi, checkin_id=record.pk)
    assert evidence is not None
    assert evidence.point == {
        "latitude": f.LAT,
        "longitude": f.LON,
        "accuracy_m": 12.5,
        "site": "",
        "distance_m": None,
    }
    assert [r["code"] for r in evidence.risk_reasons] == ["no_biometric_consent", "mock_location"]
    assert evidence.risk_score == 1.0 and evidence.status == "pending_review"
    assert evidence.face is not None and evidence.face["status"] == "no_consent"
    assert evidence.frame_urls == [
        f"/biometrics/checkins/{record.pk}/frames/{i}.jpg" for i in range(3)
    ]
    client = Client()
    client.force_login(budi)
    response = client.get(evidence.frame_urls[1])
    assert response.status_code == 200
    assert response["Content-Type"] == "image/jpeg"
    assert response["Cache-Control"] == "private, no-store"
    assert response.content == record.frames.get(index=1).image.read()
    access = BiometricAccess.objects.get(what="frame")
    assert (access.actor, access.employee_id, access.purpose, access.object_id) == (
        "budi",
        record.employee_id,
        "review",
        f"{record.pk}#1",
    )


def test_the_bkpsdm_admin_sees_the_evidence(record) -> None:  # type: ignore[no-untyped-def]
    region = Region.objects.get(code="6408")
    eka = f.user("eka", role="bkpsdm_admin", region=region)
    assert checkin_evidence(user=eka, checkin_id=record.pk) is not None


@pytest.mark.parametrize("who", ["stranger", "operator", "payroll", "anonymous", "self"])
def test_others_see_nothing(record, who: str) -> None:  # type: ignore[no-untyped-def]
    from django.contrib.auth.models import AnonymousUser

    region = Region.objects.get(code="6408")
    user = {
        "stranger": lambda: f.user("dedi", emp=f.employee(STRANGER_NIP)),
        "operator": lambda: f.user(
            "citra", emp=f.employee(OPERATOR_NIP), role="operator", region=region
        ),
        "payroll": lambda: f.user("bpkad", role="bpkad", region=region),
        "anonymous": AnonymousUser,
        "self": lambda: f.user("ani", emp=f.employee(EMPLOYEE_NIP)),
    }[who]()
    assert checkin_evidence(user=user, checkin_id=record.pk) is None
    client = Client()
    if who != "anonymous":
        client.force_login(user)
    response = client.get(f"/biometrics/checkins/{record.pk}/frames/0.jpg")
    assert response.status_code in (302, 404)
    assert not BiometricAccess.objects.filter(what="frame").exists()


def test_the_bkpsdm_admin_lists_flagged_records_of_the_region(record) -> None:  # type: ignore[no-untyped-def]
    from hadir.integrity.selectors import flagged_checkins

    region = Region.objects.get(code="6408")
    eka = f.user("eka", role="bkpsdm_admin", region=region)
    clean = f.checkin(f.employee(EMPLOYEE_NIP))
    clean.risk_score = 0.0
    clean.save(update_fields=["risk_score"])
    assert list(flagged_checkins(eka)) == [record]
    other = Region.objects.create(code="6409", name="Lain", timezone="Asia/Makassar")
    zaki = f.user("zaki", role="bkpsdm_admin", region=other)
    assert list(flagged_checkins(zaki)) == []
    budi = f.user("budi", emp=f.employee(HEAD_NIP))
    assert list(flagged_checkins(budi)) == []
