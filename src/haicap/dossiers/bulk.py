"""Dossiers through a reorganisation: placed with one INSERT … SELECT, moved in batches of one
UPDATE each, with their history written by the same statement (history.MOVED_SQL).

Where a pending dossier goes, for the unit responsible for it, in order:
1. a result already processed (status 9) stays with the unit that did it; only the desk that
   hands it over moves;
2. a per-procedure (or per-sector) override of the plan for a split unit;
3. a district that disappears, for a procedure now handled by communes: the successor of the
   applicant's commune (or that commune if it is still in force), else of the receiving commune;
4. otherwise the unit's default successor.
The receiving desk moves with the responsible unit when they were the same unit, else to its
own default successor. What cannot be placed keeps an empty target and a reason, listed in the
preview, never guessed.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.db import connection
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from haicap.core.actors import person_id
from haicap.core.audit import actor_label
from haicap.core.handover import Column, Count, HandOver, MoveContext, PlanRef, Total, Unplaced
from haicap.dossiers import history, tasks
from haicap.dossiers.models import OPEN_STATUSES, DossierPlacement, Status

# A processed result (status 9) stays with the unit that did it; only its desk moves.
PROCESSED = int(Status.PROCESSED)

PLACE = f"""
WITH predecessors AS (
    SELECT DISTINCT predecessor_id FROM handover_succession WHERE plan_id = %(plan)s
),
defaults AS (
    SELECT predecessor_id, successor_id FROM handover_succession
    WHERE plan_id = %(plan)s AND is_default
),
pending AS (
    SELECT d.id, d.status, d.procedure_id, pr.sector, pr.competent_tier, d.applicant_unit_id,
           d.responsible_unit_id, d.receiving_unit_id, ru.tier AS responsible_tier
    FROM dossiers_dossier d
    JOIN procedures_procedure pr ON pr.id = d.procedure_id
    JOIN units_adminunit ru ON ru.id = d.responsible_unit_id
    WHERE d.status = ANY(%(open)s)
      AND (d.responsible_unit_id IN (SELECT predecessor_id FROM predecessors)
           OR d.receiving_unit_id IN (SELECT predecessor_id FROM predecessors))
      AND NOT EXISTS (
          SELECT 1 FROM dossiers_dossierplacement p
          WHERE p.plan_id = %(plan)s AND p.dossier_id = d.id
      )
),
placed AS (
    SELECT pd.*,
        CASE
            WHEN pd.status = {PROCESSED}
                 OR pd.responsible_unit_id NOT IN (SELECT predecessor_id FROM predecessors)
                THEN pd.responsible_unit_id
            WHEN ov.successor_id IS NOT NULL THEN ov.successor_id
            WHEN pd.responsible_tier = 'district' AND pd.competent_tier = 'commune' THEN COALESCE(
                app.successor_id,
                CASE WHEN au.tier = 'commune' AND au.valid_to IS NULL THEN au.id END,
                CASE WHEN gu.tier = 'commune' THEN rec.successor_id END
            )
            ELSE dr.successor_id
        END AS new_responsible_id
    FROM pending pd
    LEFT JOIN defaults dr ON dr.predecessor_id = pd.responsible_unit_id
    LEFT JOIN defaults app ON app.predecessor_id = pd.applicant_unit_id
    LEFT JOIN units_adminunit au ON au.id = pd.applicant_unit_id
    LEFT JOIN defaults rec ON rec.predecessor_id = pd.receiving_unit_id
    LEFT JOIN units_adminunit gu ON gu.id = pd.receiving_unit_id
    LEFT JOIN LATERAL (
        SELECT o.successor_id FROM handover_override o
        WHERE o.plan_id = %(plan)s AND o.predecessor_id = pd.responsible_unit_id
          AND (o.procedure_id = pd.procedure_id
               OR (o.procedure_id IS NULL AND o.sector = pd.sector))
        ORDER BY o.procedure_id NULLS LAST
        LIMIT 1
    ) ov ON true
),
targets AS (
    SELECT p.*,
        CASE
            WHEN p.receiving_unit_id NOT IN (SELECT predecessor_id FROM predecessors)
                THEN p.receiving_unit_id
            WHEN p.receiving_unit_id = p.responsible_unit_id AND p.status <> {PROCESSED}
                THEN p.new_responsible_id
            ELSE g.successor_id
        END AS new_receiving_id
    FROM placed p
    LEFT JOIN defaults g ON g.predecessor_id = p.receiving_unit_id
)
INSERT INTO dossiers_dossierplacement (plan_id, dossier_id, status, old_responsible_id,
                                       old_receiving_id, new_responsible_id, new_receiving_id,
                                       new_province_id, reason)
SELECT %(plan)s, t.id, t.status, t.responsible_unit_id, t.receiving_unit_id,
       CASE WHEN t.new_receiving_id IS NULL THEN NULL ELSE t.new_responsible_id END,
       t.new_receiving_id,
       CASE WHEN t.status = {PROCESSED} THEN gr.province_id ELSE nr.province_id END,
       CASE
           WHEN t.new_responsible_id IS NULL AND t.responsible_tier = 'district'
               THEN 'district dossier of a commune procedure: no commune to hand it to'
           WHEN t.new_responsible_id IS NULL THEN 'the responsible unit has no default successor'
           WHEN t.new_receiving_id IS NULL THEN 'the receiving unit has no default successor'
           ELSE ''
       END
FROM targets t
LEFT JOIN units_adminunit nr ON nr.id = t.new_responsible_id
LEFT JOIN units_adminunit gr ON gr.id = t.new_receiving_id
-- A dossier of a unit that continues (a "continue" row) stays where it is: no move, no notice.
WHERE t.new_responsible_id IS DISTINCT FROM t.responsible_unit_id
   OR t.new_receiving_id IS DISTINCT FROM t.receiving_unit_id
"""

# Each placement counts once, under the unit whose work it was: its responsible unit when
# that changes, else its desk (a processed result: only the desk moves).
COUNTS = f"""
SELECT CASE WHEN status <> {PROCESSED} AND old_responsible_id <> new_responsible_id
            THEN old_responsible_id ELSE old_receiving_id END,
       CASE WHEN status <> {PROCESSED} AND old_responsible_id <> new_responsible_id
            THEN new_responsible_id ELSE new_receiving_id END,
       CASE WHEN status = {PROCESSED} THEN 'results' ELSE 'dossiers' END,
       count(*)
FROM dossiers_dossierplacement
WHERE plan_id = %(plan)s AND moved_at IS NULL AND new_responsible_id IS NOT NULL
  AND (%(province)s::bigint IS NULL OR new_province_id = %(province)s)
GROUP BY 1, 2, 3
"""

TOTALS = """
SELECT count(*) FILTER (WHERE moved_at IS NULL AND new_responsible_id IS NULL),
       count(*) FILTER (WHERE moved_at IS NOT NULL)
FROM dossiers_dossierplacement
WHERE plan_id = %(plan)s AND (%(province)s::bigint IS NULL OR new_province_id = %(province)s
                              OR new_province_id IS NULL)
"""

TIER_GONE = """
SELECT nr.tier, count(*)
FROM dossiers_dossierplacement p
JOIN units_adminunit o ON o.id = p.old_responsible_id
LEFT JOIN units_adminunit nr ON nr.id = p.new_responsible_id
WHERE p.plan_id = %(plan)s AND p.moved_at IS NULL AND o.tier = 'district'
  AND (%(province)s::bigint IS NULL OR p.new_province_id = %(province)s
       OR p.new_province_id IS NULL)
GROUP BY 1
"""

UNPLACED = """
SELECT d.code, o.id, p.reason
FROM dossiers_dossierplacement p
JOIN dossiers_dossier d ON d.id = p.dossier_id
JOIN units_adminunit o ON o.id = p.old_responsible_id
WHERE p.plan_id = %(plan)s AND p.moved_at IS NULL AND p.new_responsible_id IS NULL
  AND (%(province)s::bigint IS NULL OR o.province_id IN (
      SELECT predecessor_id FROM handover_succession
      WHERE plan_id = %(plan)s AND successor_id = %(province)s))
ORDER BY d.code
LIMIT %(limit)s
"""

MOVE = f"""
WITH batch AS (
    SELECT p.*, d.province_id AS old_province_id
    FROM dossiers_dossierplacement p JOIN dossiers_dossier d ON d.id = p.dossier_id
    WHERE p.id = ANY(%(ids)s) AND p.moved_at IS NULL AND p.new_responsible_id IS NOT NULL
    FOR UPDATE OF p
),
moved AS (
    UPDATE dossiers_dossier d
    SET responsible_unit_id = b.new_responsible_id,
        receiving_unit_id = b.new_receiving_id,
        province_id = b.new_province_id,
        version = d.version + 1
    FROM batch b
    WHERE d.id = b.dossier_id AND d.status = b.status
      AND d.responsible_unit_id = b.old_responsible_id
      AND d.receiving_unit_id = b.old_receiving_id
    RETURNING d.id, d.code, d.version, d.status, b.id AS placement_id, b.old_responsible_id,
              b.old_receiving_id, b.old_province_id, b.new_responsible_id, b.new_receiving_id,
              b.new_province_id
),
changed AS (
    SELECT m.id, m.code, m.version, m.status AS from_status, m.status AS to_status,
           m.new_responsible_id AS unit_id,
           jsonb_build_object('receiving_unit_id', m.new_receiving_id,
                              'responsible_unit_id', m.new_responsible_id,
                              'province_id', m.new_province_id) AS changes,
           jsonb_build_object('receiving_unit_id', m.old_receiving_id,
                              'responsible_unit_id', m.old_responsible_id,
                              'province_id', m.old_province_id) AS before,
           jsonb_build_object('plan', %(plan)s, 'plan_name', %(name)s,
                              'from_responsible_unit_id', m.old_responsible_id,
                              'from_receiving_unit_id', m.old_receiving_id,
                              'from_name', o.name, 'to_name', n.name) AS data
    FROM moved m
    JOIN units_adminunit o ON o.id = m.old_receiving_id
    JOIN units_adminunit n ON n.id = m.new_receiving_id
),
{history.MOVED_SQL},
marked AS (
    UPDATE dossiers_dossierplacement p SET moved_at = %(at)s
    FROM moved m WHERE p.id = m.placement_id
    RETURNING p.id
),
stale AS (
    -- Dossiers that changed since they were placed: placed again in the next round.
    -- NOT IN over the moved ids is hashed; an anti-join here was planned as a nested loop
    -- over 20,000 × 20,000 rows (the CTE's size is unknown to the planner).
    DELETE FROM dossiers_dossierplacement p USING batch b
    WHERE p.id = b.id AND b.id NOT IN (SELECT placement_id FROM moved)
    RETURNING p.id
)
SELECT (SELECT count(*) FROM marked), (SELECT count(*) FROM events),
       (SELECT count(*) FROM audited), (SELECT coalesce(array_agg(code), '{{}}') FROM moved)
"""


class DossierHandOver(HandOver):
    """Pending dossiers and results not yet returned go to the successor units."""

    def __init__(self) -> None:
        super().__init__(
            kind="dossiers",
            columns=(
                Column("dossiers", _("Dossiers"), "pending_dossiers", _("Pending dossiers")),
                Column(
                    "results", _("Results"), "results_not_returned", _("Results not yet returned")
                ),
            ),
            order=10,
        )

    def place(self, plan: PlanRef, *, refresh: bool) -> None:
        with connection.cursor() as cursor:
            if refresh:
                cursor.execute(
                    "DELETE FROM dossiers_dossierplacement WHERE plan_id = %s AND moved_at IS NULL",
                    [plan.id],
                )
            cursor.execute(PLACE, {"plan": plan.id, "open": list(OPEN_STATUSES)})
            if cursor.rowcount > 1000:
                # Fresh statistics before the preview's joins: planned as an empty table, they
                # took minutes instead of seconds on 200,000 placements.
                cursor.execute("ANALYZE dossiers_dossierplacement")

    def discard(self, plan: PlanRef) -> None:
        with connection.cursor() as cursor:
            cursor.execute("DELETE FROM dossiers_dossierplacement WHERE plan_id = %s", [plan.id])

    def counts(self, plan: PlanRef, *, province_id: int | None) -> Iterable[Count]:
        with connection.cursor() as cursor:
            cursor.execute(COUNTS, {"plan": plan.id, "province": province_id})
            return [Count(old, new, column, n) for old, new, column, n in cursor.fetchall()]

    def totals(self, plan: PlanRef, *, province_id: int | None) -> Iterable[Total]:
        with connection.cursor() as cursor:
            cursor.execute(TOTALS, {"plan": plan.id, "province": province_id})
            unplaced, moved = cursor.fetchone()
        return (
            Total("cannot_be_placed", _("Cannot be placed"), unplaced, alert=True),
            Total("already_moved", _("Already moved"), moved),
        )

    def unplaced(self, plan: PlanRef, *, province_id: int | None, limit: int) -> list[Unplaced]:
        with connection.cursor() as cursor:
            cursor.execute(UNPLACED, {"plan": plan.id, "province": province_id, "limit": limit})
            return [
                Unplaced(code, unit, reason, reverse("staff:dossier", args=[code]))
                for code, unit, reason in cursor.fetchall()
            ]

    def details(self, plan: PlanRef, *, province_id: int | None) -> dict[str, Any]:
        with connection.cursor() as cursor:
            cursor.execute(TIER_GONE, {"plan": plan.id, "province": province_id})
            district = {tier or "unplaced": count for tier, count in cursor.fetchall()}
        return {"district_dossiers_by_new_tier": district}

    def next_batch(
        self, plan: PlanRef, *, after: int, size: int, province_id: int | None
    ) -> list[int]:
        found = DossierPlacement.objects.filter(
            plan_id=plan.id, id__gt=after, moved_at__isnull=True, new_responsible__isnull=False
        )
        if province_id is not None:
            found = found.filter(new_province_id=province_id)
        return list(found.order_by("id").values_list("id", flat=True)[:size])

    def move(self, ids: list[int], ctx: MoveContext) -> int:
        params: dict[str, Any] = {
            "ids": ids,
            "at": ctx.at,
            "action": "move",
            "actor": actor_label(ctx.actor),
            "actor_id": person_id(ctx.actor),
            "note": f"{ctx.plan.name} ({ctx.plan.legal_basis})"[:1000],
            "plan": ctx.plan.id,
            "name": ctx.plan.name,
        }
        with connection.cursor() as cursor:
            cursor.execute(MOVE, params)
            moved, _events, _audited, codes = cursor.fetchone()
        if moved:
            tasks.notify_dossiers_moved.defer(
                plan_name=ctx.plan.name, first_placement=ids[0], last_placement=ids[-1]
            )
            history.forget_cached(codes)
        return int(moved)

    def remaining(self, plan: PlanRef, *, province_id: int | None) -> int:
        found = DossierPlacement.objects.filter(
            plan_id=plan.id, moved_at__isnull=True, new_responsible__isnull=False
        )
        if province_id is not None:
            found = found.filter(new_province_id=province_id)
        return found.count()
