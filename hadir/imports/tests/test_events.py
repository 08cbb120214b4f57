"""`hadir import events`: times in UTC, duplicate keys, checkpoints and stale days."""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal

import pytest

from conftest import EMPLOYEE_NIP, STRANGER_NIP
from hadir.attendance.models import AttendanceEvent, StaleRange
from hadir.imports.events import dedupe_key
from hadir.imports.tests.conftest import table_counts
from hadir.org.models import Employee

pytestmark = pytest.mark.django_db

HEADER = ["nip", "timestamp", "source", "checkpoint", "latitude", "longitude"]
ROWS = [
    [EMPLOYEE_NIP, "2026-01-05T07:42:10+08:00", "mobile", "masuk", "0.5025", "117.1536"],
    [EMPLOYEE_NIP, "2026-01-05 16:03:00+08:00", "Mobile", "", "", ""],
    [EMPLOYEE_NIP, "2026-01-05T07:42:10+08:00", "mobile", "masuk", "0.5025", "117.1536"],
    [STRANGER_NIP, "2026-01-06T23:10:00Z", "machine", "", "", ""],
]


def test_it_stores_events_in_utc_once_each(region_setup, hadir_cli, write_csv) -> None:  # type: ignore[no-untyped-def]
    StaleRange.objects.all().delete()
    path = write_csv("events.csv", HEADER, ROWS)
    code, out, err = hadir_cli("import", "events", str(path))
    assert (code, out, err) == (0, "events: 3 created, 0 updated, 0 unchanged\n", "")
    ani = Employee.objects.get(key=EMPLOYEE_NIP)
    first = AttendanceEvent.objects.filter(employee=ani).first()
    assert first is not None
    assert first.at == datetime(2026, 1, 4, 23, 42, 10, tzinfo=UTC)
    assert (first.source, first.checkpoint, first.latitude, first.longitude) == (
        "mobile",
        "masuk",
        Decimal("0.502500"),
        Decimal("117.153600"),
    )
    assert first.dedupe_key == dedupe_key(ani.id, first.at, "mobile", "masuk")
    assert first.dedupe_key.startswith(f"imp:{ani.id:010d}:{int(first.at.timestamp()):011d}:")
    assert len(first.dedupe_key) == 51
    assert (first.created_by, first.reason) == ("cli", "")
    assert first.received_at is not None and first.received_at.tzinfo is not None
    stale = {(s.employee.key, s.start, s.end) for s in StaleRange.objects.all()}
    assert stale == {
        (EMPLOYEE_NIP, date(2026, 1, 3), date(2026, 1, 6)),
        (STRANGER_NIP, date(2026, 1, 5), date(2026, 1, 7)),
    }


def test_it_changes_nothing_when_imported_again(region_setup, hadir_cli, write_csv) -> None:  # type: ignore[no-untyped-def]
    path = write_csv("events.csv", HEADER, ROWS)
    assert hadir_cli("import", "events", str(path))[0] == 0
    before = table_counts()
    more = write_csv(
        "more.csv",
        HEADER,
        [*ROWS, [STRANGER_NIP, "2026-01-07T00:10:00+01:00", "machine", "", "", ""]],
    )
    code, out, _ = hadir_cli("import", "events", str(path))
    assert (code, out) == (0, "events: 0 created, 0 updated, 3 unchanged\n")
    assert table_counts() == before
    code, out, _ = hadir_cli("import", "events", str(more))  # 23:10Z is the same instant
    assert (code, out) == (0, "events: 0 created, 0 updated, 3 unchanged\n")


def test_it_reads_an_event_file_in_xlsx(region_setup, hadir_cli, write_xlsx) -> None:  # type: ignore[no-untyped-def]
    path = write_xlsx(
        "events.xlsx",
        ["nip", "timestamp", "source"],
        [[int(EMPLOYEE_NIP), "2026-01-05T07:42:10+08:00", "machine"]],
    )
    code, _, err = hadir_cli("import", "events", str(path))
    assert (code, err) == (0, "")
    assert AttendanceEvent.objects.get().employee.key == EMPLOYEE_NIP


def test_it_refuses_bad_rows_and_stores_nothing(region_setup, hadir_cli, write_csv) -> None:  # type: ignore[no-untyped-def]
    before = table_counts()
    path = write_csv(
        "events.csv",
        HEADER,
        [
            [EMPLOYEE_NIP, "2026-01-05T07:42:10", "mobile", "", "", ""],
            ["199001019999999999", "2026-01-05T07:42:10+08:00", "fax", "lunch", "", ""],
            [EMPLOYEE_NIP, "kemarin", "mobile", "", "0.5", ""],
            ["", "2026-01-05T07:42:10+08:00", "mobile", "", "95", "200"],
        ],
    )
    code, out, err = hadir_cli("import", "events", str(path))
    assert code == 2 and out == ""
    assert err.splitlines() == [
        "events.csv: row 2, column timestamp: timestamp needs a UTC offset (like +08:00 or Z), "
        "got '2026-01-05T07:42:10'",
        "events.csv: row 3, column nip: unknown employee '199001019999999999'",
        "events.csv: row 3, column source: must be one of mobile|machine|operator|import, "
        "got 'fax'",
        "events.csv: row 3, column checkpoint: unknown checkpoint 'lunch' (known: apel, ist_in, "
        "ist_out, masuk, pulang)",
        "events.csv: row 4, column timestamp: 'kemarin' is not an ISO 8601 timestamp (like "
        "2026-01-05T07:42:10+08:00)",
        "events.csv: row 4: give all of latitude, longitude or none of them: longitude missing",
        "events.csv: row 5, column id: nip or id is required",
        "events.csv: row 5, column latitude: latitude must be between -90 and 90, got 95",
        "events.csv: row 5, column longitude: longitude must be between -180 and 180, got 200",
    ]
    assert table_counts() == before


def test_it_accepts_any_checkpoint_token_without_a_rule_set(
    empty_region, hadir_cli, write_csv
) -> None:  # type: ignore[no-untyped-def]
    employees = write_csv(
        "employees.csv",
        ["id", "nip", "nama", "jenisPegawai", "unorId", "jabatanNama", "kelasJabatan", "tppBase"],
        [["K-1", "", "Kontrak", "NONASN", "X", "", "", "0"]],
    )
    assert hadir_cli("import", "employees", str(employees))[0] == 0
    path = write_csv(
        "events.csv",
        ["id", "timestamp", "source", "checkpoint"],
        [
            ["K-1", "2026-01-05T07:00:00+07:00", "operator", "shift_pagi"],
            ["K-1", "2026-01-05T15:00:00+07:00", "operator", "Shift Sore"],
        ],
    )
    code, _, err = hadir_cli("import", "events", str(path))
    assert code == 2
    assert err == (
        "events.csv: row 3, column checkpoint: a checkpoint code is letters a-z, "
        "digits and _ (at most 32), got 'Shift Sore'\n"
    )
    path = write_csv(
        "events.csv",
        ["id", "timestamp", "source", "checkpoint"],
        [["K-1", "2026-01-05T07:00:00+07:00", "operator", "shift_pagi"]],
    )
    assert hadir_cli("import", "events", str(path))[0] == 0
    assert AttendanceEvent.objects.get().checkpoint == "shift_pagi"


def test_it_stores_nothing_in_a_dry_run(region_setup, hadir_cli, write_csv) -> None:  # type: ignore[no-untyped-def]
    before = table_counts()
    path = write_csv("events.csv", HEADER, ROWS)
    code, out, _ = hadir_cli("import", "events", str(path), "--dry-run")
    assert (code, out) == (
        0,
        "events: 3 created, 0 updated, 0 unchanged (dry run: nothing stored)\n",
    )
    assert table_counts() == before


def test_it_finds_stored_events_across_many_employees(
    region_setup, hadir_cli, write_csv, monkeypatch
) -> None:  # type: ignore[no-untyped-def]
    from hadir.imports import events

    monkeypatch.setattr(events, "CHUNK", 2)
    monkeypatch.setattr(events, "MAX_EMPLOYEES_PER_LOOKUP", 1)
    path = write_csv("events.csv", HEADER, ROWS)
    assert hadir_cli("import", "events", str(path))[1].startswith("events: 3 created")
    assert hadir_cli("import", "events", str(path))[1].startswith("events: 0 created")
    assert AttendanceEvent.objects.count() == 3
