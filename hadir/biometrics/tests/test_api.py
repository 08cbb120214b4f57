"""The employee app's consent and enrollment endpoints (through the API, with a bound device)."""

from __future__ import annotations

import io

import pytest
from django.contrib.auth import get_user_model
from django.test.client import encode_multipart
from PIL import ImageFilter

from conftest import EMPLOYEE_NIP, STRANGER_NIP
from hadir.attendance.tests.appclient import NOW, PASSWORD, App
from hadir.biometrics import testing as render
from hadir.biometrics.models import Consent, FaceTemplate
from hadir.org.models import Employee

pytestmark = pytest.mark.django_db


@pytest.fixture
def app(region_setup, time_machine) -> App:  # type: ignore[no-untyped-def]
    time_machine.move_to(NOW, tick=False)
    for nip, name in ((EMPLOYEE_NIP, "ani"), (STRANGER_NIP, "dedi")):
        user = get_user_model().objects.create_user(name, password=PASSWORD)
        Employee.objects.filter(nip=nip).update(user=user)
    client = App()
    assert client.login().status_code == 200
    return client


def _enroll(app: App, blobs: list[bytes], **extra: str):  # type: ignore[no-untyped-def]
    files = []
    for i, b in enumerate(blobs):
        stream = io.BytesIO(b)
        stream.name = f"f{i}.jpg"
        files.append(stream)
    body = encode_multipart("B0undary", {"frames": files})
    return app.client.generic(
        "POST",
        "/api/v1/me/biometrics/enroll",
        body,
        content_type="multipart/form-data; boundary=B0undary",
        **app.headers(),
        **extra,
    )


def test_it_enrolls_after_explicit_consent(app: App) -> None:
    assert app.get("/me/biometrics").json() == {"biometric": False, "enrolled": False, "vectors": 0}
    frames = render.burst("astronaut", "turn_left")[:3]
    refused = _enroll(app, frames)
    assert refused.status_code == 403 and refused.json()["code"] == "consent_required"
    no = app.post_json("/me/biometrics/consent", {"agree": False})
    assert no.status_code == 422 and not Consent.objects.exists()
    yes = app.post_json("/me/biometrics/consent", {"agree": True})
    assert yes.json() == {"biometric": True, "enrolled": False, "vectors": 0}
    done = _enroll(app, frames)
    assert done.status_code == 201
    assert done.json() == {"biometric": True, "enrolled": True, "vectors": 3}
    assert FaceTemplate.objects.get().employee.nip == EMPLOYEE_NIP


def test_it_says_which_photo_failed_and_why(app: App) -> None:
    app.post_json("/me/biometrics/consent", {"agree": True})
    blurred = render.jpeg(render.person("astronaut").filter(ImageFilter.GaussianBlur(3)))
    response = _enroll(app, [blurred, b"not a jpeg"])
    assert response.status_code == 422
    body = response.json()
    assert body["code"] == "enrollment_rejected"
    assert body["detail"].splitlines() == [
        "Foto 1: Foto buram. Tahan ponsel dengan stabil dan bersihkan lensa kamera.",
        "Foto 2: Berkas bukan gambar JPEG yang dapat dibaca.",
    ]
    assert _enroll(app, []).status_code == 422
    english = _enroll(app, [blurred], HTTP_ACCEPT_LANGUAGE="en")
    assert english.json()["detail"] == (
        "Photo 1: The photo is blurred. Hold the phone still and clean the lens."
    )


def test_withdrawing_erases_the_template(app: App) -> None:
    app.post_json("/me/biometrics/consent", {"agree": True})
    assert _enroll(app, [render.jpeg(render.person("astronaut"))]).status_code == 201
    response = app.client.delete("/api/v1/me/biometrics/consent", **app.headers())
    assert response.json() == {"biometric": False, "enrolled": False, "vectors": 0}
    assert not FaceTemplate.objects.exists()


def test_it_needs_the_employees_token(app: App) -> None:
    response = app.client.get("/api/v1/me/biometrics")
    assert response.status_code == 401
    assert response.json()["code"] == "unauthorized"
