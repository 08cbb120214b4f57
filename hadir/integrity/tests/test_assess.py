"""The registered background check on stored check-ins: face work, signals from the database,
the risk score, and high-risk records moved to the atasan's queue."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from conftest import EMPLOYEE_NIP, HEAD_NIP, OPERATOR_NIP, STRANGER_NIP
from hadir.attendance.checks import checks_run, registered_checks
from hadir.attendance.models import CheckIn
from hadir.audit.models import AuditEntry
from hadir.biometrics import testing as render
from hadir.biometrics.models import BiometricAccess, FaceCheck
from hadir.biometrics.services import consent_give, enroll_from_photo
from hadir.biometrics.tests import factories as f
from hadir.integrity.checks import face_and_risk

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):  # type: ignore[no-untyped-def]
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def ani(region_setup):  # type: ignore[no-untyped-def]
    """Ani, consenting and enrolled with the astronaut's face."""
    emp = f.employee(EMPLOYEE_NIP)
    consent_give(employee=emp, actor="ani")
    enroll_from_photo(employee=emp, photo=render.jpeg(render.person("astronaut")), operator="c")
    return emp


def _run(record: CheckIn) -> CheckIn:
    assert checks_run(checkin_id=record.pk) == []
    record.refresh_from_db()
    return record


def _codes(record: CheckIn) -> list[str]:
    return [r["code"] for r in record.risk_reasons]


def test_it_is_registered_with_the_checkin_checks() -> None:
    assert face_and_risk in registered_checks()


def test_it_keeps_a_clean_live_checkin_accepted(ani) -> None:  # type: ignore[no-untyped-def]
    record = _run(f.checkin(ani, render.burst("astronaut", "blink", seed=1)))
    assert record.status == "accepted"
    assert record.risk_score == 0.0 and record.risk_reasons == []
    assert record.checked_at is not None
    check = FaceCheck.objects.get(checkin=record)
    assert (check.status, check.matched, check.liveness_passed) == ("checked", True, True)
    assert check.distance is not None and check.distance < 0.3
    whats = set(BiometricAccess.objects.filter(employee=ani).values_list("what", flat=True))
    assert whats == {"frames", "template"}


def test_it_sends_another_face_to_the_queue(ani) -> None:  # type: ignore[no-untyped-def]
    record = _run(f.checkin(ani, render.burst("hopper", "turn_left"), instruction="turn_left"))
    assert record.status == "pending_review"
    assert _codes(record) == ["face_mismatch"]
    assert record.risk_score == 0.6
    assert "tidak cocok" in record.risk_reasons[0]["detail"]
    assert AuditEntry.objects.filter(action="integrity.flag", object_id=str(record.pk)).exists()


def test_it_sends_a_still_photo_to_the_queue(ani) -> None:  # type: ignore[no-untyped-def]
    record = _run(f.checkin(ani, render.still_burst("astronaut")))
    assert record.status == "pending_review"
    assert _codes(record) == ["liveness_failed"]
    assert "foto atau layar" in record.risk_reasons[0]["detail"]


def test_it_catches_a_resubmitted_burst(ani) -> None:  # type: ignore[no-untyped-def]
    frames = render.burst("astronaut", "blink", seed=2)
    yesterday = timezone.now() - timedelta(days=1)
    first = _run(f.checkin(ani, frames, at=yesterday, latitude=0.5021398, longitude=117.15362))
    again = _run(f.checkin(ani, frames))
    assert _codes(first) == []
    assert _codes(again) == ["photo_reused"]
    assert FaceCheck.objects.get(checkin=again).reused_from_id == first.pk
    fresh = _run(f.checkin(ani, render.burst("astronaut", "blink", seed=4)))
    assert _codes(fresh) == []


def test_it_catches_one_face_for_two_colleagues(ani) -> None:  # type: ignore[no-untyped-def]
    """Citra has consented but not enrolled; the astronaut (Ani) checks in for her too."""
    citra = f.employee(OPERATOR_NIP)
    consent_give(employee=citra, actor="citra")
    _run(f.checkin(ani, render.burst("astronaut", "blink", seed=1)))
    record = _run(f.checkin(citra, render.burst("astronaut", "blink", seed=3)))
    assert _codes(record) == ["not_enrolled", "face_shared"]
    assert record.status == "pending_review"
    logged = BiometricAccess.objects.filter(employee=ani, what="embedding")
    assert logged.count() == 1 and "pemakaian ulang" in logged.get().detail


def test_it_does_not_process_a_face_without_consent(region_setup) -> None:  # type: ignore[no-untyped-def]
    dedi = f.employee(STRANGER_NIP)
    record = _run(f.checkin(dedi, render.burst("hopper", "turn_left"), instruction="turn_left"))
    check = FaceCheck.objects.get(checkin=record)
    assert check.status == "no_consent" and check.hashes == [] and check.embedding is None
    assert not BiometricAccess.objects.exists()  # the frames were not even read
    assert _codes(record) == ["no_biometric_consent"]
    assert record.status == "pending_review"  # the atasan verifies the selfie


def test_it_flags_gps_facts_from_history(ani) -> None:  # type: ignore[no-untyped-def]
    frames = lambda seed: render.burst("astronaut", "blink", seed=seed)  # noqa: E731
    now = timezone.now()
    _run(f.checkin(ani, frames(1), at=now - timedelta(days=2)))
    repeated = _run(f.checkin(ani, frames(2), at=now - timedelta(days=1)))
    assert _codes(repeated) == ["gps_repeated_coordinates"]
    far = _run(
        f.checkin(ani, frames(3), at=now, latitude=-1.2379411, longitude=116.8529213)
    )  # Balikpapan, a day after Sangatta: fine
    assert _codes(far) == []
    jump = _run(
        f.checkin(
            ani, frames(4), at=now + timedelta(minutes=15), latitude=0.5123456, longitude=117.1
        )
    )
    assert _codes(jump) == ["impossible_travel"]


def test_it_flags_gps_without_accuracy_and_mock_location(ani) -> None:  # type: ignore[no-untyped-def]
    record = _run(
        f.checkin(
            ani, render.burst("astronaut", "blink", seed=1), accuracy_m=0.0, mock_location=True
        )
    )
    assert _codes(record) == ["mock_location", "gps_accuracy_implausible"]
    assert record.risk_score == 0.85


def test_it_flags_a_device_of_several_employees(ani) -> None:  # type: ignore[no-untyped-def]
    budi = f.employee(HEAD_NIP)
    shared = f.device(ani, thumbprint="same-phone")
    f.device(budi, thumbprint="same-phone")
    record = _run(f.checkin(ani, render.burst("astronaut", "blink", seed=1), dev=shared))
    assert _codes(record) == ["shared_device"]
    assert "2 pegawai" in record.risk_reasons[0]["detail"]
    assert record.status == "accepted"  # 0.4 < 0.5: noted, not queued


def test_it_flags_a_new_device_and_checkin_reasons(ani) -> None:  # type: ignore[no-untyped-def]
    f.device(ani, age_days=300, status="retired")
    new = f.device(ani, age_days=1)
    record = _run(
        f.checkin(
            ani,
            render.burst("astronaut", "blink", seed=1),
            dev=new,
            reasons=[
                {"code": "clock_skew", "detail": "..."},
                {"code": "offline_gap", "detail": "..."},
            ],
        )
    )
    assert _codes(record) == ["new_device", "clock_skew", "offline_gap"]
    assert record.risk_score == 0.65 and record.status == "pending_review"


def test_it_leaves_decided_and_rejected_records_alone(ani) -> None:  # type: ignore[no-untyped-def]
    rejected = _run(f.checkin(ani, render.still_burst("astronaut"), status="rejected"))
    assert rejected.status == "rejected" and _codes(rejected) == ["liveness_failed"]
    record = f.checkin(ani, render.still_burst("astronaut"))
    CheckIn.objects.filter(pk=record.pk).update(review_status="approved")
    assert _run(record).status == "accepted"


def test_it_is_safe_to_run_twice(ani) -> None:  # type: ignore[no-untyped-def]
    record = _run(f.checkin(ani, render.still_burst("astronaut")))
    again = _run(record)
    assert again.risk_reasons == record.risk_reasons
    assert FaceCheck.objects.filter(checkin=record).count() == 1
    assert AuditEntry.objects.filter(action="integrity.flag").count() == 1


def test_it_judges_a_record_whose_frames_were_lost(ani) -> None:  # type: ignore[no-untyped-def]
    record = f.checkin(ani, render.burst("astronaut", "blink", seed=1))
    for frame in record.frames.all():
        frame.image.delete(save=False)
    record = _run(record)
    assert FaceCheck.objects.get(checkin=record).status == "no_face"
    assert _codes(record) == ["face_missing"]


def test_it_uses_the_defaults_where_no_rule_set_is_in_force(ani) -> None:  # type: ignore[no-untyped-def]
    from hadir.tpp.models import RuleSetVersion

    RuleSetVersion.objects.all().delete()
    record = _run(f.checkin(ani, render.still_burst("astronaut")))
    assert _codes(record) == ["liveness_failed"] and record.status == "pending_review"
