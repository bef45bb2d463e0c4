"""Text messages to citizens through a gateway; which gateway is a setting (SMS_BACKEND)."""

from __future__ import annotations

import sys
from typing import Protocol

from django.conf import settings
from django.utils.module_loading import import_string

from haicap.core.logging import mask_personal_data


class SmsBackend(Protocol):
    def send(self, phone: str, text: str) -> None: ...


def masked(phone: str) -> str:
    """0912345678 -> 09******78: enough to recognise, not enough to call."""
    return phone[:2] + "*" * max(0, len(phone) - 4) + phone[-2:] if len(phone) > 4 else "****"


class ConsoleSmsBackend:
    """Prints messages instead of sending them (number, secrets, addresses masked): for demos."""

    def send(self, phone: str, text: str) -> None:
        sys.stdout.write(f"[SMS to {masked(phone)}] {mask_personal_data(text)}\n")
        sys.stdout.flush()


class MemorySmsBackend:
    """Keeps messages in ``outbox`` (tests)."""

    outbox: list[tuple[str, str]] = []

    def send(self, phone: str, text: str) -> None:
        MemorySmsBackend.outbox.append((phone, text))


def backend() -> SmsBackend:
    backend_class = import_string(settings.SMS_BACKEND)
    instance: SmsBackend = backend_class()
    return instance
