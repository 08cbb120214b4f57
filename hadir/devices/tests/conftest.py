"""A machine of unit A (Asia/Makassar) whose employees Ani and Budi hold PINs 1 and 2."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
import time_machine

from conftest import EMPLOYEE_NIP, HEAD_NIP

SERIAL = "CQZ7231460123"
# 2026-01-05 08:00 in Kutai Timur (UTC+8).
NOW = "2026-01-05T00:00:00+00:00"


@pytest.fixture
def frozen() -> Iterator[time_machine.Traveller]:
    with time_machine.travel(NOW, tick=False) as traveller:
        yield traveller


@pytest.fixture
def machine(region_setup, db):  # type: ignore[no-untyped-def]
    from hadir.devices.models import FingerprintMachine
    from hadir.devices.services import machine_approve
    from hadir.org.models import Employee, Unit

    Employee.objects.filter(nip=EMPLOYEE_NIP).update(pin="1")
    Employee.objects.filter(nip=HEAD_NIP).update(pin="2")
    m = FingerprintMachine.objects.create(serial=SERIAL, name="Lobi Dinas Contoh")
    machine_approve(machine=m, unit=Unit.objects.get(code="A"), actor="eka")
    return FingerprintMachine.objects.select_related("unit", "region").get(pk=m.pk)
