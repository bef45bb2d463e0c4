"""Tracking codes, secrets and Open311 tokens for reports."""

from __future__ import annotations

import secrets

from django.utils import timezone

# No 0/O, 1/I/L: codes are read out on the phone.
ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"


def _random(length: int) -> str:
    return "".join(secrets.choice(ALPHABET) for _ in range(length))


def new_code() -> str:
    """PA + year + 7 characters, e.g. PA26-K7M2Q9X (collisions are retried by the caller)."""
    return f"PA{timezone.localdate():%y}-{_random(7)}"


def new_secret() -> str:
    return _random(8)


def new_token() -> str:
    return secrets.token_urlsafe(18)
