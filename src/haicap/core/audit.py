"""Writing the audit trail. Call inside the action's transaction so both commit or neither."""

from __future__ import annotations

from typing import Any

from haicap.core.actors import Actor, SystemActor, person_id
from haicap.core.models import AuditEvent


def actor_label(actor: Actor) -> str:
    if isinstance(actor, SystemActor):
        return actor.label
    if not actor.is_authenticated:
        return "anonymous"
    return str(actor.get_username())


def record(
    verb: str,
    *,
    actor: Actor,
    subject_type: str,
    subject_id: str | int = "",
    unit_id: int | None = None,
    before: dict[str, Any] | None = None,
    after: dict[str, Any] | None = None,
    ip: str | None = None,
) -> AuditEvent:
    return AuditEvent.objects.create(
        actor_id=person_id(actor),
        actor_label=actor_label(actor),
        unit_id=unit_id,
        subject_type=subject_type,
        subject_id=str(subject_id),
        verb=verb,
        before=before,
        after=after,
        ip=ip,
    )
