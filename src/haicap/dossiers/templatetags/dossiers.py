"""Template filters for dossier pages."""

from __future__ import annotations

from django import template

from haicap.dossiers.models import DossierEvent
from haicap.dossiers.names import event_actor_name
from haicap.dossiers.workflow import label_of

register = template.Library()


@register.filter
def action_label(action: str) -> str:
    """The officer's name for a timeline action ("accept" → "Tiếp nhận")."""
    return label_of(action)


@register.filter
def actor_name(event: DossierEvent) -> str:
    """Who did a timeline step, by full name ("Hệ thống" for the platform)."""
    return event_actor_name(event)
