from django.contrib import admin

from haicap.units.models import AdminUnit, ServiceCenter, Succession


@admin.register(AdminUnit)
class AdminUnitAdmin(admin.ModelAdmin[AdminUnit]):
    list_display = ["code", "name", "tier", "kind", "valid_from", "valid_to"]
    list_filter = ["tier", "kind", "valid_to"]
    search_fields = ["code", "name", "search_key"]
    raw_id_fields = ["parent", "province"]
    list_select_related = False


@admin.register(Succession)
class SuccessionAdmin(admin.ModelAdmin[Succession]):
    list_display = ["predecessor", "successor", "kind", "is_default", "effective_date"]
    list_filter = ["kind", "is_default", "effective_date"]
    search_fields = ["predecessor__name", "successor__name", "predecessor__code"]
    raw_id_fields = ["predecessor", "successor"]
    list_select_related = ["predecessor", "successor"]


@admin.register(ServiceCenter)
class ServiceCenterAdmin(admin.ModelAdmin[ServiceCenter]):
    list_display = ["code", "name", "kind", "unit", "is_active"]
    list_filter = ["kind", "is_active"]
    search_fields = ["code", "name", "unit__name"]
    raw_id_fields = ["unit", "parent"]
    list_select_related = ["unit"]
