"""`hadir import units`: the unit tree, heads, time zones and import sites."""

from __future__ import annotations

from decimal import Decimal

import pytest

from conftest import HEAD_NIP
from hadir.attendance.models import StaleRange
from hadir.attendance.services import ALL_END, ALL_START
from hadir.audit.models import AuditEntry
from hadir.imports.tests.conftest import table_counts
from hadir.org.models import Region, Site, Unit

pytestmark = pytest.mark.django_db

HEADER = [
    "Id",
    "NamaUnor",
    "DiatasanId",
    "PemimpinPnsId",
    "Timezone",
    "Latitude",
    "Longitude",
    "RadiusM",
]
TREE = [
    ["A", "Dinas Contoh", "PEMDA", HEAD_NIP, "", "0.5025", "117.1536", "150"],
    ["PEMDA", "Pemerintah Kabupaten", "", "", "Asia/Makassar", "", "", ""],
    ["A1", "Bidang Satu", "A", "", "", "", "", ""],
]


def test_it_creates_the_region_and_the_tree_in_any_order(hadir_cli, write_csv) -> None:  # type: ignore[no-untyped-def]
    path = write_csv("units.csv", HEADER, TREE)
    code, out, err = hadir_cli("import", "units", str(path), "--region", "6408")
    assert (code, err) == (0, "")
    assert out.splitlines() == [
        "units: 3 created, 0 updated, 0 unchanged",
        "note: region 6408 created (name and time zone can be set later)",
        f"note: unit A: head {HEAD_NIP} is not an employee of the region yet, left empty "
        "(import the units again after the employees)",
    ]
    region = Region.objects.get(code="6408")
    assert (region.name, region.timezone) == ("6408", "Asia/Jakarta")
    units = {u.code: u for u in Unit.objects.filter(region=region)}
    assert units["A"].parent == units["PEMDA"] and units["A1"].parent == units["A"]
    assert units["PEMDA"].parent is None and units["PEMDA"].timezone == "Asia/Makassar"
    assert units["A1"].path == f"/{units['PEMDA'].id}/{units['A'].id}/{units['A1'].id}/"
    assert units["A1"].depth == 2 and units["A"].head is None
    site = Site.objects.get()
    assert (site.unit, site.name, site.shape) == (units["A"], "Kantor Dinas Contoh", "circle")
    assert (site.latitude, site.longitude, site.radius_m) == (
        Decimal("0.502500"),
        Decimal("117.153600"),
        150,
    )
    entry = AuditEntry.objects.get(action="import.units")
    assert entry.actor == "cli" and entry.data["file"] == "units.csv"
    assert entry.data["counts"] == {"created": 3, "updated": 0, "unchanged": 0}


def test_it_changes_nothing_when_imported_again(hadir_cli, write_csv) -> None:  # type: ignore[no-untyped-def]
    path = write_csv("units.csv", HEADER, TREE)
    assert hadir_cli("import", "units", str(path), "--region", "6408")[0] == 0
    before = table_counts()
    code, out, _ = hadir_cli("import", "units", str(path), "--region", "6408")
    assert code == 0
    assert out.splitlines()[0] == "units: 0 created, 0 updated, 3 unchanged"
    assert table_counts() == before


def test_it_sets_the_head_once_the_employee_exists(region_setup, hadir_cli, write_csv) -> None:  # type: ignore[no-untyped-def]
    StaleRange.objects.all().delete()
    path = write_csv(
        "units.csv",
        ["Id", "NamaUnor", "DiatasanId", "PemimpinPnsId"],
        [["A", "Dinas Contoh", "PEMDA", HEAD_NIP]],
    )
    code, out, _ = hadir_cli("import", "units", str(path))
    assert code == 0 and out == "units: 0 created, 1 updated, 0 unchanged\n"
    assert Unit.objects.get(code="A").head.key == HEAD_NIP
    assert not StaleRange.objects.exists()  # a new head moves no day


def test_it_moves_the_import_site_instead_of_adding_one(hadir_cli, write_csv) -> None:  # type: ignore[no-untyped-def]
    path = write_csv("units.csv", HEADER, TREE)
    assert hadir_cli("import", "units", str(path), "--region", "6408")[0] == 0
    Site.objects.create(
        unit=Unit.objects.get(code="A"), name="Gudang", latitude=1, longitude=2, radius_m=10
    )
    moved = write_csv(
        "moved.csv",
        ["Id", "NamaUnor", "DiatasanId", "Latitude", "Longitude", "RadiusM"],
        [["A", "Dinas Contoh Baru", "PEMDA", "0.6", "117.2", "200"]],
    )
    code, out, _ = hadir_cli("import", "units", str(moved), "--region", "6408")
    assert code == 0 and out.startswith("units: 0 created, 1 updated, 0 unchanged")
    site = Site.objects.get(name__startswith="Kantor")
    assert (site.name, site.latitude, site.radius_m) == (
        "Kantor Dinas Contoh Baru",
        Decimal("0.600000"),
        200,
    )
    assert Site.objects.count() == 2


def test_it_marks_every_day_stale_when_a_time_zone_changes(
    region_setup, hadir_cli, write_csv
) -> None:  # type: ignore[no-untyped-def]
    StaleRange.objects.all().delete()
    same = write_csv("same.csv", ["Id", "NamaUnor", "DiatasanId"], [["B", "Dinas Lain", "PEMDA"]])
    assert hadir_cli("import", "units", str(same))[0] == 0
    assert not StaleRange.objects.exists()
    zone = write_csv(
        "zone.csv",
        ["Id", "NamaUnor", "DiatasanId", "Timezone"],
        [["B", "Dinas Lain", "PEMDA", "Asia/Jakarta"]],
    )
    assert hadir_cli("import", "units", str(zone))[0] == 0
    stale = StaleRange.objects.get()
    assert (stale.employee, stale.start, stale.end) == (None, ALL_START, ALL_END)
    assert Unit.objects.get(code="B").timezone == "Asia/Jakarta"


def test_it_needs_a_region(hadir_cli, write_csv) -> None:  # type: ignore[no-untyped-def]
    path = write_csv("units.csv", HEADER, TREE)
    code, out, err = hadir_cli("import", "units", str(path))
    assert code == 2 and out == ""
    assert err.startswith("units.csv: there is no region yet")
    assert not Region.objects.exists()


def test_it_refuses_a_cycle_and_stores_nothing(region_setup, hadir_cli, write_csv) -> None:  # type: ignore[no-untyped-def]
    before = table_counts()
    path = write_csv(
        "units.csv",
        ["Id", "NamaUnor", "DiatasanId"],
        [["NEW", "Unit Baru", "A"], ["PEMDA", "Pemerintah Kabupaten", "NEW"]],
    )
    code, _, err = hadir_cli("import", "units", str(path))
    assert code == 2
    assert err.splitlines() == [
        "units.csv: row 2, column DiatasanId: the unit tree would have a cycle: "
        "NEW -> A -> PEMDA -> NEW"
    ]
    assert table_counts() == before
    assert Unit.objects.get(code="PEMDA").parent is None


def test_it_reports_every_bad_row(hadir_cli, write_csv) -> None:  # type: ignore[no-untyped-def]
    path = write_csv(
        "units.csv",
        HEADER,
        [
            ["A", "Dinas A", "", "", "Asia/Bandung", "", "", ""],
            ["A", "Dinas A lagi", "", "", "", "", "", ""],
            ["B", "", "NOWHERE", "", "", "1.5", "", ""],
            ["C", "Dinas C", "C", "", "", "91", "200", "0"],
        ],
    )
    code, _, err = hadir_cli("import", "units", str(path), "--region", "6408")
    assert code == 2
    assert err.splitlines() == [
        "units.csv: row 2, column Timezone: 'Asia/Bandung' is not an IANA time zone "
        "(like Asia/Makassar)",
        "units.csv: row 3, column Id: duplicate Id 'A' (also in row 2)",
        "units.csv: row 4, column NamaUnor: NamaUnor is required",
        "units.csv: row 4: give all of Latitude, Longitude, RadiusM or none of them: "
        "Longitude, RadiusM missing",
        "units.csv: row 4, column DiatasanId: unknown unit 'NOWHERE' (neither in this file "
        "nor stored)",
        "units.csv: row 5, column Latitude: latitude must be between -90 and 90, got 91",
        "units.csv: row 5, column Longitude: longitude must be between -180 and 180, got 200",
        "units.csv: row 5, column RadiusM: RadiusM must be between 1 and 100000, got 0",
        "units.csv: row 5, column DiatasanId: the unit tree would have a cycle: C -> C",
    ]
    assert not Region.objects.exists()


def test_it_names_a_missing_column_once(hadir_cli, write_csv) -> None:  # type: ignore[no-untyped-def]
    path = write_csv("units.csv", ["Id", "Nama"], [["A", "Dinas A"], ["B", "Dinas B"]])
    code, _, err = hadir_cli("import", "units", str(path), "--region", "6408")
    assert code == 2
    assert err.splitlines() == [
        "units.csv: missing column 'NamaUnor'",
        "units.csv: missing column 'DiatasanId'",
    ]


def test_it_stores_nothing_in_a_dry_run(hadir_cli, write_csv) -> None:  # type: ignore[no-untyped-def]
    path = write_csv("units.csv", HEADER, TREE)
    code, out, _ = hadir_cli("import", "units", str(path), "--region", "6408", "--dry-run")
    assert code == 0
    assert (
        out.splitlines()[0] == "units: 3 created, 0 updated, 0 unchanged (dry run: nothing stored)"
    )
    assert set(table_counts().values()) == {0}
