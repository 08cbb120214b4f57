"""The demo's employees: who works where, with valid NIPs, names, positions and habits.

Pure: no ORM, no clock; the same count and random generator give the same people.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from enum import StrEnum
from random import Random

from hadir.demo import data
from hadir.demo.data import UnitKind, UnitSpec


class Role(StrEnum):
    HEAD = "head"
    NURSE = "nurse"
    TEACHER = "teacher"
    STAFF = "staff"


class Profile(StrEnum):
    """How an employee behaves day to day (see history.BEHAVIOUR)."""

    DILIGENT = "diligent"  # never late, never misses a checkpoint
    PUNCTUAL = "punctual"  # on time, forgets a break checkpoint now and then
    LATE = "late"  # chronically late
    EARLY = "early"  # often leaves early
    SLOPPY = "sloppy"  # misses checkpoints and whole days


HEAD_PROFILES = ((Profile.DILIGENT, 50), (Profile.PUNCTUAL, 45), (Profile.LATE, 5))
STAFF_PROFILES = (
    (Profile.DILIGENT, 30),
    (Profile.PUNCTUAL, 50),
    (Profile.LATE, 10),
    (Profile.EARLY, 5),
    (Profile.SLOPPY, 5),
)
SHARE_PNS, SHARE_PPPK = 0.70, 0.15


@dataclass(frozen=True)
class Person:
    key: str  # the NIP, or "NONASN-0001" for contract staff
    nip: str | None
    kind: str  # PNS | PPPK | NONASN
    name: str
    female: bool
    unit: UnitSpec
    role: Role
    title: str  # jabatan
    kelas: int
    tpp_base: int
    phone: str
    email: str
    schedule: str
    pin: str
    profile: Profile
    site: tuple[float, float]
    source: str  # how this person's events arrive: mobile app or fingerprint machine

    @property
    def ident(self) -> dict[str, str]:
        """The `nip`/`id` columns naming this person in event and absence files."""
        return {"nip": self.nip or "", "id": "" if self.nip else self.key}


UNITS_BY_KEY = data.UNITS_BY_KEY


def unit_site(unit: UnitSpec) -> tuple[float, float]:
    """The unit's own site, else the nearest ancestor's."""
    current: UnitSpec | None = unit
    while current is not None:
        if current.site is not None:
            return current.site
        current = UNITS_BY_KEY.get(current.parent)
    return data.SANGATTA


def in_hospital(unit: UnitSpec) -> bool:
    return unit.kind == UnitKind.HOSPITAL


def head_order() -> list[UnitSpec]:
    """Units in the order they get a head when there are too few employees for all: the
    Dinas Kesehatan first (the demo's atasan login), the other OPDs, then UPTs, then the rest."""
    units = list(data.UNITS)
    opds = [u for u in units if u.kind == UnitKind.OPD]
    opds.sort(key=lambda u: u.key != data.HEALTH_OPD)
    upts = [u for u in units if u.kind in (UnitKind.SCHOOL, UnitKind.PUSKESMAS) or u.key == "RSUD"]
    rest = [u for u in units if u not in opds and u not in upts]
    return opds + upts + rest


def apportion(total: int, weights: Sequence[int]) -> list[int]:
    """Split `total` by `weights` (largest remainder; ties to the earlier weight)."""
    whole = sum(weights)
    if total <= 0 or whole <= 0:
        return [0] * len(weights)
    exact = [total * w / whole for w in weights]
    counts = [int(x) for x in exact]
    order = sorted(range(len(weights)), key=lambda i: (-(exact[i] - counts[i]), i))
    for i in order[: total - sum(counts)]:
        counts[i] += 1
    return counts


@dataclass(frozen=True)
class _Slot:
    unit: UnitSpec
    role: Role


def _slots(count: int) -> list[_Slot]:
    """Where each of `count` employees works and in which role."""
    heads = [_Slot(u, Role.HEAD) for u in head_order()[: min(count, max(12, count // 5))]]
    staff = count - len(heads)
    nurses = min(staff, max(4, round(staff * 0.10)))
    teachers = min(staff - nurses, max(3, round(staff * 0.10)))
    others = staff - nurses - teachers
    slots = heads + [_Slot(UNITS_BY_KEY[data.NURSE_UNIT], Role.NURSE)] * nurses
    schools = [u for u in data.UNITS if u.kind == UnitKind.SCHOOL]
    slots += [_Slot(schools[i % len(schools)], Role.TEACHER) for i in range(teachers)]
    weighted = [u for u in data.UNITS if u.weight]
    for unit, n in zip(weighted, apportion(others, [u.weight for u in weighted]), strict=True):
        slots += [_Slot(unit, Role.STAFF)] * n
    return slots


def _kinds(slots: list[_Slot], rng: Random) -> list[str]:
    """PNS for every head; about 70% PNS, 15% PPPK and 15% contract staff overall."""
    count = len(slots)
    heads = sum(1 for s in slots if s.role == Role.HEAD)
    pns = max(0, round(count * SHARE_PNS) - heads)
    pppk = min(count - heads - pns, round(count * SHARE_PPPK))
    pool = ["PNS"] * pns + ["PPPK"] * pppk
    pool += ["NONASN"] * (count - heads - len(pool))
    rng.shuffle(pool)
    it = iter(pool)
    return ["PNS" if s.role == Role.HEAD else next(it) for s in slots]


def _birth(rng: Random, first_year: int, last_year: int) -> date:
    return date(rng.randint(first_year, last_year), rng.randint(1, 12), rng.randint(1, 28))


def make_nip(rng: Random, *, kind: str, female: bool, head: bool, taken: set[str]) -> str:
    """A NIP (PNS) or NI PPPK that passes `hadir.org.rules.validate_nip`, not in `taken`."""
    while True:
        if kind == "PNS":
            born = _birth(rng, 1966, 1978) if head else _birth(rng, 1970, 1999)
            tmt_year = min(2024, born.year + rng.randint(23, 32))
            middle = f"{tmt_year}{rng.choice((1, 2, 3, 4, 12)):02d}"
        else:  # NI PPPK: appointment year, then 21
            born = _birth(rng, 1975, 2000)
            middle = f"{rng.randint(max(2021, born.year + 21), 2025)}21"
        nip = f"{born:%Y%m%d}{middle}{2 if female else 1}{rng.randint(1, 999):03d}"
        if nip not in taken:
            taken.add(nip)
            return nip


def _position(slot: _Slot, kind: str, rng: Random) -> tuple[str, int]:
    if slot.role == Role.HEAD:
        return slot.unit.head
    if slot.role == Role.NURSE:
        return data.NONASN_NURSE if kind == "NONASN" else rng.choice(data.NURSE_POSITIONS)
    if slot.role == Role.TEACHER:
        return data.NONASN_TEACHER if kind == "NONASN" else rng.choice(data.TEACHER_POSITIONS)
    if kind == "NONASN":
        return rng.choice(data.NONASN_POSITIONS)
    prefix = next(p for p in data.POSITIONS if slot.unit.key.startswith(p))
    return rng.choice(data.POSITIONS[prefix])


def _name(rng: Random, *, female: bool, slot: _Slot, kind: str, title: str, kelas: int) -> str:
    first = rng.choice(data.FEMALE_NAMES if female else data.MALE_NAMES)
    name = f"{first} {rng.choice(data.FAMILY_NAMES)}" if rng.random() < 0.75 else first
    if slot.role == Role.HEAD and first not in data.CHRISTIAN_NAMES and rng.random() < 0.3:
        name = ("Hj. " if female else "H. ") + name
    if title.startswith(("Dokter", "Direktur RSUD")):
        name = "dr. " + name
    if kind == "NONASN" and kelas < 3:
        return name
    if slot.role == Role.NURSE:
        degree = rng.choice(data.NURSE_DEGREES)
    elif slot.role == Role.TEACHER or (
        slot.role == Role.HEAD and slot.unit.kind == UnitKind.SCHOOL
    ):
        degree = rng.choice(data.TEACHER_DEGREES)
    elif title.startswith("Dokter"):
        degree = ""
    elif title.startswith("Direktur RSUD"):
        degree = "M.Kes."
    elif kelas >= 7 or slot.role == Role.HEAD:
        degree = rng.choice(data.DEGREES)
        if slot.role == Role.HEAD and kelas >= 12:
            degree += ", " + rng.choice(data.HEAD_DEGREES)
    else:
        degree = "A.Md." if kelas >= 6 else ""
    return f"{name}, {degree}" if degree else name


def _email(name: str, taken: set[str]) -> str:
    words = [w for w in re.sub(r"[^a-z ]", "", name.split(",")[0].lower()).split() if len(w) > 2]
    local = ".".join(words[-2:]) or "pegawai"
    candidate, n = local, 1
    while candidate in taken:
        n += 1
        candidate = f"{local}{n}"
    taken.add(candidate)
    return f"{candidate}@{data.EMAIL_DOMAIN}"


def _schedule(slot: _Slot) -> str:
    if slot.role == Role.NURSE:
        return "rs_roster"
    if slot.unit.kind == UnitKind.SCHOOL:
        return "guru"
    return "5hk"


def people_generate(*, count: int, rng: Random) -> list[Person]:
    """`count` employees of the demo region: a head for as many units as the count allows
    (every OPD from 12 employees on), nurses on the RSUD roster, teachers, and staff."""
    slots = _slots(count)
    kinds = _kinds(slots, rng)
    profiles_of = {
        Role.HEAD: HEAD_PROFILES,
        Role.NURSE: STAFF_PROFILES,
        Role.TEACHER: STAFF_PROFILES,
        Role.STAFF: STAFF_PROFILES,
    }
    nips: set[str] = set()
    emails: set[str] = set()
    people: list[Person] = []
    contract = 0
    for index, (slot, kind) in enumerate(zip(slots, kinds, strict=True), start=1):
        female = rng.random() < (0.8 if slot.role == Role.NURSE else 0.45)
        nip = None
        if kind == "NONASN":
            contract += 1
            key = f"NONASN-{contract:04d}"
        else:
            nip = key = make_nip(
                rng, kind=kind, female=female, head=slot.role == Role.HEAD, taken=nips
            )
        title, kelas = _position(slot, kind, rng)
        name = _name(rng, female=female, slot=slot, kind=kind, title=title, kelas=kelas)
        profiles, weights = zip(*profiles_of[slot.role], strict=True)
        phone = rng.choice(data.PHONE_PREFIXES) + f"{rng.randint(0, 99_999_999):08d}"
        people.append(
            Person(
                key=key,
                nip=nip,
                kind=kind,
                name=name,
                female=female,
                unit=slot.unit,
                role=slot.role,
                title=title,
                kelas=kelas,
                tpp_base=data.tpp_base(kelas),
                phone=phone,
                email="" if kind == "NONASN" else _email(name, emails),
                schedule=_schedule(slot),
                pin=str(10_000 + index),
                profile=rng.choices(profiles, weights)[0],
                site=unit_site(slot.unit),
                source="machine" if in_hospital(slot.unit) else "mobile",
            )
        )
    return people
