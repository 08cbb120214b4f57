from django.contrib import admin

from hadir.core.admin_mixins import AuditedAdminMixin
from hadir.discipline.models import AbsenceWarning, CaseStep, Clarification, DisciplineCase


class ClarificationInline(admin.StackedInline):
    model = Clarification
    extra = 0
    raw_id_fields = ["decided_by"]


@admin.register(AbsenceWarning)
class AbsenceWarningAdmin(AuditedAdminMixin, admin.ModelAdmin):
    list_display = [
        "employee",
        "streak_start",
        "streak_end",
        "tk_days",
        "issued_on",
        "clarify_by",
        "status",
        "atasan",
        "reprimanded_on",
        "acted_on",
        "recommended_on",
    ]
    list_filter = ["status", "issued_on"]
    search_fields = ["employee__name", "employee__key", "atasan__name"]
    raw_id_fields = ["employee", "atasan"]
    list_select_related = ["employee", "atasan"]
    inlines = [ClarificationInline]


class CaseStepInline(admin.TabularInline):
    model = CaseStep
    extra = 0


@admin.register(DisciplineCase)
class DisciplineCaseAdmin(AuditedAdminMixin, admin.ModelAdmin):
    list_display = [
        "employee",
        "kind",
        "year",
        "opened_on",
        "tally_days",
        "level",
        "recommended",
        "status",
        "decided_sanction",
    ]
    list_filter = ["kind", "status", "level", "year"]
    search_fields = ["employee__name", "employee__key", "key"]
    raw_id_fields = ["employee", "warning"]
    list_select_related = ["employee"]
    inlines = [CaseStepInline]


@admin.register(Clarification)
class ClarificationAdmin(AuditedAdminMixin, admin.ModelAdmin):
    list_display = ["warning", "submitted_at", "decision", "decided_by", "decided_at"]
    list_filter = ["decision"]
    raw_id_fields = ["warning", "decided_by"]
