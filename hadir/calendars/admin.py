from django.contrib import admin

from hadir.calendars.models import CalendarDay, RosterEntry
from hadir.core.admin_mixins import AuditedAdminMixin


@admin.register(CalendarDay)
class CalendarDayAdmin(AuditedAdminMixin, admin.ModelAdmin):
    list_display = ["date", "kind", "name", "region"]
    list_filter = ["region", "kind"]
    date_hierarchy = "date"

    def affected(self, obj):  # type: ignore[no-untyped-def]
        return {"region": obj.region, "start": obj.date, "end": obj.date}


@admin.register(RosterEntry)
class RosterEntryAdmin(AuditedAdminMixin, admin.ModelAdmin):
    list_display = ["employee", "date", "shift_code"]
    raw_id_fields = ["employee"]
    date_hierarchy = "date"
    list_select_related = ["employee"]

    def affected(self, obj):  # type: ignore[no-untyped-def]
        return {
            "region": obj.employee.region,
            "employee_ids": [obj.employee_id],
            "start": obj.date,
            "end": obj.date,
        }
