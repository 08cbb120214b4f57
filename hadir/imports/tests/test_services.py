"""hadir.imports.services: the summary, rows from memory, the audit entry, long problem lists."""

from __future__ import annotations

from datetime import date

import pytest

from conftest import EMPLOYEE_NIP
from hadir.attendance.models import AttendanceEvent
from hadir.audit.models import AuditEntry
from hadir.audit.services import audit_verify_chain
from hadir.core.errors import InputProblems
from hadir.core.tabular import Table
from hadir.imports.fields import MAX_PROBLEM_LINES, ImportResult
from hadir.imports.services import import_table
from hadir.imports.tests.conftest import table_counts

pytestmark = pytest.mark.django_db


def test_it_prints_counts_and_notes() -> None:
    result = ImportResult("employees", created=12, updated=3, dry_run=True, notes=["x"])
    assert str(result) == (
        "employees: 12 created, 3 updated, 0 unchanged (dry run: nothing stored)\nnote: x"
    )


def test_it_imports_rows_built_in_memory(region_setup) -> None:  # type: ignore[no-untyped-def]
    table = Table.from_dicts(
        "demo events",
        [
            {
                "nip": int(EMPLOYEE_NIP),
                "timestamp": "2026-01-05T07:30:00+08:00",
                "source": "import",
            },
            {"nip": EMPLOYEE_NIP, "timestamp": "2026-01-05T16:00:00+08:00", "source": "import"},
        ],
    )
    result = import_table(
        kind="events", table=table, region_code="6408", dry_run=False, actor="demo"
    )
    assert (result.created, result.unchanged) == (2, 0)
    assert set(AttendanceEvent.objects.values_list("created_by", flat=True)) == {"demo"}
    entry = AuditEntry.objects.get(action="import.events")
    assert (entry.actor, entry.data["file"], entry.data["region"]) == (
        "demo",
        "demo events",
        "6408",
    )
    assert entry.data["counts"] == {"created": 2, "updated": 0, "unchanged": 0}
    again = import_table(kind="events", table=table, region_code=None, dry_run=False, actor="demo")
    assert (again.created, again.unchanged) == (0, 2)
    assert AuditEntry.objects.filter(action="import.events").count() == 1  # nothing changed
    assert audit_verify_chain() == []


def test_it_caps_a_long_list_of_problems(region_setup) -> None:  # type: ignore[no-untyped-def]
    rows = [{"date": date(2026, 1, 1), "kind": "feast"} for _ in range(MAX_PROBLEM_LINES + 5)]
    with pytest.raises(InputProblems) as caught:
        import_table(
            kind="calendar",
            table=Table.from_dicts("cal", rows),
            region_code=None,
            dry_run=False,
            actor="test",
        )
    problems = caught.value.problems
    assert len(problems) == MAX_PROBLEM_LINES + 1
    assert problems[-1] == "cal: 5 more problem(s) not shown"


def test_it_refuses_an_unknown_kind() -> None:
    with pytest.raises(InputProblems, match="unknown import kind 'staff'"):
        import_table(
            kind="staff",
            table=Table.from_dicts("x", []),
            region_code=None,
            dry_run=False,
            actor="test",
        )


def test_it_refuses_a_file_it_cannot_read(region_setup, hadir_cli, tmp_path) -> None:  # type: ignore[no-untyped-def]
    before = table_counts()
    path = tmp_path / "employees.xls"
    path.write_bytes(b"\xd0\xcf\x11\xe0")
    code, out, err = hadir_cli("import", "employees", str(path))
    assert (code, out) == (2, "")
    assert err == "employees.xls: unknown file type '.xls': use .csv or .xlsx\n"
    code, _, err = hadir_cli("import", "events", str(tmp_path / "missing.csv"))
    assert code == 2 and err.startswith("missing.csv: cannot read: no such file")
    assert table_counts() == before


def test_it_accepts_a_file_with_only_a_header(region_setup, hadir_cli, write_csv) -> None:  # type: ignore[no-untyped-def]
    path = write_csv("events.csv", ["nip", "timestamp", "source"], [])
    code, out, _ = hadir_cli("import", "events", str(path))
    assert (code, out) == (0, "events: 0 created, 0 updated, 0 unchanged\n")
