"""Scoped reads: each named person sees what their role covers, and nothing else."""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import AnonymousUser

from conftest import EMPLOYEE_NIP, HEAD_NIP, OPERATOR_NIP, STRANGER_NIP
from hadir.org.choices import Role
from hadir.org.models import Employee, Region, Unit
from hadir.org.selectors import employees_for_user, units_for_user
from hadir.org.services import role_grant

pytestmark = pytest.mark.django_db


@pytest.fixture
def people(region_setup):  # type: ignore[no-untyped-def]
    users = get_user_model().objects
    region, unit_a = Region.objects.get(code="6408"), Unit.objects.get(code="A")
    budi = users.create_user("budi", password="x-long-password-1")
    Employee.objects.filter(nip=HEAD_NIP).update(user=budi)
    role_grant(user=budi, role=Role.ATASAN, region=region, unit=unit_a)
    dedi = users.create_user("dedi", password="x-long-password-1")
    Employee.objects.filter(nip=STRANGER_NIP).update(user=dedi)
    eka = users.create_user("eka", password="x-long-password-1")
    role_grant(user=eka, role=Role.BKPSDM_ADMIN, region=region)
    return {"budi": budi, "dedi": dedi, "eka": eka}


def nips(user) -> set[str]:  # type: ignore[no-untyped-def]
    return set(employees_for_user(user).values_list("nip", flat=True))


def test_it_shows_the_atasan_their_unit_only(people) -> None:  # type: ignore[no-untyped-def]
    assert nips(people["budi"]) == {HEAD_NIP, EMPLOYEE_NIP, OPERATOR_NIP}
    assert set(units_for_user(people["budi"]).values_list("code", flat=True)) == {"A"}


def test_it_shows_the_stranger_only_himself(people) -> None:  # type: ignore[no-untyped-def]
    assert nips(people["dedi"]) == {STRANGER_NIP}
    assert not units_for_user(people["dedi"]).exists()


def test_it_shows_the_bkpsdm_admin_the_whole_region(people) -> None:  # type: ignore[no-untyped-def]
    assert nips(people["eka"]) == {HEAD_NIP, EMPLOYEE_NIP, OPERATOR_NIP, STRANGER_NIP}
    assert units_for_user(people["eka"]).count() == 3


def test_it_shows_an_anonymous_visitor_nothing(people) -> None:  # type: ignore[no-untyped-def]
    assert not employees_for_user(AnonymousUser()).exists()
    assert not units_for_user(AnonymousUser()).exists()
