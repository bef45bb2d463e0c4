"""A short-lived cache of registry answers: units are read constantly and change rarely.

Entries carry a registry version that a load or an admin edit bumps. With Redis every web
process sees the bump at once; with the in-process cache other processes see a change
within CACHE_SECONDS.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar, cast

from django.core.cache import cache

CACHE_SECONDS = 300
_VERSION_KEY = "units:registry-version"

T = TypeVar("T")


def _version() -> int:
    version = cache.get(_VERSION_KEY)
    if version is None:
        version = 1
        cache.set(_VERSION_KEY, version, None)
    return int(version)


def bump() -> None:
    """Forget every cached answer (the registry changed)."""
    cache.set(_VERSION_KEY, _version() + 1, None)


def cached(name: str, compute: Callable[[], T], *parts: Any) -> T:
    """The cached value of ``compute()`` under ``name`` and ``parts``."""
    key = ":".join(["units", str(_version()), name, *(str(part) for part in parts)])
    value = cache.get(key)
    if value is None:
        value = compute()
        cache.set(key, value, CACHE_SECONDS)
    return cast(T, value)
