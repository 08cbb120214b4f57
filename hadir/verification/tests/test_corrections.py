"""Corrections: requested by the operator with a reason and evidence, written as a new operator
event only once the atasan approves; raw events untouched; every step audited."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from hadir.attendance.models import AttendanceEvent, StaleRange
from hadir.audit.models import AuditEntry
from hadir.audit.services import audit_verify_chain
from hadir.verification.corrections import (
    CorrectionRefused,
    correction_decide,
    correction_request,
)

pytestmark = pytest.mark.django_db
AT = datetime(2026, 3, 2, 23, 25, tzinfo=UTC)


def _evidence(name: str = "daftar-hadir.jpg") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, b"\xff\xd8\xff bukti", content_type="image/jpeg")


def test_it_writes_the_event_only_after_the_atasan_approves(staff, checkin) -> None:  # type: ignore[no-untyped-def]
    raw = checkin("ani", AT.replace(hour=8))
    before = list(AttendanceEvent.objects.values_list("id", "at", "checkpoint", "reason"))
    correction = correction_request(
        operator=staff["citra_user"],
        employee=staff["ani"],
        at=AT,
        checkpoint="masuk",
        reason="Mesin mati, hadir menurut daftar manual",
        evidence=_evidence(),
    )
    assert AttendanceEvent.objects.count() == len(before)
    StaleRange.objects.all().delete()
    correction_decide(correction=correction, by=staff["budi_user"], approve=True)
    correction.refresh_from_db()
    event = correction.event
    assert (event.source, event.checkpoint, event.at) == ("operator", "masuk", AT)
    assert "Mesin mati" in event.reason and event.created_by == "citra"
    assert StaleRange.objects.filter(employee=staff["ani"]).exists()
    after = set(AttendanceEvent.objects.values_list("id", "at", "checkpoint", "reason"))
    assert set(before) <= after and raw.event_id in {row[0] for row in after}
    actors = list(
        AuditEntry.objects.filter(object_type="Correction").values_list("actor", "action")
    )
    assert actors == [("citra", "correction.request"), ("budi", "correction.approve")]
    assert audit_verify_chain() == []


def test_it_refuses_bad_requests_and_strangers(staff) -> None:  # type: ignore[no-untyped-def]
    base = {"employee": staff["ani"], "at": AT, "checkpoint": "masuk", "reason": "x"}
    with pytest.raises(CorrectionRefused, match="Bukti"):
        correction_request(operator=staff["citra_user"], evidence=None, **base)
    with pytest.raises(CorrectionRefused, match="PDF, JPEG"):
        correction_request(operator=staff["citra_user"], evidence=_evidence("x.html"), **base)
    with pytest.raises(CorrectionRefused, match="tidak dikenal"):
        correction_request(
            operator=staff["citra_user"], evidence=_evidence(), **{**base, "checkpoint": "zz"}
        )
    with pytest.raises(CorrectionRefused) as exc:
        correction_request(
            operator=staff["citra_user"],
            evidence=_evidence(),
            **{**base, "employee": staff["dedi"]},
        )
    assert exc.value.code == "forbidden"
    correction = correction_request(operator=staff["citra_user"], evidence=_evidence(), **base)
    with pytest.raises(CorrectionRefused) as exc:
        correction_decide(correction=correction, by=staff["dedi_user"], approve=True)
    assert exc.value.code == "forbidden"
    with pytest.raises(CorrectionRefused, match="Alasan penolakan"):
        correction_decide(correction=correction, by=staff["budi_user"], approve=False)
    correction_decide(correction=correction, by=staff["budi_user"], approve=False, reason="Palsu")
    correction.refresh_from_db()
    assert correction.status == "rejected" and correction.event is None
    assert not AttendanceEvent.objects.filter(source="operator").exists()
