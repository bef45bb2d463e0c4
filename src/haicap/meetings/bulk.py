"""Connection points through a reorganisation (core/handover.py), read from the plan's views.

Of the points of the communes merged into one, the successor keeps one: its own if it has one
already, otherwise the first of its predecessors' points, re-mapped to it; the others are
retired, naming the kept point as their successor. A merged province's hub stays a hub of the
new province (Hải Dương's hall in the new Hải Phòng). Meetings already scheduled or running
are not touched: their invitations and join tokens keep working to the end.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from django.db import connection
from django.db.models import F
from django.utils.translation import gettext_lazy as _

from haicap.core import audit
from haicap.core.handover import Column, Count, HandOver, MoveContext, PlanRef
from haicap.meetings.models import ConnectionPoint, PointKind

POINTS = """
SELECT p.id, p.kind, s.predecessor_id, s.successor_id, n.tier, coalesce(n.province_id, n.id)
FROM handover_succession s
JOIN meetings_connectionpoint p ON p.unit_id = s.predecessor_id AND p.is_active
JOIN units_adminunit n ON n.id = s.successor_id
WHERE s.plan_id = %(plan)s AND s.is_default AND s.predecessor_id <> s.successor_id
  AND (%(units)s::bigint[] IS NULL OR s.predecessor_id = ANY(%(units)s))
ORDER BY p.id
"""


@dataclass(frozen=True)
class Decision:
    point: int
    old_unit: int
    new_unit: int
    new_province: int
    action: str  # "keep" (re-mapped), "hub" (a province's hub, now another hub), "retire"
    target: int | None = None  # the kept point, for a retired one


def decide(plan_id: int, units: Iterable[int] | None = None) -> list[Decision]:
    with connection.cursor() as cursor:
        cursor.execute(
            POINTS, {"plan": plan_id, "units": list(units) if units is not None else None}
        )
        rows = cursor.fetchall()
    successors = {row[3] for row in rows}
    # Successors that have their own point already (a unit created before its points moved).
    own = dict(
        ConnectionPoint.objects.filter(
            unit_id__in=successors,
            is_active=True,
            kind__in=[PointKind.COMMUNE, PointKind.PROVINCIAL_HUB],
        )
        .exclude(pk__in=[row[0] for row in rows])
        .values_list("unit_id", "pk")
    )
    kept: dict[int, int] = {}
    decisions = []
    for point, kind, old, new, tier, province in rows:
        if kind == PointKind.HUB:
            decisions.append(Decision(point, old, new, province, "hub"))
            continue
        target = own.get(new) or kept.get(new)
        if target is not None and tier == "province":
            # A merged province's own hub: another hub of the new province from now on.
            decisions.append(Decision(point, old, new, province, "hub"))
        elif target is None:
            kept[new] = point
            decisions.append(Decision(point, old, new, province, "keep"))
        else:
            decisions.append(Decision(point, old, new, province, "retire", target))
    return decisions


class PointHandOver(HandOver):
    def __init__(self) -> None:
        super().__init__(
            kind="connection_points",
            columns=(
                Column("points_kept", _("Points kept"), "points_kept", _("Connection points kept")),
                Column(
                    "points_retired",
                    _("Points retired"),
                    "points_retired",
                    _("Connection points retired"),
                ),
            ),
            order=70,
        )

    def counts(self, plan: PlanRef, *, province_id: int | None) -> Iterable[Count]:
        cells: dict[tuple[int, int, str], int] = defaultdict(int)
        for d in decide(plan.id):
            if province_id is not None and d.new_province != province_id:
                continue
            column = "points_retired" if d.action == "retire" else "points_kept"
            cells[(d.old_unit, d.new_unit, column)] += 1
        return [Count(old, new, column, n) for (old, new, column), n in cells.items()]

    def follow(self, ctx: MoveContext) -> int:
        if not ctx.units:
            return 0
        decisions = decide(ctx.plan.id, ctx.units)
        retired_on = ctx.plan.effective_date - dt.timedelta(days=1)
        by_action: dict[str, int] = defaultdict(int)
        for d in decisions:
            found = ConnectionPoint.objects.filter(pk=d.point, is_active=True)
            if d.action == "retire":
                found.update(
                    is_active=False,
                    retired_on=retired_on,
                    successor_id=d.target,
                    version=F("version") + 1,
                )
            else:
                fields: dict[str, object] = {"unit_id": d.new_unit, "province_id": d.new_province}
                if d.action == "hub":
                    fields["kind"] = PointKind.HUB
                found.update(**fields, version=F("version") + 1)
            by_action[d.action] += 1
        if decisions:
            audit.record(
                "meetings.points_reorganise",
                actor=ctx.actor,
                subject_type="reorg_plan",
                subject_id=ctx.plan.id,
                unit_id=ctx.province_id,
                after=dict(by_action),
            )
        return len(decisions)
