"""The staff web's navigation, evaluated only by templates that show it (not the admin's)."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.utils.functional import SimpleLazyObject

from hadir.web.access import OPERATORS, PAYROLL, VERIFIERS, staff_of


def nav(request: HttpRequest) -> dict[str, Any]:
    def build() -> dict[str, bool]:
        if not request.user.is_authenticated:
            return {}
        staff = staff_of(request)
        return {
            "verify": staff.has(VERIFIERS),
            "operator": staff.has(OPERATORS),
            "payroll": staff.has(PAYROLL | OPERATORS),
        }

    return {"nav": SimpleLazyObject(build)}
