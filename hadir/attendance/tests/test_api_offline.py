"""Offline check-ins: signatures made as WebCrypto makes them, the chain, and its findings."""

from __future__ import annotations

from datetime import date

import pytest

from hadir.attendance.models import CheckIn
from hadir.attendance.offline import canonical, signature_verify, upload_deadline
from hadir.attendance.tests.appclient import DeviceKey, assert_error, frames, jpeg
from hadir.devices.models import EmployeeDevice

pytestmark = pytest.mark.django_db


def codes(response) -> list[str]:  # type: ignore[no-untyped-def]
    return [r["code"] for r in response.json()["reasons"]]


def test_it_writes_numbers_and_keys_as_javascript_does() -> None:
    assert canonical({"b": 12.0, "a": [1, 0.5, -0.5021, None, True], "c": "é\n"}) == (
        '{"a":[1,0.5,-0.5021,null,true],"b":12,"c":"é\\n"}'
    )
    assert canonical(1e21) == "1e+21" and canonical(1e-7) == "1e-7"
    assert canonical(1.5e-5) == "0.000015" and canonical(123456789012345680000.0) == (
        "123456789012345680000"
    )


def test_it_verifies_webcrypto_signatures_and_nothing_else() -> None:
    key, other = DeviceKey(), DeviceKey()
    data = b'{"seq":1}'
    assert signature_verify(key.jwk, data, key.sign(data))
    assert not signature_verify(key.jwk, data, other.sign(data))
    assert not signature_verify(key.jwk, b'{"seq":2}', key.sign(data))
    assert not signature_verify(key.jwk, data, "not base64!")
    assert not signature_verify(key.jwk, data, key.sign(data)[:-4])


def test_it_accepts_a_chain_of_records_at_their_corrected_time(ani, frozen) -> None:  # type: ignore[no-untyped-def]
    frozen.move_to("2026-11-30 17:00:00+08:00", tick=False)
    first = ani.offline(ani.record(server_offset_ms=90_000))
    assert first.status_code == 201, first.json()
    body = first.json()
    assert body["status"] == "accepted" and body["reasons"] == []
    # device_time 07:05 WITA minus a clock 90 s fast
    assert body["at"].startswith("2026-11-29T23:03:30")
    assert body["chain"]["seq"] == 1
    second = ani.offline(
        ani.record(
            checkpoint="ist_out",
            device_time="2026-11-30T11:50:00.000+08:00",
            monotonic_ms=600_000 + (4 * 3600 + 45 * 60) * 1000,
        )
    )
    assert second.status_code == 201 and second.json()["status"] == "accepted"
    rows = list(CheckIn.objects.order_by("offline_seq"))
    assert [r.offline for r in rows] == [True, True] and [r.offline_seq for r in rows] == [1, 2]
    assert all(r.event is not None for r in rows)
    device = EmployeeDevice.objects.get()
    assert device.chain_seq == 2 and device.chain_head == second.json()["chain"]["head"]


def test_it_answers_a_repeated_upload_with_the_first_answer(ani) -> None:  # type: ignore[no-untyped-def]
    record = ani.record()
    envelope = ani.envelope(record)
    first = ani.offline(record, envelope=envelope)
    again = ani.offline(record, envelope=envelope)
    assert again.status_code == 200
    assert again.json() == first.json()
    assert CheckIn.objects.count() == 1


def test_it_refuses_a_bad_signature_and_stores_nothing(ani) -> None:  # type: ignore[no-untyped-def]
    record = ani.record()
    forged = ani.envelope(record, key=DeviceKey())
    assert_error(ani.offline(record, envelope=forged), 422, "signature_invalid")
    altered = ani.envelope(record)
    altered["record"] = {**record, "latitude": 0.0}
    assert_error(ani.offline(record, envelope=altered), 422, "signature_invalid")
    other = ani.record(device="someone-elses-thumbprint")
    assert_error(ani.offline(other), 422, "signature_invalid")
    assert not CheckIn.objects.exists()


def test_it_refuses_frames_that_are_not_the_signed_ones(ani) -> None:  # type: ignore[no-untyped-def]
    record = ani.record()
    assert_error(ani.offline(record, blobs=[jpeg(3), jpeg(4), jpeg(5)]), 422, "signature_invalid")
    assert not CheckIn.objects.exists()


def test_it_records_a_deleted_record_as_a_gap(ani, frozen) -> None:  # type: ignore[no-untyped-def]
    frozen.move_to("2026-11-30 17:00:00+08:00", tick=False)
    assert ani.offline(ani.record()).status_code == 201
    lost = ani.record(device_time="2026-11-30T11:50:00.000+08:00", checkpoint="ist_out")
    ani.head = ani.envelope(lost)["hash"]  # the app chained it, then it was deleted
    ani.seq += 1
    third = ani.offline(
        ani.record(device_time="2026-11-30T12:50:00.000+08:00", checkpoint="ist_in", boot="b2")
    )
    assert third.status_code == 201
    assert third.json()["status"] == "pending_review"
    assert codes(third) == ["offline_gap"]
    assert third.json()["chain"]["seq"] == 3


def test_it_records_reordered_records_as_a_broken_chain(ani, frozen) -> None:  # type: ignore[no-untyped-def]
    frozen.move_to("2026-11-30 17:00:00+08:00", tick=False)
    one = ani.record()
    one_hash = ani.envelope(one)["hash"]
    two = ani.record(
        seq=2,
        prev=one_hash,
        checkpoint="ist_out",
        device_time="2026-11-30T11:50:00.000+08:00",
        boot="b2",
    )
    # Uploaded in the wrong order: 2 first (1 looks deleted), then 1 after it.
    response = ani.offline(two)
    assert response.json()["status"] == "pending_review"
    assert codes(response) == ["offline_gap"]
    response = ani.offline(one)
    assert response.status_code == 201
    assert "offline_chain_broken" in codes(response)
    assert EmployeeDevice.objects.get().chain_seq == 2


def test_it_records_a_back_dated_record(ani) -> None:  # type: ignore[no-untyped-def]
    assert ani.offline(ani.record(device_time="2026-11-30T07:05:00.000+08:00")).status_code == 201
    # Device clock set back: earlier than the previous record.
    earlier = ani.offline(
        ani.record(device_time="2026-11-30T07:01:00.000+08:00", monotonic_ms=900_000)
    )
    assert "offline_backdated" in codes(earlier)
    assert earlier.json()["status"] == "pending_review"


def test_it_records_a_wall_clock_that_moved_unlike_the_monotonic_one(ani, frozen) -> None:  # type: ignore[no-untyped-def]
    frozen.move_to("2026-11-30 17:00:00+08:00", tick=False)
    assert ani.offline(ani.record()).status_code == 201
    # Same page session: 10 minutes of monotonic time, but the wall clock says 5 hours.
    moved = ani.offline(
        ani.record(
            checkpoint="pulang",
            device_time="2026-11-30T12:05:00.000+08:00",
            monotonic_ms=600_000 + 600_000,
        )
    )
    assert codes(moved) == ["offline_backdated"]
    # A new page session (another boot) is not compared with the monotonic clock.
    fine = ani.offline(
        ani.record(
            checkpoint="pulang",
            device_time="2026-11-30T16:05:00.000+08:00",
            monotonic_ms=5,
            boot="b3",
        )
    )
    assert codes(fine) == []


def test_it_refuses_an_upload_after_the_tenth_of_the_next_month(ani, frozen) -> None:  # type: ignore[no-untyped-def]
    assert upload_deadline(date(2026, 12, 31), 10).isoformat() == "2027-01-10"
    record = ani.record(device_time="2026-10-30T07:05:00.000+08:00")
    assert_error(ani.offline(record), 422, "offline_too_late")
    ok = ani.record(device_time="2026-10-31T07:05:00.000+08:00")
    frozen.move_to("2026-11-10 23:00:00+08:00", tick=False)
    assert ani.offline(ok).status_code == 201
    frozen.move_to("2026-12-11 00:01:00+08:00", tick=False)
    late = ani.record(device_time="2026-11-30T07:05:00.000+08:00", monotonic_ms=10**9)
    assert_error(ani.offline(late), 422, "offline_too_late")
    assert CheckIn.objects.count() == 1


def test_it_refuses_a_malformed_envelope(ani) -> None:  # type: ignore[no-untyped-def]
    assert_error(
        ani.multipart("/checkins/offline", "envelope", "[]", frames()), 422, "validation_error"
    )
    assert_error(
        ani.multipart("/checkins/offline", "envelope", {"record": "x"}, frames()),
        422,
        "validation_error",
    )
    bad = ani.record(seq=0)
    assert_error(ani.offline(bad), 422, "validation_error")
    assert_error(ani.offline(ani.record(checkpoint="lunch")), 422, "validation_error")


def test_it_refuses_another_employees_device_chain(ani, dedi) -> None:  # type: ignore[no-untyped-def]
    # Dedi's token with a record Ani's key signed for Ani's device.
    record = ani.record()
    assert_error(dedi.offline(record, envelope=ani.envelope(record)), 422, "signature_invalid")
    assert not CheckIn.objects.exists()
    # Ani's chain is unchanged by the attempt.
    assert ani.offline(record).status_code == 201


def test_it_records_a_record_whose_link_was_altered(ani, frozen) -> None:  # type: ignore[no-untyped-def]
    frozen.move_to("2026-11-30 17:00:00+08:00", tick=False)
    assert ani.offline(ani.record()).status_code == 201
    ani.head = "0" * 64  # chained to something the server never saw
    response = ani.offline(
        ani.record(checkpoint="pulang", device_time="2026-11-30T16:05:00.000+08:00", boot="b2")
    )
    assert codes(response) == ["offline_chain_broken"]
    assert response.json()["status"] == "pending_review"


def test_it_refuses_offline_records_of_a_device_waiting_for_approval(ani) -> None:  # type: ignore[no-untyped-def]
    from hadir.attendance.tests.appclient import App

    phone = App()
    assert phone.login().json()["device"]["status"] == "pending"
    assert_error(phone.offline(phone.record()), 403, "device_pending")


def test_it_chains_an_offline_copy_of_an_online_check_in_whose_answer_was_lost(ani, frozen) -> None:  # type: ignore[no-untyped-def]
    frozen.move_to("2026-11-30 17:00:00+08:00", tick=False)
    payload = ani.payload(checkpoint="pulang")
    online = ani.checkin(payload)  # stored, but the phone never saw the answer
    assert online.status_code == 201
    copy = ani.record(checkpoint="pulang", idempotency_key=payload["idempotency_key"])
    again = ani.offline(copy)
    assert again.status_code == 200 and again.json()["id"] == online.json()["id"]
    assert again.json()["chain"]["seq"] == 1  # the signed copy is the chain's first link
    nxt = ani.offline(
        ani.record(checkpoint="pulang", device_time="2026-11-30T16:59:00+08:00", boot="b2")
    )
    assert nxt.status_code == 201 and codes(nxt) == []
    assert CheckIn.objects.count() == 2
