"""Benchmark: face verifications per second, end to end from stored frames to the updated risk
score, with 1, 2 and 4 worker processes; where the time goes; genuine-accept and false-accept
rates on the test images (skimage's astronaut, matplotlib's Grace Hopper).

Run with `make bench` (PostgreSQL from DATABASE_URL): a database of its own is created on that
server and dropped afterwards. Worker processes are spawned, each sets Django up and loads the
dlib models before the clock starts, then runs the registered background check of its share of
the check-ins (the code the Celery task runs). HADIR_BENCH_FACES sets how many check-ins.
"""

from __future__ import annotations

import multiprocessing
import os
import time
from pathlib import Path
from statistics import median

import psycopg
import pytest

from benchmarks import face_work
from tests.processes import hadir_command, hadir_env

pytestmark = pytest.mark.benchmark

CHECKINS = int(os.environ.get("HADIR_BENCH_FACES", "120"))
WORKERS = (1, 2, 4)


def _database(url: str, name: str) -> str:
    from urllib.parse import urlsplit, urlunsplit

    return urlunsplit(urlsplit(url)._replace(path=f"/{name}"))


def _admin(url: str, sql: str) -> None:
    with psycopg.connect(_database(url, "postgres"), autocommit=True) as conn:
        conn.execute(sql)


def _stages() -> dict[str, float]:
    """Milliseconds of each stage of one 5-frame burst, in this process (median of 5 runs)."""
    from hadir.biometrics import face, pipeline
    from hadir.biometrics import testing as render

    face.warm_up()
    frames = render.burst("astronaut", "blink", seed=7)
    times: dict[str, list[float]] = {"decode": [], "detect+landmarks": [], "encode": [], "hash": []}
    for _ in range(5):
        t = time.perf_counter()
        decoded = [face.decode(b) for b in frames]
        times["decode"].append(time.perf_counter() - t)
        t = time.perf_counter()
        observed = [face.observe(fr) for fr in decoded]
        times["detect+landmarks"].append(time.perf_counter() - t)
        t = time.perf_counter()
        face.encode(decoded[0], observed[0])
        times["encode"].append(time.perf_counter() - t)
        t = time.perf_counter()
        for fr in decoded:
            pipeline.phash(fr)
        times["hash"].append(time.perf_counter() - t)
    return {k: median(v) * 1000 for k, v in times.items()}


def _rates() -> tuple[int, int, int, int, float, float, float]:
    """Genuine and impostor comparisons over rendered bursts against enrolled photos."""
    from hadir.biometrics import face, pipeline
    from hadir.biometrics import testing as render
    from hadir.tpp.ruleset.biometrics import DEFAULT_BIOMETRICS as rules

    people = ("astronaut", "hopper")
    templates = {
        p: pipeline.analyze_photo(render.jpeg(render.person(p)), rules).embedding for p in people
    }
    genuine: list[float] = []
    impostor: list[float] = []
    for person in people:
        for seed in range(4):
            for instruction in ("blink", "turn_left", "turn_right"):
                probe = pipeline.analyze_burst(
                    render.burst(person, instruction, seed=seed), instruction, rules
                ).embedding
                assert probe is not None
                for other in people:
                    d = face.distance(templates[other], probe)  # type: ignore[arg-type]
                    (genuine if other == person else impostor).append(d)
    accepted = sum(1 for d in genuine if d <= rules.match_threshold)
    false = sum(1 for d in impostor if d <= rules.match_threshold)
    return (
        accepted,
        len(genuine),
        false,
        len(impostor),
        max(genuine),
        min(impostor),
        rules.match_threshold,
    )


def test_face_verifications_per_second(tmp_path: Path) -> None:
    server = os.environ.get("DATABASE_URL", "")
    assert server.startswith("postgres"), "the benchmark is meant for PostgreSQL"
    name = f"hadir_bench_face_{os.getpid()}"
    _admin(server, f'CREATE DATABASE "{name}"')
    env = hadir_env(tmp_path, DATABASE_URL=_database(server, name), HADIR_MEDIA=str(tmp_path / "m"))
    context = multiprocessing.get_context("spawn")
    cpus = os.cpu_count() or 1
    lines = []
    try:
        assert hadir_command(env, "migrate").returncode == 0
        with context.Pool(1, initializer=face_work.init, initargs=(env,)) as pool:
            ids = pool.apply(face_work.setup_data, (CHECKINS,))
        for workers in WORKERS:
            with context.Pool(workers, initializer=face_work.init, initargs=(env,)) as pool:
                pool.apply(face_work.reset)
                pool.map(face_work.ready, range(workers * 4), chunksize=1)  # all warmed up
                started = time.perf_counter()
                load = os.getloadavg()[0]
                durations = pool.map(face_work.verify, ids, chunksize=1)
                wall = time.perf_counter() - started
                result = pool.apply(face_work.outcome)
            assert result["checked"] == len(ids)
            rate = len(ids) / wall
            cpu_s = sum(cpu for _, cpu in durations)
            lines.append(
                f"{workers} worker(s): {rate:.1f} verifications/s, "
                f"{rate / min(workers, cpus):.1f}/s per core in use; "
                f"{len(ids) / cpu_s:.1f}/s per CPU-second of the workers "
                f"(median {median(w for w, _ in durations) * 1000:.0f} ms wall, "
                f"{median(c for _, c in durations) * 1000:.0f} ms CPU each; load average "
                f"{load:.1f} at the start; {result['queued']} of "
                f"{len(ids)} sent to review, signals {result['signals']})"
            )
    finally:
        _admin(server, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    stages = _stages()
    accepted, genuine, false, impostor, worst_genuine, best_impostor, threshold = _rates()
    print(f"\nface verification, {CHECKINS} check-ins of 5 frames (360x480 JPEG), {cpus} CPUs:")
    for line in lines:
        print("  " + line)
    print("  one burst in one process: " + ", ".join(f"{k} {v:.1f} ms" for k, v in stages.items()))
    print(
        f"  genuine accept {accepted}/{genuine} ({accepted / genuine:.0%}), "
        f"false accept {false}/{impostor} ({false / impostor:.0%}) at distance <= {threshold}; "
        f"largest genuine distance {worst_genuine:.3f}, smallest impostor {best_impostor:.3f}"
    )
    assert accepted == genuine and false == 0
