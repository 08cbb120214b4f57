"""`hadir import calendar`: holidays, cuti bersama and Ramadan days."""

from __future__ import annotations

from datetime import date

import pytest

from hadir.attendance.models import StaleRange
from hadir.calendars.models import CalendarDay
from hadir.imports.tests.conftest import table_counts

pytestmark = pytest.mark.django_db

DAYS = [
    ["2026-01-01", "national_holiday", "Tahun Baru 2026"],
    ["2026-02-16", "Cuti_Bersama", "Cuti bersama Imlek"],
    ["2026-02-19", "ramadan", ""],
]


def test_it_stores_days_and_marks_the_span_stale(region_setup, hadir_cli, write_csv) -> None:  # type: ignore[no-untyped-def]
    StaleRange.objects.all().delete()
    path = write_csv("calendar.csv", ["date", "kind", "name"], DAYS)
    code, out, err = hadir_cli("import", "calendar", str(path))
    assert (code, out, err) == (0, "calendar: 3 created, 0 updated, 0 unchanged\n", "")
    assert list(CalendarDay.objects.values_list("date", "kind", "name")) == [
        (date(2026, 1, 1), "national_holiday", "Tahun Baru 2026"),
        (date(2026, 2, 16), "cuti_bersama", "Cuti bersama Imlek"),
        (date(2026, 2, 19), "ramadan", ""),
    ]
    stale = StaleRange.objects.get()
    assert (stale.employee, stale.start, stale.end) == (None, date(2026, 1, 1), date(2026, 2, 19))


def test_it_renames_a_day_and_changes_nothing_else(region_setup, hadir_cli, write_csv) -> None:  # type: ignore[no-untyped-def]
    path = write_csv("calendar.csv", ["date", "kind", "name"], DAYS)
    assert hadir_cli("import", "calendar", str(path))[0] == 0
    before = table_counts()
    code, out, _ = hadir_cli("import", "calendar", str(path))
    assert (code, out) == (0, "calendar: 0 created, 0 updated, 3 unchanged\n")
    assert table_counts() == before
    StaleRange.objects.all().delete()
    renamed = write_csv(
        "renamed.csv",
        ["kind", "date", "name"],
        [["cuti_bersama", "2026-02-16", "Cuti bersama Tahun Baru Imlek"]],
    )
    code, out, _ = hadir_cli("import", "calendar", str(renamed))
    assert (code, out) == (0, "calendar: 0 created, 1 updated, 0 unchanged\n")
    assert CalendarDay.objects.get(date=date(2026, 2, 16)).name == "Cuti bersama Tahun Baru Imlek"
    assert StaleRange.objects.get().start == date(2026, 2, 16)


def test_it_reads_real_dates_from_xlsx(region_setup, hadir_cli, write_xlsx) -> None:  # type: ignore[no-untyped-def]
    path = write_xlsx(
        "calendar.xlsx",
        ["date", "kind", "name"],
        [[date(2026, 3, 20), "national_holiday", "Idul Fitri"]],
    )
    assert hadir_cli("import", "calendar", str(path))[0] == 0
    assert CalendarDay.objects.get().date == date(2026, 3, 20)


def test_it_refuses_bad_dates_and_kinds(region_setup, hadir_cli, write_csv) -> None:  # type: ignore[no-untyped-def]
    before = table_counts()
    path = write_csv(
        "calendar.csv",
        ["date", "kind", "name"],
        [
            ["2026-01-01", "national_holiday", "Tahun Baru"],
            ["2026-02-30", "national_holiday", ""],
            ["17/08/2026", "libur", ""],
            ["2026-01-01", "national_holiday", "lagi"],
        ],
    )
    code, _, err = hadir_cli("import", "calendar", str(path))
    assert code == 2
    assert err.splitlines() == [
        "calendar.csv: row 3, column date: '2026-02-30' is not a date (YYYY-MM-DD)",
        "calendar.csv: row 4, column date: '17/08/2026' is not a date (YYYY-MM-DD)",
        "calendar.csv: row 4, column kind: must be one of national_holiday|cuti_bersama|"
        "regional_holiday|ramadan, got 'libur'",
        "calendar.csv: row 5, column date: 2026-01-01 national_holiday is also in row 2",
    ]
    assert table_counts() == before


def test_it_says_which_region_is_unknown(region_setup, hadir_cli, write_csv) -> None:  # type: ignore[no-untyped-def]
    path = write_csv("calendar.csv", ["date", "kind"], [["2026-01-01", "national_holiday"]])
    code, _, err = hadir_cli("import", "calendar", str(path), "--region", "1234")
    assert (code, err) == (2, "calendar.csv: unknown region '1234'\n")
