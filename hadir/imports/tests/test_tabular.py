"""hadir.core.tabular: CSV and XLSX read as the strings a person typed."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from pathlib import Path

import pytest

from hadir.core.errors import InputProblems
from hadir.core.tabular import Table, cell_text, read_table


def test_it_reads_csv_with_a_bom_and_semicolons(tmp_path: Path) -> None:
    path = tmp_path / "units.csv"
    path.write_bytes('\ufeff Id ;NamaUnor;Extra\nA; Dinas A ;x\n\n;;\nB;"Dinas; B"\n'.encode())
    table = read_table(path)
    assert table.name == "units.csv"
    assert table.header == ["Id", "NamaUnor", "Extra"]
    assert [r.number for r in table.rows] == [2, 5]
    assert table.rows[0].values == {"id": "A", "namaunor": "Dinas A", "extra": "x"}
    assert table.rows[1].get("NAMAUNOR") == "Dinas; B" and table.rows[1].get("extra") == ""


def test_it_reads_comma_separated_utf8_without_a_bom(tmp_path: Path) -> None:
    path = tmp_path / "e.csv"
    path.write_text("nip,nama\n198503152010012002,Ani Lestari; S.E.\n", encoding="utf-8")
    table = read_table(path)
    assert table.rows[0].get("Nama") == "Ani Lestari; S.E."
    assert table.has(" NIP ") and not table.has("email")


def test_it_reads_xlsx_cells_as_typed(write_xlsx) -> None:  # type: ignore[no-untyped-def]
    path = write_xlsx(
        "e.xlsx",
        ["nip", "tppBase", "date", "timestamp", "lat", "empty"],
        [
            [
                198503152010012002,
                5000000.0,
                date(2026, 1, 5),
                datetime(2026, 1, 5, 7, 42),
                -0.5025,
                None,
            ]
        ],
    )
    row = read_table(path).rows[0]
    assert row.values == {
        "nip": "198503152010012002",
        "tppbase": "5000000",
        "date": "2026-01-05",
        "timestamp": "2026-01-05 07:42:00",
        "lat": "-0.5025",
        "empty": "",
    }


def test_it_refuses_long_numbers_that_lost_digits(write_xlsx) -> None:  # type: ignore[no-untyped-def]
    path = write_xlsx("e.xlsx", ["nama", "nip"], [["Ani", 198503152010012002]], exact_ints=False)
    with pytest.raises(InputProblems) as caught:
        read_table(path)
    assert caught.value.problems == [
        "e.xlsx: row 2, column nip: the number 198503152010012000 has more digits than a "
        "spreadsheet number keeps (15), so its last digits are lost: store the column as text "
        "and type it again"
    ]


@pytest.mark.parametrize(
    ("value", "text"),
    [
        (1.97501012000031e17, "197501012000031000"),
        (1e-05, "0.00001"),
        (8.0, "8"),
        (Decimal("5000000.00"), "5000000"),
        (True, "TRUE"),
        ("  x ", "x"),
        (None, ""),
    ],
)
def test_it_writes_cells_without_exponents(value: object, text: str) -> None:
    assert cell_text(value) == text


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("e.txt", b"nip\n", "e.txt: unknown file type '.txt': use .csv or .xlsx"),
        ("e.csv", b"", "e.csv: the file is empty (expected a header row)"),
        ("e.csv", b"\n\nnip\n", "e.csv: row 1 must be the header row, but it is empty"),
        ("e.csv", "nip\n\u00e9".encode("latin-1"), "e.csv: cannot read: the file is not UTF-8"),
        ("e.xlsx", b"not a zip", "e.xlsx: cannot read: "),
        ("e.csv", b"nip,NIP\n1,2\n", "e.csv: column 'NIP' appears twice"),
    ],
)
def test_it_refuses_files_it_cannot_read(
    tmp_path: Path, name: str, content: bytes, message: str
) -> None:
    path = tmp_path / name
    path.write_bytes(content)
    with pytest.raises(InputProblems) as caught:
        read_table(path)
    assert len(caught.value.problems) == 1
    assert caught.value.problems[0].startswith(message)


def test_it_says_when_the_file_is_missing(tmp_path: Path) -> None:
    with pytest.raises(InputProblems, match=r"nope\.csv: cannot read: no such file"):
        read_table(tmp_path / "nope.csv")


def test_it_names_each_missing_column_once() -> None:
    table = Table.from_dicts("e.csv", [{"Nama": "Ani"}])
    with pytest.raises(InputProblems) as caught:
        table.require(("nip", "id"), "nama", "unorId")
    assert caught.value.problems == [
        "e.csv: missing column 'nip' or 'id'",
        "e.csv: missing column 'unorId'",
    ]


def test_it_builds_a_table_from_dicts() -> None:
    table = Table.from_dicts(
        "demo", [{"nip": 198503152010012002, "date": date(2026, 1, 5)}, {"nip": "x", "extra": 1.5}]
    )
    assert table.header == ["nip", "date", "extra"]
    assert [r.number for r in table.rows] == [2, 3]
    assert table.rows[0].values == {"nip": "198503152010012002", "date": "2026-01-05", "extra": ""}
    assert table.getter("EXTRA")(table.rows[1]) == "1.5"
    assert table.getter("missing")(table.rows[1]) == ""
