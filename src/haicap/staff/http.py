"""Pages for officers only."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib.auth.views import redirect_to_login
from django.http import Http404, HttpRequest, HttpResponseBase

from haicap.core.http import View
from haicap.staff.access import Scope, scope_of


def officers_only(
    allowed: Callable[[Scope], bool] = lambda scope: scope.is_staff,
) -> Callable[[View], View]:
    """Sign-in first; a signed-in user whose scope is not ``allowed`` gets 404, as for a
    missing page (citizens learn nothing of the staff pages)."""

    def decorate(view: View) -> View:
        @wraps(view)
        def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            if not allowed(scope_of(request.user)):
                raise Http404
            return view(request, *args, **kwargs)

        return wrapper

    return decorate
