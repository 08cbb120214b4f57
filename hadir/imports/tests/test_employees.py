"""`hadir import employees`: keys, positions, atasan, schedules, PINs and their checks."""

from __future__ import annotations

import pytest

from conftest import EMPLOYEE_NIP, HEAD_NIP, OPERATOR_NIP, STRANGER_NIP
from hadir.attendance.models import StaleRange
from hadir.attendance.services import ALL_END, ALL_START
from hadir.imports.tests.conftest import table_counts
from hadir.org.models import Employee, Position

pytestmark = pytest.mark.django_db

HEADER = [
    "nip",
    "id",
    "nama",
    "jenisPegawai",
    "unorId",
    "jabatanNama",
    "kelasJabatan",
    "tppBase",
    "atasanNip",
    "phone",
    "email",
    "schedule",
    "pin",
]
NEW_NIP = "199512312020122001"
PPPK_NIP = "199001012022011001"


def test_it_creates_employees_with_their_positions(region_setup, hadir_cli, write_csv) -> None:  # type: ignore[no-untyped-def]
    StaleRange.objects.all().delete()
    path = write_csv(
        "employees.csv",
        HEADER,
        [
            [
                NEW_NIP,
                "",
                "Eka Putri",
                "pns",
                "B",
                "Analis",
                "8",
                "5000000.00",
                STRANGER_NIP,
                "0812",
                "eka@example.go.id",
                "5hk",
                "101",
            ],
            ["", "K-001", "Fajar", "NONASN", "B", "", "", "0", "", "", "", "", "102"],
            [
                PPPK_NIP,
                "X9",
                "Gita",
                "PPPK",
                "A",
                "Guru Ahli Pertama",
                "",
                "4000000",
                "",
                "",
                "",
                "",
                "",
            ],
        ],
    )
    code, out, err = hadir_cli("import", "employees", str(path))
    assert (code, err) == (0, "")
    assert out == "employees: 3 created, 0 updated, 0 unchanged\n"
    eka = Employee.objects.get(key=NEW_NIP)
    assert (eka.nip, eka.kind, eka.name, eka.unit.code, eka.tpp_base) == (
        NEW_NIP,
        "PNS",
        "Eka Putri",
        "B",
        5_000_000,
    )
    assert eka.position == Position.objects.get(name="Analis", kelas_jabatan=8)  # shared
    assert (eka.atasan.key, eka.phone, eka.email, eka.schedule_code, eka.pin) == (
        STRANGER_NIP,
        "0812",
        "eka@example.go.id",
        "5hk",
        "101",
    )
    fajar = Employee.objects.get(key="K-001")
    assert (fajar.nip, fajar.kind, fajar.position, fajar.pin) == (None, "NONASN", None, "102")
    gita = Employee.objects.get(key=PPPK_NIP)
    assert (gita.kind, gita.position.name, gita.position.kelas_jabatan) == (
        "PPPK",
        "Guru Ahli Pertama",
        None,
    )
    stale = StaleRange.objects.all()
    assert {s.employee_id for s in stale} == {eka.id, fajar.id, gita.id}
    assert {(s.start, s.end) for s in stale} == {(ALL_START, ALL_END)}


def test_it_changes_nothing_when_imported_again(region_setup, hadir_cli, tmp_path) -> None:  # type: ignore[no-untyped-def]
    before = table_counts()
    code, out, _ = hadir_cli("import", "employees", str(tmp_path / "employees.csv"))
    assert code == 0 and out == "employees: 0 created, 0 updated, 4 unchanged\n"
    assert table_counts() == before


def test_it_updates_and_marks_moved_employees_stale(region_setup, hadir_cli, write_csv) -> None:  # type: ignore[no-untyped-def]
    StaleRange.objects.all().delete()
    path = write_csv(
        "employees.csv",
        [*HEADER[:8], "atasanNip"],
        [
            [EMPLOYEE_NIP, "", "Ani Lestari", "PNS", "B", "Analis", "8", "5500000", HEAD_NIP],
            [OPERATOR_NIP, "", "Citra Dewi", "PNS", "A", "Pengadministrasi", "6", "3000000", ""],
        ],
    )
    code, out, _ = hadir_cli("import", "employees", str(path))
    assert code == 0 and out == "employees: 0 created, 1 updated, 1 unchanged\n"
    ani = Employee.objects.get(key=EMPLOYEE_NIP)
    assert (ani.unit.code, ani.tpp_base, ani.atasan.key) == ("B", 5_500_000, HEAD_NIP)
    assert [(s.employee_id, s.start, s.end) for s in StaleRange.objects.all()] == [
        (ani.id, ALL_START, ALL_END)
    ]


def test_it_swaps_pins_between_employees(region_setup, hadir_cli, write_csv) -> None:  # type: ignore[no-untyped-def]
    header = [*HEADER[:8], "pin"]
    ani = [EMPLOYEE_NIP, "", "Ani Lestari", "PNS", "A", "Analis", "8", "5000000"]
    dedi = [STRANGER_NIP, "", "Dedi Kurniawan", "PNS", "B", "Analis", "8", "5000000"]
    first = write_csv("pins.csv", header, [[*ani, "1"], [*dedi, "2"]])
    assert hadir_cli("import", "employees", str(first))[0] == 0
    swapped = write_csv("swap.csv", header, [[*ani, "2"], [*dedi, "1"]])
    code, out, err = hadir_cli("import", "employees", str(swapped))
    assert code == 0, err
    assert out == "employees: 0 created, 2 updated, 0 unchanged\n"
    assert dict(Employee.objects.exclude(pin="").values_list("key", "pin")) == {
        EMPLOYEE_NIP: "2",
        STRANGER_NIP: "1",
    }


def test_it_reads_nips_stored_as_numbers_in_xlsx(region_setup, hadir_cli, write_xlsx) -> None:  # type: ignore[no-untyped-def]
    path = write_xlsx(
        "employees.xlsx",
        HEADER[:8],
        [
            [int(NEW_NIP), None, "Eka Putri", "PNS", "A", "Analis", 8, 5000000.0],
        ],
    )
    code, _, err = hadir_cli("import", "employees", str(path))
    assert (code, err) == (0, "")
    eka = Employee.objects.get(nip=NEW_NIP)
    assert (eka.position.kelas_jabatan, eka.tpp_base) == (8, 5_000_000)
    assert hadir_cli("import", "employees", str(path))[1].startswith(
        "employees: 0 created, 0 updated, 1 unchanged"
    )


def test_it_refuses_bad_rows_and_stores_nothing(region_setup, hadir_cli, write_csv) -> None:  # type: ignore[no-untyped-def]
    before = table_counts()
    path = write_csv(
        "employees.csv",
        HEADER,
        [
            ["19951231202012200", "", "Pendek", "PNS", "A", "Analis", "8", "1", "", "", "", "", ""],
            [
                NEW_NIP,
                "",
                "Eka",
                "PNS",
                "NOWHERE",
                "Analis",
                "18",
                "5.000.000",
                "",
                "",
                "x@",
                "7hk",
                "",
            ],
            [NEW_NIP, "", "Eka lagi", "PNS", "A", "Analis", "8", "1", "", "", "", "", ""],
            ["", "", "Fajar", "NONASN", "A", "", "", "0", NEW_NIP, "", "", "", ""],
            [PPPK_NIP, "", "Gita", "Honorer", "A", "", "3", "", "199001019999", "", "", "", ""],
            ["199002022015031005", "", "Hadi", "PNS", "A", "", "", "0", "", "", "", "", "7"],
            ["199002022015031006", "", "Indah", "PNS", "A", "", "", "0", "", "", "", "", "7"],
        ],
    )
    code, out, err = hadir_cli("import", "employees", str(path))
    assert code == 2 and out == ""
    assert err.splitlines() == [
        "employees.csv: row 2, column nip: NIP must be 18 digits, got 17",
        "employees.csv: row 3, column unorId: unknown unit 'NOWHERE'",
        "employees.csv: row 3, column kelasJabatan: kelasJabatan must be between 1 and 17, got 18",
        "employees.csv: row 3, column tppBase: tppBase (rupiah a month, like 5000000) must be a "
        "whole number written with digits only, got '5.000.000'",
        "employees.csv: row 3, column email: 'x@' is not an e-mail address",
        "employees.csv: row 3, column schedule: rule set of region 6408 has no schedule '7hk' "
        "(known: 5hk)",
        "employees.csv: row 4, column nip: duplicate nip 199512312020122001 (also in row 3)",
        "employees.csv: row 5, column id: contract staff (NONASN) need an id (the nip stays empty)",
        "employees.csv: row 6, column jenisPegawai: must be one of PNS|PPPK|NONASN, got 'Honorer'",
        "employees.csv: row 6, column jabatanNama: jabatanNama is required when kelasJabatan is "
        "given",
        "employees.csv: row 6, column tppBase: tppBase (rupiah a month, 0 for none) is required",
        "employees.csv: row 7, column pin: pin 7 is also used by row 8",
        "employees.csv: row 8, column pin: pin 7 is also used by row 7",
    ]
    assert table_counts() == before


def test_it_checks_units_atasan_and_other_regions(
    region_setup, hadir_cli, write_csv, empty_region
) -> None:  # type: ignore[no-untyped-def]
    path = write_csv(
        "employees.csv",
        HEADER[:9],
        [
            [EMPLOYEE_NIP, "", "Ani", "PNS", "X", "", "", "0", ""],
            [NEW_NIP, "", "Eka", "PNS", "X", "", "", "0", "199001019999"],
            [PPPK_NIP, "", "Gita", "PPPK", "X", "", "", "0", PPPK_NIP],
            ["199002022015031005", "", "Hadi", "PNS", "NOWHERE", "", "", "0", ""],
        ],
    )
    code, _, err = hadir_cli("import", "employees", str(path), "--region", empty_region)
    assert code == 2
    assert err.splitlines() == [
        f"employees.csv: row 2, column nip: NIP {EMPLOYEE_NIP} belongs to an employee of "
        "region 6408",
        "employees.csv: row 3, column atasanNip: unknown employee '199001019999' (neither in "
        "this file nor stored)",
        "employees.csv: row 4, column atasanNip: an employee cannot be their own atasan",
        "employees.csv: row 5, column unorId: unknown unit 'NOWHERE'",
    ]


def test_it_refuses_a_pin_taken_in_the_region(region_setup, hadir_cli, write_csv) -> None:  # type: ignore[no-untyped-def]
    Employee.objects.filter(key=STRANGER_NIP).update(pin="55")
    path = write_csv(
        "employees.csv", [*HEADER[:8], "pin"], [[NEW_NIP, "", "Eka", "PNS", "A", "", "", "0", "55"]]
    )
    code, _, err = hadir_cli("import", "employees", str(path))
    assert code == 2
    assert (
        err == f"employees.csv: row 2, column pin: pin 55 is also used by employee {STRANGER_NIP}\n"
    )


def test_it_names_missing_columns(region_setup, hadir_cli, write_csv) -> None:  # type: ignore[no-untyped-def]
    path = write_csv(
        "employees.csv", ["NIP", "Nama", "jenisPegawai", "unorId"], [[NEW_NIP, "Eka", "PNS", "A"]]
    )
    code, _, err = hadir_cli("import", "employees", str(path))
    assert code == 2
    assert err.splitlines() == [
        "employees.csv: missing column 'jabatanNama'",
        "employees.csv: missing column 'kelasJabatan'",
        "employees.csv: missing column 'tppBase'",
    ]


def test_it_stores_nothing_in_a_dry_run(region_setup, hadir_cli, write_csv) -> None:  # type: ignore[no-untyped-def]
    before = table_counts()
    path = write_csv(
        "employees.csv", HEADER[:8], [[NEW_NIP, "", "Eka", "PNS", "A", "Analis Baru", "9", "0"]]
    )
    code, out, _ = hadir_cli("import", "employees", str(path), "--dry-run")
    assert code == 0
    assert out == "employees: 1 created, 0 updated, 0 unchanged (dry run: nothing stored)\n"
    assert table_counts() == before
