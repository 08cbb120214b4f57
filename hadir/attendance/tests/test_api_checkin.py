"""Online check-ins through the API: the answer, what is stored, and every error path."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.files.storage import default_storage

from conftest import STRANGER_NIP
from hadir.attendance.checks import register_check, unregister_check
from hadir.attendance.models import AttendanceEvent, CheckIn, CheckInChallenge, CheckInFrame
from hadir.attendance.tests.appclient import SITE, assert_error, frames, jpeg
from hadir.devices.models import EmployeeDevice
from hadir.org.models import Site, Unit
from hadir.tpp.models import RuleSetVersion

pytestmark = pytest.mark.django_db


def test_it_accepts_a_check_in_inside_the_site_and_stores_everything(ani) -> None:  # type: ignore[no-untyped-def]
    challenge = ani.challenge().json()
    assert challenge["instruction"] in {"blink", "turn_left", "turn_right"}
    assert challenge["expires_at"].startswith("2026-11-29T23:12:00")
    response = ani.checkin(ani.payload(nonce=challenge["nonce"]))
    assert response.status_code == 201
    body = response.json()
    assert body["status"] == "accepted" and body["reasons"] == []
    assert body["site"] == "Kantor Dinas Contoh" and body["distance_m"] == 0
    assert body["at"].startswith("2026-11-29T23:10:00")
    checkin = CheckIn.objects.get(pk=body["id"])
    assert checkin.instruction == challenge["instruction"] and checkin.app_version == "0.1.0"
    assert checkin.event is not None and checkin.event.source == "mobile"
    assert checkin.event.checkpoint == "masuk" and checkin.event.at == checkin.at
    stored = list(CheckInFrame.objects.filter(checkin=checkin))
    assert [f.sha256 for f in stored] == [
        __import__("hashlib").sha256(b).hexdigest() for b in frames()
    ]
    bundle = f"checkins/{checkin.employee_id}/2026-11-29/{checkin.idempotency_key}-"
    for index, (frame, blob) in enumerate(zip(stored, frames(), strict=True)):
        name = frame.image.name  # a part of the one file holding the check-in's frames
        assert name.startswith(bundle) and name.endswith(f".frames#{index}")
        with frame.image.open("rb") as fh:
            assert fh.read() == blob
        with default_storage.open(name.rpartition("#")[0], "rb") as fh:
            assert blob not in fh.read()  # encrypted at rest
        assert (frame.width, frame.height) == (320, 320)
    assert CheckInChallenge.objects.get(nonce=challenge["nonce"]).used_at is not None


def test_it_sends_a_check_in_outside_the_site_to_review_with_the_distance(ani) -> None:  # type: ignore[no-untyped-def]
    # About 340 m north of the site's edge (100 m radius): 440 m from its centre.
    body = ani.checkin(ani.payload(latitude=SITE[0] + 440 / 111_195)).json()
    assert body["status"] == "pending_review"
    assert body["distance_m"] == 340
    assert body["reasons"] == [
        {
            "code": "outside_geofence",
            "detail": "Di luar lokasi kerja: 340 m dari Kantor Dinas Contoh",
        }
    ]
    assert AttendanceEvent.objects.filter(checkin__id=body["id"]).exists()


def test_it_rejects_outside_the_site_when_the_rule_set_says_so(ani) -> None:  # type: ignore[no-untyped-def]
    version = RuleSetVersion.objects.get()
    version.source += '\n[checkin]\noutside_geofence = "rejected"\n'
    version.checksum = "changed"
    version.save()
    body = ani.checkin(ani.payload(latitude=SITE[0] + 0.01)).json()
    assert body["status"] == "rejected" and body["reasons"][0]["code"] == "outside_geofence"
    checkin = CheckIn.objects.get(pk=body["id"])
    assert checkin.event is None and checkin.frames.count() == 3
    assert not AttendanceEvent.objects.exists()


def test_it_accepts_inside_a_polygon_or_a_temporary_site_and_not_an_expired_one(ani) -> None:  # type: ignore[no-untyped-def]
    Site.objects.all().delete()
    unit = Unit.objects.get(code="A")
    lat, lon = -0.6, 117.2
    Site.objects.create(
        unit=unit,
        name="Gudang",
        shape="polygon",
        polygon=[
            [lat - 0.001, lon - 0.001],
            [lat - 0.001, lon + 0.001],
            [lat + 0.001, lon + 0.001],
            [lat + 0.001, lon - 0.001],
        ],
    )
    assert ani.checkin(ani.payload(latitude=lat, longitude=lon)).json()["site"] == "Gudang"
    assert ani.checkin(ani.payload(latitude=lat, longitude=lon)).json()["status"] == "accepted"
    from datetime import date

    Site.objects.create(
        unit=unit,
        name="Lapangan",
        latitude=-0.7,
        longitude=117.3,
        radius_m=50,
        valid_from=date(2026, 11, 29),
        valid_until=date(2026, 11, 30),
    )
    Site.objects.create(
        unit=unit,
        name="Lama",
        latitude=-0.8,
        longitude=117.4,
        radius_m=50,
        valid_from=date(2026, 11, 1),
        valid_until=date(2026, 11, 28),
    )
    assert ani.checkin(ani.payload(latitude=-0.7, longitude=117.3)).json()["status"] == "accepted"
    assert (
        ani.checkin(ani.payload(latitude=-0.8, longitude=117.4)).json()["status"]
        == "pending_review"
    )


def test_it_reviews_a_unit_without_a_site_and_rejects_weak_gps(ani) -> None:  # type: ignore[no-untyped-def]
    body = ani.checkin(ani.payload(accuracy_m=250.0)).json()
    assert body["status"] == "rejected" and body["reasons"][0]["code"] == "weak_gps"
    Site.objects.all().delete()
    body = ani.checkin(ani.payload()).json()
    assert body["status"] == "pending_review" and body["reasons"][0]["code"] == "no_site"


def test_it_keeps_server_time_and_flags_a_skewed_clock_and_a_mock_location(ani) -> None:  # type: ignore[no-untyped-def]
    body = ani.checkin(ani.payload(device_time="2026-11-30T06:00:00+08:00")).json()
    assert body["status"] == "accepted"
    assert [r["code"] for r in body["reasons"]] == ["clock_skew"]
    assert body["at"].startswith("2026-11-29T23:10:00")
    body = ani.checkin(ani.payload(mock_location=True)).json()
    assert body["status"] == "pending_review" and body["reasons"][0]["code"] == "mock_location"


def test_it_answers_a_repeated_idempotency_key_with_the_first_answer(ani, frozen) -> None:  # type: ignore[no-untyped-def]
    payload = ani.payload()
    first = ani.checkin(payload)
    assert first.status_code == 201
    frozen.shift(timedelta(seconds=30))
    # Same key: even with a used nonce and another place, the first answer comes back.
    again = ani.checkin({**payload, "latitude": 0.0})
    assert again.status_code == 200 and again.json() == first.json()
    assert CheckIn.objects.count() == 1 and AttendanceEvent.objects.count() == 1


def test_it_refuses_a_replayed_nonce(ani) -> None:  # type: ignore[no-untyped-def]
    payload = ani.payload()
    assert ani.checkin(payload).status_code == 201
    assert_error(ani.checkin({**payload, "idempotency_key": "another-key-1"}), 409, "nonce_used")
    assert CheckIn.objects.count() == 1


def test_it_refuses_an_expired_or_unknown_nonce(ani, frozen) -> None:  # type: ignore[no-untyped-def]
    payload = ani.payload()
    frozen.shift(timedelta(seconds=121))
    assert_error(ani.checkin(payload), 410, "nonce_expired")
    assert_error(ani.checkin(ani.payload(nonce="no-such-nonce")), 410, "nonce_expired")
    assert not CheckIn.objects.exists()


def test_it_refuses_another_employees_nonce_and_keeps_each_to_their_own(ani, dedi) -> None:  # type: ignore[no-untyped-def]
    nonce = dedi.challenge().json()["nonce"]
    assert_error(ani.checkin(ani.payload(nonce=nonce)), 403, "nonce_foreign")
    # Dedi's nonce is still good for Dedi.
    assert dedi.checkin(dedi.payload(nonce=nonce)).status_code == 201
    assert CheckIn.objects.get().employee.nip == STRANGER_NIP


def test_it_refuses_an_oversized_upload_with_json(ani) -> None:  # type: ignore[no-untyped-def]
    big = jpeg(0, size=1400, quality=98)  # over 512 KiB
    assert len(big) > 512 * 1024
    assert_error(ani.checkin(ani.payload(), [big, jpeg(1), jpeg(2)]), 413, "upload_too_large")
    huge = [jpeg(0, size=1242, quality=98)] * 8  # each under 512 KiB
    assert max(map(len, huge)) <= 512 * 1024 < 3 * 1024 * 1024 < sum(map(len, huge))
    assert_error(ani.checkin(ani.payload(), huge), 413, "upload_too_large")
    assert not CheckIn.objects.exists()


@pytest.mark.parametrize(
    ("change", "blobs"),
    [
        ({"latitude": "north"}, None),
        ({"latitude": 91}, None),
        ({"accuracy_m": -1}, None),
        ({"idempotency_key": "short"}, None),
        ({"idempotency_key": "has spaces in it"}, None),
        ({"device_time": "2026-11-30T07:10:00"}, None),
        ({"checkpoint": "lunch"}, None),
        ({}, [jpeg(0), jpeg(1)]),
        ({}, [jpeg(0)] * 9),
        ({}, [jpeg(0), jpeg(1), b"GIF89a not a jpeg"]),
        ({}, [jpeg(0), jpeg(1), b"\xff\xd8\xff broken jpeg"]),
    ],
)
def test_it_refuses_malformed_fields_and_frames(ani, change, blobs) -> None:  # type: ignore[no-untyped-def]
    payload = ani.payload(nonce="n" * 20)
    payload.update(change)
    assert_error(ani.checkin(payload, blobs), 422, "validation_error")
    assert not CheckIn.objects.exists()


def test_it_refuses_a_payload_that_is_not_json_or_missing(ani) -> None:  # type: ignore[no-untyped-def]
    assert_error(
        ani.multipart("/checkins", "payload", "{not json", frames()), 422, "validation_error"
    )
    assert_error(ani.multipart("/checkins", "other", "{}", frames()), 422, "validation_error")
    response = ani.post_json("/checkins", ani.payload())
    assert_error(response, 422, "validation_error")


def test_it_runs_the_registered_checks_after_commit(
    ani, django_capture_on_commit_callbacks
) -> None:  # type: ignore[no-untyped-def]
    seen: list[tuple[int, int]] = []

    def count_frames(checkin: CheckIn) -> None:
        seen.append((checkin.pk, checkin.frames.count()))
        CheckIn.objects.filter(pk=checkin.pk).update(risk_score=0.25, risk_reasons=["test"])

    register_check(count_frames)
    try:
        with django_capture_on_commit_callbacks(execute=True):
            body = ani.checkin().json()
    finally:
        unregister_check(count_frames)
    assert seen == [(body["id"], 3)]
    checkin = CheckIn.objects.get(pk=body["id"])
    assert checkin.risk_score == 0.25 and checkin.checked_at is not None


def test_it_refuses_a_tampered_nonce_or_one_asked_for_another_checkpoint(ani, dedi) -> None:  # type: ignore[no-untyped-def]
    nonce = ani.challenge("masuk").json()["nonce"]
    # Another checkpoint than the one the challenge was asked for.
    assert_error(ani.checkin(ani.payload(nonce=nonce, checkpoint="apel")), 422, "validation_error")
    # Claiming Dedi's device id in Ani's nonce breaks its signature.
    dedi_id = EmployeeDevice.objects.get(employee__nip=STRANGER_NIP).pk
    forged = f"{dedi_id:x}." + nonce.split(".", 1)[1]
    assert_error(dedi.checkin(dedi.payload(nonce=forged)), 422, "validation_error")
    # A challenge asked without a checkpoint serves any checkpoint, once.
    free = ani.post_json("/checkins/challenge", {}).json()["nonce"]
    assert ani.checkin(ani.payload(nonce=free, checkpoint="apel")).status_code == 201
    assert ani.checkin(ani.payload(nonce=nonce)).status_code == 201
    assert CheckIn.objects.count() == 2


def _frame_files(settings) -> list[str]:  # type: ignore[no-untyped-def]
    from pathlib import Path

    root = Path(settings.MEDIA_ROOT) / "checkins"
    return sorted(str(p.relative_to(root)) for p in root.rglob("*") if p.is_file())


def test_a_refused_or_repeated_check_in_leaves_no_frame_files_behind(ani, settings) -> None:  # type: ignore[no-untyped-def]
    payload = ani.payload()
    assert ani.checkin(payload).status_code == 201
    stored = _frame_files(settings)
    assert len(stored) == 1 and payload["idempotency_key"] in stored[0]  # the frames' bundle
    assert ani.checkin(payload).status_code == 200  # the same key: the first answer
    assert_error(ani.checkin({**payload, "idempotency_key": "another-key-2"}), 409, "nonce_used")
    assert _frame_files(settings) == stored  # the first's files kept, the others removed
    assert CheckIn.objects.count() == 1 and CheckInFrame.objects.count() == 3


def test_sites_are_remembered_briefly_and_a_saved_change_is_seen_at_once(ani, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    from hadir.attendance import checkin as checkin_module
    from hadir.core import memo

    clock = [1000.0]
    monkeypatch.setattr(memo.time, "monotonic", lambda: clock[0])
    away = {"latitude": SITE[0] + 440 / 111_195}
    assert ani.checkin(ani.payload(**away)).json()["status"] == "pending_review"
    # Another process moves the site (no signal reaches this one): seen within MEMO_S.
    Site.objects.filter(name="Kantor Dinas Contoh").update(latitude=away["latitude"])
    assert ani.checkin(ani.payload(**away)).json()["status"] == "pending_review"
    clock[0] += checkin_module.MEMO_S + 0.1
    assert ani.checkin(ani.payload(**away)).json()["status"] == "accepted"
    # Saved in this process: seen by the next check-in.
    site = Site.objects.get(name="Kantor Dinas Contoh")
    site.latitude = SITE[0]
    site.save()
    assert ani.checkin(ani.payload(**away)).json()["status"] == "pending_review"


def test_the_rows_go_in_one_statement_on_postgresql_and_row_by_row_elsewhere(ani) -> None:  # type: ignore[no-untyped-def]
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    payload = ani.payload()
    with CaptureQueriesContext(connection) as queries:
        assert ani.checkin(payload).status_code == 201
    writes = [q["sql"] for q in queries.captured_queries if "INSERT" in q["sql"]]
    if connection.vendor == "postgresql":
        assert len(writes) == 1 and writes[0].startswith("/* prepared */ WITH n AS (INSERT")
        assert writes[0].count("%s") <= 50  # psycopg caches the parsing of such queries only
    else:  # challenge, event, check-in, frames, stale mark
        assert len(writes) == 5
    checkin = CheckIn.objects.get()
    assert checkin.event is not None and checkin.challenge is not None
    from hadir.attendance.models import StaleRange

    assert StaleRange.objects.filter(
        employee=checkin.employee, start="2026-11-28", end="2026-11-30"
    ).exists()
