"""Where each pending dossier goes under a plan: one set-based INSERT … SELECT.

Rules, in order, for the unit responsible for the dossier:
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

from django.db import connection

from haicap.dossiers.models import OPEN_STATUSES
from haicap.reorg.models import ReorgPlan

PLACE = """
WITH predecessors AS (
    SELECT DISTINCT predecessor_id FROM reorg_plansuccession WHERE plan_id = %(plan)s
),
defaults AS (
    SELECT predecessor_id, successor_id FROM reorg_plansuccession
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
          SELECT 1 FROM reorg_placement p WHERE p.plan_id = %(plan)s AND p.dossier_id = d.id
      )
),
placed AS (
    SELECT pd.*,
        CASE
            WHEN pd.status = 9
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
        SELECT o.successor_id FROM reorg_planoverride o
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
            WHEN p.receiving_unit_id = p.responsible_unit_id AND p.status <> 9
                THEN p.new_responsible_id
            ELSE g.successor_id
        END AS new_receiving_id
    FROM placed p
    LEFT JOIN defaults g ON g.predecessor_id = p.receiving_unit_id
)
INSERT INTO reorg_placement (plan_id, dossier_id, status, old_responsible_id, old_receiving_id,
                             new_responsible_id, new_receiving_id, new_province_id, reason)
SELECT %(plan)s, t.id, t.status, t.responsible_unit_id, t.receiving_unit_id,
       CASE WHEN t.new_receiving_id IS NULL THEN NULL ELSE t.new_responsible_id END,
       t.new_receiving_id,
       CASE WHEN t.status = 9 THEN gr.province_id ELSE nr.province_id END,
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
"""


def place(plan: ReorgPlan, *, refresh: bool) -> int:
    """Place the plan's pending dossiers that have no placement; returns how many.

    ``refresh`` first forgets the placements not yet carried out, so a preview follows the
    dossiers as they are now.
    """
    with connection.cursor() as cursor:
        if refresh:
            cursor.execute(
                "DELETE FROM reorg_placement WHERE plan_id = %s AND moved_at IS NULL", [plan.pk]
            )
        cursor.execute(PLACE, {"plan": plan.pk, "open": list(OPEN_STATUSES)})
        placed = int(cursor.rowcount)
        if placed > 1000:
            # Fresh statistics before the preview's joins: planned as an empty table, they
            # took minutes instead of seconds on 200,000 placements.
            cursor.execute("ANALYZE reorg_placement")
        return placed
