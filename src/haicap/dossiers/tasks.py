"""Background jobs (Procrastinate, in PostgreSQL), run by `haicap worker`; each is enqueued in
the transaction of the change it reports, so a rolled-back change sends nothing."""

from __future__ import annotations

from procrastinate import RetryStrategy
from procrastinate.contrib.django import app

from haicap.dossiers import notifications
from haicap.dossiers.models import DossierEvent

RETRY = RetryStrategy(max_attempts=6, exponential_wait=10)


@app.task(name="haicap.notify_dossier_event", queue="notifications", retry=RETRY)
def notify_dossier_event(event_id: int) -> None:
    notifications.send(event_id)


@app.task(name="haicap.notify_dossiers_moved", queue="notifications", retry=RETRY)
def notify_dossiers_moved(plan_name: str, first_placement: int, last_placement: int) -> int:
    return notifications.send_moved(plan_name, first_placement, last_placement)


def enqueue_notification(event: DossierEvent) -> None:
    """Called inside the change's transaction: a job for the events worth a message."""
    if event.action in notifications.NOTIFY:
        notify_dossier_event.defer(event_id=event.pk)
