"""Placements belong to the dossiers' hand-over now (dossiers 0003): copy the rows there, drop
the table, and publish the two views through which every hand-over reads a plan."""

from django.db import migrations

COPY = """
INSERT INTO dossiers_dossierplacement (id, plan_id, dossier_id, status, old_responsible_id,
                                       old_receiving_id, new_responsible_id, new_receiving_id,
                                       new_province_id, reason, moved_at)
SELECT id, plan_id, dossier_id, status, old_responsible_id, old_receiving_id,
       new_responsible_id, new_receiving_id, new_province_id, reason, moved_at
FROM reorg_placement;
SELECT setval(pg_get_serial_sequence('dossiers_dossierplacement', 'id'),
              coalesce((SELECT max(id) FROM dossiers_dossierplacement), 0) + 1, false);
"""

# The hand-over engine's published interface (core/handover.py): apps read plans only here.
VIEWS = """
CREATE VIEW handover_succession AS
    SELECT plan_id, predecessor_id, successor_id, is_default, kind
    FROM reorg_plansuccession;
CREATE VIEW handover_override AS
    SELECT plan_id, predecessor_id, successor_id, procedure_id, sector
    FROM reorg_planoverride;
"""

DROP_VIEWS = """
DROP VIEW IF EXISTS handover_succession;
DROP VIEW IF EXISTS handover_override;
"""


class Migration(migrations.Migration):
    dependencies = [
        ("reorg", "0001_initial"),
        ("dossiers", "0003_rating_and_placement_from_other_apps"),
    ]

    operations = [
        migrations.RunSQL(COPY, migrations.RunSQL.noop),
        migrations.DeleteModel(name="Placement"),
        migrations.RunSQL(VIEWS, DROP_VIEWS),
    ]
