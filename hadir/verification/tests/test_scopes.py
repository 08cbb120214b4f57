"""The atasan as a query agrees with hadir.org.services.employee_atasan on every employee of a
deeper tree, and operators act only inside their units."""

from __future__ import annotations

import pytest

from hadir.org.models import Employee, Unit
from hadir.org.services import employee_atasan, unit_tree_rebuild
from hadir.verification.scopes import (
    atasan_map,
    employees_for_operator,
    employees_to_verify,
    subordinates_q,
)

pytestmark = pytest.mark.django_db


def test_it_derives_subordinates_like_employee_atasan(staff) -> None:  # type: ignore[no-untyped-def]
    region, unit_a = staff["region"], staff["unit_a"]
    a1 = Unit.objects.create(region=region, code="A1", name="Bidang", parent=unit_a)
    a2 = Unit.objects.create(region=region, code="A2", name="Seksi", parent=a1, head=staff["citra"])
    unit_tree_rebuild(region=region)
    ani = staff["ani"]
    ani.unit = a2
    ani.save()
    extra = Employee.objects.create(
        region=region, key="X1", kind="NONASN", name="Eko", unit=a1, atasan=staff["dedi"]
    )
    citra = staff["citra"]
    citra.unit = a2
    citra.save()
    everyone = list(Employee.objects.select_related("unit__parent__parent"))
    expected = {e.id: getattr(employee_atasan(e), "id", None) for e in everyone}
    assert expected[ani.id] == citra.id and expected[citra.id] == staff["budi"].id
    assert expected[extra.id] == staff["dedi"].id
    for boss in everyone:
        derived = set(Employee.objects.filter(subordinates_q(boss)).values_list("id", flat=True))
        assert derived == {e for e, a in expected.items() if a == boss.id}, boss.name
    assert atasan_map(region.id) == {e: a for e, a in expected.items() if a is not None}


def test_it_gives_the_queue_to_the_atasan_only(staff) -> None:  # type: ignore[no-untyped-def]
    names = lambda qs: set(qs.values_list("name", flat=True))  # noqa: E731
    assert names(employees_to_verify(staff["budi_user"])) == {"Ani Lestari", "Citra Dewi"}
    assert names(employees_to_verify(staff["dedi_user"])) == set()
    assert names(employees_to_verify(staff["eka_user"])) == set()
    assert names(employees_for_operator(staff["citra_user"])) == {
        "Ani Lestari",
        "Budi Santoso",
        "Citra Dewi",
    }
    assert "Dedi Kurniawan" in names(employees_for_operator(staff["eka_user"]))
    assert names(employees_for_operator(staff["budi_user"])) == set()
