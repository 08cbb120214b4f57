from django.contrib import admin

from hadir.absences.models import Absence
from hadir.core.admin_mixins import AuditedAdminMixin


@admin.register(Absence)
class AbsenceAdmin(AuditedAdminMixin, admin.ModelAdmin):
    list_display = ["employee", "type", "start_date", "end_date", "status", "reference"]
    list_filter = ["type", "status"]
    date_hierarchy = "start_date"
    search_fields = ["employee__key", "employee__name", "reference"]
    raw_id_fields = ["employee"]
    list_select_related = ["employee"]

    def affected(self, obj):  # type: ignore[no-untyped-def]
        return {
            "region": obj.employee.region,
            "employee_ids": [obj.employee_id],
            "start": obj.start_date,
            "end": obj.end_date,
        }
