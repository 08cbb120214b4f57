"""Recap renderings: JSON (the contract), CSV and XLSX (one row per employee), PDF (a sheet)."""

from __future__ import annotations

import csv
import io
import json
from datetime import date
from typing import Any

from hadir.reports.letterhead import Letterhead, month_name

SUMMARY_COLUMNS = [
    "nip",
    "id",
    "name",
    "unit_id",
    "working_days",
    "present_days",
    "absent_days",
    "excused_days",
]
TAIL_COLUMNS = [
    "missed_checkpoints",
    "apel_missed",
    "deduction_pct",
    "tpp_base",
    "tpp_paid",
    "manipulation",
]


def to_json(data: dict[str, Any]) -> bytes:
    return (json.dumps(data, ensure_ascii=False) + "\n").encode("utf-8")


def _tier_codes(data: dict[str, Any]) -> tuple[list[str], list[str]]:
    if not data["employees"]:
        return [], []
    first = data["employees"][0]
    return list(first["late"]), list(first["early"])


def summary_rows(data: dict[str, Any]) -> tuple[list[str], list[list[Any]]]:
    late_codes, early_codes = _tier_codes(data)
    header = [*SUMMARY_COLUMNS, *late_codes, *early_codes, *TAIL_COLUMNS]
    rows = [
        [
            *(emp[c] for c in SUMMARY_COLUMNS),
            *(emp["late"][c] for c in late_codes),
            *(emp["early"][c] for c in early_codes),
            *(emp[c] for c in TAIL_COLUMNS),
        ]
        for emp in data["employees"]
    ]
    return header, rows


def to_csv(data: dict[str, Any]) -> bytes:
    header, rows = summary_rows(data)
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(header)
    writer.writerows(rows)
    return buffer.getvalue().encode("utf-8")


def to_xlsx(data: dict[str, Any]) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Font

    workbook = Workbook(write_only=False)
    sheet = workbook.active
    sheet.title = "Rekap"
    header, rows = summary_rows(data)
    sheet.append(header)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for row in rows:
        sheet.append(row)
    units = workbook.create_sheet("Unit")
    units.append(
        [
            "unit_id",
            "name",
            "employees",
            "attendance_rate",
            "subtree_employees",
            "subtree_attendance_rate",
        ]
    )
    for cell in units[1]:
        cell.font = Font(bold=True)
    for unit in data["units"]:
        units.append(
            [
                unit["unit_id"],
                unit["name"],
                unit["employees"],
                unit["attendance_rate"],
                unit["subtree_employees"],
                unit["subtree_attendance_rate"],
            ]
        )
    days = workbook.create_sheet("Harian")
    days.append(
        ["nip", "id", "date", "status", "absence", "late_minutes", "early_minutes", "deductions"]
    )
    for emp in data["employees"]:
        for day in emp["days"]:
            days.append(
                [
                    emp["nip"],
                    emp["id"],
                    day["date"],
                    day["status"],
                    day.get("absence", ""),
                    day["late_minutes"],
                    day["early_minutes"],
                    " ".join(f"{d['code']}:{d['pct']}" for d in day["deductions"]),
                ]
            )
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def to_pdf(data: dict[str, Any], letterhead: Letterhead | None = None) -> bytes:
    """The recap as a PDF sheet; with a letterhead, under the region's kop and signed."""
    from fpdf import FPDF

    from hadir.reports.sheets import pdf_letterhead, pdf_signature

    pdf = FPDF(orientation="L", unit="mm", format="A4")
    pdf.set_auto_page_break(auto=True, margin=12)
    pdf.add_page()
    title = f"Rekap kehadiran dan TPP - wilayah {data['region']} - {data['month']}"
    if letterhead is not None:
        month = date.fromisoformat(data["month"] + "-01")
        pdf_letterhead(
            pdf, letterhead, f"REKAP KEHADIRAN DAN TPP BULAN {month_name(month).upper()}"
        )
    else:
        pdf.set_font("Helvetica", "B", 13)
        pdf.cell(0, 8, title, new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("Helvetica", "", 8)
    columns = [
        ("NIP / Id", 38),
        ("Nama", 60),
        ("Unit", 22),
        ("HK", 10),
        ("Hadir", 12),
        ("TK", 10),
        ("Izin", 10),
        ("Potongan %", 20),
        ("TPP dasar", 28),
        ("TPP dibayar", 28),
    ]
    pdf.set_font("Helvetica", "B", 8)
    for title, width in columns:
        pdf.cell(width, 6, title, border=1)
    pdf.ln()
    pdf.set_font("Helvetica", "", 8)
    for emp in data["employees"]:
        values = [
            emp["nip"] or emp["id"],
            emp["name"][:40],
            emp["unit_id"],
            emp["working_days"],
            emp["present_days"],
            emp["absent_days"],
            emp["excused_days"],
            emp["deduction_pct"],
            f"{emp['tpp_base']:,}",
            f"{emp['tpp_paid']:,}",
        ]
        for (_, width), value in zip(columns, values, strict=True):
            text = str(value).encode("latin-1", "replace").decode("latin-1")
            pdf.cell(width, 5, text, border=1)
        pdf.ln()
    if letterhead is not None:
        pdf_signature(pdf, letterhead)
    return bytes(pdf.output())
