"""Ratings belong to dossiers now (dossiers 0003): copy the rows there, then drop the table."""

from django.db import migrations

COPY = """
INSERT INTO dossiers_rating (id, dossier_id, score, comment, created_at)
SELECT id, dossier_id, score, comment, created_at FROM portal_rating;
SELECT setval(pg_get_serial_sequence('dossiers_rating', 'id'),
              coalesce((SELECT max(id) FROM dossiers_rating), 0) + 1, false);
"""


class Migration(migrations.Migration):
    dependencies = [
        ("portal", "0001_initial"),
        ("dossiers", "0003_rating_and_placement_from_other_apps"),
    ]

    operations = [
        migrations.RunSQL(COPY, migrations.RunSQL.noop),
        migrations.DeleteModel(name="Rating"),
    ]
