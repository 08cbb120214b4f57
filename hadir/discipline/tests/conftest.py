"""The discipline tests' people: Ani works in bidang A1 under Citra (her atasan, head of A1);
Budi heads the OPD (unit A); Dedi in unit B has no atasan. Everyone has a phone and e-mail.

`attend` imports one morning event for each given day, through the import command, so that
days are marked stale and resolved the way production resolves them.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import date, timedelta

import pytest

from conftest import EMPLOYEE_NIP, HEAD_NIP, OPERATOR_NIP, STRANGER_NIP

NIPS = {"ani": EMPLOYEE_NIP, "budi": HEAD_NIP, "citra": OPERATOR_NIP, "dedi": STRANGER_NIP}


def weekdays(start: date, end: date) -> list[date]:
    days, day = [], start
    while day <= end:
        if day.weekday() < 5:
            days.append(day)
        day += timedelta(days=1)
    return days


@pytest.fixture
def people(region_setup, db):  # type: ignore[no-untyped-def]
    from hadir.org.models import Employee, Unit
    from hadir.org.services import unit_tree_rebuild

    by = {name: Employee.objects.get(nip=nip) for name, nip in NIPS.items()}
    unit_a = Unit.objects.get(code="A")
    unit_a.head = by["budi"]
    unit_a.save()
    a1 = Unit.objects.create(
        region=unit_a.region, code="A1", name="Bidang Satu", parent=unit_a, head=by["citra"]
    )
    unit_tree_rebuild(region=unit_a.region)
    for i, (name, emp) in enumerate(by.items()):
        emp.phone = f"08120000000{i}"
        emp.email = f"{name}@example.go.id"
        if name == "ani":
            emp.unit = a1
        emp.save()
    return by


@pytest.fixture
def attend(hadir_cli, write_csv) -> Callable[[str, Iterable[date]], None]:  # type: ignore[no-untyped-def]
    counter = iter(range(10_000))

    def run(name: str, days: Iterable[date]) -> None:
        rows = [[NIPS[name], f"{d.isoformat()}T07:20:00+08:00", "import"] for d in days]
        if not rows:
            return
        path = write_csv(f"events{next(counter)}.csv", ["nip", "timestamp", "source"], rows)
        code, _, err = hadir_cli("import", "events", str(path))
        assert code == 0, err

    return run


@pytest.fixture
def holiday(hadir_cli, write_csv) -> Callable[[date, str], None]:  # type: ignore[no-untyped-def]
    def run(day: date, name: str) -> None:
        path = write_csv(
            f"cal{day}.csv", ["date", "kind", "name"], [[day, "regional_holiday", name]]
        )
        code, _, err = hadir_cli("import", "calendar", str(path), "--region", "6408")
        assert code == 0, err

    return run


@pytest.fixture
def leave(hadir_cli, write_csv) -> Callable[[str, date, date], None]:  # type: ignore[no-untyped-def]
    def run(name: str, start: date, end: date) -> None:
        path = write_csv(
            f"abs{start}.csv",
            ["nip", "start_date", "end_date", "type", "status"],
            [[NIPS[name], start, end, "cuti_tahunan", "approved"]],
        )
        code, _, err = hadir_cli("import", "absences", str(path))
        assert code == 0, err

    return run
