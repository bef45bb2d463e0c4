"""One history for every path: a dossier moved by the reorganisation's SQL gets the same
timeline event and audit row as the same move written through the ORM (dossiers/history.py)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.utils import timezone

from haicap.core.actors import SYSTEM
from haicap.core.models import AuditEvent
from haicap.dossiers import history
from haicap.dossiers.models import Dossier, DossierEvent
from haicap.reorg.actions import do_apply_plan
from haicap.reorg.models import ReorgPlan

pytestmark = pytest.mark.django_db


def _event(event: DossierEvent) -> dict[str, Any]:
    return {
        "seq": event.seq,
        "action": event.action,
        "actor_label": event.actor_label,
        "from_status": event.from_status,
        "to_status": event.to_status,
        "changes": event.changes,
    }


def _audit(dossier: Dossier, verb: str) -> dict[str, Any]:
    row = AuditEvent.objects.filter(subject_id=dossier.code, verb=verb).get()
    return {
        "actor_label": row.actor_label,
        "unit_id": row.unit_id,
        "before": row.before,
        "after": row.after,
    }


def test_the_sql_path_and_the_orm_path_write_the_same_rows(
    old_dossier: Callable[..., Dossier], plan: ReorgPlan
) -> None:
    by_sql, by_orm = old_dossier("00004"), old_dossier("00004")
    do_apply_plan(plan, actor=SYSTEM)
    by_sql.refresh_from_db()
    # The same move, through the ORM path, on the twin dossier.
    changes = {
        "receiving_unit_id": by_sql.receiving_unit_id,
        "responsible_unit_id": by_sql.responsible_unit_id,
        "province_id": by_sql.province_id,
    }
    twin = Dossier.objects.get(pk=by_orm.pk)
    # The engine moved both; put the twin back where it was and move it by hand.
    Dossier.objects.filter(pk=twin.pk).update(
        receiving_unit_id=by_orm.receiving_unit_id,
        responsible_unit_id=by_orm.responsible_unit_id,
        province_id=by_orm.province_id,
        version=by_orm.version,
    )
    DossierEvent.objects.filter(dossier=twin, action="move").delete()
    twin.refresh_from_db()
    history.record(
        twin,
        "move",
        actor=SYSTEM,
        at=timezone.now(),
        from_status=twin.status,
        changes=changes,
    )
    sql_event = by_sql.events.get(action="move")
    orm_event = twin.events.get(action="move")
    assert _event(sql_event) == _event(orm_event)
    assert sql_event.changes == changes
    sql_audit = _audit(by_sql, "dossier.move")
    orm_audit = AuditEvent.objects.filter(subject_id=twin.code, verb="dossier.move").latest("id")
    assert sql_audit == {
        "actor_label": orm_audit.actor_label,
        "unit_id": orm_audit.unit_id,
        "before": orm_audit.before,
        "after": orm_audit.after,
    }
    assert sql_audit["before"] == {
        "receiving_unit_id": by_orm.receiving_unit_id,
        "responsible_unit_id": by_orm.responsible_unit_id,
        "province_id": by_orm.province_id,
    }
