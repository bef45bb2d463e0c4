"""Edits in the admin make cached registry answers stale."""

from __future__ import annotations

from typing import Any

from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from haicap.units import cache
from haicap.units.models import AdminUnit, ServiceCenter, Succession


@receiver([post_save, post_delete], sender=AdminUnit)
@receiver([post_save, post_delete], sender=Succession)
@receiver([post_save, post_delete], sender=ServiceCenter)
def registry_changed(sender: type, **kwargs: Any) -> None:
    cache.bump()
