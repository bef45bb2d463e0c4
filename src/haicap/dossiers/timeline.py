"""A dossier's state as JSON, and its state rebuilt by replaying its events."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any, cast

from django.db import models

from haicap.dossiers.models import Dossier, DossierEvent

_DATETIME_FIELDS = {
    field.attname
    for field in Dossier._meta.concrete_fields
    if isinstance(field, models.DateTimeField)
}


def to_json(field: str, value: Any) -> Any:
    if isinstance(value, dt.datetime):
        return value.isoformat()
    return value


def from_json(field: str, value: Any) -> Any:
    if field in _DATETIME_FIELDS and isinstance(value, str):
        return dt.datetime.fromisoformat(value)
    return value


def initial_state() -> dict[str, Any]:
    """The state fields before any event: each field's model default."""
    state: dict[str, Any] = {}
    for name in Dossier.STATE_FIELDS:
        field = cast("models.Field[Any, Any]", Dossier._meta.get_field(name.removesuffix("_id")))
        state[name] = None if field.null or field.is_relation else field.get_default()
    return state


def state_of(dossier: Dossier) -> dict[str, Any]:
    return {name: getattr(dossier, name) for name in Dossier.STATE_FIELDS}


def replay(events: Iterable[DossierEvent]) -> dict[str, Any]:
    """Apply every event's changes in order, from the initial state."""
    state = initial_state()
    for event in events:
        for field, value in event.changes.items():
            state[field] = from_json(field, value)
    return state
