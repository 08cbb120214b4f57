"""Admin edits go through the same bookkeeping as the services: an audit entry, and the
employee-days the change can affect are marked stale in the same transaction."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.forms import model_to_dict

from hadir.audit.services import audit_record


class AuditedAdminMixin:
    """`affected(obj)` returns kwargs for `stale_mark`, or None when no day is affected."""

    def affected(self, obj: Any) -> dict[str, Any] | None:
        return None

    def _mark(self, obj: Any) -> None:
        from hadir.attendance.services import stale_mark

        scope = self.affected(obj)
        if scope is not None:
            stale_mark(**scope)

    def save_model(self, request: Any, obj: Any, form: Any, change: bool) -> None:
        with transaction.atomic():
            if change:
                old = type(obj).objects.get(pk=obj.pk)
                self._mark(old)
            super().save_model(request, obj, form, change)  # type: ignore[misc]
            self._mark(obj)
            audit_record(
                actor=request.user.get_username(),
                action=f"admin.{'change' if change else 'add'}",
                object_type=type(obj).__name__,
                object_id=str(obj.pk),
                data=model_to_dict(obj),
            )

    def delete_model(self, request: Any, obj: Any) -> None:
        with transaction.atomic():
            self._mark(obj)
            audit_record(
                actor=request.user.get_username(),
                action="admin.delete",
                object_type=type(obj).__name__,
                object_id=str(obj.pk),
                data=model_to_dict(obj),
            )
            super().delete_model(request, obj)  # type: ignore[misc]

    def delete_queryset(self, request: Any, queryset: Any) -> None:
        for obj in queryset:
            self.delete_model(request, obj)
