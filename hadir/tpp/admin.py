from django.contrib import admin

from hadir.core.admin_mixins import AuditedAdminMixin
from hadir.tpp.models import ManipulationFinding, RuleSetVersion


@admin.register(RuleSetVersion)
class RuleSetVersionAdmin(admin.ModelAdmin):
    """Read-only here: versions are loaded with `hadir rules load`, which validates them."""

    list_display = ["region", "effective_from", "loaded_at", "loaded_by", "checksum"]
    list_filter = ["region"]
    readonly_fields = ["region", "effective_from", "source", "checksum", "loaded_at", "loaded_by"]

    def has_add_permission(self, request):  # type: ignore[no-untyped-def]
        return False


@admin.register(ManipulationFinding)
class ManipulationFindingAdmin(AuditedAdminMixin, admin.ModelAdmin):
    list_display = ["employee", "month", "decided_by", "decided_at"]
    raw_id_fields = ["employee", "decided_by"]
