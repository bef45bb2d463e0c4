"""System checks run by `migrate` (and so by `haicap setup`)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.apps import AppConfig
from django.core.checks import CheckMessage, Error, Tags, register
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
