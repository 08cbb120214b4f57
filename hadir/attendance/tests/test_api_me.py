"""The employee's own data through the app: profile, today, month, leave requests, push; and
the atasan's review taking a check-in out of the day."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.contrib.auth import get_user_model

from conftest import EMPLOYEE_NIP, STRANGER_NIP
from hadir.absences.models import Absence
from hadir.attendance.models import CheckIn, EmployeeDay, StaleRange
from hadir.attendance.review import ReviewReasonRequired, checkin_review_set
from hadir.attendance.services import stale_resolve
from hadir.attendance.tests.appclient import assert_error
from hadir.audit.models import AuditEntry
from hadir.notify.models import PushSubscription
from hadir.org.models import Region

pytestmark = pytest.mark.django_db


def test_it_shows_each_employee_only_themselves(ani, dedi) -> None:  # type: ignore[no-untyped-def]
    assert ani.get("/me").json()["nip"] == EMPLOYEE_NIP
    assert dedi.get("/me").json()["nip"] == STRANGER_NIP
    assert ani.checkin().status_code == 201
    # Dedi's day and month hold nothing of Ani's check-in.
    today = dedi.get("/me/today").json()
    assert all(cp["checkin"] is None for cp in today["checkpoints"])
    assert dedi.get("/me/absences").json() == []


def test_it_shows_today_with_the_current_checkpoint_and_the_check_in(ani, frozen) -> None:  # type: ignore[no-untyped-def]
    today = ani.get("/me/today").json()
    assert today["date"] == "2026-11-30" and today["working_day"] is True
    assert today["current"] == "masuk"
    by_code = {cp["code"]: cp for cp in today["checkpoints"]}
    assert list(by_code) == ["masuk", "ist_out", "ist_in", "pulang", "apel"]
    assert by_code["masuk"] | {"checkin": None} == {
        "code": "masuk",
        "label": "Masuk",
        "kind": "in",
        "opens": "06:00",
        "due": "07:30",
        "closes": "12:00",
        "status": "open",
        "checkin": None,
    }
    assert by_code["pulang"]["status"] == "upcoming" and by_code["apel"]["due"] is None
    body = ani.checkin().json()
    today = ani.get("/me/today").json()
    masuk = today["checkpoints"][0]
    assert masuk["status"] == "done" and masuk["checkin"]["id"] == body["id"]
    assert today["current"] is None  # apel opens 07:15
    frozen.shift(timedelta(minutes=10))
    assert ani.get("/me/today").json()["current"] == "apel"
    frozen.shift(timedelta(hours=5))
    statuses = {cp["code"]: cp["status"] for cp in ani.get("/me/today").json()["checkpoints"]}
    assert statuses["apel"] == "missed" and statuses["ist_out"] == "missed"


def test_it_shows_a_day_off(ani, frozen) -> None:  # type: ignore[no-untyped-def]
    frozen.move_to("2026-11-29 09:00:00+08:00", tick=False)  # a Sunday
    today = ani.get("/me/today").json()
    assert today["working_day"] is False and today["checkpoints"] == [] and today["current"] is None


def test_it_shows_the_month_as_the_recap_computes_it(ani, frozen) -> None:  # type: ignore[no-untyped-def]
    assert ani.checkin().status_code == 201
    month = ani.get("/me/month?month=2026-11").json()
    assert month["month"] == "2026-11" and len(month["days"]) == 30
    day = {d["date"]: d for d in month["days"]}["2026-11-30"]
    assert day["status"] == "present" and day["checkpoints"]["masuk"] == "07:10"
    assert month["tpp_base"] == 5_000_000
    assert 0 < month["deduction_pct"] <= 100
    expected = int(5_000_000 * (100 - month["deduction_pct"]) / 100)
    assert abs(month["tpp_estimate"] - expected) <= 1
    assert_error(ani.get("/me/month?month=2026-13"), 422, "validation_error")


def test_it_stores_a_leave_request_pending_from_the_app(ani) -> None:  # type: ignore[no-untyped-def]
    response = ani.client.post(
        "/api/v1/me/absences",
        {
            "type": "izin",
            "start_date": "2026-12-02",
            "end_date": "2026-12-02",
            "reason": "Urusan keluarga",
        },
        **ani.headers(),
    )
    assert response.status_code == 201, response.json()
    row = Absence.objects.get()
    assert (row.status, row.channel, row.type) == ("pending", "app", "izin")
    assert row.requested_by == get_user_model().objects.get(username="ani")
    assert ani.get("/me/absences").json()[0]["id"] == row.pk
    again = ani.client.post(
        "/api/v1/me/absences",
        {"type": "izin", "start_date": "2026-12-02", "end_date": "2026-12-03", "reason": "Lagi"},
        **ani.headers(),
    )
    assert_error(again, 422, "overlapping_absence")
    bad = ani.client.post(
        "/api/v1/me/absences",
        {"type": "liburan", "start_date": "2026-12-05", "end_date": "2026-12-05", "reason": "x"},
        **ani.headers(),
    )
    assert_error(bad, 422, "validation_error")


def test_it_registers_a_push_subscription(ani) -> None:  # type: ignore[no-untyped-def]
    body = {
        "endpoint": "https://push.example.org/abc",
        "keys": {"p256dh": "BNc-key", "auth": "auth_1"},
    }
    response = ani.post_json("/me/push-subscriptions", body)
    assert response.status_code == 201
    sub = PushSubscription.objects.get()
    assert sub.employee.nip == EMPLOYEE_NIP and sub.p256dh == "BNc-key"
    assert_error(
        ani.post_json("/me/push-subscriptions", {**body, "endpoint": "http://x.org/a"}),
        422,
        "validation_error",
    )


def test_it_takes_a_rejected_check_in_out_of_the_day(ani, people) -> None:  # type: ignore[no-untyped-def]
    region = Region.objects.get(code="6408")
    body = ani.checkin().json()
    stale_resolve(region=region, start=date(2026, 11, 30), end=date(2026, 11, 30))
    day = EmployeeDay.objects.get(employee__nip=EMPLOYEE_NIP, date="2026-11-30")
    assert day.status == "present"
    checkin = CheckIn.objects.get(pk=body["id"])
    with pytest.raises(ReviewReasonRequired):
        checkin_review_set(checkin=checkin, status="rejected", by=people["dedi"], reason=" ")
    StaleRange.objects.all().delete()
    checkin_review_set(
        checkin=checkin, status="rejected", by=people["dedi"], reason="Bukan wajahnya"
    )
    assert StaleRange.objects.filter(employee__nip=EMPLOYEE_NIP).exists()
    assert AuditEntry.objects.filter(action="checkin.review").count() == 1
    checkin.refresh_from_db()
    assert checkin.review_status == "rejected" and checkin.reviewed_by == people["dedi"]
    stale_resolve(region=region, start=date(2026, 11, 30), end=date(2026, 11, 30))
    assert EmployeeDay.objects.get(employee__nip=EMPLOYEE_NIP, date="2026-11-30").status == "absent"
    checkin_review_set(checkin=checkin, status="approved", by=people["dedi"])
    stale_resolve(region=region, start=date(2026, 11, 30), end=date(2026, 11, 30))
    assert (
        EmployeeDay.objects.get(employee__nip=EMPLOYEE_NIP, date="2026-11-30").status == "present"
    )


def test_it_answers_an_unknown_schedule_with_a_clear_error(ani) -> None:  # type: ignore[no-untyped-def]
    from hadir.org.models import Employee

    Employee.objects.filter(nip=EMPLOYEE_NIP).update(schedule_code="shift-x")
    body = assert_error(ani.get("/me/today"), 400, "unknown_schedule")
    assert "shift-x" in body["detail"]


def test_it_stores_a_sick_note_sent_with_the_request(ani) -> None:  # type: ignore[no-untyped-def]
    from django.core.files.uploadedfile import SimpleUploadedFile

    from hadir.attendance.tests.appclient import jpeg

    fields = {"type": "cuti_sakit", "start_date": "2026-12-01", "end_date": "2026-12-03"}
    missing = ani.client.post("/api/v1/me/absences", {**fields, "reason": "Demam"}, **ani.headers())
    assert_error(missing, 422, "document_required")
    note = SimpleUploadedFile("surat-dokter.jpg", jpeg(0), content_type="image/jpeg")
    response = ani.client.post(
        "/api/v1/me/absences", {**fields, "reason": "Demam", "document": note}, **ani.headers()
    )
    assert response.status_code == 201, response.json()
    assert response.json()["has_document"] is True
    row = Absence.objects.get()
    assert row.document.read() == jpeg(0)
