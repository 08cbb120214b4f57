"""Scoped reads of absences: deny by default."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from hadir.absences.choices import AbsenceStatus
from hadir.absences.models import Absence
from hadir.org.selectors import employees_for_user
from hadir.verification.scopes import employees_to_verify


def absences_to_decide(user: Any) -> QuerySet[Absence]:
    """Pending requests of the employees this user is atasan or verifikator of."""
    return (
        Absence.objects.filter(status=AbsenceStatus.PENDING, employee__in=employees_to_verify(user))
        .select_related("employee__unit")
        .order_by("start_date", "id")
    )


def absences_for_user(user: Any) -> QuerySet[Absence]:
    """Every absence of the employees the user may see."""
    return Absence.objects.filter(employee__in=employees_for_user(user)).select_related(
        "employee__unit", "decided_by"
    )
