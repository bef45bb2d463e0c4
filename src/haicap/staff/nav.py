"""Who sees a menu link, by role: predicates for ``core.nav.NavLink.shown``."""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest

from haicap.staff.access import scope_of


def officers(request: HttpRequest) -> bool:
    return scope_of(getattr(request, "user", None)).is_staff


def citizens(request: HttpRequest) -> bool:
    """Signed in without any officer's role."""
    user = getattr(request, "user", None)
    return bool(user is not None and user.is_authenticated and not scope_of(user).is_staff)


def administrators(request: HttpRequest) -> bool:
    return scope_of(getattr(request, "user", None)).is_administrator


def holding(*roles: str) -> Callable[[HttpRequest], bool]:
    """Officers holding any of ``roles`` somewhere."""

    def shown(request: HttpRequest) -> bool:
        return scope_of(getattr(request, "user", None)).has_role(*roles)

    return shown
