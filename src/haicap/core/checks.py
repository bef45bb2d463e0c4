"""System checks run by `migrate` (and so by `haicap setup`)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.apps import AppConfig
from django.conf import settings
from django.core.checks import CheckMessage, Error, Tags, Warning, register
from django.db import connections
from django.db.backends.postgresql.base import DatabaseWrapper as PostgresWrapper

MINIMUM_POSTGRESQL = 150000


@register(Tags.database)
def check_postgresql_version(
    *, app_configs: Sequence[AppConfig] | None, databases: Sequence[str] | None, **kwargs: Any
) -> list[CheckMessage]:
    """haicap needs PostgreSQL 15 or newer (NULLS NOT DISTINCT, MERGE, trusted extensions)."""
    problems: list[CheckMessage] = []
    for alias in databases or []:
        wrapper = connections[alias]
        if not isinstance(wrapper, PostgresWrapper):
            continue
        version = wrapper.pg_version
        if version < MINIMUM_POSTGRESQL:
            problems.append(
                Error(
                    f"PostgreSQL {version // 10000} on database {alias!r} is too old; "
                    "haicap needs PostgreSQL 15 or newer.",
                    id="haicap.E001",
                )
            )
    return problems


@register(Tags.security, deploy=True)
def check_shared_rate_limits(
    *, app_configs: Sequence[AppConfig] | None, **kwargs: Any
) -> list[CheckMessage]:
    """Without Redis every web process counts its own requests: limits multiply by processes."""
    if settings.REDIS_URL:
        return []
    return [
        Warning(
            "REDIS_URL is not set: rate limits (sign-in, lookups, filings) are counted per "
            "web process, so each client gets the limit once per process.",
            hint="Set REDIS_URL=redis://host:6379/0 in production (docs/security.md).",
            id="haicap.W001",
        )
    ]
