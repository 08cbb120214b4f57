"""End to end through the CLI: import, load rules, recap; figures worked out by hand.

Ani's January 2026 (WITA, the contract's rule set, 1 January a national holiday):
  Fri  2  on time                                   0
  Mon  5  masuk 07:42 (TL1), no ist_out, apel ok     TL1 0.5 + ist_out 0.5
  Tue  6  on time                                   0
  Wed  7  nothing                                   TK 3
  Thu  8  one event at 05:00                        TL4 1.5 + PSW4 1.5 + marks 0.5 + 0.5
  Fri  9  08:31 in (61 min), out 15:00 (90 min)     TL3 1.25 + PSW3 1.25
  Mon 12 - Wed 14 dinas_luar (counts as present)    0
  Thu 15 - Fri 16 izin (1% a day)                   2
  Mon 19 - Tue 20 sakit, 2 days (band 0%)           0
  Wed 21  cuti_tahunan still pending, no event       TK 3
  Mon 26  in at 07:10, nobody at apel                apel 0.5
  Tue 27  08:00 in (30 min)                         TL1 0.5
  Wed 28  07:30:59 in (not late)                    0
  Thu 29  out 15:59:30 (0 early minutes)            0
  Fri 30  out 16:29:00 (1 early minute)             PSW1 0.5
  Sat 10  an event on a day off                     nothing
Total 17% of 5,000,000 → 4,150,000 paid.
"""

from __future__ import annotations

import json
from datetime import date, timedelta

import pytest

from conftest import EMPLOYEE_NIP, HEAD_NIP, RULESET_TOML, STRANGER_NIP

pytestmark = pytest.mark.django_db

ON_TIME = {
    "weekday": ["07:20:00", "12:00:00", "13:00:00", "16:05:00"],
    "friday": ["07:20:00", "11:30:00", "13:00:00", "16:35:00"],
}
SPECIAL = {
    date(2026, 1, 5): ["07:42:10", "12:50:00", "16:03:00"],
    date(2026, 1, 7): [],
    date(2026, 1, 8): ["05:00:00"],
    date(2026, 1, 9): ["08:31:00", "11:30:00", "13:00:00", "15:00:00"],
    date(2026, 1, 21): [],
    date(2026, 1, 26): ["07:10:00", "12:00:00", "13:00:00", "16:05:00"],
    date(2026, 1, 27): ["08:00:00", "12:00:00", "13:00:00", "16:05:00"],
    date(2026, 1, 28): ["07:30:59", "12:00:00", "13:00:00", "16:05:00"],
    date(2026, 1, 29): ["07:20:00", "12:00:00", "13:00:00", "15:59:30"],
    date(2026, 1, 30): ["07:20:00", "11:30:00", "13:00:00", "16:29:00"],
    date(2026, 1, 10): ["08:00:00"],
}
LEAVE_DAYS = {date(2026, 1, d) for d in (12, 13, 14, 15, 16, 19, 20)}


def ani_events() -> list[list[str]]:
    rows = []
    day = date(2026, 1, 2)
    while day <= date(2026, 1, 31):
        if day in SPECIAL:
            times = SPECIAL[day]
        elif day.weekday() < 5 and day not in LEAVE_DAYS:
            times = ON_TIME["friday" if day.weekday() == 4 else "weekday"]
        else:
            times = []
        rows += [[EMPLOYEE_NIP, f"{day.isoformat()}T{t}+08:00", "mobile", ""] for t in times]
        day += timedelta(days=1)
    return rows


@pytest.fixture
def january(region_setup, hadir_cli, write_csv):  # type: ignore[no-untyped-def]
    calendar = write_csv(
        "calendar.csv",
        ["date", "kind", "name"],
        [["2026-01-01", "national_holiday", "Tahun Baru 2026"]],
    )
    events = write_csv("events.csv", ["nip", "timestamp", "source", "checkpoint"], ani_events())
    absences = write_csv(
        "absences.csv",
        ["nip", "start_date", "end_date", "type", "status", "reference"],
        [
            [EMPLOYEE_NIP, "2026-01-12", "2026-01-14", "dinas_luar", "approved", "SPT/090/12"],
            [EMPLOYEE_NIP, "2026-01-15", "2026-01-16", "izin", "approved", ""],
            [EMPLOYEE_NIP, "2026-01-19", "2026-01-20", "sakit", "approved", ""],
            [EMPLOYEE_NIP, "2026-01-21", "2026-01-21", "cuti_tahunan", "pending", ""],
        ],
    )
    for kind, path in (("calendar", calendar), ("events", events), ("absences", absences)):
        code, _, err = hadir_cli("import", kind, str(path))
        assert code == 0, err


def recap(hadir_cli, *extra: str) -> dict:  # type: ignore[no-untyped-def]
    code, out, err = hadir_cli("recap", "--month", "2026-01", *extra)
    assert code == 0, err
    return json.loads(out)


def employee(data: dict, nip: str) -> dict:
    return next(e for e in data["employees"] if e["nip"] == nip)


def test_it_computes_the_month_of_the_contract(january, hadir_cli) -> None:  # type: ignore[no-untyped-def]
    data = recap(hadir_cli)
    assert data["region"] == "6408" and data["month"] == "2026-01"
    ani = employee(data, EMPLOYEE_NIP)
    assert (ani["working_days"], ani["present_days"], ani["absent_days"], ani["excused_days"]) == (
        21,
        15,
        2,
        4,
    )
    assert ani["late"] == {"TL1": 2, "TL2": 0, "TL3": 1, "TL4": 1}
    assert ani["early"] == {"PSW1": 1, "PSW2": 0, "PSW3": 1, "PSW4": 1}
    assert ani["missed_checkpoints"] == 3
    assert ani["apel_missed"] == 1
    assert ani["absences"] == {"dinas_luar": 3, "izin": 2, "sakit": 2}
    assert ani["deduction_pct"] == 17
    assert (ani["tpp_base"], ani["tpp_paid"]) == (5_000_000, 4_150_000)
    assert ani["manipulation"] is False
    assert ani["unit_id"] == "A" and ani["name"] == "Ani Lestari"


def test_it_reports_each_day(january, hadir_cli) -> None:  # type: ignore[no-untyped-def]
    days = {d["date"]: d for d in employee(recap(hadir_cli), EMPLOYEE_NIP)["days"]}
    assert len(days) == 31
    assert days["2026-01-05"] == {
        "date": "2026-01-05",
        "status": "present",
        "late_minutes": 12,
        "early_minutes": 0,
        "checkpoints": {
            "masuk": "07:42",
            "ist_out": None,
            "ist_in": "12:50",
            "pulang": "16:03",
            "apel": "07:42",
        },
        "deductions": [{"code": "TL1", "pct": 0.5}, {"code": "ist_out", "pct": 0.5}],
        "schedule": "5hk",
    }
    assert days["2026-01-01"]["status"] == "holiday"
    assert days["2026-01-03"]["status"] == "off"
    assert days["2026-01-10"]["status"] == "off" and days["2026-01-10"]["deductions"] == []
    assert days["2026-01-07"]["status"] == "absent"
    assert days["2026-01-07"]["deductions"] == [{"code": "TK", "pct": 3}]
    assert days["2026-01-12"]["status"] == "leave" and days["2026-01-12"]["absence"] == "dinas_luar"
    assert days["2026-01-15"]["deductions"] == [{"code": "izin", "pct": 1}]
    assert days["2026-01-21"]["status"] == "absent"
    assert days["2026-01-09"]["late_minutes"] == 61 and days["2026-01-09"]["early_minutes"] == 90
    assert days["2026-01-28"]["late_minutes"] == 0 and days["2026-01-28"]["deductions"] == []
    assert days["2026-01-29"]["early_minutes"] == 0
    assert days["2026-01-30"]["deductions"] == [{"code": "PSW1", "pct": 0.5}]


def test_it_computes_unit_attendance_rates(january, hadir_cli) -> None:  # type: ignore[no-untyped-def]
    units = {u["unit_id"]: u for u in recap(hadir_cli)["units"]}
    # Unit A: Ani present 15 of (21 - 4 excused); Budi and Citra absent all 21 days.
    assert units["A"]["employees"] == 3
    assert units["A"]["attendance_rate"] == round(15 / (63 - 4), 3)
    assert units["B"]["employees"] == 1 and units["B"]["attendance_rate"] == 0
    assert units["PEMDA"]["employees"] == 0 and units["PEMDA"]["attendance_rate"] is None
    assert units["PEMDA"]["subtree_employees"] == 4
    assert units["PEMDA"]["subtree_attendance_rate"] == round(15 / (84 - 4), 3)


def test_it_scopes_the_recap_to_a_unit_subtree(january, hadir_cli) -> None:  # type: ignore[no-untyped-def]
    data = recap(hadir_cli, "--unit", "B")
    assert [e["nip"] for e in data["employees"]] == [STRANGER_NIP]
    assert [u["unit_id"] for u in data["units"]] == ["B"]


def test_it_caps_deductions_and_floors_the_payment(january, hadir_cli, tmp_path) -> None:  # type: ignore[no-untyped-def]
    capped = tmp_path / "capped.toml"
    capped.write_text(
        RULESET_TOML.replace("cap_pct = 100", "cap_pct = 50").replace(
            "absent_day_pct = 3.0", "absent_day_pct = 3.33"
        )
    )
    assert hadir_cli("rules", "load", str(capped))[0] == 0
    data = recap(hadir_cli)
    budi = employee(data, HEAD_NIP)
    assert budi["absent_days"] == 21 and budi["deduction_pct"] == 50  # 69.93 capped
    ani = employee(data, EMPLOYEE_NIP)
    assert ani["deduction_pct"] == 17.66  # 17 + 2 × 0.33
    assert ani["tpp_paid"] == 4_117_000  # floor(5,000,000 × 82.34 / 100)


def test_it_keeps_old_months_under_the_rules_they_had(january, hadir_cli, tmp_path) -> None:  # type: ignore[no-untyped-def]
    stricter = tmp_path / "maret.toml"
    stricter.write_text(RULESET_TOML.replace("absent_day_pct = 3.0", "absent_day_pct = 5.0"))
    code, out, err = hadir_cli("rules", "load", str(stricter), "--effective-from", "2026-02-01")
    assert code == 0, err
    assert "from 2026-02-01" in out
    assert employee(recap(hadir_cli), EMPLOYEE_NIP)["deduction_pct"] == 17
    code, out, _ = hadir_cli("recap", "--month", "2026-02")
    february = employee(json.loads(out), EMPLOYEE_NIP)
    assert february["absent_days"] == 20 and february["deduction_pct"] == 100


def test_it_recomputes_days_when_events_arrive(january, hadir_cli, write_csv) -> None:  # type: ignore[no-untyped-def]
    assert employee(recap(hadir_cli), EMPLOYEE_NIP)["absent_days"] == 2
    late_proof = write_csv(
        "more.csv",
        ["nip", "timestamp", "source", "checkpoint"],
        [
            [EMPLOYEE_NIP, "2026-01-07T07:00:00+08:00", "operator", "masuk"],
            [EMPLOYEE_NIP, "2026-01-07T16:10:00+08:00", "operator", "pulang"],
        ],
    )
    assert hadir_cli("import", "events", str(late_proof))[0] == 0
    ani = employee(recap(hadir_cli), EMPLOYEE_NIP)
    assert ani["absent_days"] == 1
    days = {d["date"]: d for d in ani["days"]}
    assert days["2026-01-07"]["deductions"] == [
        {"code": "ist_out", "pct": 0.5},
        {"code": "ist_in", "pct": 0.5},
    ]


def test_it_recomputes_days_when_an_absence_is_approved(january, hadir_cli, write_csv) -> None:  # type: ignore[no-untyped-def]
    approved = write_csv(
        "absences2.csv",
        ["nip", "start_date", "end_date", "type", "status"],
        [[EMPLOYEE_NIP, "2026-01-21", "2026-01-21", "cuti_tahunan", "approved"]],
    )
    assert hadir_cli("import", "absences", str(approved))[0] == 0
    ani = employee(recap(hadir_cli), EMPLOYEE_NIP)
    assert ani["absent_days"] == 1 and ani["excused_days"] == 5
    assert ani["absences"]["cuti_tahunan"] == 1


def test_it_recomputes_days_when_the_calendar_changes(january, hadir_cli, write_csv) -> None:  # type: ignore[no-untyped-def]
    holiday = write_csv(
        "cal2.csv", ["date", "kind", "name"], [["2026-01-07", "regional_holiday", "Libur daerah"]]
    )
    assert hadir_cli("import", "calendar", str(holiday))[0] == 0
    ani = employee(recap(hadir_cli), EMPLOYEE_NIP)
    assert ani["working_days"] == 20 and ani["absent_days"] == 1 and ani["deduction_pct"] == 14


def test_it_uses_each_units_time_zone(region_setup, hadir_cli, write_csv) -> None:  # type: ignore[no-untyped-def]
    units = write_csv(
        "units_tz.csv",
        ["Id", "NamaUnor", "DiatasanId", "Timezone"],
        [["B", "Dinas Lain", "PEMDA", "Asia/Jakarta"]],
    )
    assert hadir_cli("import", "units", str(units))[0] == 0
    # 07:40 WITA is 06:40 WIB: Ani (WITA) is 10 minutes late, Dedi (WIB) is on time.
    events = write_csv(
        "tz.csv",
        ["nip", "timestamp", "source"],
        [
            [EMPLOYEE_NIP, "2026-01-06T07:40:00+08:00", "mobile"],
            [STRANGER_NIP, "2026-01-06T07:40:00+08:00", "mobile"],
        ],
    )
    assert hadir_cli("import", "events", str(events))[0] == 0
    data = recap(hadir_cli)
    ani_day = next(d for d in employee(data, EMPLOYEE_NIP)["days"] if d["date"] == "2026-01-06")
    dedi_day = next(d for d in employee(data, STRANGER_NIP)["days"] if d["date"] == "2026-01-06")
    assert ani_day["late_minutes"] == 10 and ani_day["checkpoints"]["masuk"] == "07:40"
    assert dedi_day["late_minutes"] == 0 and dedi_day["checkpoints"]["masuk"] == "06:40"


def test_it_writes_csv_and_xlsx(january, hadir_cli, tmp_path) -> None:  # type: ignore[no-untyped-def]
    code, out, _ = hadir_cli("recap", "--month", "2026-01", "--format", "csv")
    assert code == 0
    header, *rows = out.strip().splitlines()
    assert header.startswith("nip,id,name,unit_id,working_days")
    ani_row = next(r for r in rows if r.startswith(EMPLOYEE_NIP))
    assert ani_row.endswith(",17,5000000,4150000,False")
    target = tmp_path / "recap.xlsx"
    code, _, _ = hadir_cli("recap", "--month", "2026-01", "--format", "xlsx", "-o", str(target))
    assert code == 0
    from openpyxl import load_workbook

    sheet = load_workbook(target)["Rekap"]
    values = {row[0]: row for row in sheet.iter_rows(min_row=2, values_only=True)}
    assert values[EMPLOYEE_NIP][-2] == 4_150_000


def test_it_refuses_an_unknown_unit_and_month(january, hadir_cli) -> None:  # type: ignore[no-untyped-def]
    code, _, err = hadir_cli("recap", "--month", "2026-01", "--unit", "NOPE")
    assert code == 2 and "unknown unit 'NOPE'" in err
    with pytest.raises(SystemExit) as exc:
        hadir_cli("recap", "--month", "2026-13")
    assert exc.value.code == 2
