"""Edits of announced calendar days take effect at once in this process."""

from __future__ import annotations

from typing import Any

from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from haicap.core.calendar import forget_overrides
from haicap.core.models import CalendarDay


@receiver([post_save, post_delete], sender=CalendarDay)
def calendar_changed(sender: type, **kwargs: Any) -> None:
    forget_overrides()
