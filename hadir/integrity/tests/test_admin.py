"""The admin pages of the biometrics and integrity apps open, and a fraud case is opened and
decided through them (the services underneath)."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from django.contrib.auth import get_user_model
from django.test import Client

from conftest import EMPLOYEE_NIP
from hadir.biometrics import testing as render
from hadir.biometrics.services import consent_give, enroll_from_photo
from hadir.biometrics.tests import factories as f
from hadir.integrity.models import FraudCase
from hadir.tpp.models import ManipulationFinding

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client(region_setup, settings, tmp_path) -> Client:  # type: ignore[no-untyped-def]
    settings.MEDIA_ROOT = tmp_path / "media"
    user = get_user_model().objects.create_superuser("eka", password="x-Secret-123")
    client = Client()
    client.force_login(user)
    return client


@pytest.mark.parametrize(
    "page",
    [
        "/admin/biometrics/consent/",
        "/admin/biometrics/facetemplate/",
        "/admin/biometrics/facecheck/",
        "/admin/biometrics/biometricaccess/",
        "/admin/integrity/fraudcase/",
        "/admin/integrity/fraudcase/add/",
    ],
)
def test_every_page_opens(admin_client, page: str) -> None:  # type: ignore[no-untyped-def]
    ani = f.employee(EMPLOYEE_NIP)
    consent_give(employee=ani, actor="ani")
    enroll_from_photo(employee=ani, photo=render.jpeg(render.person("astronaut")), operator="c")
    response = admin_client.get(page)
    assert response.status_code == 200
    assert b"gAAAA" not in response.content  # no ciphertext on any page


def test_a_case_is_opened_and_decided_in_the_admin(admin_client) -> None:  # type: ignore[no-untyped-def]
    ani = f.employee(EMPLOYEE_NIP)
    record = f.checkin(ani, at=datetime(2026, 11, 10, 23, 5, tzinfo=UTC), status="pending_review")
    response = admin_client.post(
        "/admin/integrity/fraudcase/add/",
        {
            "employee": ani.pk,
            "checkins": str(record.pk),
            "summary": "Lokasi palsu.",
            "decision": "",
            "verdict": "",
        },
    )
    assert response.status_code == 302, response.content[:2000]
    case = FraudCase.objects.get()
    assert case.status == "open" and list(case.checkins.all()) == [record]
    response = admin_client.post(
        f"/admin/integrity/fraudcase/{case.pk}/change/",
        {"decision": "Terbukti memakai aplikasi lokasi palsu.", "verdict": "proven"},
    )
    assert response.status_code == 302
    case.refresh_from_db()
    assert case.status == "proven"
    assert ManipulationFinding.objects.filter(employee=ani).count() == 1
    assert admin_client.get(f"/admin/integrity/fraudcase/{case.pk}/change/").status_code == 200


def test_a_case_without_flagged_records_is_refused_with_the_reason(admin_client) -> None:  # type: ignore[no-untyped-def]
    ani = f.employee(EMPLOYEE_NIP)
    record = f.checkin(ani)
    response = admin_client.post(
        "/admin/integrity/fraudcase/add/",
        {
            "employee": ani.pk,
            "checkins": str(record.pk),
            "summary": "x",
            "decision": "",
            "verdict": "",
        },
        follow=True,
    )
    assert "tidak ditandai" in response.content.decode()
    assert not FraudCase.objects.exists()


def test_an_operator_records_consent_in_the_admin(admin_client) -> None:  # type: ignore[no-untyped-def]
    from hadir.audit.models import AuditEntry
    from hadir.biometrics.models import Consent

    ani = f.employee(EMPLOYEE_NIP)
    response = admin_client.post(
        "/admin/biometrics/consent/add/", {"employee": ani.pk, "given_via": "operator"}
    )
    assert response.status_code == 302, response.content[:3000]
    consent = Consent.objects.get()
    assert (consent.employee, consent.given_via, consent.recorded_by) == (ani, "operator", "eka")
    assert AuditEntry.objects.filter(action="biometrics.consent_give").exists()


def test_an_operator_enrolls_an_in_person_photo_in_the_admin(admin_client) -> None:  # type: ignore[no-untyped-def]
    from django.core.files.uploadedfile import SimpleUploadedFile
    from PIL import ImageFilter

    from hadir.biometrics.models import FaceTemplate

    ani = f.employee(EMPLOYEE_NIP)

    def post(data: bytes):  # type: ignore[no-untyped-def]
        photo = SimpleUploadedFile("ani.jpg", data, content_type="image/jpeg")
        return admin_client.post(
            "/admin/biometrics/facetemplate/add/", {"employee": ani.pk, "photo": photo}
        )

    good = render.jpeg(render.person("astronaut"))
    assert "belum memberikan persetujuan" in post(good).content.decode()
    consent_give(employee=ani, actor="ani")
    blurred = render.jpeg(render.person("astronaut").filter(ImageFilter.GaussianBlur(3)))
    assert "Foto buram" in post(blurred).content.decode()
    assert not FaceTemplate.objects.exists()
    assert post(good).status_code == 302
    template = FaceTemplate.objects.get()
    assert (template.source, template.enrolled_by) == ("operator_photo", "eka")
    page = admin_client.get(f"/admin/biometrics/facetemplate/{template.pk}/change/")
    assert page.status_code == 200 and b"gAAAA" not in page.content
