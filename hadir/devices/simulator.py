"""A fingerprint machine that speaks the ADMS push protocol over real HTTP.

It does what a ZKTeco-style machine does: handshake (`GET /iclock/cdata?options=all`), keep its
log of punches, upload what the server has not acknowledged (`POST table=ATTLOG`, `OK:<n>`),
poll `getrequest` for commands, execute them (user list, log query, reboot) and answer through
`devicecmd`. Network outages are simulated: while the link is down nothing reaches the server,
and the upload in flight when it goes down reaches the server but loses its reply, so the
machine sends it again. Run `python tools/adms_simulator.py --help`.

Standard library only, so it runs anywhere a machine could be.
"""

from __future__ import annotations

import argparse
import http.client
import json
import sys
import threading
import time
import urllib.parse
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

TIME_FORMAT = "%Y-%m-%d %H:%M:%S"


class LinkDown(OSError):
    """The simulated network is down."""


@dataclass
class Config:
    url: str
    serial: str
    pins: list[str]
    records: int
    rate: float = 0.0  # punches per second; 0: the whole log exists at start (a backlog)
    step_s: int = 1  # seconds between consecutive punches' times
    start: datetime | None = None  # local wall time of the first punch
    batch: int = 200  # lines per upload
    upload_every_s: float = 0.5
    poll_every_s: float = 1.0
    error_delay_s: float = 0.5
    outages: list[tuple[float, float]] = field(default_factory=list)  # (start, duration) s
    linger_s: float = 0.0  # keep polling for commands after everything is acknowledged
    max_s: float = 300.0
    timeout_s: float = 10.0


@dataclass
class Stats:
    serial: str
    generated: int = 0
    acknowledged: int = 0
    uploads: int = 0
    failed_requests: int = 0
    lost_replies: int = 0
    offline_attempts: int = 0
    commands: int = 0
    users: int = 0
    seconds: float = 0.0


class Machine:
    def __init__(self, config: Config) -> None:
        self.c = config
        parts = urllib.parse.urlsplit(config.url)
        self.host, self.port = parts.hostname or "127.0.0.1", parts.port or 80
        self.base = parts.path.rstrip("/")
        self.log: list[tuple[str, datetime]] = []
        self.sent = 0  # the log up to here is acknowledged (the machine's ATTLOG stamp)
        self.users: dict[str, str] = {}
        self.stats = Stats(serial=config.serial)
        self.started = time.monotonic()
        self.tz_hours = 7.0
        self.lose_next_reply = False
        self.was_down = False
        self.conn: http.client.HTTPConnection | None = None

    # --- the link -----------------------------------------------------------------------------

    def _down(self) -> bool:
        t = time.monotonic() - self.started
        down = any(start <= t < start + length for start, length in self.c.outages)
        if down and not self.was_down:
            self.lose_next_reply = True  # the link dies while a reply is on its way
        self.was_down = down
        return down

    def request(self, method: str, path: str, query: dict[str, str], body: bytes = b"") -> str:
        """One HTTP exchange; raises OSError when the link or the server is down."""
        lose = False
        if self._down():
            if not self.lose_next_reply:
                self.stats.offline_attempts += 1
                raise LinkDown("link down")
            self.lose_next_reply, lose = False, True
        url = f"{self.base}/iclock/{path}?{urllib.parse.urlencode({'SN': self.c.serial, **query})}"
        try:
            if self.conn is None:
                self.conn = http.client.HTTPConnection(
                    self.host, self.port, timeout=self.c.timeout_s
                )
            headers = {"Content-Type": "text/plain", "User-Agent": "iClock Proxy/1.09"}
            self.conn.request(method, url, body=body or None, headers=headers)
            response = self.conn.getresponse()
            text = response.read().decode("utf-8", errors="replace")
        except (OSError, http.client.HTTPException):
            self._close()
            self.stats.failed_requests += 1
            raise
        if lose:
            self._close()
            self.stats.lost_replies += 1
            raise LinkDown("reply lost")
        if response.status != 200:
            self.stats.failed_requests += 1
            raise OSError(f"HTTP {response.status}: {text[:200]}")
        return text

    def _close(self) -> None:
        if self.conn is not None:
            self.conn.close()
            self.conn = None

    # --- the protocol -------------------------------------------------------------------------

    def local_now(self) -> datetime:
        return (datetime.now(UTC) + timedelta(hours=self.tz_hours)).replace(tzinfo=None)

    def handshake(self) -> None:
        text = self.request(
            "GET", "cdata", {"options": "all", "pushver": "2.4.1", "language": "69"}
        )
        options = dict(line.split("=", 1) for line in text.splitlines() if "=" in line)
        self.tz_hours = float(options.get("TimeZone", "7"))
        stamp = options.get("ATTLOGStamp", "None")
        if stamp in {"None", "0", ""}:
            self.sent = 0  # the server asks for everything: send the whole log again

    def punch_due(self) -> None:
        """Add the punches whose time has come (all of them at once without a rate)."""
        if self.c.start is None:
            span = timedelta(seconds=self.c.records * self.c.step_s + 60)
            self.c.start = self.local_now().replace(microsecond=0) - span
        elapsed = time.monotonic() - self.started
        due = (
            self.c.records if self.c.rate <= 0 else min(self.c.records, int(elapsed * self.c.rate))
        )
        while len(self.log) < due:
            i = len(self.log)
            pin = self.c.pins[i % len(self.c.pins)]
            self.log.append((pin, self.c.start + timedelta(seconds=i * self.c.step_s)))
        self.stats.generated = len(self.log)

    @staticmethod
    def lines(records: list[tuple[str, datetime]]) -> str:
        return "".join(f"{pin}\t{at:{TIME_FORMAT}}\t0\t1\t0\t0\t0\n" for pin, at in records)

    def upload(self, records: list[tuple[str, datetime]]) -> int:
        stamp = str(int(time.time()))
        text = self.request(
            "POST",
            "cdata",
            {"table": "ATTLOG", "Stamp": stamp},
            self.lines(records).encode(),
        )
        self.stats.uploads += 1
        if not text.startswith("OK"):
            raise OSError(f"upload refused: {text[:200]}")
        return len(records)

    def upload_pending(self) -> None:
        while self.sent < len(self.log):
            chunk = self.log[self.sent : self.sent + self.c.batch]
            self.sent += self.upload(chunk)
        self.stats.acknowledged = self.sent

    def poll(self) -> None:
        text = self.request("GET", "getrequest", {"INFO": "Ver 6.60,2,0,0,127.0.0.1,10,7,12,1,111"})
        if text.strip() == "OK":
            return
        results = []
        reboot = False
        for line in text.splitlines():
            if not line.startswith("C:"):
                continue
            _, cid, command = line.split(":", 2)
            ret, cmd = self.execute(command)
            reboot = reboot or command == "REBOOT"
            results.append(f"ID={cid}&Return={ret}&CMD={cmd}")
            self.stats.commands += 1
        if results:
            self.request("POST", "devicecmd", {}, ("\n".join(results) + "\n").encode())
        if reboot:
            self.handshake()

    def execute(self, command: str) -> tuple[int, str]:
        words = command.split(" ", 3)
        if command == "REBOOT":
            return 0, "REBOOT"
        if words[:3] == ["DATA", "UPDATE", "USERINFO"]:
            fields = dict(f.split("=", 1) for f in words[3].split("\t") if "=" in f)
            self.users[fields["PIN"]] = fields.get("Name", "")
        elif words[:3] == ["DATA", "DELETE", "USERINFO"]:
            self.users.pop(words[3].removeprefix("PIN="), None)
        elif words[:3] == ["DATA", "QUERY", "ATTLOG"]:
            fields = dict(f.split("=", 1) for f in words[3].split("\t") if "=" in f)
            lo = datetime.strptime(fields["StartTime"], TIME_FORMAT)  # noqa: DTZ007
            hi = datetime.strptime(fields["EndTime"], TIME_FORMAT)  # noqa: DTZ007
            wanted = [r for r in self.log[: self.sent] if lo <= r[1] <= hi]
            for i in range(0, len(wanted), self.c.batch):
                self.upload(wanted[i : i + self.c.batch])
            return len(wanted), "DATA"
        else:
            return -1002, words[0]
        self.stats.users = len(self.users)
        return 0, "DATA"

    # --- the machine's life -------------------------------------------------------------------

    def run(self) -> Stats:
        shaken = False
        next_upload = next_poll = 0.0
        settled_at: float | None = None
        while time.monotonic() - self.started < self.c.max_s:
            now = time.monotonic()
            self.punch_due()
            try:
                if not shaken:
                    self.handshake()
                    shaken = True
                if now >= next_upload:
                    self.upload_pending()
                    next_upload = now + self.c.upload_every_s
                if now >= next_poll:
                    self.poll()
                    next_poll = now + self.c.poll_every_s
            except OSError:
                time.sleep(self.c.error_delay_s)
                continue
            done = len(self.log) == self.c.records and self.sent == len(self.log)
            if done:
                settled_at = settled_at or now
                if now - settled_at >= self.c.linger_s:
                    break
            time.sleep(min(0.05, self.c.upload_every_s))
        self._close()
        self.stats.acknowledged = self.sent
        self.stats.seconds = round(time.monotonic() - self.started, 3)
        return self.stats


def run_machines(configs: list[Config]) -> list[Stats]:
    """Run machines at once, one thread each."""
    results: list[Stats | None] = [None] * len(configs)

    def one(i: int) -> None:
        results[i] = Machine(configs[i]).run()

    threads = [threading.Thread(target=one, args=(i,), daemon=True) for i in range(len(configs))]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return [r for r in results if r is not None]


def _outage(text: str) -> tuple[float, float]:
    start, _, length = text.partition(":")
    return float(start), float(length)


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--url", default="http://127.0.0.1:8000", help="hadir's base URL")
    p.add_argument("--serial", default="SIM0001", help="serial number (prefix with --machines)")
    p.add_argument("--machines", type=int, default=1, help="machines at once: SERIAL000, ...")
    p.add_argument("--pins", default="10000-10023", help="PINs: 1,2,5 or a range 10000-10023")
    p.add_argument("--records", type=int, default=100, help="punches per machine")
    p.add_argument("--rate", type=float, default=0.0, help="punches/s (0: all at start)")
    p.add_argument("--step", type=int, default=1, help="seconds between punch times")
    p.add_argument("--start", help="local wall time of the first punch, YYYY-MM-DD HH:MM:SS")
    p.add_argument("--batch", type=int, default=200, help="lines per upload")
    p.add_argument("--upload-every", type=float, default=0.5, help="seconds between uploads")
    p.add_argument("--poll-every", type=float, default=1.0, help="seconds between getrequest")
    p.add_argument("--error-delay", type=float, default=0.5, help="seconds to wait after a failure")
    p.add_argument(
        "--outage", action="append", type=_outage, default=[], help="START:SECONDS link down"
    )
    p.add_argument("--linger", type=float, default=0.0, help="poll this long after the last ack")
    p.add_argument("--max-seconds", type=float, default=300.0, help="give up after this long")
    a = p.parse_args(argv)
    pins = _pins(a.pins)
    start = datetime.strptime(a.start, TIME_FORMAT) if a.start else None  # noqa: DTZ007
    configs = [
        Config(
            url=a.url,
            serial=a.serial if a.machines == 1 else f"{a.serial}{i:03d}",
            pins=pins,
            records=a.records,
            rate=a.rate,
            step_s=a.step,
            start=start,
            batch=a.batch,
            upload_every_s=a.upload_every,
            poll_every_s=a.poll_every,
            error_delay_s=a.error_delay,
            outages=a.outage,
            linger_s=a.linger,
            max_s=a.max_seconds,
        )
        for i in range(a.machines)
    ]
    stats = run_machines(configs)
    print(json.dumps([s.__dict__ for s in stats]), flush=True)
    return 0 if all(s.acknowledged == a.records for s in stats) else 1


def _pins(text: str) -> list[str]:
    out: list[str] = []
    for part in text.split(","):
        lo, sep, hi = part.partition("-")
        out += [str(p) for p in range(int(lo), int(hi) + 1)] if sep else [part.strip()]
    return out


if __name__ == "__main__":
    sys.exit(main())
