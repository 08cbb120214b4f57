from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model

from conftest import EMPLOYEE_NIP, HEAD_NIP, OPERATOR_NIP, STRANGER_NIP
from hadir.audit.models import AuditEntry
from hadir.core.errors import DomainError
from hadir.org.choices import Role
from hadir.org.models import Employee, Region, RoleAssignment, Unit
from hadir.org.services import UnitCycle, employee_atasan, role_grant, unit_tree_rebuild

pytestmark = pytest.mark.django_db


def test_it_keeps_materialised_paths_of_the_tree(region_setup) -> None:  # type: ignore[no-untyped-def]
    root, a, b = (Unit.objects.get(code=c) for c in ("PEMDA", "A", "B"))
    assert root.path == f"/{root.id}/" and root.depth == 0
    assert a.path == f"/{root.id}/{a.id}/" and a.depth == 1
    assert set(Unit.objects.filter(path__startswith=root.path)) == {root, a, b}


def test_it_refuses_a_cycle(region_setup) -> None:  # type: ignore[no-untyped-def]
    root, a = Unit.objects.get(code="PEMDA"), Unit.objects.get(code="A")
    Unit.objects.filter(id=root.id).update(parent=a)
    with pytest.raises(UnitCycle, match="cycle"):
        unit_tree_rebuild(region=root.region)


def test_it_derives_the_atasan_from_the_unit_tree(region_setup) -> None:  # type: ignore[no-untyped-def]
    unit_a, root = Unit.objects.get(code="A"), Unit.objects.get(code="PEMDA")
    head, ani = Employee.objects.get(nip=HEAD_NIP), Employee.objects.get(nip=EMPLOYEE_NIP)
    bupati_sekda = Employee.objects.get(nip=STRANGER_NIP)
    unit_a.head = head
    unit_a.save()
    assert employee_atasan(ani) == head
    assert employee_atasan(head) is None  # nobody heads the units above yet
    root.head = bupati_sekda
    root.save()
    head = Employee.objects.get(nip=HEAD_NIP)
    assert employee_atasan(head) == bupati_sekda
    ani.atasan = Employee.objects.get(nip=OPERATOR_NIP)  # the per-person override wins
    assert employee_atasan(ani).nip == OPERATOR_NIP


def test_it_grants_a_scoped_role_once_with_an_audit_entry(region_setup) -> None:  # type: ignore[no-untyped-def]
    user = get_user_model().objects.create_user("citra", password="x-long-password-1")
    region, unit = Region.objects.get(code="6408"), Unit.objects.get(code="A")
    before = AuditEntry.objects.count()
    role_grant(user=user, role=Role.OPERATOR, region=region, unit=unit)
    role_grant(user=user, role=Role.OPERATOR, region=region, unit=unit)
    assert RoleAssignment.objects.filter(user=user).count() == 1
    assert AuditEntry.objects.count() == before + 1


def test_it_refuses_a_unit_of_another_region(region_setup) -> None:  # type: ignore[no-untyped-def]
    user = get_user_model().objects.create_user("eka", password="x-long-password-1")
    other = Region.objects.create(code="6409", name="Kabupaten Lain")
    with pytest.raises(DomainError, match="not in the region"):
        role_grant(user=user, role=Role.BKPSDM_ADMIN, region=other, unit=Unit.objects.get(code="A"))
