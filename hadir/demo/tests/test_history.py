"""The demo's history (pure): events only on working days, at the day's checkpoints."""

from __future__ import annotations

import math
from collections import Counter
from datetime import date, datetime, timedelta
from random import Random

import pytest

from hadir.demo import data
from hadir.demo.history import History, demo_calendar, history_generate, roster_code
from hadir.demo.people import Person, Role, people_generate
from hadir.demo.services import ruleset_text
from hadir.tpp.ruleset import parse_ruleset

END = date(2026, 2, 28)  # February 2026: Imlek, cuti bersama and the start of Ramadan
RULES = parse_ruleset(ruleset_text())


@pytest.fixture(scope="module")
def generated() -> tuple[list[Person], History]:
    rng = Random(6408)
    people = people_generate(count=40, rng=rng)
    return people, history_generate(people=people, rules=RULES, end=END, days=28, rng=rng)


def _events_by_person(history: History) -> dict[str, list[tuple[datetime, dict[str, str]]]]:
    out: dict[str, list[tuple[datetime, dict[str, str]]]] = {}
    for row in history.events:
        key = row["nip"] or row["id"]
        out.setdefault(key, []).append((datetime.fromisoformat(row["timestamp"]), row))
    return out


def test_it_loads_the_kutim_rule_set_with_fridays_ramadan_and_shifts() -> None:
    assert RULES.region.code == "6408" and RULES.region.timezone == "Asia/Makassar"
    assert [s.code for s in RULES.schedules][:1] == ["5hk"]
    office = RULES.schedule("5hk")

    def due(day: date, ramadan: bool) -> dict[str, int | None]:
        return {cp.code: cp.due for cp in office.checkpoints_for(day, ramadan=ramadan)}

    assert due(date(2026, 2, 9), False)["pulang"] == 16 * 60
    assert due(date(2026, 2, 13), False)["pulang"] == 16 * 60 + 30  # Friday
    assert due(date(2026, 2, 23), True)["masuk"] == 8 * 60  # Ramadan
    assert due(date(2026, 2, 27), True)["pulang"] == 15 * 60 + 30  # Ramadan Friday
    night = RULES.schedule("shift_malam")
    assert [(cp.due, cp.closes) for cp in night.checkpoints][1] == (31 * 60, 33 * 60)
    assert RULES.schedule("rs_roster").rostered and night.works_holidays
    assert RULES.tpp.absences["perjalanan_dinas"].counts_as_present


def test_it_knows_the_2026_holidays_and_ramadan() -> None:
    kinds = Counter(h.kind for h in data.HOLIDAYS_2026)
    assert kinds == {"national_holiday": 17, "cuti_bersama": 8, "regional_holiday": 1}
    calendar = demo_calendar()
    assert calendar[date(2026, 8, 17)].holiday and calendar[date(2026, 12, 25)].holiday
    assert calendar[date(2026, 2, 16)].holiday and calendar[date(2026, 2, 17)].holiday
    assert calendar[date(2026, 3, 2)].ramadan and not calendar[date(2026, 3, 2)].holiday
    assert sum(1 for c in calendar.values() if c.ramadan) == 30


def test_it_only_records_events_on_working_days(generated) -> None:  # type: ignore[no-untyped-def]
    people, history = generated
    events = _events_by_person(history)
    holidays = {h.day for h in data.HOLIDAYS_2026}
    for person in people:
        days = {at.date() for at, _ in events.get(person.key, [])}
        if person.schedule == "5hk":
            assert all(d.weekday() < 5 and d not in holidays for d in days), person.name
        elif person.schedule == "guru":
            assert all(d.weekday() < 6 and d not in holidays for d in days), person.name
    assert history.start == date(2026, 2, 1) and history.end == END
    assert min(at for person in events.values() for at, _ in person).date() >= history.start


def test_it_marks_most_working_days_present_with_some_late_and_some_absent(generated) -> None:  # type: ignore[no-untyped-def]
    people, history = generated
    office = [p for p in people if p.schedule == "5hk"]
    events = _events_by_person(history)
    present = sum(len({at.date() for at, _ in events.get(p.key, [])}) for p in office)
    working = sum(
        1
        for p in office
        for i in range(28)
        if (d := history.start + timedelta(days=i)).weekday() < 5
        and d not in {date(2026, 2, 16), date(2026, 2, 17)}
    )
    assert 0.88 < present / working < 0.995
    assert history.absent_days > 0
    arrivals = [
        at
        for p in office
        for at, row in events.get(p.key, [])
        if row["checkpoint"] == "masuk" and not demo_calendar().get(at.date())
    ]
    late = [at for at in arrivals if (at.hour, at.minute) > (7, 30)]
    assert 0.02 < len(late) / len(arrivals) < 0.25


def test_it_moves_arrivals_to_eight_in_ramadan(generated) -> None:  # type: ignore[no-untyped-def]
    _, history = generated
    ramadan = {d for d, c in demo_calendar().items() if c.ramadan}
    arrivals = [
        datetime.fromisoformat(r["timestamp"])
        for r in history.events
        if r["checkpoint"] == "masuk" and r["source"] == "mobile"
    ]
    in_ramadan = [at for at in arrivals if at.date() in ramadan]
    before = [at for at in arrivals if at.date() not in ramadan]
    assert in_ramadan and before
    assert Counter(at.hour for at in in_ramadan).most_common(1)[0][0] == 7  # 07:20-07:59
    assert sum(1 for at in in_ramadan if at.hour == 6) < sum(1 for at in before if at.hour == 6)


def test_it_puts_nurses_on_a_rotating_roster_with_night_shifts_past_midnight(generated) -> None:  # type: ignore[no-untyped-def]
    people, history = generated
    nurses = [p for p in people if p.role == Role.NURSE]
    assert len(nurses) >= 4
    assert len(history.roster) == len(nurses) * (28 + 7)
    on_a_day = Counter(code for _, d, code in history.roster if d == date(2026, 2, 10))
    assert set(on_a_day) == {"shift_pagi", "shift_sore", "shift_malam", ""}
    events = _events_by_person(history)
    mornings_after = [
        at
        for n in nurses
        for at, row in events.get(n.key, [])
        if at.hour < 9
        and roster_code(nurses.index(n), at.date() - timedelta(days=1)) == "shift_malam"
    ]
    assert mornings_after
    nurse_rows = [row for n in nurses for _, row in events.get(n.key, [])]
    assert {r["source"] for r in nurse_rows} == {"machine"}
    assert {r["latitude"] for r in nurse_rows} == {""}


def test_it_places_app_check_ins_inside_the_office_geofence(generated) -> None:  # type: ignore[no-untyped-def]
    people, history = generated
    sites = {p.key: p.site for p in people}
    mobile = [r for r in history.events if r["source"] == "mobile"]
    assert mobile and all(r["timestamp"].endswith("+08:00") for r in history.events)

    def metres(row: dict[str, str]) -> float:
        lat, lon = sites[row["nip"] or row["id"]]
        dlat = (float(row["latitude"]) - lat) * 111_320
        dlon = (float(row["longitude"]) - lon) * 111_320 * math.cos(math.radians(lat))
        return math.hypot(dlat, dlon)

    inside = sum(1 for r in mobile if metres(r) <= data.RADIUS_M)
    assert inside / len(mobile) > 0.97


def test_it_writes_absences_with_letters_and_statuses(generated) -> None:  # type: ignore[no-untyped-def]
    _, history = generated
    rows = history.absence_rows()
    assert rows and {r["status"] for r in rows} <= {"approved", "pending", "rejected"}
    for row in rows:
        assert row["start_date"] <= row["end_date"]
        if row["type"] == "perjalanan_dinas":
            assert "/SPT/" in row["reference"]
        if row["status"] == "pending":
            assert row["start_date"] > END.isoformat()


def test_it_is_the_same_history_for_the_same_seed() -> None:
    def make(seed: int) -> History:
        rng = Random(seed)
        people = people_generate(count=30, rng=rng)
        return history_generate(people=people, rules=RULES, end=END, days=10, rng=rng)

    assert make(1).events == make(1).events
    assert make(1).events != make(2).events
