"""The `hadir` command line (also `python -m hadir`): thin shells over the services.

Exit codes: 0 success; 2 bad input, or a database that is not migrated; 1 anything else.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Callable, Sequence
from pathlib import Path

EXIT_OK = 0
EXIT_FAILURE = 1
EXIT_BAD_INPUT = 2


class CliError(Exception):
    """Ends the command with the given lines on stderr and exit code."""

    def __init__(self, lines: Sequence[str], exit_code: int = EXIT_BAD_INPUT) -> None:
        super().__init__("\n".join(lines))
        self.lines = list(lines)
        self.exit_code = exit_code


def _setup_django() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "hadir.settings")
    import django

    django.setup()


def _require_migrated() -> None:
    from django.db import connection
    from django.db.migrations.executor import MigrationExecutor

    try:
        executor = MigrationExecutor(connection)
        pending = executor.migration_plan(executor.loader.graph.leaf_nodes())
    except Exception as exc:  # an unreachable server, a bad URL, ...
        raise CliError([f"cannot open the database: {exc}"], EXIT_FAILURE) from exc
    if pending:
        raise CliError(
            [
                "the database is not migrated: run `hadir migrate` first "
                f"({len(pending)} migration(s) pending)"
            ]
        )


def _cmd_migrate(args: argparse.Namespace) -> int:
    from django.core.management import call_command

    call_command("migrate", interactive=False, verbosity=1 if args.verbose else 0)
    print("database is up to date")
    return EXIT_OK


def _cmd_run(args: argparse.Namespace) -> int:
    from hadir.core.runner import run_all

    return run_all(addr=os.environ.get("HADIR_ADDR", "127.0.0.1:8000"))


def _cmd_demo(args: argparse.Namespace) -> int:
    from hadir.demo.services import demo_create

    summary = demo_create(employees=args.employees, days=args.days, seed=args.seed)
    print(summary)
    return EXIT_OK


def _cmd_import(args: argparse.Namespace) -> int:
    from hadir.core.errors import InputProblems
    from hadir.imports.services import import_file

    try:
        result = import_file(
            kind=args.kind, path=Path(args.file), region_code=args.region, dry_run=args.dry_run
        )
    except InputProblems as exc:
        raise CliError(exc.problems) from exc
    print(result)
    return EXIT_OK


def _cmd_rules(args: argparse.Namespace) -> int:
    from hadir.core.errors import DomainError
    from hadir.tpp.ruleset import RuleSetError
    from hadir.tpp.services import ruleset_load, ruleset_show

    try:
        if args.rules_cmd == "load":
            path = Path(args.file)
            try:
                text = path.read_text(encoding="utf-8")
            except (OSError, UnicodeDecodeError) as exc:
                raise CliError([f"{path}: cannot read: {exc}"]) from exc
            print(
                ruleset_load(
                    text=text,
                    source_name=str(path),
                    effective_from=args.effective_from,
                    actor="cli",
                )
            )
        else:
            print(ruleset_show(region_code=args.region, on=args.on), end="")
    except RuleSetError as exc:
        raise CliError([f"{args.file}: {p}" for p in exc.problems]) from exc
    except DomainError as exc:
        raise CliError([exc.message]) from exc
    return EXIT_OK


def _cmd_recap(args: argparse.Namespace) -> int:
    from hadir.core.errors import DomainError
    from hadir.reports.recap import recap_export

    try:
        data = recap_export(
            month=args.month, region_code=args.region, unit_code=args.unit, fmt=args.format
        )
    except DomainError as exc:
        raise CliError([exc.message]) from exc
    if args.output:
        Path(args.output).write_bytes(data)
        print(f"recap written to {args.output}", file=sys.stderr)
    elif args.format in ("json", "csv"):
        sys.stdout.write(data.decode("utf-8"))
    else:
        sys.stdout.buffer.write(data)
    return EXIT_OK


def _cmd_discipline(args: argparse.Namespace) -> int:
    from hadir.core.errors import DomainError
    from hadir.discipline.services import discipline_run

    try:
        print(discipline_run(on=args.date))
    except DomainError as exc:
        raise CliError([exc.message]) from exc
    return EXIT_OK


def _cmd_manage(args: argparse.Namespace) -> int:
    from django.core.management import execute_from_command_line

    execute_from_command_line(["hadir manage", *args.rest])
    return EXIT_OK


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="hadir", description=__doc__.splitlines()[0])
    sub = parser.add_subparsers(dest="command", required=True)

    p = sub.add_parser("run", help="web server, worker and scheduler (what `make run` starts)")
    p.set_defaults(func=_cmd_run, needs_db=False)

    p = sub.add_parser("migrate", help="create or upgrade the database")
    p.add_argument("-v", "--verbose", action="store_true")
    p.set_defaults(func=_cmd_migrate, needs_db=False)

    p = sub.add_parser("demo", help="(re)create the demo region")
    p.add_argument("--employees", type=int, default=300)
    p.add_argument("--days", type=int, default=60)
    p.add_argument("--seed", type=int, default=6408)
    p.set_defaults(func=_cmd_demo)

    p = sub.add_parser("import", help="import units, employees, calendar, events or absences")
    p.add_argument("kind", choices=["units", "employees", "calendar", "events", "absences"])
    p.add_argument("file")
    p.add_argument("--region", help="region code (BPS); needed when there are several")
    p.add_argument("--dry-run", action="store_true", help="check and count, store nothing")
    p.set_defaults(func=_cmd_import)

    p = sub.add_parser("rules", help="load or show a region's rule set")
    rules_sub = p.add_subparsers(dest="rules_cmd", required=True)
    pl = rules_sub.add_parser("load")
    pl.add_argument("file")
    pl.add_argument(
        "--effective-from",
        type=_iso_date,
        default=None,
        help="date the version takes effect (overrides [region] effective_from)",
    )
    pl.set_defaults(func=_cmd_rules)
    ps = rules_sub.add_parser("show")
    ps.add_argument("--region")
    ps.add_argument("--on", type=_iso_date, default=None, help="the version in force on a date")
    ps.set_defaults(func=_cmd_rules, file=None)

    p = sub.add_parser("recap", help="monthly recap and TPP")
    p.add_argument("--month", required=True, type=_month)
    p.add_argument("--region")
    p.add_argument("--unit", help="a unit Id: that unit and the units below it")
    p.add_argument("--format", choices=["json", "csv", "xlsx", "pdf"], default="json")
    p.add_argument("-o", "--output")
    p.set_defaults(func=_cmd_recap)

    p = sub.add_parser("discipline", help="the warning and escalation ladder")
    dsub = p.add_subparsers(dest="discipline_cmd", required=True)
    pr = dsub.add_parser("run")
    pr.add_argument("--date", type=_iso_date, default=None)
    pr.set_defaults(func=_cmd_discipline)

    p = sub.add_parser("manage", help="Django's management commands (createsuperuser, shell, ...)")
    p.add_argument("rest", nargs=argparse.REMAINDER)
    p.set_defaults(func=_cmd_manage, needs_db=False)
    return parser


def _iso_date(value: str):  # type: ignore[no-untyped-def]
    from datetime import date

    try:
        return date.fromisoformat(value)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(f"{value!r} is not a date (YYYY-MM-DD)") from exc


def _month(value: str):  # type: ignore[no-untyped-def]
    from datetime import date

    try:
        year, month = value.split("-")
        if len(year) != 4 or len(month) != 2:
            raise ValueError
        return date(int(year), int(month), 1)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(f"{value!r} is not a month (YYYY-MM)") from exc


def main(argv: Sequence[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    func: Callable[[argparse.Namespace], int] = args.func
    try:
        _setup_django()
        from hadir.core.setup import ensure_var_dirs

        ensure_var_dirs()
        if getattr(args, "needs_db", True):
            _require_migrated()
        return func(args)
    except CliError as exc:
        for line in exc.lines:
            print(line, file=sys.stderr)
        return exc.exit_code
    except KeyboardInterrupt:
        return 130
