"""Rate limits per client in the shared cache (Redis when configured, else per process)."""

from __future__ import annotations

import time
from functools import cache

from django.conf import settings
from django.core.cache import cache as shared_cache
from django.core.exceptions import ImproperlyConfigured
from django.http import HttpRequest
from django.utils.translation import gettext as _

from haicap.core.errors import TooManyRequests

_UNITS = {"s": 1, "m": 60, "h": 3600}


@cache
def parse(rule: str) -> tuple[int, int] | None:
    """ "20/h" -> (20, 3600); "off" -> None."""
    if rule.strip().lower() == "off":
        return None
    try:
        count, unit = rule.strip().split("/")
        return int(count), _UNITS[unit]
    except (ValueError, KeyError):
        raise ImproperlyConfigured(
            f"rate limit {rule!r} must look like 20/h, 60/m or off"
        ) from None


def client_of(request: HttpRequest) -> str:
    """The client's address; behind a trusted proxy, the first X-Forwarded-For hop."""
    if settings.SECURE_PROXY_SSL_HEADER and request.headers.get("X-Forwarded-For"):
        return request.headers["X-Forwarded-For"].split(",")[0].strip()
    return str(request.META.get("REMOTE_ADDR", "unknown"))


def check(request: HttpRequest, scope: str, rule: str, *, key: str | None = None) -> None:
    """Count one request of ``scope`` for this client (or for ``key``, e.g. an API key shared
    by many clients); TooManyRequests past the limit."""
    parsed = parse(rule)
    if parsed is None:
        return
    limit, window = parsed
    bucket = int(time.time() // window)
    counter = f"ratelimit:{scope}:{key or client_of(request)}:{bucket}"
    shared_cache.add(counter, 0, window + 1)
    try:
        count = shared_cache.incr(counter)
    except ValueError:  # expired between add and incr
        shared_cache.set(counter, 1, window + 1)
        count = 1
    if count > limit:
        raise TooManyRequests(
            _("Too many requests from your connection; please wait a little and try again.")
        )
