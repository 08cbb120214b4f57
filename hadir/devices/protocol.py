"""The text of ZKTeco's ADMS push protocol: pure functions, no ORM, no clock, no settings.

A machine talks to `/iclock/cdata` (handshake and uploads), `/iclock/getrequest` (commands),
`/iclock/devicecmd` (command results) and `/iclock/ping`. Bodies are lines of text; an ATTLOG
line is `PIN  YYYY-MM-DD HH:MM:SS  status  verify  workcode  reserved...`, separated by tabs or
spaces, sometimes prefixed with `ATTLOG`.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta, tzinfo
from urllib.parse import parse_qsl

TIME_FORMAT = "%Y-%m-%d %H:%M:%S"
PIN = re.compile(r"[0-9A-Za-z_-]{1,24}")
SERIAL = re.compile(r"[0-9A-Za-z_.-]{1,40}")
SMALL_INT = re.compile(r"-?\d{1,6}")
EARLIEST = datetime(2000, 1, 1)  # noqa: DTZ001 (a machine's local wall time)
KEY_PREFIX = "adms:"
# Tables a machine may post to /iclock/cdata; anything else is refused.
TABLES = frozenset(
    {"ATTLOG", "OPERLOG", "ATTPHOTO", "options", "USERINFO", "FINGERTMP", "BIODATA", "ERRORLOG"}
)


class ProtocolError(ValueError):
    """The request cannot be understood; answered with an `ERROR: ...` text."""


@dataclass(frozen=True)
class AttRecord:
    """One attendance line: the PIN and the machine's local wall time (naive)."""

    pin: str
    local: datetime
    status: int = 0
    verify: int = 0
    workcode: str = ""


@dataclass
class ParsedLog:
    records: list[AttRecord] = field(default_factory=list)
    rejected: list[tuple[str, str]] = field(default_factory=list)  # (line, reason)


def valid_serial(serial: str) -> bool:
    return bool(SERIAL.fullmatch(serial))


def decode_text(body: bytes) -> str:
    """The body as text; binary junk (NUL bytes, invalid UTF-8) is a protocol error."""
    if b"\x00" in body:
        raise ProtocolError("binary data in a text table")
    try:
        return body.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise ProtocolError(f"body is not UTF-8 text (byte {exc.start})") from exc


def parse_attlog_line(line: str, *, not_after: datetime) -> AttRecord:
    """One ATTLOG line, or ValueError with the reason. `not_after` is a naive local time."""
    tokens = line.split()
    if tokens and tokens[0].upper() == "ATTLOG":
        tokens = tokens[1:]
    if len(tokens) < 3:
        raise ValueError("expected PIN, date and time")
    pin, day, clock, *rest = tokens
    if not PIN.fullmatch(pin):
        raise ValueError(f"bad PIN {pin[:30]!r}")
    try:
        local = datetime.strptime(f"{day} {clock}", TIME_FORMAT)  # noqa: DTZ007 (machine wall time)
    except ValueError:
        raise ValueError(f"bad time {f'{day} {clock}'[:40]!r}") from None
    if local < EARLIEST:
        raise ValueError(f"time {local:%Y-%m-%d %H:%M:%S} is before 2000")
    if local > not_after:
        raise ValueError(f"time {local:%Y-%m-%d %H:%M:%S} is in the future")
    numbers = []
    for token in rest[:2]:
        if not SMALL_INT.fullmatch(token):
            raise ValueError(f"bad status or verify field {token[:20]!r}")
        numbers.append(int(token))
    numbers += [0] * (2 - len(numbers))
    workcode = rest[2][:16] if len(rest) > 2 else ""
    return AttRecord(pin=pin, local=local, status=numbers[0], verify=numbers[1], workcode=workcode)


def parse_attlog(text: str, *, not_after: datetime) -> ParsedLog:
    """Every good line as a record and every bad one with its reason; blank lines are skipped."""
    out = ParsedLog()
    for raw in text.splitlines():
        line = raw.strip()
        if not line:
            continue
        try:
            out.records.append(parse_attlog_line(line, not_after=not_after))
        except ValueError as exc:
            out.rejected.append((line[:200], str(exc)))
    return out


def text_lines(text: str) -> list[str]:
    return [line.strip() for line in text.splitlines() if line.strip()]


def dedupe_key(serial: str, pin: str, local: datetime) -> str:
    """The duplicate key of a machine record: (serial, PIN, the machine's wall time).

    The wall time as the machine wrote it, not its UTC conversion: a log re-sent after the
    unit's time zone was corrected still finds its events.
    """
    return f"{KEY_PREFIX}{serial}:{pin}:{local:%Y%m%d%H%M%S}"


def to_utc(local: datetime, zone: tzinfo) -> datetime:
    return local.replace(tzinfo=zone).astimezone(UTC)


def utc_to_local(at: datetime, zone: tzinfo) -> datetime:
    return at.astimezone(zone).replace(tzinfo=None)


def zone_hours(zone: tzinfo, at: datetime) -> str:
    """The `TimeZone` option: the zone's UTC offset in hours (`7`, `8`, `9`, `5.5`)."""
    offset = zone.utcoffset(at.astimezone(zone).replace(tzinfo=None)) or timedelta(0)
    hours = offset.total_seconds() / 3600
    return str(int(hours)) if hours == int(hours) else f"{hours:g}"


@dataclass(frozen=True)
class Options:
    """What the handshake tells a machine."""

    serial: str
    attlog_stamp: str
    operlog_stamp: str
    attphoto_stamp: str
    timezone_hours: str
    error_delay_s: int = 30
    delay_s: int = 10
    trans_times: str = "00:00;14:05"
    trans_interval_min: int = 1
    realtime: bool = True


def handshake_text(o: Options) -> str:
    lines = [
        f"GET OPTION FROM: {o.serial}",
        f"ATTLOGStamp={o.attlog_stamp or 'None'}",
        f"OPERLOGStamp={o.operlog_stamp or 'None'}",
        f"ATTPHOTOStamp={o.attphoto_stamp or 'None'}",
        f"ErrorDelay={o.error_delay_s}",
        f"Delay={o.delay_s}",
        f"TransTimes={o.trans_times}",
        f"TransInterval={o.trans_interval_min}",
        "TransFlag=TransData AttLog OpLog AttPhoto EnrollUser ChgUser",
        f"TimeZone={o.timezone_hours}",
        f"Realtime={1 if o.realtime else 0}",
        "Encrypt=None",
    ]
    return "\n".join(lines) + "\n"


def clean_field(value: str) -> str:
    """A value safe inside a tab-separated command: no tabs, line breaks or `=`."""
    return re.sub(r"[\t\r\n=]+", " ", value).strip()[:24]


def command_user_update(pin: str, name: str) -> str:
    return f"DATA UPDATE USERINFO PIN={pin}\tName={clean_field(name)}\tPri=0"


def command_user_delete(pin: str) -> str:
    return f"DATA DELETE USERINFO PIN={pin}"


def command_log_query(start: datetime, end: datetime) -> str:
    """Logs between two local wall times (the machine's own clock)."""
    return f"DATA QUERY ATTLOG StartTime={start:{TIME_FORMAT}}\tEndTime={end:{TIME_FORMAT}}"


COMMAND_REBOOT = "REBOOT"


def commands_text(commands: Iterable[tuple[int, str]]) -> str:
    """The getrequest answer: `C:<id>:<command>` lines, or `OK` when nothing is queued."""
    lines = [f"C:{cid}:{text}" for cid, text in commands]
    return "\n".join(lines) + "\n" if lines else "OK"


@dataclass(frozen=True)
class CommandResult:
    command_id: int
    return_code: int
    cmd: str
    extra: str = ""


def parse_devicecmd(text: str) -> list[CommandResult]:
    """`ID=12&Return=0&CMD=DATA` lines; a line without a numeric ID and Return is an error."""
    results = []
    for line in text_lines(text):
        fields = dict(parse_qsl(line, keep_blank_values=True))
        try:
            cid, ret = int(fields["ID"]), int(fields["Return"])
        except (KeyError, ValueError):
            raise ProtocolError(f"bad command result {line[:80]!r}") from None
        extra = "&".join(f"{k}={v}" for k, v in fields.items() if k not in {"ID", "Return", "CMD"})
        results.append(CommandResult(cid, ret, fields.get("CMD", "")[:32], extra[:500]))
    if not results:
        raise ProtocolError("no command result")
    return results


@dataclass(frozen=True)
class Photo:
    name: str
    image: bytes


def parse_photo(body: bytes) -> Photo:
    """An ATTPHOTO upload: `PIN=<name>.jpg\\nSN=..\\nsize=..\\nCMD=uploadphoto\\0<jpeg bytes>`."""
    head, sep, image = body.partition(b"\x00")
    if not sep:
        raise ProtocolError("ATTPHOTO without a header")
    try:
        fields = dict(
            line.split("=", 1) for line in head.decode("ascii").splitlines() if "=" in line
        )
    except UnicodeDecodeError:
        raise ProtocolError("ATTPHOTO header is not text") from None
    name = fields.get("PIN", "")
    if not re.fullmatch(r"[0-9A-Za-z_.-]{1,80}", name):
        raise ProtocolError("ATTPHOTO without a valid PIN= file name")
    size = fields.get("size")
    if size is not None and (not size.isdigit() or int(size) != len(image)):
        raise ProtocolError(f"ATTPHOTO size {size!r} does not match {len(image)} bytes")
    return Photo(name=name, image=image)
