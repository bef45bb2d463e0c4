"""The outbox trigger: every timeline event of a dossier (an action, an import, a set-based
move) writes its outbox row and asks for a push, in the same transaction as the change.

The dossiers app knows nothing of this: the layers point one way, and a trigger sees every
write path (ORM, bulk_create, the hand-over's SQL) without one being forgotten.
"""

from __future__ import annotations

from django.db import migrations

FORWARD = """
CREATE FUNCTION federation_outbox_enqueue() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO federation_outboxitem (dossier_id, seq, event_id)
    SELECT n.dossier_id, n.seq, n.id FROM new_events n ORDER BY n.id;
    -- One waiting push at most (the queueing lock); the worker is woken by Procrastinate's
    -- own trigger on this table.
    INSERT INTO procrastinate_jobs (queue_name, task_name, lock, queueing_lock, args)
    VALUES ('federation', 'haicap.federation.push', 'federation-push', 'federation-push',
            '{}'::jsonb)
    ON CONFLICT DO NOTHING;
    RETURN NULL;
END
$$;
CREATE TRIGGER federation_outbox AFTER INSERT ON dossiers_dossierevent
REFERENCING NEW TABLE AS new_events
FOR EACH STATEMENT EXECUTE FUNCTION federation_outbox_enqueue();
"""

BACKWARD = """
DROP TRIGGER IF EXISTS federation_outbox ON dossiers_dossierevent;
DROP FUNCTION IF EXISTS federation_outbox_enqueue();
"""


class Migration(migrations.Migration):
    dependencies = [
        ("federation", "0001_tables"),
        ("procrastinate", "0041_post_retry_failed_job"),
    ]

    operations = [migrations.RunSQL(FORWARD, BACKWARD)]
