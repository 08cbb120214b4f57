"""Fixtures of the import tests: XLSX files and a count of every table an import may touch."""

from __future__ import annotations

import zipfile
from collections.abc import Callable, Sequence
from pathlib import Path

import pytest


def table_counts() -> dict[str, int]:
    """Rows in each table an import writes to (the database "as it is")."""
    from hadir.absences.models import Absence
    from hadir.attendance.models import AttendanceEvent, StaleRange
    from hadir.audit.models import AuditEntry
    from hadir.calendars.models import CalendarDay
    from hadir.org.models import Employee, Position, Region, Site, Unit

    models = (
        Region,
        Unit,
        Site,
        Position,
        Employee,
        CalendarDay,
        AttendanceEvent,
        Absence,
        StaleRange,
        AuditEntry,
    )
    return {m.__name__: m.objects.count() for m in models}


@pytest.fixture
def write_xlsx(tmp_path: Path) -> Callable[..., Path]:
    """Write a one-sheet workbook with real dates and numbers in its cells.

    openpyxl writes numbers with 16 significant digits; with `exact_ints` (the default) big
    integers are then written with all their digits, as some exporters do.
    """
    from openpyxl import Workbook

    def write(
        name: str, header: Sequence[str], rows: Sequence[Sequence[object]], exact_ints: bool = True
    ) -> Path:
        workbook = Workbook()
        sheet = workbook.active
        assert sheet is not None
        sheet.append(list(header))
        for row in rows:
            sheet.append(list(row))
        path = tmp_path / name
        workbook.save(path)
        if exact_ints:
            _write_exact_ints(path, [v for row in rows for v in row if type(v) is int])
        return path

    return write


def _write_exact_ints(path: Path, numbers: Sequence[int]) -> None:
    sheet_name = "xl/worksheets/sheet1.xml"
    with zipfile.ZipFile(path) as source:
        parts = {item.filename: source.read(item.filename) for item in source.infolist()}
    xml = parts[sheet_name].decode()
    for number in numbers:
        xml = xml.replace(f"<v>{number:.16g}</v>", f"<v>{number}</v>")
    parts[sheet_name] = xml.encode()
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as target:
        for filename, data in parts.items():
            target.writestr(filename, data)


@pytest.fixture
def empty_region(hadir_cli, write_csv):  # type: ignore[no-untyped-def]
    """Region 9999 with no rule set: units ROOT and X, no employees."""
    path = write_csv(
        "seed_units.csv",
        ["Id", "NamaUnor", "DiatasanId"],
        [["ROOT", "Pemda", ""], ["X", "Dinas X", "ROOT"]],
    )
    code, _, err = hadir_cli("import", "units", str(path), "--region", "9999")
    assert code == 0, err
    return "9999"
