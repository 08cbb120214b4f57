"""NIP validation (RULEBOOK.md section 1): pure, no ORM, no clock.

PNS NIP (18 digits): YYYYMMDD birth date, YYYYMM TMT CPNS, gender digit (1 male, 2 female), serial.
NI PPPK (18 digits): YYYYMMDD birth date, YYYY appointment year, 2 digits, gender digit, serial.
Contract staff (non-ASN) have no NIP.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from enum import StrEnum

NIP_LENGTH = 18
MIN_YEAR, MAX_YEAR = 1900, 2099
_DIGITS = re.compile(r"[0-9]*")


class NipError(ValueError):
    """A malformed NIP; the message says what is wrong."""


class EmployeeKind(StrEnum):
    PNS = "PNS"
    PPPK = "PPPK"
    NONASN = "NONASN"


@dataclass(frozen=True, slots=True)
class ParsedNip:
    nip: str
    kind: EmployeeKind
    birth_date: date
    gender: int  # 1 male, 2 female
    tmt: tuple[int, int] | None = None  # PNS: (year, month) of TMT CPNS
    appointment_year: int | None = None  # PPPK


def _birth_date(nip: str) -> date:
    year, month, day = int(nip[0:4]), int(nip[4:6]), int(nip[6:8])
    if not MIN_YEAR <= year <= MAX_YEAR:
        raise NipError(f"NIP birth year {nip[0:4]} must be between {MIN_YEAR} and {MAX_YEAR}")
    try:
        return date(year, month, day)
    except ValueError:
        raise NipError(f"NIP birth date {nip[0:8]} is not a real date") from None


def _gender(nip: str) -> int:
    if nip[14] not in "12":
        raise NipError(f"NIP gender digit must be 1 or 2, got {nip[14]}")
    return int(nip[14])


def _pns(nip: str) -> ParsedNip:
    birth = _birth_date(nip)
    year, month = int(nip[8:12]), int(nip[12:14])
    if not MIN_YEAR <= year <= MAX_YEAR or not 1 <= month <= 12:
        raise NipError(f"NIP TMT {nip[8:14]} is not a real month")
    if (year, month) < (birth.year, birth.month):
        raise NipError(f"NIP TMT {nip[8:14]} is before the birth month {nip[0:6]}")
    return ParsedNip(nip, EmployeeKind.PNS, birth, _gender(nip), tmt=(year, month))


def _pppk(nip: str) -> ParsedNip:
    birth = _birth_date(nip)
    year = int(nip[8:12])
    if not MIN_YEAR <= year <= MAX_YEAR:
        raise NipError(
            f"NIP appointment year {nip[8:12]} must be between {MIN_YEAR} and {MAX_YEAR}"
        )
    if year < birth.year:
        raise NipError(f"NIP appointment year {nip[8:12]} is before the birth year {nip[0:4]}")
    return ParsedNip(nip, EmployeeKind.PPPK, birth, _gender(nip), appointment_year=year)


def validate_nip(nip: str, kind: EmployeeKind | str) -> ParsedNip | None:
    """Validate `nip` for an employee of `kind`; return its parts, or None for contract staff.

    Raise `NipError` with a specific message when the NIP is malformed.
    """
    kind = EmployeeKind(kind)
    if kind == EmployeeKind.NONASN:
        if nip:
            raise NipError(f"contract staff (NONASN) have no NIP, got {nip!r}")
        return None
    if not _DIGITS.fullmatch(nip):
        raise NipError(f"NIP must contain only digits 0-9, got {nip!r}")
    if len(nip) != NIP_LENGTH:
        raise NipError(f"NIP must be {NIP_LENGTH} digits, got {len(nip)}")
    return _pns(nip) if kind == EmployeeKind.PNS else _pppk(nip)
