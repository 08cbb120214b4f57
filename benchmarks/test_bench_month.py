"""Benchmark: import a month of events and recap it, for 2,000 to 20,000 employees.

Run with `make bench` (PostgreSQL from DATABASE_URL, default the local server). Prints, for each
size: events imported per second, the recap's seconds when it first resolves the month's
employee-days (cold) and when it only reads them (warm), and the growth against the smallest size.
"""

from __future__ import annotations

import csv
import os
import random
import time
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

import pytest
from django.db import connection

from hadir.imports.services import import_file
from hadir.org.models import Region
from hadir.reports.recap import recap_build
from hadir.tpp.services import ruleset_load

pytestmark = [pytest.mark.benchmark, pytest.mark.django_db(transaction=True)]

SIZES = [int(s) for s in os.environ.get("HADIR_BENCH_SIZES", "2000,5000,20000").split(",")]
MONTH = date(2026, 1, 1)
RULES = (Path(__file__).resolve().parent.parent / "conftest.py").read_text()


def _ruleset(code: str) -> str:
    start = RULES.index('RULESET_TOML = """') + len('RULESET_TOML = """')
    text = RULES[start : RULES.index('"""', start)]
    return text.replace('code = "6408"', f'code = "{code}"')


def _nip(i: int) -> str:
    birth = date(1965, 1, 1) + timedelta(days=i % 12000)
    tmt_year = birth.year + 23 + (i // 12000) % 5
    return f"{birth:%Y%m%d}{tmt_year}{1 + i % 12:02d}{1 + i % 2}{(i // 24000) % 1000 + 1:03d}"


@dataclass
class Files:
    units: Path
    employees: Path
    events: Path
    count: int


def _write_region(directory: Path, n: int, offset: int) -> Files:
    rng = random.Random(n)
    units = directory / "units.csv"
    with units.open("w", newline="") as f:
        w = csv.writer(f)
        w.writerow(["Id", "NamaUnor", "DiatasanId"])
        w.writerow(["ROOT", "Pemerintah Daerah", ""])
        for u in range(40):
            w.writerow([f"OPD{u:02d}", f"OPD {u}", "ROOT"])
    employees = directory / "employees.csv"
    with employees.open("w", newline="") as f:
        w = csv.writer(f)
        w.writerow(
            ["nip", "nama", "jenisPegawai", "unorId", "jabatanNama", "kelasJabatan", "tppBase"]
        )
        for i in range(n):
            w.writerow(
                [
                    _nip(offset + i),
                    f"Pegawai {i}",
                    "PNS",
                    f"OPD{i % 40:02d}",
                    "Pelaksana",
                    1 + i % 15,
                    2_000_000 + 250_000 * (i % 15),
                ]
            )
    events = directory / "events.csv"
    count = 0
    with events.open("w", newline="") as f:
        w = csv.writer(f)
        w.writerow(["nip", "timestamp", "source"])
        for i in range(n):
            nip = _nip(offset + i)
            day = MONTH
            while day.month == MONTH.month:
                if day.weekday() < 5 and rng.random() > 0.03:  # 3% TK
                    late = rng.choice([0] * 17 + [5, 25, 45, 95])
                    times = [(7, 10 + late), (12, 0), (13, 0), (16, 5)]
                    for hour, minute in times:
                        hour, minute = hour + minute // 60, minute % 60
                        w.writerow([nip, f"{day}T{hour:02d}:{minute:02d}:00+08:00", "mobile"])
                        count += 1
                day += timedelta(days=1)
    return Files(units, employees, events, count)


def test_month_import_and_recap(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    assert connection.vendor == "postgresql", "the benchmark is meant for PostgreSQL"
    # The worker would resolve recent days in another process; here only the recap resolves.
    monkeypatch.setattr("hadir.attendance.services._kick_resolver", lambda: None)
    results = []
    offset = 0
    for n in SIZES:
        code = f"B{n}"
        ruleset_load(text=_ruleset(code), source_name="bench", actor="bench")
        directory = tmp_path / code
        directory.mkdir()
        files = _write_region(directory, n, offset)
        offset += n
        import_file(kind="units", path=files.units, region_code=code, dry_run=False)
        import_file(kind="employees", path=files.employees, region_code=code, dry_run=False)
        started = time.perf_counter()
        import_file(kind="events", path=files.events, region_code=code, dry_run=False)
        import_s = time.perf_counter() - started
        region = Region.objects.get(code=code)
        started = time.perf_counter()
        cold = recap_build(region=region, month=MONTH)
        cold_s = time.perf_counter() - started
        started = time.perf_counter()
        warm = recap_build(region=region, month=MONTH)
        warm_s = time.perf_counter() - started
        assert len(cold["employees"]) == n and warm == cold
        results.append((n, files.count, import_s, cold_s, warm_s))
        print(f"\n{n} employees: import {import_s:.1f} s, cold {cold_s:.1f} s, warm {warm_s:.1f} s")
    base = results[0]
    print(
        "\nemployees  events     import s  events/s  recap cold s  recap warm s  "
        "growth (cold, warm) per employee vs smallest"
    )
    for n, events, import_s, cold_s, warm_s in results:
        factor = n / base[0]
        print(
            f"{n:>9}  {events:>9}  {import_s:>8.1f}  {events / import_s:>8.0f}  "
            f"{cold_s:>12.1f}  {warm_s:>12.1f}  "
            f"{cold_s / base[3] / factor:.2f}x, {warm_s / base[4] / factor:.2f}x"
        )
