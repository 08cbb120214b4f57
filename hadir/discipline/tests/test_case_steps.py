"""The steps of a case: summons, examination record (BAP) and decision, with documents."""

from __future__ import annotations

from datetime import date

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from hadir.core.errors import DomainError

pytestmark = pytest.mark.django_db


@pytest.fixture
def case(people, settings, tmp_path):  # type: ignore[no-untyped-def]
    from hadir.discipline.choices import CaseKind
    from hadir.discipline.services import case_open

    settings.MEDIA_ROOT = tmp_path / "media"
    return case_open(
        employee=people["ani"],
        kind=CaseKind.TALLY,
        key="tally:test",
        on=date(2026, 3, 2),
        tally=11,
        recommended="potongan_tpp_6_bulan",
    )


def test_it_tracks_summons_examination_and_decision(case, people):
    from hadir.audit.services import audit_verify_chain
    from hadir.discipline.choices import CaseStatus, StepKind
    from hadir.discipline.services import case_open, case_step_record

    assert (
        case_open(employee=people["ani"], kind="tally", key="tally:test", on=date(2026, 3, 3))
        is None
    )
    assert case.level == "sedang"
    with pytest.raises(DomainError) as info:
        case_step_record(case=case, kind=StepKind.EXAMINATION, on=date(2026, 3, 3), actor="budi")
    assert info.value.code == "summons_missing"
    letter = SimpleUploadedFile("panggilan-1.pdf", b"%PDF surat panggilan")
    case_step_record(
        case=case, kind=StepKind.SUMMONS_1, on=date(2026, 3, 3), actor="budi", document=letter
    )
    steps = {s.kind: s for s in case.steps.all()}
    assert steps[StepKind.SUMMONS_1].document.read() == b"%PDF surat panggilan"
    assert steps[StepKind.EXAMINATION].earliest_on == date(2026, 3, 12)  # 7 working days
    with pytest.raises(DomainError) as info:
        case_step_record(case=case, kind=StepKind.EXAMINATION, on=date(2026, 3, 11), actor="budi")
    assert info.value.code == "examination_too_early"
    case_step_record(
        case=case, kind=StepKind.EXAMINATION, on=date(2026, 3, 12), actor="budi", note="BAP"
    )
    assert case.steps.get(kind=StepKind.DECISION).due_on == date(2026, 3, 26)  # 14 days
    with pytest.raises(DomainError) as info:
        case_step_record(case=case, kind=StepKind.DECISION, on=date(2026, 3, 20), actor="budi")
    assert info.value.code == "sanction_missing"
    case_step_record(
        case=case,
        kind=StepKind.DECISION,
        on=date(2026, 3, 20),
        actor="budi",
        sanction="teguran_tertulis",
    )
    case.refresh_from_db()
    assert (case.status, case.decided_sanction) == (CaseStatus.DECIDED, "teguran_tertulis")
    with pytest.raises(DomainError):
        case_step_record(case=case, kind=StepKind.SUMMONS_2, on=date(2026, 3, 21), actor="budi")
    assert audit_verify_chain() == []


def test_it_shows_the_ladder_in_the_admin(case, admin_client):  # type: ignore[no-untyped-def]
    from hadir.discipline.notices import notify_case
    from hadir.notify.models import Outbox

    notify_case(case)
    message = Outbox.objects.first()
    for url in (
        f"/admin/notify/outbox/{message.id}/change/",
        "/admin/notify/outbox/?status__exact=pending&via__exact=",
        "/admin/discipline/disciplinecase/",
        f"/admin/discipline/disciplinecase/{case.id}/change/",
        "/admin/discipline/absencewarning/",
        "/admin/discipline/clarification/",
        "/admin/notify/outbox/",
        "/admin/notify/contactpreference/",
        "/admin/notify/pushsubscription/",
    ):
        assert admin_client.get(url).status_code == 200, url


def test_it_retries_failed_messages_from_the_admin(case, admin_client):  # type: ignore[no-untyped-def]
    from hadir.discipline.notices import notify_case
    from hadir.notify.models import Outbox

    notify_case(case)
    Outbox.objects.update(status="failed", attempts=6, last_error="HTTP 500")
    ids = list(Outbox.objects.values_list("id", flat=True))
    response = admin_client.post(
        "/admin/notify/outbox/", {"action": "retry_now", "_selected_action": ids}, follow=True
    )
    assert response.status_code == 200
    assert set(Outbox.objects.values_list("status", "attempts")) == {("pending", 0)}
