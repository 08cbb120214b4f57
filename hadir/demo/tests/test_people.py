"""The demo's employees (pure): valid NIPs, the ASN mix, heads for every OPD."""

from __future__ import annotations

from collections import Counter
from random import Random

import pytest

from hadir.demo import data
from hadir.demo.data import UnitKind
from hadir.demo.people import Role, apportion, people_generate
from hadir.org.rules import validate_nip


@pytest.mark.parametrize("count", [1, 24, 40, 300])
def test_it_makes_exactly_the_asked_number_with_valid_nips(count: int) -> None:
    people = people_generate(count=count, rng=Random(6408))
    assert len(people) == count
    assert len({p.key for p in people}) == count
    for person in people:
        parsed = validate_nip(person.nip or "", person.kind)
        if person.kind == "NONASN":
            assert parsed is None and person.key.startswith("NONASN-")
        else:
            assert parsed is not None and person.key == person.nip
            assert parsed.gender == (2 if person.female else 1)


def test_it_mixes_pns_pppk_and_contract_staff_like_a_regency() -> None:
    kinds = Counter(p.kind for p in people_generate(count=300, rng=Random(1)))
    assert kinds == {"PNS": 210, "PPPK": 45, "NONASN": 45}


def test_it_gives_every_opd_a_pns_head_from_twelve_employees_on() -> None:
    people = people_generate(count=24, rng=Random(2))
    heads = {p.unit.key: p for p in people if p.role == Role.HEAD}
    opds = [u.key for u in data.UNITS if u.kind == UnitKind.OPD]
    assert len(opds) == 12 and set(opds) <= set(heads)
    assert all(heads[k].kind == "PNS" for k in opds)
    assert sum(1 for p in people if p.role == Role.NURSE) >= 4


def test_it_puts_the_health_office_head_first_when_employees_are_few() -> None:
    (only,) = people_generate(count=1, rng=Random(3))
    assert only.unit.key == data.HEALTH_OPD and only.role == Role.HEAD


def test_it_heads_every_unit_and_prices_tpp_by_class_in_the_default_demo() -> None:
    people = people_generate(count=300, rng=Random(6408))
    assert {p.unit.key for p in people if p.role == Role.HEAD} == set(data.UNITS_BY_KEY)
    for p in people:
        assert 1 <= p.kelas <= 15 and p.tpp_base == data.tpp_base(p.kelas)
        assert p.phone.startswith("08") and len(p.phone) == 12
        assert p.source == ("machine" if p.unit.kind == UnitKind.HOSPITAL else "mobile")
    assert {p.schedule for p in people if p.role == Role.NURSE} == {"rs_roster"}
    assert {p.schedule for p in people if p.unit.kind == UnitKind.SCHOOL} == {"guru"}
    assert min(p.tpp_base for p in people) == 1_500_000
    assert max(p.tpp_base for p in people) == 12_000_000


def test_it_is_the_same_for_the_same_seed() -> None:
    assert people_generate(count=50, rng=Random(7)) == people_generate(count=50, rng=Random(7))
    assert people_generate(count=50, rng=Random(7)) != people_generate(count=50, rng=Random(8))


@pytest.mark.parametrize(
    ("total", "weights", "expected"),
    [(10, [1, 1], [5, 5]), (3, [1, 1, 1, 1], [1, 1, 1, 0]), (7, [3, 1], [5, 2]), (0, [1], [0])],
)
def test_it_apportions_staff_by_weight(total: int, weights: list[int], expected: list[int]) -> None:
    assert apportion(total, weights) == expected
