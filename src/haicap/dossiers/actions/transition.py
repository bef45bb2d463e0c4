"""Moving a dossier along: lock the row, check state, role and version, write the change."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from haicap.core.actors import Actor, is_system
from haicap.core.calendar import calendar
from haicap.core.errors import Conflict, Forbidden, Invalid
from haicap.dossiers import access, history
from haicap.dossiers.models import Dossier
from haicap.dossiers.workflow import blocked

Compute = Callable[[Dossier, dt.datetime], dict[str, Any]]


def transition(
    dossier: Dossier,
    action: str,
    compute: Compute,
    *,
    actor: Actor,
    version: int | None,
    at: dt.datetime | None,
    note: str = "",
    data: dict[str, Any] | Callable[[Dossier], dict[str, Any]] | None = None,
    by_citizen: bool = False,
) -> Dossier:
    """Lock, check, apply ``compute``'s changes; ``data`` may be computed from the locked row."""
    at = at or timezone.now()
    with transaction.atomic():
        locked = (
            Dossier.objects.select_for_update()
            .select_related("procedure", "receiving_centre")
            .get(pk=dossier.pk)
        )
        if version is not None and locked.version != version:
            raise Conflict(
                _(
                    "Someone else changed dossier %(code)s a moment ago; "
                    "reload it to see the change."
                )
                % {"code": locked.code},
                code="stale_version",
            )
        reason = blocked(locked, action)
        if reason:
            raise Conflict(reason, code="not_allowed_now")
        if not by_citizen and not is_system(actor) and not access.may_act(actor, locked, action):
            raise Forbidden(_("Your role does not allow this action on this dossier."))
        details = data(locked) if callable(data) else data
        changes = compute(locked, at)
        if changes.get("finished_at"):
            changes.update(end_of_processing(locked, changes["finished_at"]))
        history.record(
            locked,
            action,
            actor=actor,
            at=at,
            from_status=locked.status,
            changes=changes,
            note=note,
            data=details,
        )
    return locked


def end_of_processing(dossier: Dossier, finished: dt.datetime) -> dict[str, Any]:
    """The processing time of a dossier that ends now, supplement waiting excluded.

    A dossier that ends while a supplement is awaited (stopped, withdrawn) has that wait
    taken out too, and its legal deadline moved by it, as a resumed one would.
    """
    if dossier.received_at is None:
        return {}
    clock = calendar()
    paused = dossier.paused_seconds
    changes: dict[str, Any] = {}
    if dossier.paused_at is not None:
        waiting = clock.working_seconds(dossier.paused_at, finished)
        paused += waiting
        if dossier.legal_due_at is not None:
            changes["legal_due_at"] = clock.add_working_seconds(dossier.legal_due_at, waiting)
    worked = clock.working_seconds(dossier.received_at, finished)
    changes["working_seconds"] = max(0, worked - paused)
    return changes


def required(text: str, field: str, message: str) -> str:
    cleaned = text.strip()
    if not cleaned:
        raise Invalid(message, field=field)
    return cleaned
