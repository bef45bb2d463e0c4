from __future__ import annotations

from django.contrib import admin

from haicap.core.actors import Actor
from haicap.core.admin_actions import ActionAdmin, ReadOnlyAdmin
from haicap.units.actions import CENTRE_FIELDS, do_update_service_centre
from haicap.units.models import AdminUnit, ServiceCenter, Succession


@admin.register(AdminUnit)
class AdminUnitAdmin(ReadOnlyAdmin[AdminUnit]):
    """Units come from the reference package and from reorganisation plans, not hand edits."""

    list_display = ["code", "name", "tier", "kind", "agency_code", "valid_from", "valid_to"]
    list_filter = ["tier", "kind", "valid_to"]
    search_fields = ["code", "name", "search_key", "agency_code"]
    list_select_related = False


@admin.register(Succession)
class SuccessionAdmin(ReadOnlyAdmin[Succession]):
    list_display = ["predecessor", "successor", "kind", "is_default", "effective_date"]
    list_filter = ["kind", "is_default", "effective_date"]
    search_fields = ["predecessor__name", "successor__name", "predecessor__code"]
    list_select_related = ["predecessor", "successor"]


@admin.register(ServiceCenter)
class ServiceCenterAdmin(ActionAdmin[ServiceCenter]):
    """A province edits its centres' contact details and opening; each change is audited."""

    list_display = ["code", "name", "kind", "unit", "is_active"]
    list_filter = ["kind", "is_active"]
    search_fields = ["code", "name", "unit__name"]
    fields = CENTRE_FIELDS
    list_select_related = ["unit"]

    def has_add_permission(self, request: object) -> bool:
        return False  # one centre per unit is made by `haicap setup`

    def has_delete_permission(self, request: object, obj: object = None) -> bool:
        return False  # a centre is closed (not active), never deleted: dossiers name it

    def save_with_action(
        self, obj: ServiceCenter, *, changed: list[str], created: bool, actor: Actor
    ) -> None:
        do_update_service_centre(obj, changed=changed, actor=actor)
