"""Template filters for dossier pages."""

from __future__ import annotations

from django import template

from haicap.dossiers.workflow import label_of

register = template.Library()


@register.filter
def action_label(action: str) -> str:
    """The officer's name for a timeline action ("accept" → "Tiếp nhận")."""
    return label_of(action)
