"""Request type for views behind django-htmx's middleware; caching of public pages."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest, HttpResponse, HttpResponseBase
from django.utils.translation import get_language
from django_htmx.middleware import HtmxDetails

View = Callable[..., HttpResponseBase]


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


def with_retry_after(response: HttpResponse, error: Exception) -> HttpResponse:
    """Add Retry-After to a page answering a rate limit (TooManyRequests with a wait)."""
    retry_after = getattr(error, "retry_after", None)
    if retry_after:
        response["Retry-After"] = str(retry_after)
    return response
