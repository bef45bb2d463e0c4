"""Who sees the federation's pages: the province's sync page is for provincial officers (and
administrators); the hub's monitor and reconciliation for national administrators."""

from __future__ import annotations

from django.http import HttpRequest

from haicap.staff.access import Scope, scope_of


def sees_province_sync(scope: Scope) -> bool:
    return scope.everything or bool(scope.provinces)


def sees_hub(scope: Scope) -> bool:
    return scope.everything


def province_staff(request: HttpRequest) -> bool:
    return sees_province_sync(scope_of(request.user))


def hub_staff(request: HttpRequest) -> bool:
    return sees_hub(scope_of(request.user))
