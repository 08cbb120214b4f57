"""Every list and dashboard: what each role sees, the stranger refused, and query counts that
do not grow with the number of employees or records (realistic data: a resolved month)."""

from __future__ import annotations

import io
from datetime import UTC, date, datetime, timedelta

import pytest
import time_machine
from django.test import Client

from hadir.absences.services import absence_request
from hadir.attendance.models import AttendanceEvent
from hadir.attendance.services import days_resolve, stale_resolve
from hadir.org.models import Employee
from hadir.reports.tests.pdftext import pdf_text
from hadir.web.tests.people import login

pytestmark = pytest.mark.django_db
NOW = datetime(2026, 3, 20, 1, 0, tzinfo=UTC)  # 09:00 WITA, Friday 20 March 2026


def _grow(staff, checkin, extra: int) -> None:  # type: ignore[no-untyped-def]
    """`extra` more employees in units A and B, a month of morning events, some app records
    waiting in Budi's queue, a leave request and a correction waiting for him."""
    region = staff["region"]
    start = Employee.objects.count()
    for i in range(extra):
        unit = staff["unit_a"] if i % 2 else staff["unit_b"]
        Employee.objects.create(
            region=region,
            key=f"K{start + i}",
            kind="NONASN",
            name=f"Pegawai {start + i}",
            unit=unit,
            tpp_base=2_000_000,
        )
    events = []
    for emp in Employee.objects.all():
        for d in range(2, 20):
            day = datetime(2026, 3, d, 23, 0, tzinfo=UTC) - timedelta(days=1)
            if day.weekday() < 5 and (emp.pk + d) % 7:
                events.append(
                    AttendanceEvent(
                        employee=emp, at=day, source="import", dedupe_key=f"t:{emp.pk}:{d}"
                    )
                )
    AttendanceEvent.objects.bulk_create(events, ignore_conflicts=True)
    days_resolve(region=region, start=date(2026, 3, 1), end=date(2026, 3, 31))
    stale_resolve(region=region, start=date(2026, 3, 1), end=date(2026, 3, 31))  # as the worker
    for i in range(3):
        checkin("ani", NOW - timedelta(hours=i + 1), risk=0.1 * i)
        checkin("citra", NOW - timedelta(hours=i + 1), risk=0.9)
    day = date(2026, 3, 23) + timedelta(days=staff["ani"].absences.count())
    absence_request(
        employee=staff["ani"],
        kind="izin",
        start=day,
        end=day,
        reason="Urusan keluarga",
        requested_by=staff["ani_user"],
    )


PAGES = {
    "budi": [
        "/web/",
        "/web/hari-ini/",
        "/web/verifikasi/",
        "/web/verifikasi/bulanan/",
        "/web/cuti/",
        "/web/koreksi/",
        "/web/pegawai/{ani}/kalender/?month=2026-03",
    ],
    "citra": ["/web/apel/", "/web/cuti/input/", "/web/koreksi/", "/web/tpp/?month=2026-03"],
    "fajar": ["/web/", "/web/tpp/?month=2026-03"],
}
# Measured 10 to 30 per page (the atasan's home, with its pending counts, is the most).
MAX_QUERIES = 32


@pytest.mark.parametrize("who", sorted(PAGES))
def test_query_counts_do_not_grow_with_the_region(
    who, staff, checkin, django_assert_max_num_queries
) -> None:  # type: ignore[no-untyped-def]
    client = Client()
    with time_machine.travel(NOW, tick=False):
        login(client, staff[f"{who}_user"], staff.get(f"{who}_device"))
        counts: list[dict[str, int]] = []
        for extra in (10, 40):
            _grow(staff, checkin, extra)
            seen = {}
            for url in PAGES[who]:
                url = url.format(ani=staff["ani"].pk)
                from django.db import connection
                from django.test.utils import CaptureQueriesContext

                with CaptureQueriesContext(connection) as ctx:
                    response = client.get(url)
                assert response.status_code == 200, url
                seen[url] = len(ctx.captured_queries)
                assert seen[url] <= MAX_QUERIES, (url, seen[url])
            counts.append(seen)
    assert counts[0] == counts[1], counts


def test_the_dashboard_shows_today_and_the_ranking(staff, checkin) -> None:  # type: ignore[no-untyped-def]
    client = Client()
    with time_machine.travel(NOW, tick=False):
        _grow(staff, checkin, 6)
        login(client, staff["fajar_user"])
        page = client.get("/web/?month=2026-03").content.decode()
    assert "Dinas Contoh" in page and "Dinas Lain" in page and 'id="chart-data"' in page
    assert "chart-4.6.1.umd.min.js" in page and "cdn" not in page.lower()


def test_the_stranger_sees_only_unit_b(staff, checkin) -> None:  # type: ignore[no-untyped-def]
    client = Client()
    with time_machine.travel(NOW, tick=False):
        _grow(staff, checkin, 4)
        login(client, staff["dedi_user"])
        ani = staff["ani"].pk
        assert client.get(f"/web/pegawai/{ani}/kalender/").status_code == 404
        assert client.get("/web/verifikasi/").status_code == 403
        assert client.get("/web/apel/").status_code == 403
        page = client.get("/web/").content.decode()
        assert "Dinas Lain" in page and "Dinas Contoh" not in page
        tpp = client.get("/web/tpp/?month=2026-03").content.decode()
        assert "Dedi Kurniawan" in tpp and "Ani Lestari" not in tpp
        record = staff["ani"].checkins.first()
        assert client.get(f"/biometrics/checkins/{record.pk}/frames/0.jpg").status_code == 404
        assert (
            client.post(f"/web/verifikasi/{record.pk}/", {"decision": "approve"}).status_code == 403
        )
        text = pdf_text(client.get("/web/unduh/tpp.pdf?month=2026-03").content)
        assert "Dedi Kurniawan" in text and "Ani Lestari" not in text
        assert "DINAS LAIN" in text


def test_the_atasan_decides_in_the_queue_with_htmx(staff, checkin) -> None:  # type: ignore[no-untyped-def]
    client = Client()
    record = checkin("ani", NOW - timedelta(hours=1), risk=0.7)
    login(client, staff["budi_user"])
    response = client.post(
        f"/web/verifikasi/{record.pk}/", {"decision": "reject"}, HTTP_HX_REQUEST="true"
    )
    assert "Alasan penolakan wajib diisi." in response.content.decode()
    response = client.post(
        f"/web/verifikasi/{record.pk}/",
        {"decision": "reject", "reason": "Foto orang lain"},
        HTTP_HX_REQUEST="true",
    )
    assert "Ditolak" in response.content.decode()
    record.refresh_from_db()
    assert record.review_status == "rejected" and record.review_reason == "Foto orang lain"


def test_downloads_open_as_xlsx_and_pdf(staff, checkin) -> None:  # type: ignore[no-untyped-def]
    from openpyxl import load_workbook

    client = Client()
    with time_machine.travel(NOW, tick=False):
        _grow(staff, checkin, 4)
        login(client, staff["eka_user"], staff["eka_device"])
        xlsx = client.get("/web/unduh/rekap.xlsx?month=2026-03")
        assert xlsx["Content-Type"].startswith("application/vnd.openxmlformats")
        book = load_workbook(io.BytesIO(xlsx.content))
        names = {row[2] for row in book["Rekap"].iter_rows(min_row=2, values_only=True)}
        assert {"Ani Lestari", "Dedi Kurniawan"} <= names
        pdf = client.get("/web/unduh/rekap.pdf?month=2026-03")
        assert 'filename="rekap-6408-2026-03.pdf"' in pdf["Content-Disposition"]
        assert "REKAP KEHADIRAN DAN TPP BULAN MARET 2026" in pdf_text(pdf.content)
        assert client.get("/web/unduh/rekap.csv").status_code == 404
    login(client, staff["budi_user"])
    assert client.get("/web/unduh/tpp.xlsx?month=2026-03").status_code == 403


def test_the_atasan_reads_a_sick_note_and_the_read_is_audited(staff) -> None:  # type: ignore[no-untyped-def]
    from django.core.files.uploadedfile import SimpleUploadedFile

    from hadir.audit.models import AuditEntry

    absence = absence_request(
        employee=staff["ani"],
        kind="cuti_sakit",
        start=date(2026, 3, 2),
        end=date(2026, 3, 4),
        reason="Demam",
        requested_by=staff["ani_user"],
        document=SimpleUploadedFile("surat.pdf", b"%PDF-1.4 dokter", "application/pdf"),
    )
    client = Client()
    login(client, staff["dedi_user"])
    assert client.get(f"/web/cuti/{absence.pk}/dokumen/").status_code == 403
    login(client, staff["budi_user"])
    assert "lihat dokumen" in client.get("/web/cuti/").content.decode()
    response = client.get(f"/web/cuti/{absence.pk}/dokumen/")
    assert b"".join(response.streaming_content) == b"%PDF-1.4 dokter"
    assert AuditEntry.objects.filter(action="absence.document.view", actor="budi").count() == 1


def test_the_tpp_sheet_reads_one_opd_at_a_time_when_the_scope_has_several(staff) -> None:  # type: ignore[no-untyped-def]
    from openpyxl import load_workbook

    from hadir.org.choices import Role
    from hadir.org.services import role_grant

    for unit in (staff["unit_a"], staff["unit_b"]):
        role_grant(user=staff["fajar_user"], role=Role.BPKAD, region=staff["region"], unit=unit)
    staff["fajar_user"].hadir_roles.filter(role=Role.KEPALA_DAERAH).delete()
    client = Client()
    login(client, staff["fajar_user"])
    first = client.get("/web/tpp/?month=2026-03").content.decode()
    assert 'id="tpp-unit"' in first and "Ani Lestari" in first and "Dedi Kurniawan" not in first
    other = client.get(f"/web/tpp/?month=2026-03&unit={staff['unit_b'].pk}").content.decode()
    assert "Dedi Kurniawan" in other and "Ani Lestari" not in other
    book = load_workbook(io.BytesIO(client.get("/web/unduh/tpp.xlsx?month=2026-03").content))
    names = {row[2] for row in book["TPP"].iter_rows(values_only=True) if isinstance(row[0], int)}
    assert names == {"Ani Lestari", "Budi Santoso", "Citra Dewi", "Dedi Kurniawan"}
