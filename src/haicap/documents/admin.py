"""The admin: agencies are added through ``do_add_agency`` (audited); documents, registers
and certificates are shown, never edited by hand."""

from __future__ import annotations

from django.contrib import admin
from django.http import HttpRequest

from haicap.core.actors import Actor
from haicap.core.admin_actions import ActionAdmin, ReadOnlyAdmin
from haicap.documents.agencies import do_add_agency
from haicap.documents.models import Agency, Document, Register


@admin.register(Agency)
class AgencyAdmin(ActionAdmin[Agency]):
    list_display = ["code", "name", "abbreviation", "kind", "unit", "valid_from", "valid_to"]
    list_filter = ["kind"]
    search_fields = ["code", "name", "unit__name"]
    fields = ["unit", "kind", "code", "name", "abbreviation"]
    raw_id_fields = ["unit"]
    list_select_related = ["unit"]

    def has_change_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False  # codes and names are referenced by every document of the agency

    def has_delete_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False

    def save_with_action(
        self, obj: Agency, *, changed: list[str], created: bool, actor: Actor
    ) -> None:
        made = do_add_agency(
            obj.unit.code,
            obj.kind,
            actor=actor,
            code=obj.code,
            name=obj.name,
            abbreviation=obj.abbreviation,
        )
        obj.pk = made.pk


@admin.register(Register)
class RegisterAdmin(ReadOnlyAdmin[Register]):
    list_display = ["agency", "direction", "year", "last_number", "opened_on", "closed_on"]
    list_filter = ["direction", "year"]
    list_select_related = ["agency"]


@admin.register(Document)
class DocumentAdmin(ReadOnlyAdmin[Document]):
    list_display = ["number_text", "subject", "agency", "direction", "status", "created_at"]
    list_filter = ["direction", "status", "urgency"]
    search_fields = ["number_text", "subject"]
    list_select_related = ["agency"]
