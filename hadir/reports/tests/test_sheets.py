"""The TPP payroll sheet and the recap PDF carry the region's letterhead, a total and the
signature block of the unit head; the CLI's recap PDF too."""

from __future__ import annotations

import io
from datetime import date

import pytest

from conftest import EMPLOYEE_NIP, HEAD_NIP
from hadir.org.models import Employee, Region, Unit
from hadir.reports import exports
from hadir.reports.letterhead import letterhead_for
from hadir.reports.recap import recap_build
from hadir.reports.sheets import payroll_pdf, payroll_xlsx
from hadir.reports.tests.pdftext import pdf_pages, pdf_text

pytestmark = pytest.mark.django_db
MARCH = date(2026, 3, 1)


@pytest.fixture
def unit_a(region_setup):  # type: ignore[no-untyped-def]
    unit = Unit.objects.get(code="A")
    unit.head = Employee.objects.get(nip=HEAD_NIP)
    unit.save()
    return unit


def test_the_payroll_sheet_has_letterhead_total_and_signature(unit_a) -> None:  # type: ignore[no-untyped-def]
    from openpyxl import load_workbook

    region = Region.objects.get(code="6408")
    data = recap_build(region=region, month=MARCH, unit=unit_a)
    lh = letterhead_for(region=region, unit=unit_a, today=date(2026, 4, 2))
    sheet = load_workbook(io.BytesIO(payroll_xlsx(data, lh)))["TPP"]
    cells = [[c for c in row] for row in sheet.iter_rows(values_only=True)]
    flat = [str(c) for row in cells for c in row if c is not None]
    assert flat[:3] == [
        "PEMERINTAH KABUPATEN KUTAI TIMUR",
        "DINAS CONTOH",
        "DAFTAR PEMBAYARAN TPP BULAN MARET 2026",
    ]
    body = [row for row in cells if isinstance(row[0], int)]
    assert {row[1] for row in body} == {HEAD_NIP, EMPLOYEE_NIP, "199002022015031003"}
    total = next(row for row in cells if row[2] == "JUMLAH")
    assert total[4] == 18_000_000 and total[7] == sum(row[7] for row in body)
    assert total[6] == total[4] - total[7] > 0  # a month without records is deducted
    assert "Kutai Timur, 2 April 2026" in flat and "Budi Santoso" in flat
    assert f"NIP {HEAD_NIP}" in flat and "Kepala Dinas Contoh" in flat

    text = pdf_text(payroll_pdf(data, lh))
    assert "PEMERINTAH KABUPATEN KUTAI TIMUR" in text and "JUMLAH" in text
    assert "Ani Lestari" in text and "Dedi Kurniawan" not in text
    assert text.index("JUMLAH") < text.index("Budi Santoso", text.index("JUMLAH"))


def test_a_long_sheet_runs_over_pages_and_signs_at_the_end(unit_a) -> None:  # type: ignore[no-untyped-def]
    region = Region.objects.get(code="6408")
    data = recap_build(region=region, month=MARCH)
    data["employees"] = data["employees"] * 40
    lh = letterhead_for(region=region, unit=None, today=date(2026, 4, 2))
    body = payroll_pdf(data, lh)
    assert pdf_pages(body) >= 4
    text = pdf_text(body)
    assert text.rstrip().endswith("NIP")  # no root unit head in this tree: a blank signature
    assert "(.................................)" in text


def test_the_cli_recap_pdf_is_under_the_letterhead(unit_a, hadir_cli, tmp_path) -> None:  # type: ignore[no-untyped-def]
    target = tmp_path / "recap.pdf"
    code, _, err = hadir_cli(
        "recap", "--month", "2026-03", "--unit", "A", "--format", "pdf", "-o", str(target)
    )
    assert code == 0, err
    text = pdf_text(target.read_bytes())
    assert "PEMERINTAH KABUPATEN KUTAI TIMUR" in text
    assert "REKAP KEHADIRAN DAN TPP BULAN MARET 2026" in text
    assert "Ani Lestari" in text and "Budi Santoso" in text and "Dedi" not in text
    assert pdf_text(exports.to_pdf(recap_build(region=Region.objects.get(), month=MARCH)))
