from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest

from hadir.notify.models import ContactPreference, Outbox, PushSubscription
from hadir.notify.services import outbox_retry


@admin.register(Outbox)
class OutboxAdmin(admin.ModelAdmin):
    """What was sent, what failed, and the log channel (via = log) when no provider is set."""

    list_display = [
        "created_at",
        "template",
        "channel",
        "via",
        "recipient",
        "address",
        "status",
        "attempts",
        "next_attempt_at",
        "sent_at",
        "last_error",
    ]
    list_filter = ["status", "channel", "via", "template", "deferred_quiet"]
    search_fields = ["address", "recipient__name", "recipient__key", "key", "body"]
    date_hierarchy = "created_at"
    list_select_related = ["recipient"]
    actions = ["retry_now"]

    def get_readonly_fields(self, request, obj=None):  # type: ignore[no-untyped-def]
        return [f.name for f in Outbox._meta.fields]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False

    @admin.action(description="Kirim ulang pesan yang gagal")
    def retry_now(self, request: HttpRequest, queryset: QuerySet[Outbox]) -> None:
        count = outbox_retry(ids=list(queryset.values_list("id", flat=True)))
        self.message_user(request, f"{count} pesan diantrekan ulang", messages.SUCCESS)


@admin.register(ContactPreference)
class ContactPreferenceAdmin(admin.ModelAdmin):
    list_display = ["employee", "channels", "whatsapp_number"]
    raw_id_fields = ["employee"]
    search_fields = ["employee__name", "employee__key"]


@admin.register(PushSubscription)
class PushSubscriptionAdmin(admin.ModelAdmin):
    list_display = ["employee", "endpoint", "active", "created_at"]
    list_filter = ["active"]
    raw_id_fields = ["employee"]
    search_fields = ["employee__name", "endpoint"]
