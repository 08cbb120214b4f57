"""The staff web in a real browser (headless Debian chromium), one role at a time, doing the
job: the atasan verifies the queue and approves leave; the operator (TOTP) enters official
travel, takes an apel and asks for a correction; the BKPSDM admin enrols TOTP by QR code and
downloads the XLSX and PDF; the leader sees the charts; the stranger of unit B is refused.
Screenshots of every page go to artifacts/screenshots/web-*.png."""

from __future__ import annotations

import io
from datetime import UTC, date, datetime, timedelta

import pytest
import time_machine
from django.core.files.base import ContentFile

from hadir.absences.models import Absence
from hadir.absences.services import absence_request
from hadir.attendance.models import AttendanceEvent, CheckInFrame
from hadir.attendance.services import days_resolve
from hadir.reports.tests.pdftext import pdf_text
from hadir.verification.models import Correction
from hadir.web.tests.people import PASSWORD, checkin, staff, totp_now
from tests.browser import screenshot

__all__ = ["checkin", "staff"]
pytestmark = pytest.mark.django_db(transaction=True)
NOW = datetime(2026, 3, 19, 1, 0, tzinfo=UTC)  # Thursday 09:00 WITA


@pytest.fixture(autouse=True)
def _clock_and_media(settings, tmp_path):  # type: ignore[no-untyped-def]
    settings.MEDIA_ROOT = tmp_path / "media"
    # The server's clock is frozen in March; the browser's is not: no expiry dates on cookies.
    settings.SESSION_EXPIRE_AT_BROWSER_CLOSE = True
    with time_machine.travel(NOW, tick=True):
        yield


def _login(page, live_server, username: str, device=None) -> None:  # type: ignore[no-untyped-def]
    page.goto(f"{live_server.url}/web/masuk/")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.click("main button[type=submit]")
    if device is not None:
        page.wait_for_url(f"{live_server.url}/web/otp/")
        screenshot(page, f"web-otp-{username}")
        page.fill("#id_token", totp_now(device))
        page.click("main button[type=submit]")
    page.wait_for_url(f"{live_server.url}/web/")


def _month(staff) -> None:  # type: ignore[no-untyped-def]
    events = [
        AttendanceEvent(
            employee=emp,
            at=datetime(2026, 3, d, 23, 10, tzinfo=UTC) - timedelta(days=1),
            source="import",
            dedupe_key=f"b:{emp.pk}:{d}",
        )
        for emp in (staff["ani"], staff["budi"], staff["citra"], staff["dedi"])
        for d in range(2, 19)
        if date(2026, 3, d).weekday() < 5 and (emp.pk + d) % 5
    ]
    AttendanceEvent.objects.bulk_create(events)
    days_resolve(region=staff["region"], start=date(2026, 3, 1), end=date(2026, 3, 31))


def _jpeg() -> bytes:
    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (96, 128), (180, 140, 120)).save(buffer, "JPEG")
    return buffer.getvalue()


def test_the_atasan_verifies_the_queue_and_approves_leave(
    page, live_server, staff, checkin
) -> None:  # type: ignore[no-untyped-def]
    _month(staff)
    low = [
        checkin("ani", NOW - timedelta(hours=2), risk=0.05),
        checkin("citra", NOW - timedelta(hours=2), risk=0.2),
    ]
    risky = checkin(
        "ani", NOW - timedelta(hours=1), risk=0.85, status="pending_review", checkpoint="ist_out"
    )
    frame = CheckInFrame(checkin=risky, index=0, sha256="0" * 64, size=1, width=96, height=128)
    frame.image.save("f0.jpg", ContentFile(_jpeg()), save=False)
    frame.save()
    leave = absence_request(
        employee=staff["ani"],
        kind="cuti_tahunan",
        start=date(2026, 3, 23),
        end=date(2026, 3, 24),
        reason="Pernikahan saudara",
        requested_by=staff["ani_user"],
    )
    _login(page, live_server, "budi")
    screenshot(page, "web-home-atasan")
    assert "1 permohonan cuti menunggu keputusan" in page.inner_text("main")

    page.goto(f"{live_server.url}/web/verifikasi/")
    row = page.locator(f"#checkin-{risky.pk}")
    text = row.inner_text()  # the reasons as the atasan reads them, not their codes
    assert "Wajah tidak cocok (jarak 0,71)" in text and "Di luar lokasi kerja: 350 m" in text
    page.wait_for_function(
        f"document.querySelector('#checkin-{risky.pk} img').naturalWidth === 96"
    )  # the frame is served (and its view audited)
    screenshot(page, "web-queue")
    row.locator("input[name=reason]").fill("Wajah tidak cocok")
    row.locator("button.reject").click()
    page.locator(f"#checkin-{risky.pk} .ok").wait_for()
    assert "Ditolak" in page.locator(f"#checkin-{risky.pk}").inner_text()
    for record in low:
        page.check(f"#checkin-{record.pk} .bulk-pick")
    page.click("#bulk-approve")
    page.wait_for_selector("ul.messages")
    assert "2 catatan disetujui" in page.inner_text("ul.messages")
    screenshot(page, "web-queue-done")
    for record, status in ((risky, "rejected"), (low[0], "approved"), (low[1], "approved")):
        record.refresh_from_db()
        assert record.review_status == status

    page.goto(f"{live_server.url}/web/cuti/")
    screenshot(page, "web-leave-requests")
    page.locator(f"#absence-{leave.pk} button.approve").click()
    page.wait_for_selector("ul.messages")
    assert "disetujui" in page.inner_text("ul.messages")
    assert Absence.objects.get(pk=leave.pk).status == "approved"

    page.goto(f"{live_server.url}/web/pegawai/{staff['ani'].pk}/kalender/?month=2026-03")
    assert "Ani Lestari" in page.inner_text("h1")
    assert page.locator("#calendar td.st-present").count() > 5
    screenshot(page, "web-calendar")
    page.goto(f"{live_server.url}/web/verifikasi/bulanan/?month=2026-02")
    screenshot(page, "web-monthly")
    page.goto(f"{live_server.url}/web/koreksi/")
    screenshot(page, "web-corrections-atasan")


def test_the_operator_enters_travel_takes_the_apel_and_asks_a_correction(
    page, live_server, staff, tmp_path
) -> None:  # type: ignore[no-untyped-def]
    _login(page, live_server, "citra", staff["citra_device"])
    screenshot(page, "web-home-operator")
    page.goto(f"{live_server.url}/web/cuti/input/")
    page.select_option("#id_employee", str(staff["ani"].pk))
    page.select_option("#id_type", "perjalanan_dinas")
    page.fill("#id_start", "2026-03-25")
    page.fill("#id_end", "2026-03-27")
    page.fill("#id_reference", "094/SPT/BKPSDM/III/2026")
    page.fill("#id_reason", "Bimtek SIASN di Samarinda")
    screenshot(page, "web-travel-form")
    page.click("#absence-form button[type=submit]")
    page.wait_for_selector("ul.messages")
    assert "tercatat" in page.inner_text("ul.messages")
    travel = Absence.objects.get(employee=staff["ani"], type="perjalanan_dinas")
    assert (travel.status, travel.reference) == ("approved", "094/SPT/BKPSDM/III/2026")

    page.goto(f"{live_server.url}/web/apel/?date=2026-03-16")
    assert "Dedi" not in page.inner_text("#apel")
    page.check(f"input[name=present][value='{staff['ani'].pk}']")
    page.check(f"input[name=present][value='{staff['budi'].pk}']")
    page.click("#apel-save")
    page.wait_for_selector("ul.messages")
    assert "2 pegawai dicatat hadir" in page.inner_text("ul.messages")
    screenshot(page, "web-apel")
    apel = AttendanceEvent.objects.filter(checkpoint="apel", source="operator")
    assert set(apel.values_list("employee_id", flat=True)) == {staff["ani"].pk, staff["budi"].pk}

    evidence = tmp_path / "daftar-hadir-manual.jpg"
    evidence.write_bytes(_jpeg())
    page.goto(f"{live_server.url}/web/koreksi/")
    page.select_option("#id_employee", str(staff["ani"].pk))
    page.fill("#id_date", "2026-03-17")
    page.fill("#id_time", "07:25")
    page.fill("#id_checkpoint", "masuk")
    page.fill("#id_reason", "Listrik padam, hadir menurut daftar manual")
    page.set_input_files("#id_evidence", str(evidence))
    page.click("#correction-form button[type=submit]")
    page.wait_for_selector("ul.messages")
    screenshot(page, "web-corrections-operator")
    correction = Correction.objects.get()
    assert correction.status == "pending" and correction.requested_by == staff["citra_user"]
    page.goto(f"{live_server.url}/web/tpp/?month=2026-03")
    assert "Dedi" not in page.inner_text("#tpp-table")
    screenshot(page, "web-tpp-operator")


def test_the_admin_enrols_totp_and_downloads_xlsx_and_pdf(
    page, live_server, staff, tmp_path
) -> None:  # type: ignore[no-untyped-def]
    from django_otp.plugins.otp_totp.models import TOTPDevice
    from openpyxl import load_workbook

    _month(staff)
    staff["eka_device"].delete()
    page.goto(f"{live_server.url}/web/masuk/")
    page.fill("#id_username", "eka")
    page.fill("#id_password", PASSWORD)
    page.click("main button[type=submit]")
    page.wait_for_url(f"{live_server.url}/web/otp/daftar/")
    assert page.locator("#qr svg").is_visible()
    screenshot(page, "web-otp-enrol")
    device = TOTPDevice.objects.get(user=staff["eka_user"])
    page.fill("#id_token", totp_now(device))
    page.click("main button[type=submit]")
    page.wait_for_url(f"{live_server.url}/web/")
    screenshot(page, "web-home-admin")

    with page.expect_download() as info:
        page.click("#dl-recap-xlsx")
    target = tmp_path / "rekap.xlsx"
    info.value.save_as(target)
    names = {
        row[2] for row in load_workbook(target)["Rekap"].iter_rows(min_row=2, values_only=True)
    }
    assert {"Ani Lestari", "Dedi Kurniawan"} <= names

    page.goto(f"{live_server.url}/web/tpp/?month=2026-03")
    screenshot(page, "web-tpp")
    with page.expect_download() as info:
        page.click("#dl-tpp-pdf")
    target = tmp_path / "tpp.pdf"
    info.value.save_as(target)
    text = pdf_text(target.read_bytes())
    assert "DAFTAR PEMBAYARAN TPP BULAN MARET 2026" in text
    assert "Ani Lestari" in text and "Dedi Kurniawan" in text
    with page.expect_download() as info:
        page.click("#dl-tpp-xlsx")
    target = tmp_path / "tpp.xlsx"
    info.value.save_as(target)
    sheet = load_workbook(target)["TPP"]
    assert sheet["A1"].value == "PEMERINTAH KABUPATEN KUTAI TIMUR"


def test_the_leader_sees_the_charts(page, live_server, staff) -> None:  # type: ignore[no-untyped-def]
    _month(staff)
    _login(page, live_server, "fajar")
    errors: list[str] = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.goto(f"{live_server.url}/web/?month=2026-03")

    page.wait_for_function("window.Chart && Chart.getChart('chart-opd') !== undefined")
    ranking = page.inner_text("#ranking")
    assert "Dinas Contoh" in ranking and "Dinas Lain" in ranking
    assert "%" in ranking
    assert errors == []
    screenshot(page, "web-home-leader")


def test_the_stranger_is_refused(page, live_server, staff, checkin) -> None:  # type: ignore[no-untyped-def]
    record = checkin("ani", NOW - timedelta(hours=1))
    _login(page, live_server, "dedi")
    assert "Dinas Contoh" not in page.inner_text("#today-table")
    screenshot(page, "web-home-stranger")
    response = page.goto(f"{live_server.url}/web/pegawai/{staff['ani'].pk}/kalender/")
    assert response.status == 404
    screenshot(page, "web-stranger-calendar-404")
    assert page.goto(f"{live_server.url}/web/verifikasi/").status == 403
    assert (
        page.goto(f"{live_server.url}/biometrics/checkins/{record.pk}/frames/0.jpg").status == 404
    )
    screenshot(page, "web-stranger-queue-403")


def test_the_login_locks_out_after_repeated_failures(page, live_server, staff) -> None:  # type: ignore[no-untyped-def]
    page.goto(f"{live_server.url}/web/masuk/")
    assert page.locator("html").get_attribute("lang") == "id"
    for _ in range(5):
        page.fill("#id_username", "budi")
        page.fill("#id_password", "salah")
        page.click("main button[type=submit]")
    screenshot(page, "web-login-locked")
    assert "terkunci" in page.inner_text("main").lower()
