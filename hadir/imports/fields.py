"""Shared pieces of the importers: the problem list, the result, and pure cell parsers.

Each parser takes the stripped text of one cell and returns a value, or raises `BadValue`
with a message for the person who wrote the file (the caller adds file, row and column).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from decimal import Decimal, InvalidOperation
from typing import TypeVar
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from hadir.core.errors import InputProblems

MAX_PROBLEM_LINES = 1000
IN_CHUNK = 900  # values per `__in` lookup: below SQLite's 999 bound parameters
_WHOLE = re.compile(r"[0-9]+(?:\.0*)?")
_DECIMAL = re.compile(r"[+-]?[0-9]+(?:\.[0-9]+)?")
COORD_PLACES = Decimal("0.000001")
T = TypeVar("T")


class BadValue(ValueError):
    """A cell's value is not acceptable; the message says why."""


class Problems:
    """Collects one line per problem: "{file}: row {n}, column {col}: {message}".

    Lines come out ordered by row (problems of the whole file first), at most
    MAX_PROBLEM_LINES of them and then a line that counts the rest.
    """

    def __init__(self, name: str) -> None:
        self.name = name
        self.count = 0
        self._lines: list[tuple[int, int, str]] = []

    def __bool__(self) -> bool:
        return self.count > 0

    def add(self, row: int | None, message: str, column: str | None = None) -> None:
        self.count += 1
        if len(self._lines) >= MAX_PROBLEM_LINES:
            return
        where = [f"row {row}"] if row is not None else []
        if column:
            where.append(f"column {column}")
        head = f"{self.name}: {', '.join(where)}: " if where else f"{self.name}: "
        self._lines.append((row or 0, self.count, head + message))

    @property
    def lines(self) -> list[str]:
        return [line for _, _, line in sorted(self._lines)]

    def raise_if_any(self) -> None:
        if not self.count:
            return
        lines = self.lines
        if self.count > len(lines):
            lines.append(f"{self.name}: {self.count - len(lines)} more problem(s) not shown")
        raise InputProblems(lines)


@dataclass
class ImportResult:
    """What an import did (or, in a dry run, would do)."""

    kind: str
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    dry_run: bool = False
    notes: list[str] = field(default_factory=list)

    @property
    def changed(self) -> bool:
        return bool(self.created or self.updated)

    def counts(self) -> dict[str, int]:
        return {"created": self.created, "updated": self.updated, "unchanged": self.unchanged}

    def __str__(self) -> str:
        line = (
            f"{self.kind}: {self.created} created, {self.updated} updated, "
            f"{self.unchanged} unchanged"
        )
        if self.dry_run:
            line += " (dry run: nothing stored)"
        return "\n".join([line, *(f"note: {note}" for note in self.notes)])


def chunked(items: Sequence[T], size: int = IN_CHUNK) -> Iterator[Sequence[T]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


def required(text: str, what: str = "a value") -> str:
    if not text:
        raise BadValue(f"{what} is required")
    return text


def max_length(text: str, limit: int) -> str:
    if len(text) > limit:
        raise BadValue(f"at most {limit} characters, got {len(text)}")
    return text


def parse_choice(text: str, choices: Mapping[str, str]) -> str:
    """One of `choices` (keys in lower case), compared case-insensitively."""
    value = choices.get(text.casefold())
    if value is None:
        known = "|".join(choices.values())
        raise BadValue(f"must be one of {known}, got {text!r}" if text else f"is empty ({known})")
    return value


def parse_date(text: str) -> date:
    if not text:
        raise BadValue("a date (YYYY-MM-DD) is required")
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise BadValue(f"{text!r} is not a date (YYYY-MM-DD)") from None


def parse_timestamp(text: str) -> datetime:
    """An ISO 8601 time with a UTC offset ("Z", "+08:00"; a space may replace "T"), in UTC."""
    if not text:
        raise BadValue("a timestamp is required")
    try:
        value = datetime.fromisoformat(text)
    except ValueError:
        raise BadValue(
            f"{text!r} is not an ISO 8601 timestamp (like 2026-01-05T07:42:10+08:00)"
        ) from None
    if value.tzinfo is None or value.utcoffset() is None:
        raise BadValue(f"timestamp needs a UTC offset (like +08:00 or Z), got {text!r}")
    return value.astimezone(UTC)


def parse_whole(text: str, *, lo: int, hi: int, what: str) -> int:
    """A whole number written with digits only ("5000000" or "5000000.00"), in [lo, hi]."""
    if not _WHOLE.fullmatch(text):
        raise BadValue(f"{what} must be a whole number written with digits only, got {text!r}")
    value = int(text.split(".", 1)[0])
    if not lo <= value <= hi:
        raise BadValue(f"{what} must be between {lo} and {hi}, got {value}")
    return value


def parse_coordinate(text: str, *, limit: int, what: str) -> Decimal:
    if not _DECIMAL.fullmatch(text):
        raise BadValue(f"{what} must be a decimal number like -0.5025, got {text!r}")
    try:
        value = Decimal(text)
    except InvalidOperation:  # pragma: no cover - the pattern only lets numbers through
        raise BadValue(f"{what} must be a decimal number, got {text!r}") from None
    if not -limit <= value <= limit:
        raise BadValue(f"{what} must be between -{limit} and {limit}, got {text}")
    return value.quantize(COORD_PLACES)


def parse_zone(text: str) -> str:
    """An IANA time zone name such as Asia/Makassar."""
    try:
        ZoneInfo(text)
    except (ZoneInfoNotFoundError, ValueError):
        raise BadValue(f"{text!r} is not an IANA time zone (like Asia/Makassar)") from None
    return text


def both_or_none(names: Sequence[str], texts: Sequence[str]) -> bool:
    """True when every cell has a value, False when none has; BadValue when only some do."""
    given = [bool(t) for t in texts]
    if all(given):
        return True
    if not any(given):
        return False
    missing = ", ".join(n for n, g in zip(names, given, strict=True) if not g)
    raise BadValue(f"give all of {', '.join(names)} or none of them: {missing} missing")


def take(
    problems: Problems, row: int, column: str, text: str, parse: Callable[[str], T]
) -> T | None:
    """`parse(text)`, or None after adding the problem to the list."""
    try:
        return parse(text)
    except BadValue as exc:
        problems.add(row, str(exc), column)
        return None


def employee_ref(nip: str, ident: str) -> tuple[str, str]:
    """(key, column) naming an employee in events and absences: the NIP, else the `id`."""
    if nip:
        return nip, "nip"
    return ident, "id"
