"""The demo's history: the nurses' roster, absences and attendance events, day by day.

Pure: no ORM, no clock; the same people, rule set, end date and random generator give the same
history. Each day's checkpoints come from the demo rule set itself (`plan_day`), so the events
always fit the windows: Fridays, Ramadan, apel Mondays, holidays and night shifts.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from random import Random
from zoneinfo import ZoneInfo

from hadir.attendance.rules import DayCalendar, DayPlan, plan_day
from hadir.demo import data
from hadir.demo.people import Person, Profile, Role
from hadir.tpp.ruleset import Checkpoint, CheckpointKind, RuleSet

TZ = ZoneInfo(data.TIMEZONE)
# The nurses' rotation: two mornings, two afternoons, two nights, two days off.
ROSTER_CYCLE = (
    "shift_pagi",
    "shift_pagi",
    "shift_sore",
    "shift_sore",
    "shift_malam",
    "shift_malam",
    "",
    "",
)
ROSTER_EPOCH = date(2026, 1, 5)  # day 0 of the cycle for the first nurse
ROSTER_AHEAD_DAYS = 7  # the roster is published a week beyond the history
RATE_DAYS = 60  # absence chances below are per this many days of history
ON_TIME_SECONDS = 40 * 60  # on time: up to 40 minutes early
APEL_MARGIN = 5 * 60  # the apel is attended from 5 minutes after its window opens to 5 before
# Minutes late (TL1..TL4) or early (PSW1..PSW4) by tier, matching the demo rule set.
TIER_MINUTES = ((1, 30), (31, 60), (61, 90), (91, 150))
ROMAN = ("I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X", "XI", "XII")


@dataclass(frozen=True)
class Behaviour:
    absent: float  # chance of a working day with no event and no reason (TK)
    late: tuple[float, float, float, float, float]  # weights of on time, TL1..TL4
    early: tuple[float, float, float, float, float]  # weights of on time, PSW1..PSW4
    no_out: float  # chance of forgetting to check out
    no_mark: float  # chance of missing each break checkpoint
    apel: float  # chance of attending the Monday apel


BEHAVIOUR = {
    Profile.DILIGENT: Behaviour(0.002, (99.5, 0.5, 0, 0, 0), (99.5, 0.5, 0, 0, 0), 0, 0.004, 0.99),
    Profile.PUNCTUAL: Behaviour(0.005, (94, 5, 1, 0, 0), (97, 2.5, 0.5, 0, 0), 0.01, 0.04, 0.88),
    Profile.LATE: Behaviour(0.015, (45, 38, 11, 4, 2), (93, 5, 2, 0, 0), 0.02, 0.08, 0.55),
    Profile.EARLY: Behaviour(0.01, (90, 8, 2, 0, 0), (50, 32, 12, 4, 2), 0.04, 0.08, 0.8),
    Profile.SLOPPY: Behaviour(0.04, (70, 20, 6, 2, 2), (80, 12, 5, 2, 1), 0.06, 0.25, 0.5),
}


@dataclass(frozen=True)
class SpellKind:
    type: str
    chance: float  # per RATE_DAYS of history
    days: tuple[int, int]  # working days it lasts


SPELLS = (
    SpellKind("cuti_tahunan", 0.18, (1, 5)),
    SpellKind("sakit", 0.10, (1, 4)),
    SpellKind("dinas_luar", 0.15, (1, 2)),
    SpellKind("perjalanan_dinas", 0.10, (2, 4)),
    SpellKind("izin", 0.05, (1, 1)),
)
# Heads travel more; nurses and teachers hardly.
SPELL_FACTORS = {
    Role.HEAD: {"dinas_luar": 2.5, "perjalanan_dinas": 3.0},
    Role.NURSE: {"dinas_luar": 0.2, "perjalanan_dinas": 0.2},
    Role.TEACHER: {"dinas_luar": 0.3, "perjalanan_dinas": 0.3},
}
REJECTED_CHANCE = 0.03  # a cuti_tahunan refused: the employee came to work
PENDING_CHANCE = 0.05  # a cuti_tahunan asked for the coming weeks, not decided yet


@dataclass(frozen=True)
class Spell:
    """One absence of one employee (a row of the absences import)."""

    person: Person
    type: str
    start: date
    end: date
    status: str
    reference: str = ""


@dataclass
class History:
    start: date
    end: date
    roster: list[tuple[Person, date, str]] = field(default_factory=list)
    absences: list[Spell] = field(default_factory=list)
    events: list[dict[str, str]] = field(default_factory=list)
    absent_days: int = 0  # working days left without any record (TK)

    def absence_rows(self) -> list[dict[str, str]]:
        return [
            {
                **s.person.ident,
                "start_date": s.start.isoformat(),
                "end_date": s.end.isoformat(),
                "type": s.type,
                "status": s.status,
                "reference": s.reference,
            }
            for s in self.absences
        ]


def demo_calendar() -> dict[date, DayCalendar]:
    """The region's calendar as the day rules see it: holidays (and cuti bersama), Ramadan."""
    holidays = {h.day for h in data.HOLIDAYS_2026}
    ramadan = set(data.ramadan_days())
    return {d: DayCalendar(holiday=d in holidays, ramadan=d in ramadan) for d in holidays | ramadan}


def roster_code(nurse_index: int, day: date) -> str:
    """The shift of the n-th nurse on a day ("" off); nurses are spread over the cycle."""
    offset = (nurse_index * 2 + nurse_index // 4) % len(ROSTER_CYCLE)
    return ROSTER_CYCLE[((day - ROSTER_EPOCH).days + offset) % len(ROSTER_CYCLE)]


class _Letters:
    """Letter numbers (SPT, surat tugas, cuti, surat keterangan sakit), counted per office."""

    FORMATS = {
        "cuti_tahunan": "851/{n:03d}/{abbr}/{month}/{year}",
        "cuti_melahirkan": "851/{n:03d}/BKPSDM/{month}/{year}",
        "sakit": "445/{n:03d}/SKS/{month}/{year}",
        "dinas_luar": "090/{n:03d}/ST/{abbr}/{month}/{year}",
        "perjalanan_dinas": "094/{n:03d}/SPT/{abbr}/{month}/{year}",
    }

    def __init__(self) -> None:
        self.counts: dict[tuple[str, str], int] = defaultdict(int)

    def number(self, kind: str, person: Person, day: date) -> str:
        fmt = self.FORMATS.get(kind)
        if fmt is None:
            return ""
        self.counts[(kind, person.unit.abbr)] += 1
        n = self.counts[(kind, person.unit.abbr)]
        return fmt.format(n=n, abbr=person.unit.abbr, month=ROMAN[day.month - 1], year=day.year)


def _overlaps(taken: list[tuple[date, date]], start: date, end: date) -> bool:
    return any(start <= t_end and t_start <= end for t_start, t_end in taken)


def _place(
    rng: Random, working: list[date], length: int, taken: list[tuple[date, date]]
) -> tuple[date, date] | None:
    """A run of `length` working days that overlaps no taken span (a few tries)."""
    if len(working) < length:
        return None
    for _ in range(6):
        first = rng.randrange(len(working) - length + 1)
        start, end = working[first], working[first + length - 1]
        if not _overlaps(taken, start, end):
            return start, end
    return None


def _spells(
    rng: Random, person: Person, working: list[date], end: date, scale: float, letters: _Letters
) -> list[Spell]:
    """A person's absences: approved ones in the history, a refused one now and then, and
    leave asked for the coming weeks."""
    spells: list[Spell] = []
    taken: list[tuple[date, date]] = []
    factors = SPELL_FACTORS.get(person.role, {})
    for kind in SPELLS:
        if rng.random() >= kind.chance * scale * factors.get(kind.type, 1.0):
            continue
        span = _place(rng, working, rng.randint(*kind.days), taken)
        if span is None:
            continue
        taken.append(span)
        reference = letters.number(kind.type, person, span[0])
        spells.append(Spell(person, kind.type, span[0], span[1], "approved", reference))
    if rng.random() < REJECTED_CHANCE * scale:
        span = _place(rng, working, rng.randint(1, 3), taken)
        if span is not None:  # refused: not taken, the employee works those days
            spells.append(Spell(person, "cuti_tahunan", span[0], span[1], "rejected"))
    if rng.random() < PENDING_CHANCE * scale:
        start = end + timedelta(days=rng.randint(3, 14))
        span = (start, start + timedelta(days=rng.randint(0, 2)))
        if not _overlaps(taken, *span):
            spells.append(Spell(person, "cuti_tahunan", *span, "pending"))
    return spells


def _maternity(rng: Random, people: list[Person], end: date, letters: _Letters) -> Spell | None:
    """Three months of maternity leave for one employee, reaching into the history."""
    mothers = [p for p in people if p.female and p.role == Role.STAFF and p.kind == "PNS"]
    if len(people) < 60 or not mothers:
        return None
    mother = rng.choice(mothers)
    start = end - timedelta(days=rng.randint(15, 40))
    reference = letters.number("cuti_melahirkan", mother, start)
    return Spell(
        mother, "cuti_melahirkan", start, start + timedelta(days=89), "approved", reference
    )


def _seconds(cp: Checkpoint, seconds: int) -> int:
    """Clamp a time (seconds after the day's local midnight) into a checkpoint's window."""
    return max(cp.opens * 60, min(cp.closes * 60 + 59, seconds))


def _arrival(rng: Random, cp: Checkpoint, b: Behaviour) -> int:
    due = (cp.due or 0) * 60
    tier = rng.choices(range(5), b.late)[0]
    if tier == 0:
        return _seconds(cp, due - rng.randint(1, ON_TIME_SECONDS))
    lo, hi = TIER_MINUTES[tier - 1]
    return _seconds(cp, due + rng.randint(lo, hi) * 60 + rng.randint(0, 59))


def _departure(rng: Random, cp: Checkpoint, b: Behaviour) -> int | None:
    if rng.random() < b.no_out:
        return None
    due = (cp.due or 0) * 60
    tier = rng.choices(range(5), b.early)[0]
    if tier == 0:
        return _seconds(cp, due + rng.randint(0, 30 * 60))
    lo, hi = TIER_MINUTES[tier - 1]
    return _seconds(cp, due - rng.randint(lo, hi) * 60 - rng.randint(0, 59))


def day_times(rng: Random, plan: DayPlan, b: Behaviour) -> list[tuple[int, str]]:
    """(seconds after local midnight, checkpoint code) of one working day's events."""
    by_kind: dict[CheckpointKind, list[Checkpoint]] = defaultdict(list)
    for cp in plan.checkpoints:
        by_kind[cp.kind].append(cp)
    arrive = -1
    times: list[tuple[int, str]] = []
    for cp in by_kind[CheckpointKind.IN]:
        arrive = _arrival(rng, cp, b)
        times.append((arrive, cp.code))
    leave: int | None = None
    for cp in by_kind[CheckpointKind.OUT]:
        leave = _departure(rng, cp, b)
        if leave is not None:
            times.append((leave, cp.code))
    last = leave if leave is not None else 48 * 3600
    for cp in by_kind[CheckpointKind.MARK]:
        if rng.random() >= b.no_mark:
            at = rng.randint(cp.opens * 60, cp.closes * 60 + 59)
            if arrive < at < last:
                times.append((at, cp.code))
    for cp in by_kind[CheckpointKind.APEL]:
        lo = max(cp.opens * 60 + APEL_MARGIN, arrive + 60)
        hi = cp.closes * 60 - APEL_MARGIN
        if rng.random() < b.apel and lo <= hi:
            times.append((rng.randint(lo, hi), cp.code))
    return sorted(times)


def _event_rows(
    rng: Random, person: Person, day: date, times: list[tuple[int, str]]
) -> list[dict[str, str]]:
    midnight = datetime.combine(day, time(), tzinfo=TZ)
    rows = []
    for seconds, code in times:
        at = (midnight + timedelta(seconds=seconds)).isoformat()
        row = {**person.ident, "timestamp": at, "source": person.source}
        if person.source == "mobile":  # the app sends the chosen checkpoint and a position
            lat, lon = person.site
            row["checkpoint"] = code
            row["latitude"] = f"{lat + rng.gauss(0, 0.00025):.6f}"
            row["longitude"] = f"{lon + rng.gauss(0, 0.00025):.6f}"
        else:  # a fingerprint machine knows neither
            row["checkpoint"] = row["latitude"] = row["longitude"] = ""
        rows.append(row)
    return rows


def _truant(rng: Random, people: list[Person]) -> Person | None:
    """The one employee who stays away three working days in a row near the end (the
    escalation ladder's first step), when the demo is big enough to afford one."""
    if len(people) < 20:
        return None
    staff = [p for p in people if p.role == Role.STAFF]
    shirkers = [p for p in staff if p.profile in (Profile.SLOPPY, Profile.LATE)]
    return rng.choice(shirkers or staff) if staff else None


def history_generate(
    *, people: list[Person], rules: RuleSet, end: date, days: int, rng: Random
) -> History:
    """`days` days of history ending on `end` (inclusive) for every person."""
    start = end - timedelta(days=max(days, 0) - 1)
    history = History(start=start, end=end)
    dates = [start + timedelta(days=i) for i in range(max(days, 0))]
    calendar = demo_calendar()
    no_calendar = DayCalendar()
    scale = len(dates) / RATE_DAYS
    letters = _Letters()
    nurses = [p for p in people if p.schedule == "rs_roster"]
    roster_days = [start + timedelta(days=i) for i in range(len(dates) + ROSTER_AHEAD_DAYS)]
    rosters: dict[str, dict[date, str]] = {}
    for index, nurse in enumerate(nurses):
        rosters[nurse.key] = {d: roster_code(index, d) for d in roster_days}
        history.roster += [(nurse, d, code) for d, code in rosters[nurse.key].items()]
    maternity = _maternity(rng, people, end, letters)
    truant = _truant(rng, people)

    for person in people:
        schedule = rules.schedule(person.schedule)
        roster = rosters.get(person.key, {})
        plans: dict[date, DayPlan] = {}
        for day in dates:
            code = roster.get(day)
            plan = plan_day(
                day=day,
                schedule=schedule,
                calendar=calendar.get(day, no_calendar),
                tz=TZ,
                shift=rules.schedule(code) if code else None,
                rostered_off=code == "",
            )
            if plan.working:
                plans[day] = plan
        working = sorted(plans)
        spells = _spells(rng, person, working, end, scale, letters)
        if maternity is not None and maternity.person is person:
            spells = [
                s
                for s in spells
                if s.status == "rejected"
                or not _overlaps([(maternity.start, maternity.end)], s.start, s.end)
            ]
            spells.insert(0, maternity)
        history.absences += spells
        excused = {
            d for s in spells if s.status == "approved" for d in working if s.start <= d <= s.end
        }
        absent: set[date] = set()
        if person is truant:
            tail = working[-10:]
            runs = [i for i in range(len(tail) - 2) if not excused.intersection(tail[i : i + 3])]
            if runs:
                at = rng.choice(runs)
                absent.update(tail[at : at + 3])
        behaviour = BEHAVIOUR[person.profile]
        for day in working:
            if day in excused:
                continue
            if day in absent or rng.random() < behaviour.absent:
                history.absent_days += 1
                continue
            times = day_times(rng, plans[day], behaviour)
            history.events += _event_rows(rng, person, day, times)
    return history
