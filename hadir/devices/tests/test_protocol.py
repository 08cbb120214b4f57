"""The protocol's text: ATTLOG lines, handshake, commands, results, photos."""

from __future__ import annotations

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import pytest

from hadir.devices import protocol

NOW = datetime(2026, 1, 5, 23, 0, 0)


@pytest.mark.parametrize(
    ("line", "pin", "local", "status", "verify", "workcode"),
    [
        ("1\t2026-01-05 07:42:10\t0\t1\t0\t0\t0", "1", "2026-01-05 07:42:10", 0, 1, "0"),
        ("ATTLOG\t1\t2026-01-05 07:42:10\t0\t1", "1", "2026-01-05 07:42:10", 0, 1, ""),
        ("ATTLOG 1 2026-01-05 07:42:10 0 1", "1", "2026-01-05 07:42:10", 0, 1, ""),
        ("1001 2026-01-05 16:03:00 1 15 7 0 0 0 0", "1001", "2026-01-05 16:03:00", 1, 15, "7"),
        ("  42\t2026-01-05 07:00:00  ", "42", "2026-01-05 07:00:00", 0, 0, ""),
        ("attlog 7 2026-01-05 07:00:00 0", "7", "2026-01-05 07:00:00", 0, 0, ""),
    ],
)
def test_it_parses_attlog_lines(line, pin, local, status, verify, workcode) -> None:  # type: ignore[no-untyped-def]
    record = protocol.parse_attlog_line(line, not_after=NOW)
    assert record == protocol.AttRecord(
        pin=pin,
        local=datetime.strptime(local, protocol.TIME_FORMAT),  # noqa: DTZ007
        status=status,
        verify=verify,
        workcode=workcode,
    )


@pytest.mark.parametrize(
    ("line", "reason"),
    [
        ("1\t2026-02-30 07:00:00\t0\t1", "bad time"),
        ("1\t2026-01-05\t0\t1", "bad time"),
        ("1\t05/01/2026 07:00:00", "bad time"),
        ("1", "expected PIN, date and time"),
        ("ATTLOG", "expected PIN, date and time"),
        ("1;DROP\t2026-01-05 07:00:00", "bad PIN"),
        ("1\t1999-12-31 23:59:59", "before 2000"),
        ("1\t2026-01-06 07:00:00", "in the future"),
        ("1\t2026-01-05 07:00:00\tx\t1", "bad status"),
    ],
)
def test_it_rejects_bad_lines_with_a_reason(line: str, reason: str) -> None:
    with pytest.raises(ValueError, match=reason):
        protocol.parse_attlog_line(line, not_after=NOW)


def test_it_keeps_good_lines_of_a_mixed_batch() -> None:
    text = "1\t2026-01-05 07:00:00\n\n2\tjunk\n3 2026-01-05 07:05:00 0 1\r\n"
    parsed = protocol.parse_attlog(text, not_after=NOW)
    assert [r.pin for r in parsed.records] == ["1", "3"]
    assert parsed.rejected == [("2\tjunk", "expected PIN, date and time")]


def test_it_refuses_binary_bodies() -> None:
    with pytest.raises(protocol.ProtocolError, match="binary"):
        protocol.decode_text(b"1\t2026\x00\xff")
    with pytest.raises(protocol.ProtocolError, match="UTF-8"):
        protocol.decode_text(b"\xff\xfe\x81")


def test_it_answers_the_handshake_with_the_options() -> None:
    options = protocol.Options(
        serial="CQZ7231460123",
        attlog_stamp="",
        operlog_stamp="9999",
        attphoto_stamp="",
        timezone_hours="8",
    )
    assert protocol.handshake_text(options) == (
        "GET OPTION FROM: CQZ7231460123\n"
        "ATTLOGStamp=None\n"
        "OPERLOGStamp=9999\n"
        "ATTPHOTOStamp=None\n"
        "ErrorDelay=30\n"
        "Delay=10\n"
        "TransTimes=00:00;14:05\n"
        "TransInterval=1\n"
        "TransFlag=TransData AttLog OpLog AttPhoto EnrollUser ChgUser\n"
        "TimeZone=8\n"
        "Realtime=1\n"
        "Encrypt=None\n"
    )


@pytest.mark.parametrize(
    ("zone", "hours"),
    [
        ("Asia/Jakarta", "7"),
        ("Asia/Makassar", "8"),
        ("Asia/Jayapura", "9"),
        ("Asia/Kolkata", "5.5"),
    ],
)
def test_it_gives_the_zone_in_hours(zone: str, hours: str) -> None:
    assert protocol.zone_hours(ZoneInfo(zone), datetime(2026, 1, 5, tzinfo=UTC)) == hours


def test_it_converts_wall_time_to_utc_and_keys_by_wall_time() -> None:
    local = datetime(2026, 1, 5, 7, 42, 10)
    assert protocol.to_utc(local, ZoneInfo("Asia/Makassar")) == datetime(
        2026, 1, 4, 23, 42, 10, tzinfo=UTC
    )
    assert protocol.dedupe_key("SN1", "12", local) == "adms:SN1:12:20260105074210"


def test_it_writes_commands() -> None:
    assert protocol.command_user_update("12", "Ani\tLestari=x") == (
        "DATA UPDATE USERINFO PIN=12\tName=Ani Lestari x\tPri=0"
    )
    assert protocol.command_user_delete("12") == "DATA DELETE USERINFO PIN=12"
    start, end = datetime(2026, 1, 5, 0, 0), datetime(2026, 1, 5, 23, 59, 59)
    assert protocol.command_log_query(start, end) == (
        "DATA QUERY ATTLOG StartTime=2026-01-05 00:00:00\tEndTime=2026-01-05 23:59:59"
    )
    assert protocol.commands_text([(3, "REBOOT"), (4, "DATA DELETE USERINFO PIN=1")]) == (
        "C:3:REBOOT\nC:4:DATA DELETE USERINFO PIN=1\n"
    )
    assert protocol.commands_text([]) == "OK"


def test_it_reads_command_results() -> None:
    results = protocol.parse_devicecmd("ID=3&Return=0&CMD=REBOOT\nID=4&Return=-1002&CMD=DATA\n")
    assert results == [
        protocol.CommandResult(3, 0, "REBOOT"),
        protocol.CommandResult(4, -1002, "DATA"),
    ]
    for bad in ["", "ID=x&Return=0", "Return=0&CMD=DATA"]:
        with pytest.raises(protocol.ProtocolError):
            protocol.parse_devicecmd(bad)


def test_it_reads_a_photo_upload() -> None:
    body = b"PIN=20260105074210-12.jpg\nSN=SN1\nsize=4\nCMD=uploadphoto\x00\xff\xd8\xff\xe0"
    assert protocol.parse_photo(body) == protocol.Photo(
        "20260105074210-12.jpg", b"\xff\xd8\xff\xe0"
    )
    for bad in [b"no header", b"PIN=../x.jpg\n\x00ab", b"PIN=a.jpg\nsize=9\x00ab"]:
        with pytest.raises(protocol.ProtocolError):
            protocol.parse_photo(bad)
