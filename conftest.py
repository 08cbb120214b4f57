"""Shared test fixtures: the contract's rule set and the named people of STYLE.md.

Unit A (Dinas Contoh) holds the employee Ani, her atasan Budi (the unit head) and the operator
Citra; unit B holds Dedi, a stranger to unit A; Eka is the BKPSDM admin of the region.
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

import pytest

# Fixtures of the browser tests (Playwright on Debian's chromium).
pytest_plugins = ["tests.browser"]

RULESET_TOML = """
[region]
code = "6408"
name = "Kabupaten Kutai Timur"
timezone = "Asia/Makassar"

[tpp]
cap_pct = 100
manipulation_zero = true
absent_day_pct = 3.0
missed_checkpoint_pct = 0.5
apel_missed_pct = 0.5
late  = { tiers = [{up_to = 30, pct = 0.5}, {up_to = 60, pct = 1.0}, {up_to = 90, pct = 1.25}, {pct = 1.5}], missing_pct = 1.5 }
early = { tiers = [{up_to = 30, pct = 0.5}, {up_to = 60, pct = 1.0}, {up_to = 90, pct = 1.25}, {pct = 1.5}], missing_pct = 1.5 }

[tpp.absence.dinas_luar]
counts_as_present = true
[tpp.absence.sakit]
bands = [{up_to_days = 2, pct = 0}, {up_to_days = 14, pct = 25}, {pct = 50}]
[tpp.absence.izin]
per_day_pct = 1.0

[[schedules]]
code = "5hk"
workdays = ["mon", "tue", "wed", "thu", "fri"]
checkpoints = [
  {code = "masuk",   kind = "in",   opens = "06:00", due = "07:30", closes = "12:00"},
  {code = "ist_out", kind = "mark", opens = "11:45",                 closes = "12:15"},
  {code = "ist_in",  kind = "mark", opens = "12:45",                 closes = "13:15"},
  {code = "pulang",  kind = "out",  opens = "13:15", due = "16:00", closes = "23:59"},
  {code = "apel",    kind = "apel", opens = "07:15",                 closes = "07:45", days = ["mon"]},
]
[[schedules.overrides]]
when = "fri"
checkpoints = [
  {code = "masuk",   kind = "in",   opens = "06:00", due = "07:30", closes = "11:00"},
  {code = "ist_out", kind = "mark", opens = "11:15",                 closes = "11:45"},
  {code = "ist_in",  kind = "mark", opens = "12:45",                 closes = "13:15"},
  {code = "pulang",  kind = "out",  opens = "13:15", due = "16:30", closes = "23:59"},
]
"""

HEAD_NIP = "197501012000031001"  # Budi, head of unit A
EMPLOYEE_NIP = "198503152010012002"  # Ani
OPERATOR_NIP = "199002022015031003"  # Citra
STRANGER_NIP = "198807072012121004"  # Dedi, unit B


@dataclass
class CsvWriter:
    directory: Path

    def __call__(self, name: str, header: Sequence[str], rows: Sequence[Sequence[object]]) -> Path:
        path = self.directory / name
        lines = [",".join(header)]
        lines += [",".join("" if v is None else str(v) for v in row) for row in rows]
        path.write_text("\n".join(lines) + "\n", encoding="utf-8")
        return path


@pytest.fixture
def write_csv(tmp_path: Path) -> CsvWriter:
    return CsvWriter(tmp_path)


@pytest.fixture
def hadir_cli(capsys: pytest.CaptureFixture[str]) -> Callable[..., tuple[int, str, str]]:
    """Run `hadir ARGS...` in-process; returns (exit code, stdout, stderr)."""
    from hadir.cli import main

    def run(*args: str) -> tuple[int, str, str]:
        capsys.readouterr()
        code = main(list(args))
        out, err = capsys.readouterr()
        return code, out, err

    return run


@pytest.fixture
def ruleset_file(tmp_path: Path) -> Path:
    path = tmp_path / "rules.toml"
    path.write_text(RULESET_TOML, encoding="utf-8")
    return path


@pytest.fixture
def region_setup(hadir_cli, write_csv, ruleset_file):  # type: ignore[no-untyped-def]
    """The region of the contract's rule set with units A and B and the named employees."""
    code, _, err = hadir_cli("rules", "load", str(ruleset_file))
    assert code == 0, err
    units = write_csv(
        "units.csv",
        ["Id", "NamaUnor", "DiatasanId", "PemimpinPnsId", "Timezone"],
        [
            ["PEMDA", "Pemerintah Kabupaten", "", "", ""],
            ["A", "Dinas Contoh", "PEMDA", "", ""],
            ["B", "Dinas Lain", "PEMDA", "", ""],
        ],
    )
    code, _, err = hadir_cli("import", "units", str(units), "--region", "6408")
    assert code == 0, err
    employees = write_csv(
        "employees.csv",
        ["nip", "nama", "jenisPegawai", "unorId", "jabatanNama", "kelasJabatan", "tppBase"],
        [
            [HEAD_NIP, "Budi Santoso", "PNS", "A", "Kepala Dinas", "14", "10000000"],
            [EMPLOYEE_NIP, "Ani Lestari", "PNS", "A", "Analis", "8", "5000000"],
            [OPERATOR_NIP, "Citra Dewi", "PNS", "A", "Pengadministrasi", "6", "3000000"],
            [STRANGER_NIP, "Dedi Kurniawan", "PNS", "B", "Analis", "8", "5000000"],
        ],
    )
    code, _, err = hadir_cli("import", "employees", str(employees))
    assert code == 0, err
    return {"region": "6408"}


@pytest.fixture(autouse=True)
def _memos_forgotten():  # type: ignore[no-untyped-def]
    """A test's rows are rolled back without signals: nothing read from them is remembered."""
    from hadir.core.memo import memos_clear

    memos_clear()
    yield


@pytest.fixture(autouse=True, scope="session")
def _tasks_run_inline():  # type: ignore[no-untyped-def]
    """In-process tests run tasks inline; tests of the real worker start their own processes."""
    from hadir.celery import app

    app.conf.task_always_eager = True
    yield


@pytest.fixture(scope="session")
def django_db_modify_db_settings(django_db_modify_db_settings_parallel_suffix: None) -> None:
    """Name server test databases after this process too, so that two test runs on one
    PostgreSQL (a developer's and CI's, or two checkouts) never drop each other's database."""
    from django.conf import settings

    for db in settings.DATABASES.values():
        if db["ENGINE"].endswith("sqlite3"):
            continue
        test = db.setdefault("TEST", {})
        test["NAME"] = f"{test.get('NAME') or 'test_' + db['NAME']}_p{os.getpid()}"
        _drop_orphaned_test_databases(db)


def _drop_orphaned_test_databases(db: dict) -> None:  # type: ignore[type-arg]
    """Drop test databases left by runs whose process is gone (a process that exits while a
    server session still reads its database cannot drop it: pytest only warns). Only names of
    this suite's pattern, and only when no process of that id lives on this machine."""
    import psycopg

    base = db["NAME"]
    try:
        conn = psycopg.connect(
            dbname="postgres",
            user=db.get("USER") or None,
            password=db.get("PASSWORD") or None,
            host=db.get("HOST") or None,
            port=db.get("PORT") or None,
            autocommit=True,
        )
    except psycopg.Error:
        return  # no server to tidy; the run itself will say what is wrong
    with conn:
        names = conn.execute(
            "SELECT datname FROM pg_database WHERE datname LIKE %s", [f"test_{base}%_p%"]
        ).fetchall()
        for (name,) in names:
            match = re.fullmatch(rf"test_{re.escape(base)}(?:_gw\d+)?_p(\d+)", name)
            if match is None or _alive(int(match.group(1))):
                continue
            quoted = psycopg.sql.Identifier(name)
            conn.execute(psycopg.sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(quoted))


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True
