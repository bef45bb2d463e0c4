"""The rating triggers follow the ratings to dossiers_rating (dossiers 0003)."""

from django.db import migrations

FORWARD = """
CREATE TRIGGER reports_rating_inserted AFTER INSERT ON dossiers_rating
    REFERENCING NEW TABLE AS changed_rows
    FOR EACH STATEMENT EXECUTE FUNCTION reports_rating_changed();
CREATE TRIGGER reports_rating_updated AFTER UPDATE ON dossiers_rating
    REFERENCING NEW TABLE AS changed_rows
    FOR EACH STATEMENT EXECUTE FUNCTION reports_rating_changed();
CREATE TRIGGER reports_rating_deleted AFTER DELETE ON dossiers_rating
    REFERENCING OLD TABLE AS changed_rows
    FOR EACH STATEMENT EXECUTE FUNCTION reports_rating_changed();
"""

BACKWARD = """
DROP TRIGGER IF EXISTS reports_rating_inserted ON dossiers_rating;
DROP TRIGGER IF EXISTS reports_rating_updated ON dossiers_rating;
DROP TRIGGER IF EXISTS reports_rating_deleted ON dossiers_rating;
"""


class Migration(migrations.Migration):
    dependencies = [
        ("reports", "0002_changed_day_triggers"),
        ("dossiers", "0003_rating_and_placement_from_other_apps"),
    ]

    operations = [migrations.RunSQL(FORWARD, BACKWARD)]
