"""A rostered night shift across midnight, resolved end to end (roster, events, recap)."""

from __future__ import annotations

import json
from datetime import date

import pytest

from conftest import EMPLOYEE_NIP, RULESET_TOML
from hadir.attendance.services import stale_mark
from hadir.calendars.models import RosterEntry
from hadir.org.models import Employee

pytestmark = pytest.mark.django_db

SHIFTS = """
[[schedules]]
code = "rs"
rostered = true
works_holidays = true
checkpoints = []

[[schedules]]
code = "sore"
workdays = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"]
works_holidays = true
checkpoints = [
  {code = "masuk",  kind = "in",  opens = "13:00", due = "14:00", closes = "16:00"},
  {code = "pulang", kind = "out", opens = "19:00", due = "21:00", closes = "23:00"},
]

[[schedules]]
code = "malam"
workdays = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"]
works_holidays = true
checkpoints = [
  {code = "masuk",  kind = "in",  opens = "20:00", due = "21:00", closes = "23:00"},
  {code = "pulang", kind = "out", opens = "29:00", due = "31:00", closes = "33:00"},
]
"""


@pytest.fixture
def nurse(region_setup, hadir_cli, write_csv, tmp_path):  # type: ignore[no-untyped-def]
    rules = tmp_path / "rs.toml"
    rules.write_text(RULESET_TOML + SHIFTS)
    code, _, err = hadir_cli("rules", "load", str(rules))
    assert code == 0, err
    employees = write_csv(
        "nurse.csv",
        [
            "nip",
            "nama",
            "jenisPegawai",
            "unorId",
            "jabatanNama",
            "kelasJabatan",
            "tppBase",
            "schedule",
        ],
        [[EMPLOYEE_NIP, "Ani Lestari", "PNS", "A", "Perawat", "8", "5000000", "rs"]],
    )
    code, _, err = hadir_cli("import", "employees", str(employees))
    assert code == 0, err
    ani = Employee.objects.get(nip=EMPLOYEE_NIP)
    roster = {date(2026, 1, 6): "malam", date(2026, 1, 7): "sore", date(2026, 1, 8): ""}
    RosterEntry.objects.bulk_create(
        [RosterEntry(employee=ani, date=d, shift_code=c) for d, c in roster.items()]
    )
    stale_mark(
        region=ani.region, employee_ids=[ani.id], start=date(2026, 1, 6), end=date(2026, 1, 8)
    )
    events = write_csv(
        "night.csv",
        ["nip", "timestamp", "source"],
        [
            [EMPLOYEE_NIP, "2026-01-06T20:50:00+08:00", "machine"],
            [EMPLOYEE_NIP, "2026-01-07T07:05:00+08:00", "machine"],
        ],
    )
    code, _, err = hadir_cli("import", "events", str(events))
    assert code == 0, err


def test_it_counts_the_morning_check_out_for_the_night_before(nurse, hadir_cli) -> None:  # type: ignore[no-untyped-def]
    code, out, err = hadir_cli("recap", "--month", "2026-01")
    assert code == 0, err
    ani = next(e for e in json.loads(out)["employees"] if e["nip"] == EMPLOYEE_NIP)
    days = {d["date"]: d for d in ani["days"]}
    night = days["2026-01-06"]
    assert night["status"] == "present" and night["schedule"] == "malam"
    assert night["checkpoints"] == {"masuk": "20:50", "pulang": "07:05"}
    assert night["deductions"] == [] and night["early_minutes"] == 0
    # The 07:05 check-out belongs to the night shift, not to the next day's afternoon shift.
    assert days["2026-01-07"]["status"] == "absent"
    assert days["2026-01-08"]["status"] == "off"  # rostered off
    assert days["2026-01-09"]["status"] == "off"  # no roster entry on a rostered schedule
    assert ani["working_days"] == 2 and ani["present_days"] == 1 and ani["absent_days"] == 1
