"""A plan may belong to one province; the hand-over views then publish only the rows whose
old and new units both lie in that province, so a stray row can never move another
province's work, whatever wrote it (reorg/bounds.py)."""

import django.db.models.deletion
from django.db import migrations, models

# The province in force that a unit's province is, following default successions (an old
# province merged in 2025 leads to the new one). STABLE: the views call it per row.
FUNCTION = """
CREATE FUNCTION reorg_province_now(unit bigint) RETURNS bigint
LANGUAGE sql STABLE AS $$
    WITH RECURSIVE chain(id, depth) AS (
        SELECT coalesce(u.province_id, u.id), 0 FROM units_adminunit u WHERE u.id = unit
        UNION ALL
        SELECT s.successor_id, c.depth + 1
        FROM chain c JOIN units_succession s ON s.predecessor_id = c.id AND s.is_default
        WHERE c.depth < 8
    )
    SELECT id FROM chain ORDER BY depth DESC LIMIT 1
$$;
"""

VIEWS = """
CREATE OR REPLACE VIEW handover_succession AS
    SELECT s.plan_id, s.predecessor_id, s.successor_id, s.is_default, s.kind
    FROM reorg_plansuccession s JOIN reorg_reorgplan p ON p.id = s.plan_id
    WHERE CASE WHEN p.province_id IS NULL THEN true
               ELSE reorg_province_now(s.predecessor_id) = p.province_id
                    AND reorg_province_now(s.successor_id) = p.province_id END;
CREATE OR REPLACE VIEW handover_override AS
    SELECT o.plan_id, o.predecessor_id, o.successor_id, o.procedure_id, o.sector
    FROM reorg_planoverride o JOIN reorg_reorgplan p ON p.id = o.plan_id
    WHERE CASE WHEN p.province_id IS NULL THEN true
               ELSE reorg_province_now(o.predecessor_id) = p.province_id
                    AND reorg_province_now(o.successor_id) = p.province_id END;
"""

OLD_VIEWS = """
CREATE OR REPLACE VIEW handover_succession AS
    SELECT plan_id, predecessor_id, successor_id, is_default, kind
    FROM reorg_plansuccession;
CREATE OR REPLACE VIEW handover_override AS
    SELECT plan_id, predecessor_id, successor_id, procedure_id, sector
    FROM reorg_planoverride;
"""


class Migration(migrations.Migration):
    dependencies = [
        ("reorg", "0002_placements_moved_to_dossiers"),
        ("units", "0002_agency_code"),
    ]

    operations = [
        migrations.AddField(
            model_name="reorgplan",
            name="province",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="units.adminunit",
                verbose_name="province",
            ),
        ),
        migrations.RunSQL(FUNCTION, "DROP FUNCTION IF EXISTS reorg_province_now(bigint);"),
        migrations.RunSQL(VIEWS, OLD_VIEWS),
    ]
