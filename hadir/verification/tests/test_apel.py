"""Apel: the ticked employees become operator events at the apel checkpoint; the day counts
the apel as attended, the unticked lose the apel deduction; only the operator's own units."""

from __future__ import annotations

from datetime import date, time
from zoneinfo import ZoneInfo

import pytest

from hadir.attendance.models import AttendanceEvent, EmployeeDay
from hadir.attendance.services import stale_resolve
from hadir.verification.apel import ApelRefused, apel_present, apel_take

pytestmark = pytest.mark.django_db
MONDAY = date(2026, 3, 2)
WITA = ZoneInfo("Asia/Makassar")


def test_it_records_the_ticked_and_the_day_counts_the_apel(staff) -> None:  # type: ignore[no-untyped-def]
    unit, ani, budi = staff["unit_a"], staff["ani"], staff["budi"]
    added = apel_take(
        operator=staff["citra_user"],
        unit=unit,
        day=MONDAY,
        at=time(7, 30),
        present_ids=[ani.pk],
        zone=WITA,
    )
    assert added == 1 and apel_present(unit=unit, day=MONDAY) == {ani.pk}
    event = AttendanceEvent.objects.get(employee=ani)
    assert (event.source, event.checkpoint) == ("operator", "apel")
    assert event.at.astimezone(WITA).time() == time(7, 30)
    again = apel_take(
        operator=staff["citra_user"],
        unit=unit,
        day=MONDAY,
        at=time(7, 30),
        present_ids=[ani.pk, budi.pk],
        zone=WITA,
    )
    assert again == 1 and AttendanceEvent.objects.filter(checkpoint="apel").count() == 2
    from datetime import datetime

    AttendanceEvent.objects.create(  # Citra came at 07:10 but was not at the apel
        employee=staff["citra"],
        at=datetime(2026, 3, 2, 7, 10, tzinfo=WITA),
        source="import",
        dedupe_key="test:citra",
    )
    stale_resolve(region=staff["region"], start=MONDAY, end=MONDAY)
    days = {d.employee_id: d for d in EmployeeDay.objects.filter(date=MONDAY)}
    assert days[ani.pk].missed_apel == 0 and days[budi.pk].missed_apel == 0
    assert days[staff["citra"].pk].missed_apel == 1
    assert ["apel", "0.5"] in days[staff["citra"].pk].deductions


def test_it_refuses_employees_outside_the_operator_units(staff) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(ApelRefused):
        apel_take(
            operator=staff["citra_user"],
            unit=staff["unit_a"],
            day=MONDAY,
            at=time(7, 30),
            present_ids=[staff["dedi"].pk],
            zone=WITA,
        )
    with pytest.raises(ApelRefused):
        apel_take(
            operator=staff["budi_user"],
            unit=staff["unit_a"],
            day=MONDAY,
            at=time(7, 30),
            present_ids=[staff["ani"].pk],
            zone=WITA,
        )
    assert not AttendanceEvent.objects.exists()
