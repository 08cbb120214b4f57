"""Table-driven tests of the pure ladder rules."""

from __future__ import annotations

from datetime import date

import pytest

from hadir.discipline.rules import (
    LadderStep,
    Mark,
    WarningState,
    add_working_days,
    ladder_next,
    mark_of,
    tally_days,
    tally_step,
    tk_streaks,
)
from hadir.tpp.ruleset.discipline import DEFAULT_TALLY, DisciplineRules

RULES = DisciplineRules()
T, P, S = Mark.TK, Mark.PRESENT, Mark.SKIP


def d(day: int) -> date:
    return date(2026, 1, day)


@pytest.mark.parametrize(
    ("status", "present", "mark"),
    [
        ("absent", False, T),
        ("present", False, P),
        ("leave", True, P),  # dinas luar counts as present
        ("leave", False, S),
        ("holiday", False, S),
        ("off", False, S),
    ],
)
def test_it_marks_days(status: str, present: bool, mark: Mark) -> None:
    assert mark_of(status, counts_as_present=present) is mark


@pytest.mark.parametrize(
    ("marks", "runs"),
    [
        ([T, T, T], [[1, 2, 3]]),
        ([T, S, T, S, S, T], [[1, 3, 6]]),  # skipped days neither count nor break
        ([T, T, P, T], [[1, 2], [4]]),  # a present day breaks a run
        ([P, S, P], []),
        ([S, T, P, P, T, T], [[2], [5, 6]]),
    ],
)
def test_it_finds_runs_of_tk_days(marks: list[Mark], runs: list[list[int]]) -> None:
    streaks = tk_streaks([(d(i + 1), m) for i, m in enumerate(marks)])
    assert [[x.day for x in s.days] for s in streaks] == runs


@pytest.mark.parametrize(
    ("tk", "late", "early", "convert", "days"),
    [
        (0, 0, 0, True, 0),
        (2, 449, 0, True, 2),
        (2, 300, 150, True, 3),  # 7.5 hours of late + early minutes is one day
        (2, 900, 450, True, 5),
        (2, 900, 450, False, 2),
    ],
)
def test_it_tallies_days(tk: int, late: int, early: int, convert: bool, days: int) -> None:
    rules = DisciplineRules(convert_minutes=convert)
    assert tally_days(tk_days=tk, late_minutes=late, early_minutes=early, rules=rules) == days


@pytest.mark.parametrize(
    ("days", "sanction", "level"),
    [
        (2, None, None),
        (3, "teguran_lisan", "ringan"),
        (6, "teguran_tertulis", "ringan"),
        (7, "pernyataan_tidak_puas", "ringan"),
        (10, "pernyataan_tidak_puas", "ringan"),
        (11, "potongan_tpp_6_bulan", "sedang"),
        (16, "potongan_tpp_9_bulan", "sedang"),
        (20, "potongan_tpp_12_bulan", "sedang"),
        (21, "penurunan_jabatan", "berat"),
        (27, "pembebasan_jabatan", "berat"),
        (28, "pemberhentian", "berat"),
        (200, "pemberhentian", "berat"),
    ],
)
def test_it_finds_the_pp94_sanction(days: int, sanction: str | None, level: str | None) -> None:
    step = tally_step(days, DEFAULT_TALLY)
    assert (step.sanction if step else None, step.level if step else None) == (sanction, level)


def _state(**kw: object) -> WarningState:
    base = {
        "issued_on": d(9),
        "clarified": False,
        "closed": False,
        "reprimanded_on": None,
        "acted_on": None,
        "recommended_on": None,
    }
    return WarningState(**{**base, **kw})  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("state", "on", "step"),
    [
        (_state(), d(19), LadderStep.NONE),  # 10 days to clarify
        (_state(), d(20), LadderStep.REPRIMAND),
        (_state(clarified=True), d(25), LadderStep.NONE),
        (_state(closed=True), d(25), LadderStep.NONE),
        (_state(reprimanded_on=d(20)), date(2026, 2, 17), LadderStep.NONE),  # 28 days
        (_state(reprimanded_on=d(20)), date(2026, 2, 18), LadderStep.PASAL_28),
        (_state(reprimanded_on=d(20), acted_on=d(30)), date(2026, 3, 30), LadderStep.NONE),
        (_state(reprimanded_on=d(20), recommended_on=d(30)), date(2026, 3, 30), LadderStep.NONE),
    ],
)
def test_it_climbs_the_ladder(state: WarningState, on: date, step: LadderStep) -> None:
    assert ladder_next(state, on, RULES) is step


@pytest.mark.parametrize(
    ("start", "count", "holidays", "end"),
    [
        (d(5), 7, set(), d(14)),  # Mon + 7 working days = Wed next week
        (d(9), 1, set(), d(12)),  # Fri + 1 = Mon
        (d(5), 7, {d(8)}, d(15)),
    ],
)
def test_it_counts_working_days(start: date, count: int, holidays: set[date], end: date) -> None:
    assert add_working_days(start, count, frozenset(holidays)) == end


def test_it_knows_every_sanction_of_the_rule_set() -> None:
    from hadir.discipline.choices import Sanction
    from hadir.tpp.ruleset.discipline import SANCTIONS

    assert set(Sanction.values) == set(SANCTIONS)
