from __future__ import annotations

from django.contrib import admin

from haicap.core.actions import do_remove_calendar_day, do_set_calendar_day
from haicap.core.actors import Actor
from haicap.core.admin_actions import ActionAdmin, ReadOnlyAdmin
from haicap.core.models import AuditEvent, CalendarDay


@admin.register(AuditEvent)
class AuditEventAdmin(ReadOnlyAdmin[AuditEvent]):
    """The audit trail is read-only, here as in the database."""

    list_display = ["at", "actor_label", "verb", "subject_type", "subject_id"]
    list_filter = ["verb", "subject_type"]
    search_fields = ["subject_id", "actor_label"]
    date_hierarchy = "at"


@admin.register(CalendarDay)
class CalendarDayAdmin(ActionAdmin[CalendarDay]):
    """Announced days move every deadline: each change is audited (core/actions.py)."""

    list_display = ["day", "kind", "note", "legal_basis"]
    list_filter = ["kind"]
    date_hierarchy = "day"

    def save_with_action(
        self, obj: CalendarDay, *, changed: list[str], created: bool, actor: Actor
    ) -> None:
        if not created and "day" in changed:
            original = CalendarDay.objects.get(pk=obj.pk)
            do_remove_calendar_day(original.day, actor=actor)
        saved = do_set_calendar_day(
            obj.day, kind=obj.kind, note=obj.note, legal_basis=obj.legal_basis, actor=actor
        )
        obj.pk = saved.pk

    def delete_with_action(self, obj: CalendarDay, *, actor: Actor) -> None:
        do_remove_calendar_day(obj.day, actor=actor)
