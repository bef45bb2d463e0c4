"""DATABASE_URL to Django's DATABASES entry (PostgreSQL only)."""

from __future__ import annotations

from typing import Any
from urllib.parse import parse_qsl, unquote, urlsplit

from django.core.exceptions import ImproperlyConfigured


def database_settings(
    url: str,
    *,
    pool_size: int,
    conn_max_age: int = 60,
    pool_timeout: float = 1.0,
    connect_timeout: int = 2,
) -> dict[str, Any]:
    """A DATABASES["default"] dict for a postgres:// URL; ``pool_size`` 0 disables pooling.

    During an outage a request gives up after ``pool_timeout`` seconds waiting for a pooled
    connection (``connect_timeout`` without a pool) and answers 503 (core/outage.py).
    """
    parts = urlsplit(url)
    if parts.scheme not in {"postgres", "postgresql"}:
        raise ImproperlyConfigured(
            f"DATABASE_URL must start with postgresql:// (haicap runs on PostgreSQL only), "
            f"not {parts.scheme}://"
        )
    options: dict[str, Any] = dict(parse_qsl(parts.query))
    # A Unix socket directory may be given as ?host=/path (libpq's own convention).
    host = options.pop("host", None) or unquote(parts.hostname or "")
    name = unquote(parts.path.lstrip("/"))
    if not name:
        raise ImproperlyConfigured("DATABASE_URL has no database name (…/name at its end)")
    try:
        port = parts.port
    except ValueError as exc:
        raise ImproperlyConfigured(f"DATABASE_URL has a bad port: {exc}") from None
    # libpq's own bound on reaching the server (a host that drops packets would hang).
    options.setdefault("connect_timeout", str(connect_timeout))
    if pool_size:
        options["pool"] = {"min_size": 1, "max_size": pool_size, "timeout": pool_timeout}
    return {
        "ENGINE": "django.db.backends.postgresql",
        "NAME": name,
        "USER": unquote(parts.username or ""),
        "PASSWORD": unquote(parts.password or ""),
        "HOST": host,
        "PORT": str(port or ""),
        "OPTIONS": options,
        # A pool keeps connections itself; without one, keep a connection for a while.
        "CONN_MAX_AGE": 0 if pool_size else conn_max_age,
        # Check a connection before use (the pool checks it when lent): after the server
        # restarts, stale connections are dropped instead of failing a request.
        "CONN_HEALTH_CHECKS": True,
    }
