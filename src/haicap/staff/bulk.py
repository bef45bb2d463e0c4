"""Officers' role assignments through a reorganisation: they follow their unit's default
successor once its pending work has moved; the old unit's assignments are retired."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.db import connection
from django.utils.translation import gettext_lazy as _

from haicap.core import audit
from haicap.core.handover import Column, Count, HandOver, MoveContext, PlanRef

COUNTS = """
SELECT s.predecessor_id, s.successor_id, count(ra.id)
FROM handover_succession s
JOIN staff_roleassignment ra ON ra.unit_id = s.predecessor_id AND ra.is_active
WHERE s.plan_id = %(plan)s AND s.is_default
GROUP BY 1, 2
"""

MOVE = """
WITH moved AS (
    INSERT INTO staff_roleassignment (user_id, unit_id, role, is_active, created_at)
    SELECT ra.user_id, s.successor_id, ra.role, true, %(at)s
    FROM staff_roleassignment ra
    JOIN handover_succession s ON s.predecessor_id = ra.unit_id AND s.is_default
    WHERE s.plan_id = %(plan)s AND ra.is_active AND s.predecessor_id = ANY(%(units)s)
    ON CONFLICT (user_id, unit_id, role) DO UPDATE SET is_active = true
    RETURNING 1
)
SELECT count(*) FROM moved
"""

RETIRE = """
UPDATE staff_roleassignment SET is_active = false
WHERE is_active AND unit_id = ANY(%(units)s)
"""


class RoleAssignmentHandOver(HandOver):
    def __init__(self) -> None:
        super().__init__(
            kind="staff",
            columns=(
                Column("staff", _("Staff"), "staff_assignments", _("Staff role assignments")),
            ),
            order=80,
        )

    def counts(self, plan: PlanRef, *, province_id: int | None) -> Iterable[Count]:
        if self.kind in plan.skip:
            return []
        with connection.cursor() as cursor:
            cursor.execute(COUNTS, {"plan": plan.id})
            return [Count(old, new, "staff", n) for old, new, n in cursor.fetchall()]

    def follow(self, ctx: MoveContext) -> int:
        if self.kind in ctx.plan.skip or not ctx.units:
            return 0
        params: dict[str, Any] = {"plan": ctx.plan.id, "units": list(ctx.units), "at": ctx.at}
        with connection.cursor() as cursor:
            cursor.execute(MOVE, params)
            moved = int(cursor.fetchone()[0])
            cursor.execute(RETIRE, params)
            retired = int(cursor.rowcount)
        audit.record(
            "staff.reorganise",
            actor=ctx.actor,
            subject_type="reorg_plan",
            subject_id=ctx.plan.id,
            unit_id=ctx.province_id,
            after={"assignments_given": moved, "assignments_retired": retired},
        )
        return moved
