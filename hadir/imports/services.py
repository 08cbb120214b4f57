"""`hadir import KIND FILE`: check every row, then store all of it in one transaction or nothing.

Each kind lives in its own module with two steps: `check(table=, region=)` reads what is stored,
collects every problem of the file (one line each) and returns a plan, or raises
`InputProblems`; `store(plan=, region=, result=)` writes the plan and marks the changed
employee-days stale. This module picks the region, runs both steps in one transaction, writes
the audit entry and rolls back a dry run.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, Protocol

from django.db import IntegrityError, transaction

from hadir.audit.services import audit_record
from hadir.core.errors import DomainError, InputProblems
from hadir.core.tabular import Table, read_table
from hadir.imports import absences, calendar, employees, events, units
from hadir.imports.fields import ImportResult
from hadir.org.models import Region
from hadir.org.selectors import region_get

__all__ = ["KINDS", "ImportResult", "import_file", "import_table"]

NEW_REGION_TIMEZONE = "Asia/Jakarta"


class _Kind(Protocol):
    def check(self, *, table: Table, region: Region) -> Any: ...

    def store(self, *, plan: Any, region: Region, result: ImportResult, actor: str) -> None: ...


KINDS: dict[str, _Kind] = {
    "units": units,
    "employees": employees,
    "calendar": calendar,
    "events": events,
    "absences": absences,
}


def import_file(
    *, kind: str, path: Path, region_code: str | None, dry_run: bool, actor: str = "cli"
) -> str:
    """Import a CSV or XLSX file; returns the printable summary or raises `InputProblems`."""
    _kind_module(kind)
    result = import_table(
        kind=kind,
        table=read_table(Path(path)),
        region_code=region_code,
        dry_run=dry_run,
        actor=actor,
    )
    return str(result)


def import_table(
    *, kind: str, table: Table, region_code: str | None, dry_run: bool, actor: str
) -> ImportResult:
    """Import rows already read (from a file or built in memory): all of them or none.

    Rows are checked outside the transaction, so that a long check never holds the database's
    write lock; the plan is then stored in one transaction (rolled back in a dry run).
    """
    module = _kind_module(kind)
    result = ImportResult(kind=kind, dry_run=dry_run)
    region = _region(kind=kind, name=table.name, code=region_code)
    plan = module.check(table=table, region=region)
    name = table.name
    del table  # the plan holds what it needs: millions of checked rows can be freed
    try:
        with transaction.atomic():
            if region.pk is None:
                region.save()
                result.notes.append(
                    f"region {region.code} created (name and time zone can be set later)"
                )
            module.store(plan=plan, region=region, result=result, actor=actor)
            if result.changed:
                audit_record(
                    actor=actor,
                    action=f"import.{kind}",
                    object_type="Region",
                    object_id=str(region.id),
                    data={"file": name, "region": region.code, "counts": result.counts()},
                )
            if dry_run:
                transaction.set_rollback(True)
    except IntegrityError as exc:  # another writer got there between the check and the write
        raise InputProblems(
            [
                f"{name}: the database changed during the import ({exc}); nothing was stored: "
                "run the import again"
            ]
        ) from exc
    return result


def _kind_module(kind: str) -> _Kind:
    module = KINDS.get(kind)
    if module is None:
        raise InputProblems([f"unknown import kind {kind!r}: use one of {', '.join(KINDS)}"])
    return module


def _region(*, kind: str, name: str, code: str | None) -> Region:
    """The region named by --region (or the only one); for `units`, a new (unsaved) region."""
    if kind == "units" and code and not Region.objects.filter(code=code).exists():
        return Region(code=code, name=code, timezone=NEW_REGION_TIMEZONE)
    try:
        return region_get(code)
    except DomainError as exc:
        raise InputProblems([f"{name}: {exc.message}"]) from exc
