"""Scoped reads of warnings and cases: what a user's roles cover, plus their own. Deny by default.

An atasan also sees the warnings of subordinates that name them as atasan, and the cases opened
against themselves, wherever those units sit.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet

from hadir.discipline.models import AbsenceWarning, DisciplineCase
from hadir.org.selectors import employees_for_user


def warnings_for_user(user: Any) -> QuerySet[AbsenceWarning]:
    if not getattr(user, "is_authenticated", False):
        return AbsenceWarning.objects.none()
    return AbsenceWarning.objects.filter(
        Q(employee__in=employees_for_user(user)) | Q(atasan__user=user)
    ).distinct()


def cases_for_user(user: Any) -> QuerySet[DisciplineCase]:
    if not getattr(user, "is_authenticated", False):
        return DisciplineCase.objects.none()
    return DisciplineCase.objects.filter(employee__in=employees_for_user(user)).distinct()
