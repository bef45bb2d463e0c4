"""Request type for views behind django-htmx's middleware; officers-only pages; caching of
public pages."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.conf import settings
from django.contrib.auth.views import redirect_to_login
from django.core.cache import cache
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBase
from django.utils.translation import get_language
from django_htmx.middleware import HtmxDetails

from haicap.core.access import Scope, scope_of

View = Callable[..., HttpResponseBase]


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


class HtmxHttpRequest(HttpRequest):
    htmx: HtmxDetails


def cache_for_anonymous(seconds: int) -> Callable[[View], View]:
    """Serve a public page from the cache to visitors without a session.

    Such visitors all see the same page (no account, no messages, no form tokens), so it is
    rendered once per language and address every ``seconds``. Anyone with a session (filing
    in progress, signed in, a message waiting) gets a fresh page.
    """

    def decorate(view: View) -> View:
        @wraps(view)
        def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
            if (
                request.method != "GET"
                or settings.SESSION_COOKIE_NAME in request.COOKIES
                or "messages" in request.COOKIES
            ):
                return view(request, *args, **kwargs)
            key = ":".join(
                [
                    "page",
                    get_language() or "",
                    request.headers.get("HX-Request", ""),
                    request.get_full_path(),
                ]
            )
            cached = cache.get(key)
            if cached is not None:
                content, content_type = cached
                return HttpResponse(content, content_type=content_type)
            response = view(request, *args, **kwargs)
            if response.status_code == 200 and not response.cookies and not response.streaming:
                assert isinstance(response, HttpResponse)
                cache.set(key, (response.content, response["Content-Type"]), seconds)
            return response

        return wrapper

    return decorate
