"""Reports through a reorganisation (core/handover.py), read from the plan's views only: the
open reports of an old unit move to its default successor (and that unit's province), each
with a "handover" step in its history and one audit row per batch."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.db import connection
from django.utils.translation import gettext_lazy as _

from haicap.core import audit
from haicap.core.actors import person_id
from haicap.core.audit import actor_label
from haicap.core.handover import Column, Count, HandOver, MoveContext, PlanRef, Total
from haicap.feedback.models import OPEN, Report, ReportEvent
from haicap.units.models import AdminUnit

COUNTS = """
SELECT s.predecessor_id, s.successor_id, 'reports', count(r.id)
FROM handover_succession s
JOIN feedback_report r ON r.unit_id = s.predecessor_id AND r.status = ANY(%(open)s)
WHERE s.plan_id = %(plan)s AND s.is_default
  AND s.predecessor_id <> s.successor_id
GROUP BY 1, 2
"""

PENDING = """
SELECT r.id
FROM feedback_report r
JOIN handover_succession s ON s.predecessor_id = r.unit_id AND s.is_default
  AND s.predecessor_id <> s.successor_id
JOIN units_adminunit n ON n.id = s.successor_id
WHERE s.plan_id = %(plan)s AND r.status = ANY(%(open)s) AND r.id > %(after)s
  AND (%(province)s::bigint IS NULL OR coalesce(n.province_id, n.id) = %(province)s)
ORDER BY r.id
LIMIT %(size)s
"""

SUCCESSORS = """
SELECT DISTINCT s.predecessor_id, s.successor_id
FROM handover_succession s
WHERE s.plan_id = %(plan)s AND s.is_default AND s.predecessor_id <> s.successor_id
  AND s.predecessor_id = ANY(%(units)s)
"""


class ReportHandOver(HandOver):
    def __init__(self) -> None:
        super().__init__(
            kind="feedback",
            columns=(
                Column("reports", _("Citizen reports"), "open_reports", _("Open citizen reports")),
            ),
            order=25,
        )

    def counts(self, plan: PlanRef, *, province_id: int | None) -> Iterable[Count]:
        with connection.cursor() as cursor:
            cursor.execute(COUNTS, {"plan": plan.id, "open": list(OPEN)})
            return [Count(old, new, column, n) for old, new, column, n in cursor.fetchall()]

    def totals(self, plan: PlanRef, *, province_id: int | None) -> Iterable[Total]:
        moved = ReportEvent.objects.filter(action="handover", data__plan=plan.id).count()
        return (Total("reports_moved", _("Citizen reports already moved"), moved),)

    def _pending(
        self, plan: PlanRef, *, after: int, size: int, province_id: int | None
    ) -> list[int]:
        params: dict[str, Any] = {
            "plan": plan.id,
            "open": list(OPEN),
            "after": after,
            "size": size,
            "province": province_id,
        }
        with connection.cursor() as cursor:
            cursor.execute(PENDING, params)
            return [row[0] for row in cursor.fetchall()]

    def next_batch(
        self, plan: PlanRef, *, after: int, size: int, province_id: int | None
    ) -> list[int]:
        return self._pending(plan, after=after, size=size, province_id=province_id)

    def remaining(self, plan: PlanRef, *, province_id: int | None) -> int:
        return len(self._pending(plan, after=0, size=1_000_000, province_id=province_id))

    def move(self, ids: list[int], ctx: MoveContext) -> int:
        reports = list(
            Report.objects.select_for_update(of=("self",))
            .select_related("unit")
            .filter(pk__in=ids, status__in=OPEN)
        )
        with connection.cursor() as cursor:
            cursor.execute(
                SUCCESSORS, {"plan": ctx.plan.id, "units": list({r.unit_id for r in reports})}
            )
            successor_of = dict(cursor.fetchall())
        units = AdminUnit.objects.in_bulk(set(successor_of.values()))
        events = []
        moved = 0
        for report in reports:
            new = units.get(successor_of.get(report.unit_id, 0))
            if new is None:
                continue
            old = report.unit
            Report.objects.filter(pk=report.pk).update(
                unit=new,
                province_id=new.province_id or new.pk,
                updated_at=ctx.at,
                version=report.version + 1,
            )
            events.append(
                ReportEvent(
                    report=report,
                    at=ctx.at,
                    action="handover",
                    status=report.status,
                    actor_id=person_id(ctx.actor),
                    actor_label=actor_label(ctx.actor),
                    from_unit=old,
                    to_unit=new,
                    note=f"{old.name} → {new.name}: {ctx.plan.name}"[:1000],
                    data={"plan": ctx.plan.id, "from": old.code, "to": new.code},
                )
            )
            moved += 1
        ReportEvent.objects.bulk_create(events)
        if moved:
            audit.record(
                "feedback.reorganise",
                actor=ctx.actor,
                subject_type="reorg_plan",
                subject_id=ctx.plan.id,
                unit_id=ctx.province_id,
                after={"reports_moved": moved},
            )
        return moved
