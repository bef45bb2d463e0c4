"""Cached public answers about a dossier, forgotten when the dossier changes."""

from __future__ import annotations

from django.core.cache import cache


def public_key(code: str) -> str:
    return f"public-dossier:{code}"


def forget(code: str) -> None:
    from django.conf import settings

    cache.delete_many([f"{public_key(code)}:{language}" for language, _name in settings.LANGUAGES])
