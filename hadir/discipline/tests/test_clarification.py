"""Clarifications: accepted by the atasan they close the warning, rejected it stands."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile

from hadir.core.errors import DomainError
from hadir.discipline.tests.conftest import weekdays

pytestmark = pytest.mark.django_db


@pytest.fixture
def warned(people, attend, hadir_cli, settings, tmp_path):  # type: ignore[no-untyped-def]
    """Ani is TK Mon 2 to Wed 4 March and warned on the 4th."""
    from hadir.discipline.models import AbsenceWarning

    settings.MEDIA_ROOT = tmp_path / "media"
    days = weekdays(date(2026, 2, 23), date(2026, 3, 13))
    with time_machine.travel(datetime(2026, 3, 20, tzinfo=UTC), tick=False):
        for name in ("budi", "citra", "dedi"):
            attend(name, days)
        attend("ani", [d for d in days if not date(2026, 3, 2) <= d <= date(2026, 3, 4)])
    assert hadir_cli("discipline", "run", "--date", "2026-03-04")[0] == 0
    return AbsenceWarning.objects.get()


def _submit(warning):  # type: ignore[no-untyped-def]
    from hadir.discipline.services import clarification_submit

    evidence = SimpleUploadedFile("surat-dokter.pdf", b"%PDF-1.4 sakit", "application/pdf")
    return clarification_submit(
        warning=warning, text="Saya sakit, terlampir surat dokter.", evidence=evidence, actor="ani"
    )


def test_it_closes_the_warning_when_the_atasan_accepts(warned, people, hadir_cli):
    from hadir.discipline.choices import WarningStatus
    from hadir.discipline.services import clarification_accept
    from hadir.notify.models import Outbox

    c = _submit(warned)
    warned.refresh_from_db()
    assert warned.status == WarningStatus.CLARIFIED
    assert c.evidence.read() == b"%PDF-1.4 sakit"
    assert Outbox.objects.filter(template="hadir_klarifikasi_masuk", recipient=people["citra"])
    clarification_accept(clarification=c, by=people["citra"], actor="citra")
    warned.refresh_from_db()
    assert warned.status == WarningStatus.CLOSED
    body = Outbox.objects.filter(template="hadir_klarifikasi_keputusan").first().body
    assert "diterima" in body
    # A closed warning climbs no further: no reprimand after the ten days.
    hadir_cli("discipline", "run", "--date", "2026-03-20")
    assert not Outbox.objects.filter(template="hadir_teguran_atasan").exists()


def test_it_lets_the_warning_stand_when_rejected(warned, people, hadir_cli):
    from hadir.discipline.choices import WarningStatus
    from hadir.discipline.services import clarification_reject
    from hadir.notify.models import Outbox

    c = _submit(warned)
    with pytest.raises(DomainError) as info:
        clarification_reject(clarification=c, by=people["citra"], actor="citra", reason=" ")
    assert info.value.code == "reason_missing"
    clarification_reject(
        clarification=c, by=people["citra"], actor="citra", reason="Surat tidak sah"
    )
    warned.refresh_from_db()
    assert warned.status == WarningStatus.STANDS
    body = Outbox.objects.filter(template="hadir_klarifikasi_keputusan").first().body
    assert "ditolak; peringatan tetap berlaku. Alasan: Surat tidak sah" in body
    with pytest.raises(DomainError) as info:
        _submit(warned)
    assert info.value.code == "warning_closed"


def test_it_lets_only_the_atasan_decide(warned, people):
    from hadir.discipline.services import clarification_accept

    c = _submit(warned)
    for stranger in (people["dedi"], people["budi"], people["ani"]):
        with pytest.raises(DomainError) as info:
            clarification_accept(clarification=c, by=stranger, actor="x")
        assert info.value.code == "not_atasan"
    with pytest.raises(DomainError) as info:
        _submit(warned)
    assert info.value.code == "already_clarified"


def test_it_stops_the_pasal_28_clock_when_the_opd_acts(warned, people, hadir_cli):
    from hadir.discipline.choices import WarningStatus
    from hadir.discipline.services import warning_action_record

    hadir_cli("discipline", "run", "--date", "2026-03-15")
    warned.refresh_from_db()
    assert warned.status == WarningStatus.REPRIMANDED
    warning_action_record(
        warning=warned, on=date(2026, 3, 20), note="Pembinaan oleh Kabid", actor="budi"
    )
    hadir_cli("discipline", "run", "--date", "2026-04-30")
    warned.refresh_from_db()
    assert (warned.status, warned.acted_on) == (WarningStatus.REPRIMANDED, date(2026, 3, 20))
