"""What a plan will move, unit by unit, before it is applied."""

from __future__ import annotations

from typing import Any

from django.db import connection

from haicap.reorg.models import ReorgPlan

PER_UNIT = """
WITH moves AS (
    SELECT old_responsible_id AS old_id, new_responsible_id AS new_id,
           CASE WHEN status = 9 THEN 'results' ELSE 'dossiers' END AS what
    FROM reorg_placement
    WHERE plan_id = %(plan)s AND moved_at IS NULL AND new_responsible_id IS NOT NULL
      AND old_responsible_id <> new_responsible_id
    UNION ALL
    SELECT old_receiving_id, new_receiving_id, 'results'
    FROM reorg_placement
    WHERE plan_id = %(plan)s AND moved_at IS NULL AND status = 9
      AND new_receiving_id IS NOT NULL AND old_receiving_id <> new_receiving_id
),
staff AS (
    SELECT s.predecessor_id AS old_id, s.successor_id AS new_id, count(ra.id) AS n
    FROM reorg_plansuccession s
    JOIN staff_roleassignment ra ON ra.unit_id = s.predecessor_id AND ra.is_active
    WHERE s.plan_id = %(plan)s AND s.is_default
    GROUP BY 1, 2
),
centres AS (
    SELECT s.predecessor_id AS old_id, s.successor_id AS new_id, count(c.id) AS n
    FROM reorg_plansuccession s
    JOIN units_servicecenter c ON c.unit_id = s.predecessor_id
    WHERE s.plan_id = %(plan)s AND s.is_default
    GROUP BY 1, 2
),
counted AS (
    SELECT old_id, new_id,
           count(*) FILTER (WHERE what = 'dossiers') AS dossiers,
           count(*) FILTER (WHERE what = 'results') AS results,
           0 AS staff, 0 AS centres
    FROM moves GROUP BY 1, 2
    UNION ALL SELECT old_id, new_id, 0, 0, n, 0 FROM staff
    UNION ALL SELECT old_id, new_id, 0, 0, 0, n FROM centres
)
SELECT c.old_id, o.code, o.name, c.new_id, n.code, n.name, np.code, np.name,
       sum(c.dossiers)::int, sum(c.results)::int, sum(c.staff)::int, sum(c.centres)::int
FROM counted c
JOIN units_adminunit o ON o.id = c.old_id
JOIN units_adminunit n ON n.id = c.new_id
LEFT JOIN units_adminunit np ON np.id = n.province_id
WHERE %(province)s::bigint IS NULL OR n.province_id = %(province)s
GROUP BY 1, 2, 3, 4, 5, 6, 7, 8
ORDER BY 7, 5, 2
"""

TIER_GONE = """
SELECT nr.tier, count(*)
FROM reorg_placement p
JOIN units_adminunit o ON o.id = p.old_responsible_id
LEFT JOIN units_adminunit nr ON nr.id = p.new_responsible_id
WHERE p.plan_id = %(plan)s AND p.moved_at IS NULL AND o.tier = 'district'
  AND (%(province)s::bigint IS NULL OR p.new_province_id = %(province)s
       OR p.new_province_id IS NULL)
GROUP BY 1
"""

UNPLACED = """
SELECT d.code, o.code, o.name, p.reason
FROM reorg_placement p
JOIN dossiers_dossier d ON d.id = p.dossier_id
JOIN units_adminunit o ON o.id = p.old_responsible_id
WHERE p.plan_id = %(plan)s AND p.moved_at IS NULL AND p.new_responsible_id IS NULL
  AND (%(province)s::bigint IS NULL OR o.province_id IN (
      SELECT predecessor_id FROM reorg_plansuccession
      WHERE plan_id = %(plan)s AND successor_id = %(province)s))
ORDER BY d.code
LIMIT %(limit)s
"""

TOTALS = """
SELECT count(*) FILTER (WHERE moved_at IS NULL AND status <> 9
                        AND new_responsible_id IS NOT NULL),
       count(*) FILTER (WHERE moved_at IS NULL AND status = 9 AND new_responsible_id IS NOT NULL),
       count(*) FILTER (WHERE moved_at IS NULL AND new_responsible_id IS NULL),
       count(*) FILTER (WHERE moved_at IS NOT NULL)
FROM reorg_placement
WHERE plan_id = %(plan)s AND (%(province)s::bigint IS NULL OR new_province_id = %(province)s
                              OR new_province_id IS NULL)
"""


def summarise(
    plan: ReorgPlan, *, province_id: int | None = None, limit: int = 200
) -> dict[str, Any]:
    """The figures of the plan's placements (optionally for one new province)."""
    params = {"plan": plan.pk, "province": province_id, "limit": limit}
    with connection.cursor() as cursor:
        cursor.execute(TOTALS, params)
        dossiers, results, unplaced, moved = cursor.fetchone()
        cursor.execute(PER_UNIT, params)
        units = [
            {
                "from": {"code": row[1], "name": row[2]},
                "to": {"code": row[4], "name": row[5]},
                "province": {"code": row[6], "name": row[7]},
                "dossiers": row[8],
                "results": row[9],
                "staff": row[10],
                "centres": row[11],
            }
            for row in cursor.fetchall()
        ]
        cursor.execute(TIER_GONE, params)
        district = {tier or "unplaced": count for tier, count in cursor.fetchall()}
        cursor.execute(UNPLACED, params)
        unplaceable = [
            {"dossier": row[0], "unit": {"code": row[1], "name": row[2]}, "reason": row[3]}
            for row in cursor.fetchall()
        ]
    return {
        "plan": plan.pk,
        "name": plan.name,
        "effective_date": plan.effective_date.isoformat(),
        "totals": {
            "pending_dossiers": dossiers,
            "results_not_returned": results,
            "cannot_be_placed": unplaced,
            "already_moved": moved,
            "staff_assignments": sum(u["staff"] for u in units),
            "service_centres": sum(u["centres"] for u in units),
        },
        "district_dossiers_by_new_tier": district,
        "units": units,
        "cannot_be_placed": unplaceable,
    }
