"""Benchmark: the nightly discipline job for a regency month (2,000 to 20,000 employees).

Run with `make bench` (PostgreSQL). Imports January with ~3% TK days and some late arrivals,
then times the region's run for 31 January: cold (it resolves the month's employee-days first),
warm (days already resolved, warnings and cases opened), and again (nothing new: idempotent).
"""

from __future__ import annotations

import os
import time
from datetime import date
from pathlib import Path

import pytest
from django.db import connection

from benchmarks.test_bench_month import MONTH, _ruleset, _write_region
from hadir.discipline.ladder import RunCounts, discipline_run_region
from hadir.discipline.models import AbsenceWarning, DisciplineCase
from hadir.imports.services import import_file
from hadir.notify.models import Outbox
from hadir.org.models import Region
from hadir.tpp.services import ruleset_load

pytestmark = [pytest.mark.benchmark, pytest.mark.django_db(transaction=True)]

SIZES = [int(s) for s in os.environ.get("HADIR_BENCH_SIZES", "2000,5000,20000").split(",")]


def test_discipline_nightly_run(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    assert connection.vendor == "postgresql", "the benchmark is meant for PostgreSQL"
    monkeypatch.setattr("hadir.attendance.services._kick_resolver", lambda: None)
    monkeypatch.setattr("hadir.notify.services._kick", lambda: None)
    offset = 100_000  # NIPs apart from the month benchmark's
    for n in SIZES:
        code = f"D{n}"
        ruleset_load(text=_ruleset(code), source_name="bench", actor="bench")
        directory = tmp_path / code
        directory.mkdir()
        files = _write_region(directory, n, offset)
        offset += n
        import_file(kind="units", path=files.units, region_code=code, dry_run=False)
        import_file(kind="employees", path=files.employees, region_code=code, dry_run=False)
        import_file(kind="events", path=files.events, region_code=code, dry_run=False)
        on = date(MONTH.year, MONTH.month, 31)
        region = Region.objects.get(code=code)
        timings = []
        for _ in range(3):
            counts = RunCounts()
            started = time.perf_counter()
            discipline_run_region(region=region, on=on, counts=counts)
            timings.append(time.perf_counter() - started)
        assert (counts.warnings, counts.cases) == (0, 0)  # the third run: nothing new
        print(
            f"\n{n} employees: cold {timings[0]:.1f} s, warm {timings[1]:.1f} s, "
            f"idempotent {timings[2]:.1f} s; {AbsenceWarning.objects.count()} warnings, "
            f"{DisciplineCase.objects.count()} cases, {Outbox.objects.count()} messages"
        )
