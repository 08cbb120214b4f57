"""The approval chain: a request goes to the atasan, a decision tells the employee, approval
re-resolves the days; the operator's SPT entry is approved at once; strangers are refused."""

from __future__ import annotations

from datetime import date

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from hadir.absences.choices import AbsenceStatus
from hadir.absences.services import AbsenceRefused, absence_decide, absence_enter, absence_request
from hadir.attendance.models import StaleRange
from hadir.audit.models import AuditEntry
from hadir.notify.models import Outbox

pytestmark = pytest.mark.django_db
MON, FRI = date(2026, 3, 2), date(2026, 3, 6)


def _note(name: str = "surat.pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, b"%PDF-1.4 dokter", content_type="application/pdf")


def test_it_sends_a_request_to_the_atasan_and_the_decision_to_the_employee(staff) -> None:  # type: ignore[no-untyped-def]
    absence = absence_request(
        employee=staff["ani"],
        kind="cuti_tahunan",
        start=MON,
        end=FRI,
        reason="Keperluan keluarga",
        requested_by=staff["ani_user"],
    )
    assert absence.status == AbsenceStatus.PENDING
    to_budi = Outbox.objects.filter(template="hadir_cuti_masuk")
    assert {m.recipient for m in to_budi} == {staff["budi"]}
    assert all("Ani Lestari" in m.body for m in to_budi)
    StaleRange.objects.all().delete()
    absence_decide(absence=absence, by=staff["budi_user"], approve=True)
    absence.refresh_from_db()
    assert absence.status == AbsenceStatus.APPROVED and absence.decided_by == staff["budi_user"]
    mark = StaleRange.objects.get(employee=staff["ani"])
    assert (mark.start, mark.end) == (MON, FRI)
    told = Outbox.objects.filter(template="hadir_cuti_keputusan")
    assert {m.recipient for m in told} == {staff["ani"]}
    assert all("disetujui" in m.body for m in told)
    actions = list(AuditEntry.objects.values_list("action", flat=True))
    assert "absence.request" in actions and "absence.approve" in actions


def test_it_needs_a_reason_to_reject_and_does_not_re_resolve(staff) -> None:  # type: ignore[no-untyped-def]
    absence = absence_request(
        employee=staff["ani"],
        kind="izin",
        start=MON,
        end=MON,
        reason="Urusan",
        requested_by=staff["ani_user"],
    )
    with pytest.raises(AbsenceRefused, match="Alasan penolakan"):
        absence_decide(absence=absence, by=staff["budi_user"], approve=False)
    StaleRange.objects.all().delete()
    absence_decide(absence=absence, by=staff["budi_user"], approve=False, reason="Tidak jelas")
    assert not StaleRange.objects.exists()
    told = Outbox.objects.filter(template="hadir_cuti_keputusan")
    assert told.exists() and all("ditolak. Tidak jelas" in m.body for m in told)
    with pytest.raises(AbsenceRefused) as exc:
        absence_decide(absence=absence, by=staff["budi_user"], approve=True)
    assert exc.value.code == "already_decided"


def test_it_lets_only_the_atasan_decide(staff) -> None:  # type: ignore[no-untyped-def]
    absence = absence_request(
        employee=staff["ani"],
        kind="izin",
        start=MON,
        end=MON,
        reason="Urusan",
        requested_by=staff["ani_user"],
    )
    for intruder in ("dedi_user", "citra_user", "eka_user", "ani_user"):
        with pytest.raises(AbsenceRefused) as exc:
            absence_decide(absence=absence, by=staff[intruder], approve=True)
        assert exc.value.code == "forbidden"
    absence.refresh_from_db()
    assert absence.status == AbsenceStatus.PENDING


def test_it_wants_a_doctors_note_for_sick_leave(staff) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(AbsenceRefused) as exc:
        absence_request(
            employee=staff["ani"],
            kind="cuti_sakit",
            start=MON,
            end=FRI,
            reason="Demam",
            requested_by=staff["ani_user"],
        )
    assert exc.value.code == "document_required"
    with pytest.raises(AbsenceRefused, match="PDF, JPEG atau PNG"):
        absence_request(
            employee=staff["ani"],
            kind="cuti_sakit",
            start=MON,
            end=FRI,
            reason="Demam",
            requested_by=staff["ani_user"],
            document=_note("surat.exe"),
        )
    absence = absence_request(
        employee=staff["ani"],
        kind="cuti_sakit",
        start=MON,
        end=FRI,
        reason="Demam",
        requested_by=staff["ani_user"],
        document=_note(),
    )
    assert absence.document.name.endswith(".pdf")
    one_day = absence_request(
        employee=staff["citra"],
        kind="sakit",
        start=MON,
        end=MON,
        reason="Flu",
        requested_by=staff["citra_user"],
    )
    assert not one_day.document


def test_it_refuses_overlaps_and_bad_dates(staff) -> None:  # type: ignore[no-untyped-def]
    absence_request(
        employee=staff["ani"],
        kind="izin",
        start=MON,
        end=FRI,
        reason="x",
        requested_by=staff["ani_user"],
    )
    with pytest.raises(AbsenceRefused) as exc:
        absence_request(
            employee=staff["ani"],
            kind="cuti_tahunan",
            start=FRI,
            end=FRI,
            reason="y",
            requested_by=staff["ani_user"],
        )
    assert exc.value.code == "overlapping_absence"
    with pytest.raises(AbsenceRefused) as exc:
        absence_request(
            employee=staff["citra"],
            kind="izin",
            start=FRI,
            end=MON,
            reason="z",
            requested_by=staff["citra_user"],
        )
    assert exc.value.code == "bad_dates"


def test_the_operator_enters_travel_with_its_spt_and_leave_on_behalf(staff) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(AbsenceRefused) as exc:
        absence_enter(
            operator=staff["citra_user"],
            employee=staff["ani"],
            kind="perjalanan_dinas",
            start=MON,
            end=FRI,
            reason="Rapat di Samarinda",
        )
    assert exc.value.code == "spt_required"
    travel = absence_enter(
        operator=staff["citra_user"],
        employee=staff["ani"],
        kind="perjalanan_dinas",
        start=MON,
        end=FRI,
        reason="Rapat di Samarinda",
        reference="SPT/094/12/2026",
    )
    assert travel.status == AbsenceStatus.APPROVED and travel.channel == "operator"
    assert StaleRange.objects.filter(employee=staff["ani"], start=MON, end=FRI).exists()
    leave = absence_enter(
        operator=staff["citra_user"],
        employee=staff["budi"],
        kind="cuti_tahunan",
        start=date(2026, 3, 9),
        end=date(2026, 3, 9),
        reason="Atas nama",
    )
    assert leave.status == AbsenceStatus.PENDING and leave.requested_by == staff["citra_user"]


def test_an_operator_cannot_enter_for_another_unit(staff) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(AbsenceRefused) as exc:
        absence_enter(
            operator=staff["citra_user"],
            employee=staff["dedi"],
            kind="dinas_luar",
            start=MON,
            end=MON,
            reason="x",
            reference="SPT/1",
        )
    assert exc.value.code == "forbidden"
