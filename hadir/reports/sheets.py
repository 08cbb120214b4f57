"""The TPP payroll sheet (XLSX and PDF) and the letterhead/signature parts shared with the
recap's PDF. Amounts in whole rupiah; the deduction in rupiah is base minus paid."""

from __future__ import annotations

import io
from datetime import date
from typing import Any

from hadir.reports.letterhead import Letterhead, month_name

PAYROLL_COLUMNS = [
    ("No", 10),
    ("NIP / Id", 40),
    ("Nama", 62),
    ("Unit", 50),
    ("TPP dasar", 28),
    ("Potongan %", 22),
    ("Potongan (Rp)", 28),
    ("TPP dibayar", 28),
]


def latin(text: object) -> str:
    """fpdf's core fonts are Latin-1: replace what they cannot show."""
    return str(text).encode("latin-1", "replace").decode("latin-1")


def rupiah(amount: int) -> str:
    return f"{amount:,}".replace(",", ".")


def pdf_letterhead(pdf: Any, lh: Letterhead, title: str) -> None:
    width = pdf.w - pdf.l_margin - pdf.r_margin
    pdf.set_font("Helvetica", "B", 13)
    for line in lh.heading_lines():
        pdf.cell(width, 6, latin(line), align="C", new_x="LMARGIN", new_y="NEXT")
    y = pdf.get_y() + 1.5
    pdf.set_line_width(0.8)
    pdf.line(pdf.l_margin, y, pdf.l_margin + width, y)
    pdf.set_line_width(0.2)
    pdf.ln(4)
    pdf.set_font("Helvetica", "B", 11)
    pdf.cell(width, 6, latin(title), align="C", new_x="LMARGIN", new_y="NEXT")
    pdf.ln(2)


def pdf_signature(pdf: Any, lh: Letterhead) -> None:
    lines = lh.signature_lines()
    if pdf.get_y() + 6 * len(lines) > pdf.h - pdf.b_margin:
        pdf.add_page()
    pdf.ln(6)
    pdf.set_font("Helvetica", "", 10)
    x = pdf.w - pdf.r_margin - 90
    for line in lines:
        pdf.set_x(x)
        pdf.cell(90, 5, latin(line), new_x="LMARGIN", new_y="NEXT")


def payroll_rows(data: dict[str, Any], unit_names: dict[str, str]) -> list[list[Any]]:
    rows = []
    for i, emp in enumerate(data["employees"], start=1):
        rows.append(
            [
                i,
                emp["nip"] or emp["id"],
                emp["name"],
                unit_names.get(emp["unit_id"], emp["unit_id"]),
                emp["tpp_base"],
                emp["deduction_pct"],
                emp["tpp_base"] - emp["tpp_paid"],
                emp["tpp_paid"],
            ]
        )
    return rows


def _unit_names(data: dict[str, Any]) -> dict[str, str]:
    return {u["unit_id"]: u["name"] for u in data["units"]}


def payroll_xlsx(data: dict[str, Any], lh: Letterhead) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font

    month = date.fromisoformat(data["month"] + "-01")
    book = Workbook()
    sheet = book.active
    sheet.title = "TPP"
    width = len(PAYROLL_COLUMNS)
    lines = [*lh.heading_lines(), f"DAFTAR PEMBAYARAN TPP BULAN {month_name(month).upper()}"]
    for row, line in enumerate(lines, start=1):
        sheet.cell(row=row, column=1, value=line).font = Font(bold=True, size=12)
        sheet.merge_cells(start_row=row, start_column=1, end_row=row, end_column=width)
        sheet.cell(row=row, column=1).alignment = Alignment(horizontal="center")
    header_row = len(lines) + 2
    for col, (title, _) in enumerate(PAYROLL_COLUMNS, start=1):
        sheet.cell(row=header_row, column=col, value=title).font = Font(bold=True)
    rows = payroll_rows(data, _unit_names(data))
    for r, values in enumerate(rows, start=header_row + 1):
        for c, value in enumerate(values, start=1):
            sheet.cell(row=r, column=c, value=value)
    total_row = header_row + len(rows) + 1
    sheet.cell(row=total_row, column=3, value="JUMLAH").font = Font(bold=True)
    for col, index in ((5, 4), (7, 6), (8, 7)):
        sheet.cell(row=total_row, column=col, value=sum(r[index] for r in rows)).font = Font(
            bold=True
        )
    for offset, line in enumerate(lh.signature_lines(), start=2):
        sheet.cell(row=total_row + offset, column=6, value=line or None)
    for col, (_, w) in enumerate(PAYROLL_COLUMNS, start=1):
        sheet.column_dimensions[sheet.cell(row=header_row, column=col).column_letter].width = w / 2
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def payroll_pdf(data: dict[str, Any], lh: Letterhead) -> bytes:
    from fpdf import FPDF

    month = date.fromisoformat(data["month"] + "-01")
    pdf = FPDF(orientation="L", unit="mm", format="A4")
    pdf.set_auto_page_break(auto=True, margin=12)
    pdf.add_page()
    pdf_letterhead(pdf, lh, f"DAFTAR PEMBAYARAN TPP BULAN {month_name(month).upper()}")

    def header() -> None:
        pdf.set_font("Helvetica", "B", 8)
        for title, w in PAYROLL_COLUMNS:
            pdf.cell(w, 6, title, border=1)
        pdf.ln()
        pdf.set_font("Helvetica", "", 8)

    header()
    rows = payroll_rows(data, _unit_names(data))
    for values in rows:
        if pdf.get_y() + 5 > pdf.h - pdf.b_margin:
            pdf.add_page()
            header()
        shown = [*values[:4], rupiah(values[4]), values[5], rupiah(values[6]), rupiah(values[7])]
        for (_, w), value in zip(PAYROLL_COLUMNS, shown, strict=True):
            pdf.cell(w, 5, latin(value)[: int(w / 1.6)], border=1)
        pdf.ln()
    pdf.set_font("Helvetica", "B", 8)
    totals = ["", "", "JUMLAH", "", rupiah(sum(r[4] for r in rows)), ""]
    totals += [rupiah(sum(r[6] for r in rows)), rupiah(sum(r[7] for r in rows))]
    for (_, w), value in zip(PAYROLL_COLUMNS, totals, strict=True):
        pdf.cell(w, 6, value, border=1)
    pdf.ln()
    pdf_signature(pdf, lh)
    return bytes(pdf.output())
