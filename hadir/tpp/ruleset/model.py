"""The values of a region's rule set (CONTRACT.md section 4), frozen and hashable.

Pure: no ORM, no settings, no clock. Every percentage is a `Decimal`; times of day are whole minutes
after local midnight of the day a schedule applies to, and may pass 24:00 ("31:00" is 07:00 the next
morning) so that night shifts crossing midnight can be written, as in GTFS timetables.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from enum import StrEnum
from types import MappingProxyType
from zoneinfo import ZoneInfo

from hadir.tpp.ruleset.biometrics import (
    DEFAULT_BIOMETRICS,
    DEFAULT_INTEGRITY,
    BiometricRules,
    IntegrityRules,
)
from hadir.tpp.ruleset.checkin import DEFAULT_CHECKIN, CheckinRules
from hadir.tpp.ruleset.discipline import DEFAULT_DISCIPLINE, DisciplineRules
from hadir.tpp.ruleset.verification import DEFAULT_VERIFICATION, VerificationRules

WEEKDAYS: tuple[str, ...] = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
RAMADAN = "ramadan"
ABSENCE_TYPES: tuple[str, ...] = (
    "cuti_tahunan",
    "cuti_sakit",
    "cuti_besar",
    "cuti_melahirkan",
    "cuti_alasan_penting",
    "cltn",
    "izin",
    "sakit",
    "dinas_luar",
    "perjalanan_dinas",
    "tugas_belajar",
)


class RuleSetError(Exception):
    """A rule set that cannot be used; `problems` lists every problem as "path: message"."""

    def __init__(self, problems: list[str]) -> None:
        self.problems = list(problems)
        super().__init__("invalid rule set:\n" + "\n".join(f"  {p}" for p in self.problems))


class CheckpointKind(StrEnum):
    IN = "in"
    OUT = "out"
    MARK = "mark"
    APEL = "apel"


@dataclass(frozen=True, slots=True)
class Tier:
    up_to: int | None
    pct: Decimal


@dataclass(frozen=True, slots=True)
class TierTable:
    tiers: tuple[Tier, ...]
    missing_pct: Decimal

    def tier_of(self, minutes: int) -> int | None:
        """1-based tier index for `minutes` late/early; None when not late/early at all."""
        if minutes <= 0:
            return None
        for index, tier in enumerate(self.tiers, start=1):
            if tier.up_to is None or minutes <= tier.up_to:
                return index
        return len(self.tiers)

    def pct_of_tier(self, index: int) -> Decimal:
        if not 1 <= index <= len(self.tiers):
            raise ValueError(f"tier {index} out of range 1..{len(self.tiers)}")
        return self.tiers[index - 1].pct


@dataclass(frozen=True, slots=True)
class Band:
    up_to_days: int | None
    pct: Decimal


@dataclass(frozen=True, slots=True)
class AbsenceRule:
    counts_as_present: bool = False
    per_day_pct: Decimal | None = None
    bands: tuple[Band, ...] = ()

    def band_pct(self, days: int) -> Decimal:
        """The monthly percentage for `days` working days of this absence type in a month."""
        if days <= 0 or not self.bands:
            return Decimal(0)
        for band in self.bands:
            if band.up_to_days is None or days <= band.up_to_days:
                return band.pct
        return self.bands[-1].pct


@dataclass(frozen=True, slots=True)
class Checkpoint:
    code: str
    kind: CheckpointKind
    opens: int
    due: int | None
    closes: int
    days: frozenset[int] | None = None  # weekday numbers, 0 = mon; None = every working day

    def __post_init__(self) -> None:
        if not 0 <= self.opens <= self.closes:
            raise ValueError(f"checkpoint {self.code}: opens must lie in [0, closes]")
        if self.kind in (CheckpointKind.IN, CheckpointKind.OUT) and (
            self.due is None or not self.opens <= self.due <= self.closes
        ):
            raise ValueError(
                f"checkpoint {self.code}: kind {self.kind} needs opens <= due <= closes"
            )


@dataclass(frozen=True, slots=True)
class Override:
    when: tuple[str, ...]
    checkpoints: tuple[Checkpoint, ...]

    def matches(self, day: date, *, ramadan: bool) -> bool:
        return all(_condition_holds(c, day, ramadan=ramadan) for c in self.when)

    def rank(self) -> tuple[bool, int, bool]:
        """Specificity: a date beats no date, then more conditions, then "ramadan"."""
        has_date = any(c not in WEEKDAYS and c != RAMADAN for c in self.when)
        return (has_date, len(self.when), RAMADAN in self.when)


def _condition_holds(condition: str, day: date, *, ramadan: bool) -> bool:
    if condition == RAMADAN:
        return ramadan
    if condition in WEEKDAYS:
        return WEEKDAYS.index(condition) == day.weekday()
    return date.fromisoformat(condition) == day


@dataclass(frozen=True, slots=True)
class Schedule:
    code: str
    workdays: frozenset[int]
    checkpoints: tuple[Checkpoint, ...]
    overrides: tuple[Override, ...] = ()
    works_holidays: bool = False
    rostered: bool = False

    def checkpoints_for(self, day: date, *, ramadan: bool) -> tuple[Checkpoint, ...]:
        """The checkpoints of `day`: those of the most specific matching override, else the base.

        Ties go to the override written later in the file. `days` filters are not applied here.
        """
        best: tuple[tuple[bool, int, bool, int], Override] | None = None
        for index, override in enumerate(self.overrides):
            if override.matches(day, ramadan=ramadan):
                key = (*override.rank(), index)
                if best is None or key > best[0]:
                    best = (key, override)
        return self.checkpoints if best is None else best[1].checkpoints


@dataclass(frozen=True, slots=True)
class TppRules:
    cap_pct: Decimal
    manipulation_zero: bool
    absent_day_pct: Decimal
    missed_checkpoint_pct: Decimal
    apel_missed_pct: Decimal
    late: TierTable
    early: TierTable
    absences: Mapping[str, AbsenceRule] = field(
        default_factory=lambda: MappingProxyType({}), hash=False
    )


@dataclass(frozen=True, slots=True)
class RegionInfo:
    code: str
    name: str
    timezone: str
    effective_from: date | None = None

    @property
    def tz(self) -> ZoneInfo:
        return ZoneInfo(self.timezone)


@dataclass(frozen=True, slots=True)
class RuleSet:
    region: RegionInfo
    tpp: TppRules
    schedules: tuple[Schedule, ...]
    discipline: DisciplineRules = DEFAULT_DISCIPLINE
    checkin: CheckinRules = DEFAULT_CHECKIN
    verification: VerificationRules = DEFAULT_VERIFICATION
    biometrics: BiometricRules = DEFAULT_BIOMETRICS
    integrity: IntegrityRules = DEFAULT_INTEGRITY

    def schedule(self, code: str) -> Schedule:
        for schedule in self.schedules:
            if schedule.code == code:
                return schedule
        known = ", ".join(s.code for s in self.schedules)
        raise LookupError(
            f"rule set of region {self.region.code} has no schedule {code!r} (known: {known})"
        )

    @property
    def default_schedule(self) -> Schedule:
        return self.schedules[0]

    def checkpoint_codes(self) -> frozenset[str]:
        codes: set[str] = set()
        for schedule in self.schedules:
            codes.update(cp.code for cp in schedule.checkpoints)
            for override in schedule.overrides:
                codes.update(cp.code for cp in override.checkpoints)
        return frozenset(codes)
