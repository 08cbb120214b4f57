"""Walk Ani through the whole ladder over simulated weeks, with the job run every night.

January 2026 (Thursday 1 January is New Year): Ani is TK on Mon 5, Wed 7 and Fri 9, with
approved leave on Tue 6, a regional holiday on Thu 8 and the weekend between: three TK working
days in a row, reached only on the 9th. Dedi is TK on 5, 6, 9 and 12 but present on the 7th:
no run of three, yet four days in the year (a tally case). Everyone else is always present.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest
import time_machine
from django.core import mail

from hadir.discipline.tests.conftest import weekdays

pytestmark = pytest.mark.django_db

START, END = date(2026, 1, 2), date(2026, 2, 20)
ANI_TK = {date(2026, 1, 5), date(2026, 1, 7), date(2026, 1, 9)}
DEDI_TK = {date(2026, 1, 5), date(2026, 1, 6), date(2026, 1, 9), date(2026, 1, 12)}
HOLIDAY, LEAVE = date(2026, 1, 8), date(2026, 1, 6)


def _night(day: date) -> datetime:
    """The job's hour: 17:00 UTC, 01:00 the next morning in WITA (quiet hours)."""
    return datetime(day.year, day.month, day.day, 17, 0, tzinfo=UTC)


def _outbox(**filters: object) -> list[tuple[str, str, str]]:
    from hadir.notify.models import Outbox

    rows = Outbox.objects.filter(**filters).order_by("id")
    return [(r.template, r.channel, r.recipient.name.split()[0]) for r in rows]


def test_it_walks_a_person_through_the_whole_ladder(people, attend, holiday, leave, hadir_cli):
    from hadir.discipline.choices import CaseKind, StepKind, WarningStatus
    from hadir.discipline.models import AbsenceWarning, DisciplineCase
    from hadir.notify.choices import OutboxStatus
    from hadir.notify.models import Outbox
    from hadir.notify.services import outbox_send_due

    workdays = [d for d in weekdays(START, END) if d != HOLIDAY]
    with time_machine.travel(datetime(2026, 1, 2, 1, tzinfo=UTC), tick=False):
        holiday(date(2026, 1, 1), "Tahun Baru")
        holiday(HOLIDAY, "Hari jadi kabupaten")
        leave("ani", LEAVE, LEAVE)
        attend("ani", [d for d in workdays if d not in ANI_TK and d != LEAVE])
        attend("dedi", [d for d in workdays if d not in DEDI_TK])
        attend("budi", workdays)
        attend("citra", workdays)

    seen: dict[date, list[tuple[str, str, str]]] = {}
    day = START
    while day <= END:
        with time_machine.travel(_night(day), tick=False):
            before = Outbox.objects.count()
            code, out, err = hadir_cli("discipline", "run", "--date", day.isoformat())
            assert code == 0, err
            assert out.startswith(f"discipline ladder for {day.isoformat()}:")
            # Running the same night again creates and sends nothing twice.
            after = Outbox.objects.count()
            assert hadir_cli("discipline", "run", "--date", day.isoformat())[0] == 0
            assert Outbox.objects.count() == after
            new = list(Outbox.objects.order_by("id")[before:])
            if new:
                seen[day] = [(r.template, r.channel, r.recipient.name.split()[0]) for r in new]
            # 01:00 local time: quiet hours hold every message back until 06:00 WITA.
            assert all(r.status == OutboxStatus.PENDING and r.deferred_quiet for r in new)
            assert all(r.next_attempt_at == _night(day) + timedelta(hours=5) for r in new)
        with time_machine.travel(_night(day) + timedelta(hours=5, minutes=1), tick=False):
            outbox_send_due()
        day += timedelta(days=1)

    assert seen == {
        # Dedi's third TK day of the year: teguran lisan recommended, no run of three.
        date(2026, 1, 9): [
            ("hadir_peringatan_tk", "whatsapp", "Ani"),
            ("hadir_peringatan_tk", "sms", "Ani"),
            ("hadir_kasus_disiplin", "whatsapp", "Ani"),
            ("hadir_kasus_disiplin", "email", "Ani"),
            ("hadir_kasus_disiplin", "whatsapp", "Citra"),
            ("hadir_kasus_disiplin", "email", "Citra"),
            ("hadir_kasus_disiplin", "whatsapp", "Dedi"),
            ("hadir_kasus_disiplin", "email", "Dedi"),
        ],
        date(2026, 1, 12): [
            ("hadir_kasus_disiplin", "whatsapp", "Dedi"),
            ("hadir_kasus_disiplin", "email", "Dedi"),
        ],
        # Ten days after the warning without a clarification: teguran to the atasan, and the
        # OPD's head is asked to coach.
        date(2026, 1, 20): [
            ("hadir_teguran_atasan", "whatsapp", "Citra"),
            ("hadir_teguran_atasan", "email", "Citra"),
            ("hadir_pembinaan_unit", "whatsapp", "Budi"),
            ("hadir_pembinaan_unit", "email", "Budi"),
        ],
        # 28 days after the reprimand without OPD action: Pasal 28 against the atasan.
        date(2026, 2, 18): [
            ("hadir_rekomendasi_pasal28", "whatsapp", "Citra"),
            ("hadir_rekomendasi_pasal28", "email", "Citra"),
            ("hadir_rekomendasi_pasal28", "whatsapp", "Budi"),
            ("hadir_rekomendasi_pasal28", "email", "Budi"),
        ],
    }
    assert Outbox.objects.exclude(status=OutboxStatus.SENT).count() == 0
    # No provider is configured: WhatsApp and SMS went to the log channel; e-mail was sent.
    assert set(
        Outbox.objects.filter(channel__in=["whatsapp", "sms"]).values_list("via", flat=True)
    ) == {"log"}
    assert sorted(m.to[0] for m in mail.outbox) == sorted(
        ["ani@example.go.id", "citra@example.go.id", "dedi@example.go.id", "dedi@example.go.id"]
        + ["citra@example.go.id", "budi@example.go.id"] * 2
    )
    warning_text = Outbox.objects.filter(template="hadir_peringatan_tk").first().body
    assert "3 hari kerja berturut-turut (05-01-2026 s.d. 09-01-2026)" in warning_text
    assert "paling lambat 19-01-2026" in warning_text

    warning = AbsenceWarning.objects.get()
    assert (warning.employee.name, warning.status) == ("Ani Lestari", WarningStatus.RECOMMENDED)
    assert (warning.streak_start, warning.streak_end, warning.tk_days) == (
        date(2026, 1, 5),
        date(2026, 1, 9),
        3,
    )
    assert (warning.issued_on, warning.clarify_by) == (date(2026, 1, 9), date(2026, 1, 19))
    assert (warning.reprimanded_on, warning.recommended_on) == (
        date(2026, 1, 20),
        date(2026, 2, 18),
    )
    assert warning.atasan.name == "Citra Dewi"
    cases = {
        (c.employee.name, c.kind, c.recommended, c.tally_days, c.opened_on)
        for c in DisciplineCase.objects.all()
    }
    assert cases == {
        ("Ani Lestari", CaseKind.TALLY, "teguran_lisan", 3, date(2026, 1, 9)),
        ("Dedi Kurniawan", CaseKind.TALLY, "teguran_lisan", 3, date(2026, 1, 9)),
        ("Dedi Kurniawan", CaseKind.TALLY, "teguran_tertulis", 4, date(2026, 1, 12)),
        ("Citra Dewi", CaseKind.PASAL_28, "", 0, date(2026, 2, 18)),
    }
    pasal28 = DisciplineCase.objects.get(kind=CaseKind.PASAL_28)
    assert pasal28.level == "berat" and pasal28.warning == warning
    steps = {s.kind: s.due_on for s in pasal28.steps.all()}
    # First summons due 7 working days after opening (Wed 18 Feb -> Fri 27 Feb).
    assert steps == {
        StepKind.SUMMONS_1: date(2026, 2, 27),
        StepKind.EXAMINATION: None,
        StepKind.DECISION: None,
    }
