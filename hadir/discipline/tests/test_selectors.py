"""Scoped reads of warnings and cases: the stranger sees nothing of unit A."""

from __future__ import annotations

from datetime import date

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import AnonymousUser

pytestmark = pytest.mark.django_db


@pytest.fixture
def records(people):  # type: ignore[no-untyped-def]
    from hadir.discipline.choices import CaseKind
    from hadir.discipline.models import AbsenceWarning
    from hadir.discipline.services import case_open

    users = get_user_model().objects
    for name in ("ani", "citra", "dedi"):
        people[name].user = users.create_user(name, password="x-long-password-1")
        people[name].save()
    day = date(2026, 3, 4)
    warning = AbsenceWarning.objects.create(
        employee=people["ani"],
        streak_start=date(2026, 3, 2),
        streak_end=day,
        tk_days=3,
        issued_on=day,
        clarify_by=date(2026, 3, 14),
        atasan=people["citra"],
    )
    case = case_open(employee=people["ani"], kind=CaseKind.TALLY, key="t", on=day)
    return people, warning, case


def test_it_shows_warnings_to_the_employee_and_their_atasan_only(records):
    from hadir.discipline.selectors import cases_for_user, warnings_for_user

    people, warning, case = records
    for name in ("ani", "citra"):
        assert list(warnings_for_user(people[name].user)) == [warning]
    assert list(cases_for_user(people["ani"].user)) == [case]
    assert not warnings_for_user(people["dedi"].user).exists()
    assert not cases_for_user(people["dedi"].user).exists()
    assert not warnings_for_user(AnonymousUser()).exists()
    assert not cases_for_user(AnonymousUser()).exists()
