"""A dossier's history, defined once: the timeline event and the audit row of every change.

Every change to a dossier writes both, in the change's transaction:
- the **event** (``DossierEvent``): sequence number = the dossier's new version, the action,
  who, the status before and after, a note, the fields set (``changes``, replayable) and
  what else the action says (``data``);
- the **audit row** (``AuditEvent``): verb ``dossier.<action>``, the dossier's code, its
  responsible unit, ``before`` = the changed fields' previous values (none for a new
  dossier) and ``after`` = the fields set.

Three paths write them: an action on one dossier (``record``, through the ORM), an import of
many new dossiers (``write_new``), and a set-based move of many dossiers in one SQL statement
(``MOVED_SQL``). ``dossiers/tests/test_history.py`` holds the ORM and SQL paths to the same
rows.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

from django.db import transaction

from haicap.core import audit
from haicap.core.actors import Actor, person_id
from haicap.core.models import AuditEvent
from haicap.dossiers import cache as dossier_cache
from haicap.dossiers import tasks
from haicap.dossiers.models import Dossier, DossierEvent
from haicap.dossiers.timeline import to_json


def record(
    dossier: Dossier,
    action: str,
    *,
    actor: Actor,
    at: dt.datetime,
    from_status: int | None,
    changes: dict[str, Any],
    note: str = "",
    data: dict[str, Any] | None = None,
) -> DossierEvent:
    """Apply ``changes`` to the dossier and save them with its version; write the history."""
    created = dossier.pk is None
    before = None if created else {f: to_json(f, getattr(dossier, f)) for f in changes}
    for field, value in changes.items():
        setattr(dossier, field, value)
    dossier.version += 1
    if created:
        dossier.save()
    else:
        dossier.save(update_fields=[*changes, "version"])
    after = {field: to_json(field, value) for field, value in changes.items()}
    event = DossierEvent.objects.create(
        dossier=dossier,
        seq=dossier.version,
        at=at,
        action=action,
        actor_id=person_id(actor),
        actor_label=audit.actor_label(actor),
        from_status=from_status,
        to_status=dossier.status,
        note=note,
        changes=after,
        data=data or {},
    )
    audit.record(
        f"dossier.{action}",
        actor=actor,
        subject_type="dossier",
        subject_id=dossier.code,
        unit_id=dossier.responsible_unit_id,
        before=before,
        after=after,
    )
    tasks.enqueue_notification(event)
    code = dossier.code
    transaction.on_commit(lambda: dossier_cache.forget(code))
    return event


def write_new(
    pairs: Sequence[tuple[Dossier, DossierEvent]], *, actor: Actor, audit_after: dict[str, Any]
) -> None:
    """Save new dossiers with their first events and audit rows, in bulk (the importer)."""
    Dossier.objects.bulk_create([dossier for dossier, _event in pairs])
    DossierEvent.objects.bulk_create([event for _dossier, event in pairs])
    label = audit.actor_label(actor)
    AuditEvent.objects.bulk_create(
        AuditEvent(
            actor_id=person_id(actor),
            actor_label=label,
            unit_id=dossier.responsible_unit_id,
            subject_type="dossier",
            subject_id=dossier.code,
            verb=f"dossier.{event.action}",
            before=None,
            after={**event.changes, **audit_after},
        )
        for dossier, event in pairs
    )


# The SQL path, for one statement changing many dossiers. It follows a CTE named ``changed``
# with one row per dossier changed: id, code, version (the new one), from_status, to_status,
# unit_id (responsible, after), changes (jsonb: fields set), before (jsonb: their previous
# values) and data (jsonb). Parameters: at, action, actor, actor_id, note.
MOVED_SQL = """
events AS (
    INSERT INTO dossiers_dossierevent (dossier_id, seq, at, action, actor_id, actor_label,
                                       from_status, to_status, note, changes, data)
    SELECT c.id, c.version, %(at)s, %(action)s, %(actor_id)s::integer, %(actor)s,
           c.from_status, c.to_status, %(note)s, c.changes, c.data
    FROM changed c
    RETURNING 1
),
audited AS (
    INSERT INTO core_auditevent (at, actor_id, actor_label, unit_id, subject_type, subject_id,
                                 verb, before, after)
    SELECT %(at)s, %(actor_id)s::integer, %(actor)s, c.unit_id, 'dossier', c.code,
           'dossier.' || %(action)s, c.before, c.changes
    FROM changed c
    RETURNING 1
)
"""


def forget_cached(codes: Sequence[str]) -> None:
    """After the statement's commit, the public answers of the dossiers it changed."""
    codes = list(codes)

    def forget() -> None:
        for code in codes:
            dossier_cache.forget(code)

    transaction.on_commit(forget)
