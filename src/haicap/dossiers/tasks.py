"""Background jobs (Procrastinate, in PostgreSQL): run by `haicap worker`."""

from __future__ import annotations

from procrastinate import RetryStrategy
from procrastinate.contrib.django import app

from haicap.dossiers import notifications


@app.task(
    name="haicap.notify_dossier_event",
    queue="notifications",
    retry=RetryStrategy(max_attempts=6, exponential_wait=10),
)
def notify_dossier_event(event_id: int) -> None:
    notifications.send(event_id)
