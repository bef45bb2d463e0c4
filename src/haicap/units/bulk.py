"""The registry's own part of a reorganisation: service centres follow their unit (as the
successor's reception points), the old units close, and the successions are recorded."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

from django.db import connection
from django.utils.translation import gettext_lazy as _

from haicap.core import audit
from haicap.core.handover import Column, Count, HandOver, MoveContext, PlanRef
from haicap.units import cache as registry_cache

CENTRE_COUNTS = """
SELECT s.predecessor_id, s.successor_id, count(c.id)
FROM handover_succession s
JOIN units_servicecenter c ON c.unit_id = s.predecessor_id
WHERE s.plan_id = %(plan)s AND s.is_default
GROUP BY 1, 2
"""

MOVE_CENTRES = """
UPDATE units_servicecenter c
SET unit_id = s.successor_id,
    kind = 'reception_point',
    parent_id = (
        SELECT x.id FROM units_servicecenter x
        WHERE x.unit_id = s.successor_id AND x.kind IN ('commune', 'provincial') AND x.id <> c.id
        ORDER BY x.is_active DESC, x.id LIMIT 1
    )
FROM handover_succession s
WHERE s.plan_id = %(plan)s AND s.is_default AND c.unit_id = s.predecessor_id
  AND s.predecessor_id = ANY(%(units)s)
"""

CLOSE_UNITS = """
UPDATE units_adminunit SET valid_to = %(last_day)s
WHERE id = ANY(%(units)s) AND (valid_to IS NULL OR valid_to > %(last_day)s)
"""

RECORD_SUCCESSIONS = """
INSERT INTO units_succession (predecessor_id, successor_id, effective_date, kind, is_default,
                              legal_basis)
SELECT s.predecessor_id, s.successor_id, %(day)s, s.kind, s.is_default, %(basis)s
FROM handover_succession s
WHERE s.plan_id = %(plan)s AND s.predecessor_id = ANY(%(units)s)
  AND NOT EXISTS (SELECT 1 FROM units_succession x WHERE x.predecessor_id = s.predecessor_id)
"""


class ServiceCentreHandOver(HandOver):
    """Old units' desks become reception points of the successor's centre."""

    def __init__(self) -> None:
        super().__init__(
            kind="centres",
            columns=(Column("centres", _("Centres"), "service_centres", _("Service centres")),),
            order=85,
        )

    def counts(self, plan: PlanRef, *, province_id: int | None) -> Iterable[Count]:
        if self.kind in plan.skip:
            return []
        with connection.cursor() as cursor:
            cursor.execute(CENTRE_COUNTS, {"plan": plan.id})
            return [Count(old, new, "centres", n) for old, new, n in cursor.fetchall()]

    def follow(self, ctx: MoveContext) -> int:
        if self.kind in ctx.plan.skip or not ctx.units:
            return 0
        with connection.cursor() as cursor:
            cursor.execute(MOVE_CENTRES, {"plan": ctx.plan.id, "units": list(ctx.units)})
            moved = int(cursor.rowcount)
        audit.record(
            "units.centres_reorganise",
            actor=ctx.actor,
            subject_type="reorg_plan",
            subject_id=ctx.plan.id,
            unit_id=ctx.province_id,
            after={"centres_moved": moved},
        )
        registry_cache.bump()
        return moved


def close_units(ctx: MoveContext) -> int:
    """The plan's old units end the day before it takes effect, with their successions
    recorded in the registry (idempotent); returns how many units closed."""
    params: dict[str, Any] = {
        "plan": ctx.plan.id,
        "units": list(ctx.units),
        "last_day": ctx.plan.effective_date - dt.timedelta(days=1),
        "day": ctx.plan.effective_date,
        "basis": ctx.plan.legal_basis[:300],
    }
    with connection.cursor() as cursor:
        cursor.execute(CLOSE_UNITS, params)
        closed = int(cursor.rowcount)
        cursor.execute(RECORD_SUCCESSIONS, params)
        recorded = int(cursor.rowcount)
    if closed or recorded:
        audit.record(
            "units.reorganise",
            actor=ctx.actor,
            subject_type="reorg_plan",
            subject_id=ctx.plan.id,
            unit_id=ctx.province_id,
            after={"units_closed": closed, "successions_recorded": recorded},
        )
    registry_cache.bump()
    return closed
