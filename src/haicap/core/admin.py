from django.contrib import admin
from django.http import HttpRequest

from haicap.core.models import AuditEvent, CalendarDay


@admin.register(AuditEvent)
class AuditEventAdmin(admin.ModelAdmin[AuditEvent]):
    """The audit trail is read-only, here as in the database."""

    list_display = ["at", "actor_label", "verb", "subject_type", "subject_id"]
    list_filter = ["verb", "subject_type"]
    search_fields = ["subject_id", "actor_label"]
    date_hierarchy = "at"

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False


@admin.register(CalendarDay)
class CalendarDayAdmin(admin.ModelAdmin[CalendarDay]):
    list_display = ["day", "kind", "note", "legal_basis"]
    list_filter = ["kind"]
    date_hierarchy = "day"
