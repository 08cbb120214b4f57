"""`hadir import absences`: identity, status updates, overlaps and stale days."""

from __future__ import annotations

from datetime import date

import pytest

from conftest import EMPLOYEE_NIP, STRANGER_NIP
from hadir.absences.models import Absence
from hadir.attendance.models import StaleRange
from hadir.imports.tests.conftest import table_counts

pytestmark = pytest.mark.django_db

HEADER = ["nip", "start_date", "end_date", "type", "status", "reference"]
ROWS = [
    [EMPLOYEE_NIP, "2026-01-05", "2026-01-07", "cuti_tahunan", "approved", "ND/12"],
    [EMPLOYEE_NIP, "2026-01-08", "2026-01-08", "izin", "pending", ""],
    [EMPLOYEE_NIP, "2026-01-06", "2026-01-06", "sakit", "rejected", ""],
    [STRANGER_NIP, "2026-01-05", "2026-01-09", "Dinas_Luar", "APPROVED", "SPT/1"],
]


def test_it_stores_absences_and_marks_their_days_stale(region_setup, hadir_cli, write_csv) -> None:  # type: ignore[no-untyped-def]
    StaleRange.objects.all().delete()
    path = write_csv("absences.csv", HEADER, ROWS)
    code, out, err = hadir_cli("import", "absences", str(path))
    assert (code, out, err) == (0, "absences: 4 created, 0 updated, 0 unchanged\n", "")
    stored = Absence.objects.order_by("employee__key", "start_date", "type")
    assert [
        (a.employee.key, a.type, a.start_date, a.end_date, a.status, a.reference) for a in stored
    ] == [
        (EMPLOYEE_NIP, "cuti_tahunan", date(2026, 1, 5), date(2026, 1, 7), "approved", "ND/12"),
        (EMPLOYEE_NIP, "sakit", date(2026, 1, 6), date(2026, 1, 6), "rejected", ""),
        (EMPLOYEE_NIP, "izin", date(2026, 1, 8), date(2026, 1, 8), "pending", ""),
        (STRANGER_NIP, "dinas_luar", date(2026, 1, 5), date(2026, 1, 9), "approved", "SPT/1"),
    ]
    stale = {(s.employee.key, s.start, s.end) for s in StaleRange.objects.all()}
    assert stale == {
        (EMPLOYEE_NIP, date(2026, 1, 5), date(2026, 1, 7)),
        (EMPLOYEE_NIP, date(2026, 1, 6), date(2026, 1, 6)),
        (EMPLOYEE_NIP, date(2026, 1, 8), date(2026, 1, 8)),
        (STRANGER_NIP, date(2026, 1, 5), date(2026, 1, 9)),
    }


def test_it_updates_status_and_changes_nothing_twice(region_setup, hadir_cli, write_csv) -> None:  # type: ignore[no-untyped-def]
    path = write_csv("absences.csv", HEADER, ROWS)
    assert hadir_cli("import", "absences", str(path))[0] == 0
    before = table_counts()
    code, out, _ = hadir_cli("import", "absences", str(path))
    assert (code, out) == (0, "absences: 0 created, 0 updated, 4 unchanged\n")
    assert table_counts() == before
    StaleRange.objects.all().delete()
    approved = write_csv(
        "approved.csv", HEADER[:5], [[EMPLOYEE_NIP, "2026-01-08", "2026-01-08", "izin", "approved"]]
    )
    code, out, _ = hadir_cli("import", "absences", str(approved))
    assert (code, out) == (0, "absences: 0 created, 1 updated, 0 unchanged\n")
    assert Absence.objects.get(type="izin").status == "approved"
    stale = StaleRange.objects.get()
    assert (stale.employee.key, stale.start, stale.end) == (
        EMPLOYEE_NIP,
        date(2026, 1, 8),
        date(2026, 1, 8),
    )


def test_it_refuses_overlaps_in_the_file(region_setup, hadir_cli, write_csv) -> None:  # type: ignore[no-untyped-def]
    before = table_counts()
    path = write_csv(
        "absences.csv",
        HEADER[:5],
        [
            [EMPLOYEE_NIP, "2026-01-05", "2026-01-07", "cuti_tahunan", "approved"],
            [STRANGER_NIP, "2026-01-06", "2026-01-06", "izin", "approved"],
            [EMPLOYEE_NIP, "2026-01-07", "2026-01-09", "sakit", "pending"],
            [EMPLOYEE_NIP, "2026-01-06", "2026-01-06", "izin", "rejected"],
        ],
    )
    code, _, err = hadir_cli("import", "absences", str(path))
    assert code == 2
    assert err == (
        "absences.csv: row 4, column start_date: overlaps cuti_tahunan "
        "2026-01-05..2026-01-07 in row 2\n"
    )
    assert table_counts() == before


def test_it_refuses_overlaps_with_stored_absences(region_setup, hadir_cli, write_csv) -> None:  # type: ignore[no-untyped-def]
    path = write_csv("absences.csv", HEADER, ROWS)
    assert hadir_cli("import", "absences", str(path))[0] == 0
    before = table_counts()
    clash = write_csv(
        "clash.csv",
        HEADER[:5],
        [
            [STRANGER_NIP, "2026-01-09", "2026-01-12", "cuti_tahunan", "pending"],
            [EMPLOYEE_NIP, "2026-01-06", "2026-01-06", "sakit", "approved"],
        ],
    )
    code, _, err = hadir_cli("import", "absences", str(clash))
    assert code == 2
    assert err.splitlines() == [
        "clash.csv: row 2, column start_date: overlaps dinas_luar 2026-01-05..2026-01-09 "
        "already stored",
        "clash.csv: row 3, column start_date: overlaps cuti_tahunan 2026-01-05..2026-01-07 "
        "already stored",
    ]
    assert table_counts() == before
    # Rejecting the stored leave in the same file clears the way.
    fixed = write_csv(
        "fixed.csv",
        HEADER[:5],
        [
            [EMPLOYEE_NIP, "2026-01-05", "2026-01-07", "cuti_tahunan", "rejected"],
            [EMPLOYEE_NIP, "2026-01-06", "2026-01-06", "sakit", "approved"],
        ],
    )
    code, out, err = hadir_cli("import", "absences", str(fixed))
    assert (code, out, err) == (0, "absences: 0 created, 2 updated, 0 unchanged\n", "")


def test_it_refuses_bad_rows(region_setup, hadir_cli, write_csv) -> None:  # type: ignore[no-untyped-def]
    before = table_counts()
    path = write_csv(
        "absences.csv",
        HEADER[:5],
        [
            [EMPLOYEE_NIP, "2026-01-05", "2026-01-04", "cuti_tahunan", "approved"],
            [EMPLOYEE_NIP, "2026-01-12", "2026-01-13", "cuti_haji", "approved"],
            ["199001019999999999", "5 Jan 2026", "2026-01-13", "izin", "ok"],
            [EMPLOYEE_NIP, "2026-01-20", "2026-01-20", "izin", "pending"],
            [EMPLOYEE_NIP, "2026-01-20", "2026-01-20", "izin", "approved"],
        ],
    )
    code, _, err = hadir_cli("import", "absences", str(path))
    assert code == 2
    assert err.splitlines() == [
        "absences.csv: row 2, column end_date: end_date 2026-01-04 is before start_date 2026-01-05",
        "absences.csv: row 3, column type: must be one of cuti_tahunan|cuti_sakit|cuti_besar|"
        "cuti_melahirkan|cuti_alasan_penting|cltn|izin|sakit|dinas_luar|perjalanan_dinas|"
        "tugas_belajar, got 'cuti_haji'",
        "absences.csv: row 4, column nip: unknown employee '199001019999999999'",
        "absences.csv: row 4, column start_date: '5 Jan 2026' is not a date (YYYY-MM-DD)",
        "absences.csv: row 4, column status: must be one of pending|approved|rejected, got 'ok'",
        "absences.csv: row 6, column type: the same absence (izin 2026-01-20..2026-01-20) is in "
        "row 5",
    ]
    assert table_counts() == before


def test_it_stores_nothing_in_a_dry_run(region_setup, hadir_cli, write_csv) -> None:  # type: ignore[no-untyped-def]
    before = table_counts()
    path = write_csv("absences.csv", HEADER, ROWS)
    code, out, _ = hadir_cli("import", "absences", str(path), "--dry-run")
    assert code == 0 and out.endswith("(dry run: nothing stored)\n")
    assert table_counts() == before
