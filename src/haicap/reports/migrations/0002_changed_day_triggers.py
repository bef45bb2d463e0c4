"""Triggers that note which days' figures a write changes, for reports/aggregate.refresh.

Statement-level triggers with transition tables: one INSERT of distinct keys per statement,
however many rows it touched (a reorganisation moves 20,000 dossiers in one statement). An
update notes both the old and the new keys, and only when a counted column changed, so
assigning or forwarding a dossier notes nothing.
"""

from django.db import migrations

ZONE = "Asia/Ho_Chi_Minh"


def _keys(rows: str) -> str:
    """The (unit, province, procedure, day) keys of a set of dossier rows."""
    return f"""
        SELECT responsible_unit_id, province_id, procedure_id,
               (received_at AT TIME ZONE '{ZONE}')::date
        FROM {rows} WHERE received_at IS NOT NULL
        UNION
        SELECT responsible_unit_id, province_id, procedure_id,
               (finished_at AT TIME ZONE '{ZONE}')::date
        FROM {rows} WHERE finished_at IS NOT NULL AND received_at IS NOT NULL
    """


# Columns the figures are counted from: a change to any of them changes a day's figures.
# The status counts only as finished or not, and with a result or not (so returning a
# result, 9 → 10, changes nothing).
COUNTED = (
    "status IN (3, 8, 9, 10)",
    "status IN (9, 10)",
    "channel",
    "received_at",
    "finished_at",
    "legal_due_at",
    "working_seconds",
    "apologies",
    "fee",
    "payment_method",
    "responsible_unit_id",
    "province_id",
    "procedure_id",
)
_CHANGED = " OR ".join(f"(o.{c}) IS DISTINCT FROM (n.{c})" for c in COUNTED)

INSERT = "INSERT INTO reports_changedday (unit_id, province_id, procedure_id, day)"

FORWARD = f"""
CREATE FUNCTION reports_dossier_inserted() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    {INSERT} {_keys("new_rows")};
    RETURN NULL;
END $$;

CREATE FUNCTION reports_dossier_updated() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    {INSERT}
    WITH touched AS (
        SELECT o.id FROM old_rows o JOIN new_rows n ON n.id = o.id WHERE {_CHANGED}
    ),
    both_rows AS (
        SELECT * FROM old_rows WHERE id IN (SELECT id FROM touched)
        UNION ALL
        SELECT * FROM new_rows WHERE id IN (SELECT id FROM touched)
    )
    {_keys("both_rows")};
    RETURN NULL;
END $$;

CREATE FUNCTION reports_dossier_deleted() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    {INSERT} {_keys("old_rows")};
    RETURN NULL;
END $$;

CREATE TRIGGER reports_dossier_inserted AFTER INSERT ON dossiers_dossier
    REFERENCING NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION reports_dossier_inserted();
CREATE TRIGGER reports_dossier_updated AFTER UPDATE ON dossiers_dossier
    REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION reports_dossier_updated();
CREATE TRIGGER reports_dossier_deleted AFTER DELETE ON dossiers_dossier
    REFERENCING OLD TABLE AS old_rows
    FOR EACH STATEMENT EXECUTE FUNCTION reports_dossier_deleted();

-- A rating counts on the day its dossier finished.
CREATE FUNCTION reports_rating_changed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    {INSERT}
    SELECT DISTINCT d.responsible_unit_id, d.province_id, d.procedure_id,
           (d.finished_at AT TIME ZONE '{ZONE}')::date
    FROM dossiers_dossier d
    WHERE d.finished_at IS NOT NULL AND d.id IN (
        SELECT dossier_id FROM changed_rows
    );
    RETURN NULL;
END $$;

-- Ratings moved to dossiers_rating (reports 0003 puts these triggers there); a database made
-- after the move has no portal_rating by the time this runs.
DO $$ BEGIN
IF to_regclass('portal_rating') IS NOT NULL THEN
CREATE TRIGGER reports_rating_inserted AFTER INSERT ON portal_rating
    REFERENCING NEW TABLE AS changed_rows
    FOR EACH STATEMENT EXECUTE FUNCTION reports_rating_changed();
CREATE TRIGGER reports_rating_updated AFTER UPDATE ON portal_rating
    REFERENCING NEW TABLE AS changed_rows
    FOR EACH STATEMENT EXECUTE FUNCTION reports_rating_changed();
CREATE TRIGGER reports_rating_deleted AFTER DELETE ON portal_rating
    REFERENCING OLD TABLE AS changed_rows
    FOR EACH STATEMENT EXECUTE FUNCTION reports_rating_changed();
END IF;
END $$;
"""

BACKWARD = """
DROP TRIGGER IF EXISTS reports_dossier_inserted ON dossiers_dossier;
DROP TRIGGER IF EXISTS reports_dossier_updated ON dossiers_dossier;
DROP TRIGGER IF EXISTS reports_dossier_deleted ON dossiers_dossier;
DO $$ BEGIN
IF to_regclass('portal_rating') IS NOT NULL THEN
DROP TRIGGER IF EXISTS reports_rating_inserted ON portal_rating;
DROP TRIGGER IF EXISTS reports_rating_updated ON portal_rating;
DROP TRIGGER IF EXISTS reports_rating_deleted ON portal_rating;
END IF;
END $$;
DROP FUNCTION IF EXISTS reports_dossier_inserted();
DROP FUNCTION IF EXISTS reports_dossier_updated();
DROP FUNCTION IF EXISTS reports_dossier_deleted();
DROP FUNCTION IF EXISTS reports_rating_changed();
"""


class Migration(migrations.Migration):
    dependencies = [
        ("reports", "0001_initial"),
        ("dossiers", "0002_legal_deadline_processing_time_fewer_indexes"),
        ("portal", "0001_initial"),
    ]

    operations = [migrations.RunSQL(FORWARD, BACKWARD)]
