from django.contrib import admin

from hadir.attendance.models import AttendanceEvent, CheckIn, EmployeeDay


@admin.register(AttendanceEvent)
class AttendanceEventAdmin(admin.ModelAdmin):
    """Raw events are append-only: visible here, never edited."""

    list_display = ["employee", "at", "source", "checkpoint", "received_at"]
    list_filter = ["source"]
    date_hierarchy = "at"
    search_fields = ["employee__key", "employee__name"]
    list_select_related = ["employee"]

    def has_change_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False

    def has_delete_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False


@admin.register(EmployeeDay)
class EmployeeDayAdmin(admin.ModelAdmin):
    """Derived records: recomputed from events, absences, calendar and rules."""

    list_display = ["employee", "date", "status", "absence", "late_minutes", "early_minutes"]
    list_filter = ["status"]
    date_hierarchy = "date"
    search_fields = ["employee__key", "employee__name"]
    list_select_related = ["employee"]

    def has_add_permission(self, request):  # type: ignore[no-untyped-def]
        return False

    def has_change_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False


@admin.register(CheckIn)
class CheckInAdmin(admin.ModelAdmin):
    """Check-ins from the employee app, stored whatever their outcome; read-only here (the
    atasan's review goes through checkin_review_set). Scoped to the user's units."""

    list_display = [
        "employee",
        "at",
        "checkpoint",
        "status",
        "offline",
        "review_status",
        "risk_score",
    ]
    list_filter = ["status", "review_status", "offline"]
    date_hierarchy = "at"
    search_fields = ["employee__key", "employee__name"]
    list_select_related = ["employee"]

    def get_queryset(self, request):  # type: ignore[no-untyped-def]
        from hadir.org.selectors import employees_for_user

        return super().get_queryset(request).filter(employee__in=employees_for_user(request.user))

    def has_add_permission(self, request):  # type: ignore[no-untyped-def]
        return False

    def has_change_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False

    def has_delete_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False
