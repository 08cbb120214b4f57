"""Consent, enrollment, the encrypted template, logged reads and erasure."""

from __future__ import annotations

import pytest
from cryptography.fernet import Fernet
from PIL import ImageFilter

from conftest import EMPLOYEE_NIP, STRANGER_NIP
from hadir.audit.models import AuditEntry
from hadir.biometrics import crypto
from hadir.biometrics import testing as render
from hadir.biometrics.models import BiometricAccess, Consent, FaceCheck, FaceTemplate
from hadir.biometrics.services import (
    ConsentRequired,
    EnrollmentRejected,
    consent_give,
    consent_withdraw,
    departed_erase,
    enroll_from_frames,
    enroll_from_photo,
    template_read,
)
from hadir.biometrics.tests import factories as f
from hadir.biometrics.verify import checkin_face_check

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):  # type: ignore[no-untyped-def]
    settings.MEDIA_ROOT = tmp_path / "media"


def _photo(name: str = "astronaut") -> bytes:
    return render.jpeg(render.person(name))


def test_it_refuses_enrollment_without_consent(region_setup) -> None:  # type: ignore[no-untyped-def]
    ani = f.employee(EMPLOYEE_NIP)
    with pytest.raises(ConsentRequired) as info:
        enroll_from_photo(employee=ani, photo=_photo(), operator="citra")
    assert "persetujuan" in info.value.message
    assert not FaceTemplate.objects.exists()


def test_it_records_consent_once(region_setup) -> None:  # type: ignore[no-untyped-def]
    ani = f.employee(EMPLOYEE_NIP)
    first = consent_give(employee=ani, actor="ani", via="app")
    again = consent_give(employee=ani, actor="ani", via="app")
    assert first.pk == again.pk
    assert Consent.objects.filter(employee=ani).count() == 1
    assert AuditEntry.objects.filter(action="biometrics.consent_give").count() == 1


def test_it_enrolls_from_live_frames_and_encrypts_the_template(region_setup) -> None:  # type: ignore[no-untyped-def]
    ani = f.employee(EMPLOYEE_NIP)
    consent_give(employee=ani, actor="ani")
    frames = render.burst("astronaut", "turn_left")[:2]
    template = enroll_from_frames(employee=ani, frames=frames, actor="ani")
    assert template.vectors == 2
    assert template.source == "app_frames"
    raw = bytes(template.ciphertext)
    assert raw.startswith(b"gAAAA")  # a Fernet token, not float bytes
    vectors = template_read(employee=ani, actor="test", purpose="admin", detail="uji")
    assert len(vectors) == 2 and vectors[0].shape == (128,)
    access = BiometricAccess.objects.get()
    assert (access.actor, access.employee_id, access.what, access.purpose) == (
        "test",
        ani.pk,
        "template",
        "admin",
    )


def test_it_explains_why_an_operator_photo_is_refused(region_setup) -> None:  # type: ignore[no-untyped-def]
    ani = f.employee(EMPLOYEE_NIP)
    consent_give(employee=ani, actor="citra", via="operator")
    blurred = render.jpeg(render.person("astronaut").filter(ImageFilter.GaussianBlur(3)))
    with pytest.raises(EnrollmentRejected) as info:
        enroll_from_photo(employee=ani, photo=blurred, operator="citra")
    assert info.value.problems == [
        "Foto 1: Foto buram. Tahan ponsel dengan stabil dan bersihkan lensa kamera."
    ]
    with pytest.raises(EnrollmentRejected) as info:
        enroll_from_photo(employee=ani, photo=b"GIF89a...", operator="citra")
    assert info.value.problems[0].startswith("Foto 1: Berkas bukan gambar")
    assert not FaceTemplate.objects.exists()
    template = enroll_from_photo(employee=ani, photo=_photo(), operator="citra")
    assert template.source == "operator_photo" and template.enrolled_by == "citra"


def test_it_refuses_photos_of_two_people(region_setup) -> None:  # type: ignore[no-untyped-def]
    ani = f.employee(EMPLOYEE_NIP)
    consent_give(employee=ani, actor="ani")
    with pytest.raises(EnrollmentRejected) as info:
        enroll_from_frames(employee=ani, frames=[_photo("astronaut"), _photo("hopper")], actor="a")
    assert info.value.problems == ["Foto-foto tidak menunjukkan orang yang sama."]


def test_it_cannot_read_a_template_with_another_key(region_setup, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    ani = f.employee(EMPLOYEE_NIP)
    consent_give(employee=ani, actor="ani")
    enroll_from_photo(employee=ani, photo=_photo(), operator="citra")
    monkeypatch.setenv("HADIR_BIOMETRIC_KEY", Fernet.generate_key().decode())
    crypto.reset_keys()
    try:
        with pytest.raises(crypto.BiometricKeyError):
            template_read(employee=ani, actor="test", purpose="admin")
    finally:
        monkeypatch.delenv("HADIR_BIOMETRIC_KEY")
        crypto.reset_keys()


def test_it_rotates_keys_reading_with_the_old_one(monkeypatch) -> None:
    old, new = Fernet.generate_key().decode(), Fernet.generate_key().decode()
    monkeypatch.setenv("HADIR_BIOMETRIC_KEY", old)
    crypto.reset_keys()
    sealed = crypto.seal([render_vector()])
    monkeypatch.setenv("HADIR_BIOMETRIC_KEY", f"{new},{old}")
    crypto.reset_keys()
    try:
        assert crypto.unseal(sealed)[0][0] == pytest.approx(0.25)
    finally:
        monkeypatch.delenv("HADIR_BIOMETRIC_KEY")
        crypto.reset_keys()


def test_it_refuses_the_development_key_in_production(monkeypatch) -> None:
    from django.core.exceptions import ImproperlyConfigured

    monkeypatch.setenv("HADIR_PRODUCTION", "1")
    crypto.reset_keys()
    try:
        with pytest.raises(ImproperlyConfigured, match="HADIR_BIOMETRIC_KEY"):
            crypto.seal([render_vector()])
    finally:
        monkeypatch.delenv("HADIR_PRODUCTION")
        crypto.reset_keys()


def render_vector():  # type: ignore[no-untyped-def]
    import numpy as np

    return np.full(128, 0.25, dtype=np.float32)


def test_it_erases_on_withdrawal(region_setup) -> None:  # type: ignore[no-untyped-def]
    ani = f.employee(EMPLOYEE_NIP)
    consent_give(employee=ani, actor="ani")
    enroll_from_photo(employee=ani, photo=_photo(), operator="citra")
    record = f.checkin(ani, render.burst("astronaut", "blink"))
    checkin_face_check(record)
    assert FaceCheck.objects.get().embedding is not None
    assert consent_withdraw(employee=ani, actor="ani", reason="tidak bersedia") is True
    assert not FaceTemplate.objects.exists()
    assert FaceCheck.objects.get().embedding is None
    assert Consent.objects.get().withdrawn_at is not None
    assert AuditEntry.objects.filter(action="biometrics.erase").exists()
    assert consent_withdraw(employee=ani, actor="ani") is False
    with pytest.raises(ConsentRequired):
        enroll_from_photo(employee=ani, photo=_photo(), operator="citra")


def test_it_erases_when_the_employee_leaves(region_setup) -> None:  # type: ignore[no-untyped-def]
    ani, dedi = f.employee(EMPLOYEE_NIP), f.employee(STRANGER_NIP)
    for emp, name in ((ani, "astronaut"), (dedi, "hopper")):
        consent_give(employee=emp, actor="x")
        enroll_from_photo(employee=emp, photo=_photo(name), operator="citra")
    type(ani).objects.filter(pk=ani.pk).update(active=False)
    assert departed_erase() == 1
    assert list(FaceTemplate.objects.values_list("employee_id", flat=True)) == [dedi.pk]
    assert departed_erase() == 0
