"""Who sees the federation's pages: the province's sync page is for the officers of the
province this deployment syncs for (``HAICAP_FEDERATION_DSTCODE``) and national
administrators; the hub's monitor and reconciliation for national administrators."""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest

from haicap.staff.access import Scope, scope_of
from haicap.units import cache as registry_cache
from haicap.units.models import AdminUnit, Tier


def deployment_province_id() -> int | None:
    """The province (in force) whose link to the hub this deployment is; None without one."""
    code = settings.FEDERATION_DSTCODE.removeprefix("H")
    if not code:
        return None
    # Asked on every staff page (the menu's link): kept with the registry's cache.
    return registry_cache.cached(
        "deployment_province",
        lambda: (
            AdminUnit.objects.filter(tier=Tier.PROVINCE, valid_to__isnull=True, code=code)
            .values_list("pk", flat=True)
            .first()
        ),
        code,
    )


def sees_province_sync(scope: Scope) -> bool:
    """Another province's officers see none of this one's queue, dead letters or resends."""
    if scope.everything:
        return True
    province = deployment_province_id()
    return province is not None and province in scope.provinces


def runs_province_sync(scope: Scope) -> bool:
    """Retrying dead letters and re-sending a day change what the hub receives: the
    province's administrator (and national administrators) only; other officers read."""
    if scope.everything:
        return True
    province = deployment_province_id()
    return province is not None and province in scope.administered_provinces


def sees_hub(scope: Scope) -> bool:
    return scope.everything


def province_staff(request: HttpRequest) -> bool:
    return sees_province_sync(scope_of(request.user))


def hub_staff(request: HttpRequest) -> bool:
    return sees_hub(scope_of(request.user))
