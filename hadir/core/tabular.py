"""Reading tables from CSV and XLSX files (or from memory) as rows of stripped strings.

Every importer reads its input through `read_table`, so a spreadsheet and a CSV export of it
give the same strings: a date cell becomes "2026-01-05", a whole number 5000000.0 becomes
"5000000" and an 18-digit NIP stored as a number comes back as its digits. Problems with the
file itself (unreadable, unknown type, empty, missing columns) are raised as `InputProblems`,
one line each, prefixed with the file name.
"""

from __future__ import annotations

import csv
import zipfile
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

from hadir.core.errors import InputProblems

# Values of a column are shared between rows until it has this many distinct ones: repeated
# NIPs, sources and checkpoint codes of a two-million-row event file then cost one string each.
_SHARE_LIMIT = 50_000
# A spreadsheet keeps 15 significant digits: a whole number from 10**15 on (an 18-digit NIP
# typed as a number) has lost its last digits. Integers stored exactly are read as int instead.
_EXACT = 1e15


def column_key(name: str) -> str:
    """How column names are compared: case-insensitive, surrounding spaces ignored."""
    return name.strip().casefold()


def cell_text(value: Any) -> str:
    """A cell's value as the string a person would have typed into the sheet."""
    if value is None:
        return ""
    if isinstance(value, str):
        return value.strip()
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, datetime):
        if value.tzinfo is None and value.time() == time(0, 0):
            return value.date().isoformat()
        return value.isoformat(sep=" ")
    if isinstance(value, date | time):
        return value.isoformat()
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float | Decimal):
        return _number_text(value)
    return str(value).strip()


def _number_text(value: float | Decimal) -> str:
    """Plain decimal digits, never an exponent; whole numbers without ".0"."""
    try:
        number = Decimal(repr(value)) if isinstance(value, float) else value
    except InvalidOperation:  # pragma: no cover - repr of a float is always a decimal
        return str(value)
    if not number.is_finite():
        return str(value)
    if number == number.to_integral_value():
        return str(int(number))
    return format(number.normalize(), "f")


@dataclass(slots=True)
class Row:
    """One data row: `number` is its row number in the sheet (the header is row 1)."""

    number: int
    cells: tuple[str, ...]
    columns: Mapping[str, int] = field(repr=False)

    @property
    def values(self) -> dict[str, str]:
        """The row's values by column key (lower case); an empty cell is ""."""
        return {name: self.get(name) for name in self.columns}

    def get(self, column: str) -> str:
        """The stripped value of a column ("" when the cell or the column is missing)."""
        index = self.columns.get(column_key(column))
        if index is None or index >= len(self.cells):
            return ""
        return self.cells[index]


@dataclass
class Table:
    """A header and data rows; `name` names the source in messages (the file name)."""

    name: str
    header: list[str]
    rows: list[Row]
    columns: dict[str, int] = field(default_factory=dict, repr=False)

    def __post_init__(self) -> None:
        if not self.columns:
            self.columns = _column_index(self.name, self.header)

    def has(self, column: str) -> bool:
        return column_key(column) in self.columns

    def getter(self, column: str) -> Callable[[Row], str]:
        """A fast reader of one column for every row ("" when the table lacks the column)."""
        index = self.columns.get(column_key(column))
        if index is None:
            return lambda row: ""
        return lambda row: row.cells[index] if index < len(row.cells) else ""

    def require(self, *columns: str | tuple[str, ...]) -> None:
        """Raise one problem per missing column; a tuple means "one of these"."""
        problems = []
        for wanted in columns:
            options = wanted if isinstance(wanted, tuple) else (wanted,)
            if not any(self.has(c) for c in options):
                names = " or ".join(repr(c) for c in options)
                problems.append(f"{self.name}: missing column {names}")
        if problems:
            raise InputProblems(problems)

    @classmethod
    def from_dicts(cls, name: str, dicts: Iterable[Mapping[str, Any]]) -> Table:
        """A table built in memory (the demo generator feeds its rows through the importers)."""
        records = list(dicts)
        header: list[str] = []
        seen: set[str] = set()
        for record in records:
            for key in record:
                if column_key(key) not in seen:
                    seen.add(column_key(key))
                    header.append(str(key).strip())
        columns = _column_index(name, header)
        rows = []
        for number, record in enumerate(records, start=2):
            by_key = {column_key(k): v for k, v in record.items()}
            cells = tuple(cell_text(by_key.get(column_key(h))) for h in header)
            rows.append(Row(number, cells, columns))
        return cls(name=name, header=header, rows=rows, columns=columns)


def _column_index(name: str, header: Sequence[str]) -> dict[str, int]:
    columns: dict[str, int] = {}
    problems = []
    for index, title in enumerate(header):
        key = column_key(title)
        if not key:
            continue
        if key in columns:
            problems.append(f"{name}: column {title.strip()!r} appears twice")
        columns[key] = index
    if problems:
        raise InputProblems(problems)
    return columns


def read_table(path: Path) -> Table:
    """Read the first sheet of an .xlsx file, or a UTF-8 .csv file (`,` or `;` separated)."""
    name = path.name
    suffix = path.suffix.lower()
    if suffix not in (".csv", ".xlsx"):
        raise InputProblems(
            [f"{name}: unknown file type {path.suffix or '(none)'!r}: use .csv or .xlsx"]
        )
    if not path.is_file():
        raise InputProblems([f"{name}: cannot read: no such file {str(path)!r}"])
    problems: list[str] = []
    try:
        if suffix == ".csv":
            records = list(_csv_records(path))
        else:
            records = list(_xlsx_records(path, problems))
    except UnicodeDecodeError:
        raise InputProblems(
            [f"{name}: cannot read: the file is not UTF-8 text (save it as CSV UTF-8)"]
        ) from None
    except (OSError, csv.Error, zipfile.BadZipFile, KeyError, ValueError) as exc:
        raise InputProblems([f"{name}: cannot read: {exc}"]) from None
    if problems:
        raise InputProblems(problems)
    return _table(name, records)


def _table(name: str, records: list[tuple[str, ...]]) -> Table:
    header_at = next((i for i, r in enumerate(records) if any(r)), None)
    if header_at is None:
        raise InputProblems([f"{name}: the file is empty (expected a header row)"])
    if header_at > 0:
        raise InputProblems([f"{name}: row 1 must be the header row, but it is empty"])
    header = [h.strip() for h in records[0]]
    columns = _column_index(name, header)
    rows = [
        Row(number, cells, columns)
        for number, cells in enumerate(records[1:], start=2)
        if any(cells)
    ]
    return Table(name=name, header=header, rows=rows, columns=columns)


class _Sharer:
    """Reuses equal strings per column while a column has few distinct values."""

    def __init__(self) -> None:
        self._pools: list[dict[str, str] | None] = []

    def __call__(self, cells: Iterable[str]) -> tuple[str, ...]:
        out = []
        for index, text in enumerate(cells):
            if index >= len(self._pools):
                self._pools.append({})
            pool = self._pools[index]
            if pool is not None:
                text = pool.setdefault(text, text)
                if len(pool) > _SHARE_LIMIT:
                    self._pools[index] = None
            out.append(text)
        return tuple(out)


def _csv_records(path: Path) -> Iterator[tuple[str, ...]]:
    with path.open(encoding="utf-8-sig", newline="") as handle:
        first = handle.readline()
        handle.seek(0)  # resets the decoder, which skips a BOM again
        delimiter = ";" if first.count(";") > first.count(",") else ","
        share = _Sharer()
        for record in csv.reader(handle, delimiter=delimiter):
            yield share(cell.strip() for cell in record)


def _xlsx_records(path: Path, problems: list[str]) -> Iterator[tuple[str, ...]]:
    from openpyxl import load_workbook

    workbook = load_workbook(path, read_only=True, data_only=True)
    try:
        if not workbook.worksheets:
            return
        share = _Sharer()
        header: tuple[str, ...] = ()
        for number, values in enumerate(workbook.worksheets[0].iter_rows(values_only=True), 1):
            cells = share(cell_text(v) for v in values)
            header = header or cells
            for index, value in enumerate(values):
                if isinstance(value, float) and value.is_integer() and abs(value) >= _EXACT:
                    column = header[index] if index < len(header) else f"#{index + 1}"
                    problems.append(
                        f"{path.name}: row {number}, column {column}: the number {cells[index]} "
                        "has more digits than a spreadsheet number keeps (15), so its last "
                        "digits are lost: store the column as text and type it again"
                    )
            yield cells
    finally:
        workbook.close()
