"""`hadir demo` end to end: the region, its people and history, logins, re-creation, a recap.

One small demo (40 employees, February 2026) is loaded for the module inside a transaction
that is rolled back at the end, so the other test modules never see it.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Iterator
from datetime import date, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.contrib.auth import authenticate
from django.db import transaction

from hadir.absences.models import Absence
from hadir.attendance.models import AttendanceEvent, EmployeeDay
from hadir.calendars.models import CalendarDay, RosterEntry
from hadir.demo import data
from hadir.demo.services import DEMO_PASSWORD, demo_create, demo_load, roster_set
from hadir.org.models import Employee, Position, Region, RoleAssignment, Site, Unit
from hadir.org.rules import validate_nip
from hadir.tpp.models import ManipulationFinding, RuleSetVersion

pytestmark = pytest.mark.django_db

END = date(2026, 2, 28)
DAYS = 28  # the whole of February 2026
DINKES = data.UNITS_BY_KEY[data.HEALTH_OPD].code


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker) -> Iterator[str]:  # type: ignore[no-untyped-def]
    with django_db_blocker.unblock(), transaction.atomic():
        yield demo_load(employees=40, days=DAYS, seed=6408, end=END)
        transaction.set_rollback(True)


def counts() -> dict[str, int]:
    from django.contrib.auth import get_user_model

    models = (
        Region,
        Unit,
        Site,
        Position,
        Employee,
        CalendarDay,
        RosterEntry,
        Absence,
        AttendanceEvent,
        EmployeeDay,
        RuleSetVersion,
        RoleAssignment,
        get_user_model(),
    )
    return {m.__name__: m.objects.count() for m in models}


def test_it_summarises_what_it_made(demo: str) -> None:
    assert demo.startswith("demo region 6408 Kabupaten Kutai Timur: 40 employees")
    assert "history 2026-02-01..2026-02-28 (28 days): 1120 employee-days resolved" in demo
    for login in ("admin", "operator", "atasan", DEMO_PASSWORD):
        assert login in demo


def test_it_imports_valid_employees_into_every_opd_with_heads(demo: str) -> None:
    employees = list(Employee.objects.select_related("unit", "position"))
    assert len(employees) == 40
    for e in employees:
        validate_nip(e.nip or "", e.kind)
        assert e.schedule_code and e.pin and e.tpp_base > 0 and e.position is not None
    assert Counter(e.kind for e in employees) == {"PNS": 28, "PPPK": 6, "NONASN": 6}
    opds = Unit.objects.filter(parent=None)
    assert opds.count() == 12
    for opd in opds:
        assert opd.head is not None and opd.head.unit_id == opd.id, opd.name
        assert opd.timezone == "Asia/Makassar" and opd.sites.count() == 1
    assert Unit.objects.count() == len(data.UNITS)


def test_it_loads_the_calendar_and_resolves_the_history(demo: str) -> None:
    kinds = Counter(CalendarDay.objects.values_list("kind", flat=True))
    assert kinds == {
        "national_holiday": 17,
        "cuti_bersama": 8,
        "regional_holiday": 1,
        "ramadan": 30,
    }
    assert CalendarDay.objects.get(date=date(2026, 8, 17)).name.startswith("Hari Kemerdekaan")
    days = EmployeeDay.objects.filter(date__gte=date(2026, 2, 1), date__lte=END)
    assert days.count() == 40 * DAYS
    office = days.filter(schedule_code="5hk")
    assert {d.status for d in office.filter(date=date(2026, 2, 17))} == {"holiday"}
    assert {d.status for d in office.filter(date=date(2026, 2, 14))} == {"off"}


def test_it_enters_events_through_the_import_on_working_days_only(demo: str) -> None:
    events = AttendanceEvent.objects.select_related("employee")
    assert set(events.values_list("created_by", flat=True)) == {"demo"}
    zone = ZoneInfo(data.TIMEZONE)
    office = events.filter(employee__schedule_code="5hk")
    assert office.exists()
    for event in office:
        day = event.at.astimezone(zone).date()
        assert day.weekday() < 5 and day not in (date(2026, 2, 16), date(2026, 2, 17))
    statuses = Counter(
        EmployeeDay.objects.filter(status__in=["present", "absent", "leave"]).values_list(
            "status", flat=True
        )
    )
    working = sum(statuses.values())
    assert statuses["present"] / working > 0.9
    assert statuses["absent"] > 0
    late = EmployeeDay.objects.filter(status="present", late_minutes__gt=0).count()
    assert 0 < late < statuses["present"] * 0.25


def test_it_checks_the_night_shift_out_after_midnight(demo: str) -> None:
    nights = EmployeeDay.objects.filter(schedule_code="shift_malam", status="present")
    assert nights.exists()
    mornings = [d.checkpoints["pulang"] for d in nights if d.checkpoints.get("pulang")]
    assert mornings and all(time.fromisoformat(t) < time(9, 0) for t in mornings)
    entries = RosterEntry.objects.filter(employee__schedule_code="rs_roster")
    assert entries.filter(date=END + timedelta(days=7)).exists()  # published a week ahead
    machine = AttendanceEvent.objects.filter(employee__schedule_code="rs_roster")
    assert set(machine.values_list("source", flat=True)) == {"machine"}


def test_it_creates_the_three_logins_with_their_roles(demo: str) -> None:
    from hadir.core.runner import DEMO_LOGINS

    assert DEMO_PASSWORD in DEMO_LOGINS
    admin = authenticate(username="admin", password=DEMO_PASSWORD)
    operator = authenticate(username="operator", password=DEMO_PASSWORD)
    atasan = authenticate(username="atasan", password=DEMO_PASSWORD)
    assert admin and admin.is_staff and admin.is_superuser
    assert operator and operator.is_staff and not operator.is_superuser
    assert atasan and not atasan.is_staff

    def roles(user) -> set[tuple[str, str | None]]:  # type: ignore[no-untyped-def]
        return {(r.role, r.unit.code if r.unit else None) for r in user.hadir_roles.all()}

    assert roles(admin) == {("bkpsdm_admin", None)}
    assert roles(operator) == {("operator", DINKES)}
    assert roles(atasan) == {("atasan", DINKES)}
    assert Unit.objects.get(code=DINKES).head == atasan.employee


def test_it_recreates_rather_than_duplicates(demo: str) -> None:
    before = counts()
    finding = ManipulationFinding.objects.create(  # protects its employee from deletion
        employee=Employee.objects.first(), month=date(2026, 2, 1), reason="foto dipakai ulang"
    )
    again = demo_load(employees=40, days=DAYS, seed=6408, end=END)
    assert not ManipulationFinding.objects.filter(pk=finding.pk).exists()
    assert counts() == before
    assert again.splitlines()[0] == demo.splitlines()[0]
    assert authenticate(username="atasan", password=DEMO_PASSWORD) is not None


def test_it_ends_the_history_yesterday(demo: str, time_machine) -> None:  # type: ignore[no-untyped-def]
    time_machine.move_to("2026-03-10 09:00:00+08:00", tick=False)
    summary = demo_create(employees=12, days=3, seed=1)
    assert "history 2026-03-07..2026-03-09 (3 days)" in summary
    assert Employee.objects.count() == 12


def test_it_refuses_a_roster_with_an_unknown_shift(demo: str) -> None:
    from hadir.core.errors import DomainError

    region = Region.objects.get(code="6408")
    nurse = Employee.objects.filter(schedule_code="rs_roster").first()
    assert nurse is not None
    with pytest.raises(DomainError, match="shift_siang"):
        roster_set(region=region, entries=[(nurse.id, END, "shift_siang")], actor="test")


def test_it_gives_a_realistic_recap_of_a_demo_month(demo: str, capsys) -> None:  # type: ignore[no-untyped-def]
    from hadir.cli import main

    capsys.readouterr()
    assert main(["recap", "--month", "2026-02", "--region", "6408"]) == 0
    recap = json.loads(capsys.readouterr().out)
    employees = recap["employees"]
    assert len(employees) == 40
    working = sum(e["working_days"] for e in employees)
    present = sum(e["present_days"] for e in employees)
    assert present / working > 0.9
    assert sum(e["late"]["TL1"] for e in employees) > 0
    assert sum(e["absent_days"] for e in employees) > 0
    assert any(e["tpp_paid"] < e["tpp_base"] for e in employees)
    assert any(e["tpp_paid"] == e["tpp_base"] for e in employees)
    assert sum(1 for e in employees if e["deduction_pct"] == 0) < len(employees)
    rates = [u["attendance_rate"] for u in recap["units"] if u["attendance_rate"] is not None]
    assert rates and min(rates) > 0.5


def test_it_leaves_other_regions_alone(demo: str) -> None:
    from hadir.core.tabular import Table
    from hadir.demo.services import ruleset_text
    from hadir.imports.services import import_table
    from hadir.tpp.services import ruleset_load

    other = ruleset_text().replace('code = "6408"', 'code = "6409"', 1)
    ruleset_load(text=other.replace("Kutai Timur", "Berau", 1), source_name="berau", actor="t")

    def load(kind: str, rows: list[dict[str, str]]) -> None:
        table = Table.from_dicts(kind, rows)
        import_table(kind=kind, table=table, region_code="6409", dry_run=False, actor="t")

    load("units", [{"Id": "BERAU", "NamaUnor": "Setda Berau", "DiatasanId": ""}])
    row = {"nama": "Ani", "jenisPegawai": "PNS", "unorId": "BERAU", "jabatanNama": "Analis"}
    load("employees", [{"nip": "198503152010012002", **row, "kelasJabatan": "8", "tppBase": "1"}])
    load("events", [{"nip": "198503152010012002", "timestamp": "2026-02-02T07:00:00+08:00",
                     "source": "mobile"}])  # fmt: skip
    demo_load(employees=40, days=DAYS, seed=6408, end=END)
    berau = Region.objects.get(code="6409")
    assert berau.units.count() == 1 and berau.employees.count() == 1
    assert AttendanceEvent.objects.filter(employee__region=berau).count() == 1
    assert RuleSetVersion.objects.filter(region=berau).count() == 1
