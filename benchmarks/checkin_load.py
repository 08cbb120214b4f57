"""Load generator of the check-in benchmark, run as a process of its own.

    python benchmarks/checkin_load.py --base http://127.0.0.1:PORT --nips FILE --password P
        --threads 16 --rounds 2 --warmup 32

Setup (not timed): every virtual employee logs in once with a fresh P-256 key. Then, each
round, two bursts one right after the other: the ceiling (the same requests, bodies and
concurrency sent to the benchmark-only view that writes one row), then the morning burst
itself (each employee asks a challenge and checks in with 3 JPEG frames of a real photo),
`--threads` at a time. Alternating the two keeps a busy machine's noise out of the ratio.
Prints JSON: per round and burst, requests/s, latency percentiles, errors.
"""

from __future__ import annotations

import argparse
import base64
import http.client
import io
import json
import statistics
import threading
import time
import uuid
from concurrent.futures import ThreadPoolExecutor
from urllib.parse import urlsplit

SITE = (-0.5021, 117.1536)
BOUNDARY = "hadirBenchBoundary"


def _frames() -> list[bytes]:
    from PIL import Image
    from skimage import data

    base = Image.fromarray(data.astronaut()).resize((328, 328))
    out = []
    for i in range(3):
        buf = io.BytesIO()
        base.crop((i, i, i + 320, i + 320)).save(buf, "JPEG", quality=80)
        out.append(buf.getvalue())
    return out


def _jwk() -> dict[str, str]:
    from cryptography.hazmat.primitives.asymmetric import ec

    numbers = ec.generate_private_key(ec.SECP256R1()).public_key().public_numbers()

    def b64(n: int) -> str:
        return base64.urlsafe_b64encode(n.to_bytes(32, "big")).rstrip(b"=").decode()

    return {"kty": "EC", "crv": "P-256", "x": b64(numbers.x), "y": b64(numbers.y)}


def _multipart(payload: dict, frames: list[bytes]) -> bytes:
    parts = [
        f'--{BOUNDARY}\r\nContent-Disposition: form-data; name="payload"\r\n\r\n'.encode()
        + json.dumps(payload).encode()
        + b"\r\n"
    ]
    for i, frame in enumerate(frames):
        parts.append(
            f'--{BOUNDARY}\r\nContent-Disposition: form-data; name="frames"; filename="f{i}.jpg"'
            "\r\nContent-Type: image/jpeg\r\n\r\n".encode()
            + frame
            + b"\r\n"
        )
    parts.append(f"--{BOUNDARY}--\r\n".encode())
    return b"".join(parts)


class Http:
    """One keep-alive connection per thread."""

    def __init__(self, base: str) -> None:
        self.netloc = urlsplit(base).netloc
        self.local = threading.local()

    def request(
        self, method: str, path: str, body: bytes, headers: dict[str, str]
    ) -> tuple[int, bytes]:
        for attempt in range(2):
            conn = getattr(self.local, "conn", None)
            if conn is None:
                conn = self.local.conn = http.client.HTTPConnection(self.netloc, timeout=60)
            try:
                conn.request(method, path, body=body, headers=headers)
                response = conn.getresponse()
                return response.status, response.read()
            except (http.client.HTTPException, OSError):
                conn.close()
                self.local.conn = None
                if attempt:
                    raise
        raise AssertionError("unreachable")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--base", required=True)
    parser.add_argument("--nips", required=True)
    parser.add_argument("--password", required=True)
    parser.add_argument("--threads", type=int, default=16)
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument("--warmup", type=int, default=0)
    args = parser.parse_args()
    every = open(args.nips, encoding="utf-8").read().split()  # noqa: SIM115
    nips, warm = every[: len(every) - args.warmup], every[len(every) - args.warmup :]
    http_ = Http(args.base)
    frames = _frames()
    json_headers = {"Content-Type": "application/json", "X-Hadir-App-Version": "0.1.0"}

    tokens: dict[str, str] = {}

    def login(nip: str) -> None:
        body = json.dumps(
            {"nip": nip, "password": args.password, "device": {"public_key": _jwk()}}
        ).encode()
        status, data = http_.request("POST", "/api/v1/auth/login", body, json_headers)
        if status != 200:
            raise SystemExit(f"login {nip}: {status} {data[:200]!r}")
        tokens[nip] = json.loads(data)["token"]

    with ThreadPoolExecutor(args.threads) as pool:
        list(pool.map(login, every))

    # Not timed: the last `--warmup` employees check in once, so that every web process has
    # served a check-in (rule set parsed, statements prepared) before the first burst, as it
    # has before 07:00 on a real morning.
    _burst(http_, warm, tokens, frames, args.threads, "masuk", ceiling=False)

    checkpoints = ["masuk", "ist_out", "ist_in", "pulang"]
    rounds = []
    for round_no in range(args.rounds):
        checkpoint = checkpoints[round_no % len(checkpoints)]
        ceiling = _burst(http_, nips, tokens, frames, args.threads, checkpoint, ceiling=True)
        checkin = _burst(http_, nips, tokens, frames, args.threads, checkpoint, ceiling=False)
        rounds.append({"ceiling": ceiling, "checkin": checkin})
    print(json.dumps({"rounds": rounds, "body_bytes": len(_multipart({"k": "v"}, frames))}))


def _pct(values: list[float], q: float) -> float:
    values = sorted(values)
    return values[min(len(values) - 1, int(q * len(values)))] * 1000 if values else 0.0


def _burst(
    http_: Http,
    nips: list[str],
    tokens: dict[str, str],
    frames: list[bytes],
    threads: int,
    checkpoint: str,
    *,
    ceiling: bool,
) -> dict:
    json_headers = {"Content-Type": "application/json", "X-Hadir-App-Version": "0.1.0"}
    latencies: dict[str, list[float]] = {"challenge": [], "checkin": []}
    errors: list[str] = []
    lock = threading.Lock()

    def timed(kind: str, method: str, path: str, body: bytes, headers: dict) -> tuple[int, bytes]:
        start = time.perf_counter()
        try:
            status, data = http_.request(method, path, body, headers)
        except Exception as exc:  # counted, not raised: the run goes on
            status, data = 0, repr(exc).encode()
        elapsed = time.perf_counter() - start
        with lock:
            latencies[kind].append(elapsed)
            if status not in (200, 201):
                errors.append(f"{kind} {status} {data[:120]!r}")
        return status, data

    def employee(nip: str) -> None:
        key = str(uuid.uuid4())
        auth = {"Authorization": f"Bearer {tokens[nip]}", "X-Hadir-App-Version": "0.1.0"}
        small = json.dumps({"checkpoint": checkpoint}).encode()
        if ceiling:
            timed("challenge", "POST", "/bench/write", small, {**json_headers, "X-Key": f"c-{key}"})
            nonce = "n" * 32
        else:
            status, data = timed(
                "challenge", "POST", "/api/v1/checkins/challenge", small, {**json_headers, **auth}
            )
            if status != 200:
                return
            nonce = json.loads(data)["nonce"]
        payload = {
            "nonce": nonce,
            "checkpoint": checkpoint,
            "idempotency_key": key,
            "latitude": SITE[0],
            "longitude": SITE[1],
            "accuracy_m": 10.0,
            "device_time": time.strftime("%Y-%m-%dT%H:%M:%S+00:00", time.gmtime()),
        }
        body = _multipart(payload, frames)
        headers = {"Content-Type": f"multipart/form-data; boundary={BOUNDARY}", **auth}
        path = "/bench/write" if ceiling else "/api/v1/checkins"
        if ceiling:
            headers["X-Key"] = key
        timed("checkin", "POST", path, body, headers)

    start = time.perf_counter()
    with ThreadPoolExecutor(threads) as pool:
        list(pool.map(employee, nips))
    elapsed = time.perf_counter() - start
    everything = latencies["challenge"] + latencies["checkin"]
    return {
        "requests": len(everything),
        "seconds": elapsed,
        "rps": len(everything) / elapsed,
        "p50_ms": _pct(everything, 0.50),
        "p99_ms": _pct(everything, 0.99),
        "checkin_p50_ms": _pct(latencies["checkin"], 0.50),
        "checkin_p99_ms": _pct(latencies["checkin"], 0.99),
        "mean_ms": statistics.fmean(everything) * 1000 if everything else 0.0,
        "errors": len(errors),
        "first_errors": errors[:5],
    }


if __name__ == "__main__":
    main()
