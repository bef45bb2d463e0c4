"""The one rate limiter: counts in the shared cache, so every process of every node shares them
when ``REDIS_URL`` is set (Redis); without it each process counts on its own.

Counters are fixed windows (``20/h``: at most 20 in each clock hour). ``hit`` counts one event
for a key and refuses past the limit; ``check`` does so for the client of a request; ``lock``
and ``locked`` keep a lockout (sign-in) until it expires or ``clear`` lifts it.
"""

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


def _key(scope: str, ident: str, window: int) -> tuple[str, int]:
    now = time.time()
    bucket = int(now // window)
    # Idents may hold user input (a dossier code, a username): keep the key printable and short.
    safe = ident.encode("utf-8", "replace").hex()[:200]
    return f"ratelimit:{scope}:{safe}:{bucket}", int((bucket + 1) * window - now) + 1


def _incr(key: str, timeout: int) -> int:
    shared_cache.add(key, 0, timeout)
    try:
        return int(shared_cache.incr(key))
    except ValueError:  # expired between add and incr
        shared_cache.set(key, 1, timeout)
        return 1


def too_many(retry_after: int, message: str | None = None) -> TooManyRequests:
    error = TooManyRequests(
        message or _("Too many requests from your connection; please wait a little and try again.")
    )
    error.retry_after = max(1, retry_after)
    return error


def hit(scope: str, ident: str, rule: str, *, message: str | None = None) -> int:
    """Count one event of ``scope`` for ``ident``; TooManyRequests past the limit."""
    parsed = parse(rule)
    if parsed is None:
        return 0
    limit, window = parsed
    key, left = _key(scope, ident, window)
    count = _incr(key, left)
    if count > limit:
        raise too_many(left, message)
    return count


def note(scope: str, ident: str, rule: str) -> int:
    """Count one event of ``scope`` for ``ident`` without refusing it (``over`` reads it)."""
    parsed = parse(rule)
    if parsed is None:
        return 0
    key, left = _key(scope, ident, parsed[1])
    return _incr(key, left)


def over(scope: str, ident: str, rule: str) -> int | None:
    """Seconds until ``ident`` may try again if it already used up ``scope``; else None."""
    parsed = parse(rule)
    if parsed is None:
        return None
    limit, window = parsed
    key, left = _key(scope, ident, window)
    return left if int(shared_cache.get(key, 0)) >= limit else None


def count(scope: str, ident: str, rule: str) -> int:
    """Events counted for ``ident`` in the current window."""
    parsed = parse(rule)
    if parsed is None:
        return 0
    key, _left = _key(scope, ident, parsed[1])
    return int(shared_cache.get(key, 0))


def check(request: HttpRequest, scope: str, rule: str, *, key: str | None = None) -> None:
    """Count one request of ``scope`` for this client (or for ``key``, e.g. an API key shared
    by many clients); TooManyRequests past the limit."""
    hit(scope, key or client_of(request), rule)


def lock(scope: str, ident: str, seconds: int) -> None:
    """Lock ``ident`` out of ``scope`` for ``seconds`` (until ``clear``)."""
    shared_cache.set(f"lock:{scope}:{ident.encode().hex()[:200]}", time.time() + seconds, seconds)


def locked(scope: str, ident: str) -> int | None:
    """Seconds left on ``ident``'s lockout, or None."""
    until = shared_cache.get(f"lock:{scope}:{ident.encode().hex()[:200]}")
    if until is None:
        return None
    left = int(float(until) - time.time()) + 1
    return left if left > 0 else None


def clear(scope: str, ident: str, rule: str) -> bool:
    """Lift ``ident``'s lockout and forget its count in ``scope``; True if it was locked."""
    was_locked = locked(scope, ident) is not None
    shared_cache.delete(f"lock:{scope}:{ident.encode().hex()[:200]}")
    parsed = parse(rule)
    if parsed is not None:
        shared_cache.delete(_key(scope, ident, parsed[1])[0])
    return was_locked
