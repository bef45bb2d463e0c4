"""DATABASE_URL to Django's DATABASES entry (PostgreSQL only)."""

from __future__ import annotations

from typing import Any
from urllib.parse import parse_qsl, unquote, urlsplit

from django.core.exceptions import ImproperlyConfigured


def database_settings(url: str, *, pool_size: int, conn_max_age: int = 60) -> dict[str, Any]:
    """A DATABASES["default"] dict for a postgres:// URL; ``pool_size`` 0 disables pooling."""
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
    if pool_size:
        options["pool"] = {"min_size": 1, "max_size": pool_size, "timeout": 10}
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
        "CONN_HEALTH_CHECKS": not pool_size,
    }
