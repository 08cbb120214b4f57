"""NIP validation of PNS, PPPK and contract staff (RULEBOOK.md section 1). No database."""

from __future__ import annotations

from datetime import date

import pytest

from hadir.org.rules import EmployeeKind, NipError, ParsedNip, validate_nip

PNS, PPPK, NONASN = EmployeeKind.PNS, EmployeeKind.PPPK, EmployeeKind.NONASN
DIGITS_ONLY = "NIP must contain only digits 0-9, got"
NO_NIP = "contract staff (NONASN) have no NIP, got"


@pytest.mark.parametrize(
    ("nip", "birth", "tmt", "gender"),
    [
        ("198503152010011002", date(1985, 3, 15), (2010, 1), 1),
        ("199002282019032001", date(1990, 2, 28), (2019, 3), 2),
        ("200002292024121999", date(2000, 2, 29), (2024, 12), 1),  # a leap day
        ("190001011900011001", date(1900, 1, 1), (1900, 1), 1),  # TMT in the birth month
        ("209912312099122001", date(2099, 12, 31), (2099, 12), 2),
        ("198503152010011000", date(1985, 3, 15), (2010, 1), 1),  # serial unchecked
    ],
)
def test_it_parses_a_valid_pns_nip(
    nip: str, birth: date, tmt: tuple[int, int], gender: int
) -> None:
    assert validate_nip(nip, PNS) == ParsedNip(nip, PNS, birth, gender, tmt=tmt)


@pytest.mark.parametrize(
    ("nip", "birth", "year", "gender"),
    [
        ("198503152021011002", date(1985, 3, 15), 2021, 1),
        ("199212312022992001", date(1992, 12, 31), 2022, 2),  # digits 13-14 unchecked
        ("199212312022002001", date(1992, 12, 31), 2022, 2),
        ("199206011992131001", date(1992, 6, 1), 1992, 1),  # appointed in the birth year
    ],
)
def test_it_parses_a_valid_pppk_nip(nip: str, birth: date, year: int, gender: int) -> None:
    assert validate_nip(nip, PPPK) == ParsedNip(nip, PPPK, birth, gender, appointment_year=year)


@pytest.mark.parametrize("kind", ["PNS", "PPPK", "NONASN"])
def test_it_accepts_the_kind_as_a_plain_string(kind: str) -> None:
    nip = "" if kind == "NONASN" else "198503152010011002"
    parsed = validate_nip(nip, kind)
    assert (parsed.kind if parsed else None) == (None if kind == "NONASN" else EmployeeKind(kind))


def test_it_accepts_contract_staff_without_a_nip() -> None:
    assert validate_nip("", NONASN) is None


@pytest.mark.parametrize(
    ("nip", "kind", "message"),
    [
        ("19850315201001100", PNS, "NIP must be 18 digits, got 17"),
        ("1985031520100110021", PNS, "NIP must be 18 digits, got 19"),
        ("", PNS, "NIP must be 18 digits, got 0"),
        ("", PPPK, "NIP must be 18 digits, got 0"),
        ("19850315 201001 1 002", PNS, f"{DIGITS_ONLY} '19850315 201001 1 002'"),
        ("19850315201001100a", PNS, f"{DIGITS_ONLY} '19850315201001100a'"),
        ("١٩٨٥٠٣١٥٢٠١٠٠١١٠٠٢", PNS, f"{DIGITS_ONLY} '١٩٨٥٠٣١٥٢٠١٠٠١١٠٠٢'"),  # Arabic-Indic digits
        ("19850315201001100²", PPPK, f"{DIGITS_ONLY} '19850315201001100²'"),
        ("199013322015011001", PNS, "NIP birth date 19901332 is not a real date"),
        ("199002302015011001", PNS, "NIP birth date 19900230 is not a real date"),
        ("190002292015011001", PNS, "NIP birth date 19000229 is not a real date"),
        ("199000152015011001", PPPK, "NIP birth date 19900015 is not a real date"),
        ("189912312015011001", PNS, "NIP birth year 1899 must be between 1900 and 2099"),
        ("210001012015011001", PPPK, "NIP birth year 2100 must be between 1900 and 2099"),
        ("198503152010131002", PNS, "NIP TMT 201013 is not a real month"),
        ("198503152010001002", PNS, "NIP TMT 201000 is not a real month"),
        ("198503151899121002", PNS, "NIP TMT 189912 is not a real month"),
        ("198503151985021002", PNS, "NIP TMT 198502 is before the birth month 198503"),
        ("198503152010013002", PNS, "NIP gender digit must be 1 or 2, got 3"),
        ("198503152010010002", PNS, "NIP gender digit must be 1 or 2, got 0"),
        ("198503152021019002", PPPK, "NIP gender digit must be 1 or 2, got 9"),
        ("198503151899011002", PPPK, "NIP appointment year 1899 must be between 1900 and 2099"),
        ("198503151984011002", PPPK, "NIP appointment year 1984 is before the birth year 1985"),
        ("198503152010011002", NONASN, f"{NO_NIP} '198503152010011002'"),
        (" ", NONASN, f"{NO_NIP} ' '"),
    ],
)  # fmt: skip
def test_it_refuses_a_malformed_nip(nip: str, kind: EmployeeKind, message: str) -> None:
    with pytest.raises(NipError) as caught:
        validate_nip(nip, kind)
    assert str(caught.value) == message
    assert isinstance(caught.value, ValueError)


def test_it_refuses_an_unknown_employee_kind() -> None:
    with pytest.raises(ValueError, match="'PNSX' is not a valid EmployeeKind"):
        validate_nip("198503152010011002", "PNSX")
