"""The daily job on demand: the heavy case, thresholds from the rule set, idempotence."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
import time_machine

from hadir.discipline.tests.conftest import weekdays

pytestmark = pytest.mark.django_db
MONTH_START, MONTH_END = date(2026, 3, 2), date(2026, 3, 31)


@pytest.fixture
def dedi_stops_coming(people, attend):  # type: ignore[no-untyped-def]
    """Everyone present all March, except Dedi from Mon 16 March onwards."""
    days = weekdays(MONTH_START, MONTH_END)
    with time_machine.travel(datetime(2026, 4, 1, tzinfo=UTC), tick=False):
        for name in ("ani", "budi", "citra"):
            attend(name, days)
        attend("dedi", [d for d in days if d < date(2026, 3, 16)])


def test_it_opens_the_heavy_case_on_the_tenth_consecutive_day(dedi_stops_coming, hadir_cli):
    from hadir.discipline.models import AbsenceWarning, DisciplineCase

    # Nine working days TK by Thu 26 March: a warning, the tally case, no heavy case yet.
    code, out, _ = hadir_cli("discipline", "run", "--date", "2026-03-26")
    assert code == 0
    assert "1 warnings" in out and "1 cases opened" in out
    warning = AbsenceWarning.objects.get()
    assert (warning.streak_start, warning.tk_days) == (date(2026, 3, 16), 9)
    assert list(DisciplineCase.objects.values_list("kind", "recommended")) == [
        ("tally", "pernyataan_tidak_puas")
    ]
    # The tenth on Fri 27 March: the heavy case (dismissal recommended).
    code, out, _ = hadir_cli("discipline", "run", "--date", "2026-03-27")
    warning.refresh_from_db()
    assert (warning.streak_end, warning.tk_days) == (date(2026, 3, 27), 10)
    heavy = DisciplineCase.objects.get(kind="consecutive")
    assert (heavy.recommended, heavy.level, heavy.tally_days, heavy.warning) == (
        "pemberhentian",
        "berat",
        10,
        warning,
    )
    assert AbsenceWarning.objects.count() == 1  # one run, one warning, however long


def test_it_changes_nothing_when_run_twice(dedi_stops_coming, hadir_cli):
    from hadir.audit.models import AuditEntry
    from hadir.discipline.models import AbsenceWarning, DisciplineCase
    from hadir.notify.models import Outbox

    hadir_cli("discipline", "run", "--date", "2026-03-31")
    counts = [m.objects.count() for m in (AbsenceWarning, DisciplineCase, Outbox, AuditEntry)]
    code, out, _ = hadir_cli("discipline", "run", "--date", "2026-03-31")
    assert code == 0
    assert out.strip() == (
        "discipline ladder for 2026-03-31: 0 warnings, 0 reprimands to atasan, "
        "0 Pasal 28 recommendations, 0 cases opened (regions: 6408)"
    )
    after = [m.objects.count() for m in (AbsenceWarning, DisciplineCase, Outbox, AuditEntry)]
    assert after == counts


def test_it_takes_thresholds_from_the_rule_set(dedi_stops_coming, hadir_cli, tmp_path):
    from conftest import RULESET_TOML
    from hadir.discipline.models import AbsenceWarning

    path = tmp_path / "strict.toml"
    path.write_text(RULESET_TOML + "\n[discipline]\nwarn_after_days = 2\n", encoding="utf-8")
    assert hadir_cli("rules", "load", str(path))[0] == 0
    hadir_cli("discipline", "run", "--date", "2026-03-17")
    assert AbsenceWarning.objects.get().tk_days == 2


def test_it_refuses_a_bad_date(hadir_cli, db, capsys):  # type: ignore[no-untyped-def]
    with pytest.raises(SystemExit) as info:
        hadir_cli("discipline", "run", "--date", "2026-02-30")
    assert info.value.code == 2
    assert "'2026-02-30' is not a date" in capsys.readouterr().err


def test_it_judges_the_last_finished_day_without_a_date(hadir_cli, db):  # type: ignore[no-untyped-def]
    with time_machine.travel(datetime(2026, 3, 10, 17, 30, tzinfo=UTC), tick=False):
        code, out, _ = hadir_cli("discipline", "run")
    assert code == 0
    assert out.startswith("discipline ladder for 2026-03-10:")  # 00:30 on the 11th in WIB


def test_it_warns_once_for_an_absence_longer_than_the_lookback(people, attend, hadir_cli):
    from datetime import timedelta

    from hadir.discipline.models import AbsenceWarning, DisciplineCase

    days = weekdays(date(2026, 2, 2), date(2026, 7, 10))
    with time_machine.travel(datetime(2026, 7, 11, tzinfo=UTC), tick=False):
        for name in ("ani", "budi", "citra"):
            attend(name, days)
        attend("dedi", [d for d in days if d < date(2026, 3, 2)])
    runs = [date(2026, 3, 4), date(2026, 3, 13)]
    runs += [date(2026, 6, 1) + timedelta(days=i) for i in range(7)]  # every weekday alignment
    for day in runs:
        assert hadir_cli("discipline", "run", "--date", day.isoformat())[0] == 0
    warning = AbsenceWarning.objects.get()
    assert (warning.streak_start, warning.issued_on) == (date(2026, 3, 2), date(2026, 3, 4))
    # Missed nights catch up one step at a time, dated by the run that takes it.
    assert (warning.status, warning.reprimanded_on) == ("reprimanded", date(2026, 6, 1))
    kinds = sorted(DisciplineCase.objects.values_list("kind", "recommended"))
    assert kinds == [
        ("consecutive", "pemberhentian"),
        ("tally", "pemberhentian"),
        ("tally", "pernyataan_tidak_puas"),
        ("tally", "teguran_lisan"),
    ]


def test_it_goes_on_with_other_regions_when_one_fails(dedi_stops_coming, hadir_cli, monkeypatch):
    from hadir.core.errors import DomainError
    from hadir.discipline import ladder
    from hadir.org.models import Region

    Region.objects.create(code="9999", name="Kabupaten Rusak", timezone="Asia/Jayapura")
    real = ladder.discipline_run_region

    def broken(*, region, on, counts):  # type: ignore[no-untyped-def]
        if region.code == "9999":
            raise DomainError("schedule 'x' is unknown")
        real(region=region, on=on, counts=counts)

    monkeypatch.setattr(ladder, "discipline_run_region", broken)
    code, out, _ = hadir_cli("discipline", "run", "--date", "2026-03-26")
    assert code == 0
    assert "1 warnings" in out and "(regions: 6408)" in out
    assert out.strip().endswith("skipped region 9999: schedule 'x' is unknown")
