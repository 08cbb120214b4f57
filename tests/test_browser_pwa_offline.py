"""Offline check-ins in headless Chromium: signed, chained records kept in IndexedDB while the
network is off, uploaded in order when it returns; a deleted or altered record is caught."""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model
from playwright.sync_api import expect

from conftest import EMPLOYEE_NIP, STRANGER_NIP
from hadir.attendance.models import CheckIn
from hadir.devices.models import EmployeeDevice
from hadir.org.models import Employee
from tests import fakecam, pwa_setup
from tests.browser import screenshot
from tests.pwa_setup import PASSWORD, in_db, login, queued

pytestmark = pytest.mark.django_db(transaction=True)

# Fixtures of the employee-app tests.
camera_browser, fake_video = fakecam.camera_browser, fakecam.fake_video
ani, app_page, ruleset_file = pwa_setup.ani, pwa_setup.app_page, pwa_setup.ruleset_file


def offline_checkin(page, checkpoint: str, shot: str | None = None) -> None:  # type: ignore[no-untyped-def]
    page.evaluate(f"location.hash = '#/checkin/{checkpoint}'")
    expect(page.locator("#capture")).to_be_enabled()
    page.click("#capture")
    expect(page.locator("#result")).to_have_attribute("data-status", "queued")
    if shot:
        screenshot(page, shot)
    page.click("#back-today")


def go_offline_and_check_in(page, checkpoints: list[str], name: str) -> list[dict]:  # type: ignore[no-untyped-def]
    login(page)
    expect(page.locator("#checkpoints li")).to_have_count(2)
    page.context.set_offline(True)
    for i, checkpoint in enumerate(checkpoints):
        offline_checkin(page, checkpoint, f"{name}-queued" if i == 0 else None)
    expect(page.locator("#queue-count")).to_contain_text(f"{len(checkpoints)} presensi offline")
    expect(page.locator("#offline-note")).to_be_visible()
    screenshot(page, f"{name}-today-offline")
    return queued(page)


def test_it_keeps_checkins_offline_and_uploads_them_in_order_when_online(app_page, ani) -> None:  # type: ignore[no-untyped-def]
    page = app_page()
    records = go_offline_and_check_in(page, ["masuk", "pulang"], "pwa-offline")
    device = EmployeeDevice.objects.get(employee=ani)
    first, second = records
    assert [first["seq"], second["seq"]] == [1, 2]
    assert first["record"]["device"] == device.thumbprint
    assert first["record"]["prev"] == device.chain_head  # the server's genesis head
    assert second["record"]["prev"] == first["hash"]
    assert first["record"]["boot"] == second["record"]["boot"]
    assert second["record"]["monotonic_ms"] > first["record"]["monotonic_ms"]
    assert len(first["record"]["frames"]) == 5
    assert not CheckIn.objects.exists()  # nothing reached the server while offline

    # The app starts again without network: the shell from the worker, the day from IndexedDB.
    page.reload()
    page.wait_for_selector("body[data-ready='1']")
    expect(page.locator("#queue-count")).to_contain_text("2 presensi offline")
    expect(page.locator("li[data-code=masuk]")).to_be_visible()
    assert not CheckIn.objects.exists()

    page.context.set_offline(False)  # the "online" event sends the queue
    expect(page.locator("#banner")).to_have_text("2 presensi offline terkirim; 0 perlu ditinjau.")
    expect(page.locator("#queue-count")).to_have_count(0)
    screenshot(page, "pwa-offline-uploaded")
    rows = list(CheckIn.objects.filter(employee=ani).order_by("offline_seq"))
    # The answer the app got; background checks (face, integrity) may route records later.
    assert [(r.offline_seq, r.checkpoint, r.answer["status"], r.offline) for r in rows] == [
        (1, "masuk", "accepted", True),
        (2, "pulang", "accepted", True),
    ]
    assert rows[1].offline_hash == second["hash"]
    assert all(r.frames.count() == 5 for r in rows)
    device.refresh_from_db()
    assert (device.chain_seq, device.chain_head) == (2, second["hash"])
    assert queued(page) == []


def test_it_reports_a_deleted_offline_record_as_a_gap(app_page, ani) -> None:  # type: ignore[no-untyped-def]
    page = app_page()
    go_offline_and_check_in(page, ["masuk", "pulang", "pulang"], "pwa-offline-gap")
    # Someone deletes the second record from the phone's storage before it goes online.
    in_db(page, f"await write('queue', (s) => s.delete(['{EMPLOYEE_NIP}', 2]));")
    page.context.set_offline(False)
    expect(page.locator("#banner")).to_have_text("2 presensi offline terkirim; 1 perlu ditinjau.")
    third = page.locator("#last-sync li[data-seq='3']")
    expect(third).to_have_attribute("data-status", "pending_review")
    page.locator("#last-sync summary").click()
    expect(third.locator("[data-code=offline_gap]")).to_be_visible()
    screenshot(page, "pwa-offline-gap-detected")
    rows = {r.offline_seq: r for r in CheckIn.objects.filter(employee=ani)}
    assert set(rows) == {1, 3}
    assert rows[1].answer["status"] == "accepted"
    assert rows[3].answer["status"] == "pending_review"
    assert "offline_gap" in [r["code"] for r in rows[3].reasons]


def test_it_refuses_an_unsigned_edit_and_flags_a_resigned_backdated_record(
    app_page, ani, live_server
) -> None:  # type: ignore[no-untyped-def]
    page = app_page()
    go_offline_and_check_in(page, ["masuk", "pulang", "pulang"], "pwa-offline-tamper")
    # Record 2 is moved an hour back and signed again with the device's own key (an attacker
    # holding the phone can do that); record 3's position is edited without a new signature.
    in_db(
        page,
        """
        const { canonicalBytes, sha256hex, sign } = await import('/static/pwa/js/crypto.js');
        const { isoWithOffset } = await import('/static/pwa/js/clock.js');
        const entries = await all('queue');
        const second = entries.find((e) => e.seq === 2);
        const third = entries.find((e) => e.seq === 3);
        const earlier = new Date(Date.parse(second.record.device_time) - 3600e3);
        second.record.device_time = isoWithOffset(earlier);
        const bytes = canonicalBytes(second.record);
        second.hash = await sha256hex(bytes);
        second.signature = await sign(bytes);
        third.record.latitude += 0.001;
        await write('queue', (s) => { s.put(second); s.put(third); });
        """,
    )
    # The phone is closed offline and the app is opened again once online: it sends the queue
    # as it starts.
    context = page.context
    page.close()
    context.set_offline(False)
    page = context.new_page()
    page.goto(live_server.url + "/app/")
    expect(page.locator("#banner")).to_have_text("3 presensi offline terkirim; 2 perlu ditinjau.")
    page.locator("#last-sync summary").click()
    second = page.locator("#last-sync li[data-seq='2']")
    expect(second).to_have_attribute("data-status", "pending_review")
    expect(second.locator("[data-code=offline_backdated]")).to_be_visible()
    third = page.locator("#last-sync li[data-seq='3']")
    expect(third).to_have_attribute("data-status", "refused")
    expect(third.locator("[data-code=signature_invalid]")).to_be_visible()
    screenshot(page, "pwa-offline-tamper-detected")
    rows = {r.offline_seq: r for r in CheckIn.objects.filter(employee=ani)}
    assert set(rows) == {1, 2}  # the unsigned edit is stored nowhere as attendance
    assert rows[2].answer["status"] == "pending_review"
    assert "offline_backdated" in [r["code"] for r in rows[2].reasons]
    # The refused record stays on the phone, aside, with the server's reason.
    failed = in_db(page, "return (await all('failed')).map((e) => [e.seq, e.error.code]);")
    assert failed == [[3, "signature_invalid"]]


def test_it_keeps_each_employees_offline_records_apart_on_a_shared_browser(app_page, ani) -> None:  # type: ignore[no-untyped-def]
    dedi = Employee.objects.get(nip=STRANGER_NIP)
    dedi.user = get_user_model().objects.create_user(STRANGER_NIP, password=PASSWORD)
    dedi.save(update_fields=["user"])
    page = app_page()
    go_offline_and_check_in(page, ["masuk"], "pwa-offline-shared")
    page.click("#tabs a[data-tab=profile]")
    page.click("#logout")  # offline: the token is dropped here, the record stays
    expect(page.locator("#login-form")).to_be_visible()

    page.context.set_offline(False)
    login(page, STRANGER_NIP)  # Dedi on Ani's phone
    expect(page.locator("#checkpoints li")).to_have_count(2)
    expect(page.locator("#queue-count")).to_have_count(0)  # not his to send
    assert [(e["record"]["seq"], e["record"]["checkpoint"]) for e in queued(page)] == [(1, "masuk")]
    assert not CheckIn.objects.exists()
    assert EmployeeDevice.objects.get(employee=dedi).shared  # one key, two employees: flagged

    page.click("#tabs a[data-tab=profile]")
    page.click("#logout")
    login(page)  # Ani again: her record goes up with her token
    expect(page.locator("#banner")).to_have_text("1 presensi offline terkirim; 0 perlu ditinjau.")
    row = CheckIn.objects.get()
    assert (row.employee_id, row.offline_seq, row.offline) == (ani.id, 1, True)
    assert queued(page) == []
