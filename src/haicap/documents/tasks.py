"""Jobs (Procrastinate, run by `haicap worker`): urgent documents announced at once to their
clerks or handlers, and reminders for documents near or past their handling deadline."""

from __future__ import annotations

from procrastinate import RetryStrategy
from procrastinate.contrib.django import app

RETRY = RetryStrategy(max_attempts=6, exponential_wait=10)


@app.task(name="haicap.documents.notify_arrival", queue="notifications", retry=RETRY)
def notify_arrival(document_id: int) -> int:
    from haicap.documents import notifications

    return notifications.arrival(document_id)


@app.task(name="haicap.documents.notify_routing", queue="notifications", retry=RETRY)
def notify_routing(document_id: int) -> int:
    from haicap.documents import notifications

    return notifications.routing(document_id)


@app.periodic(cron="0 * * * *", queueing_lock="documents-reminders")
@app.task(name="haicap.documents.remind", queue="notifications")
def remind(timestamp: int) -> int:
    """Every hour: flag and remind what is overdue or due within a working day."""
    from haicap.documents import notifications

    return notifications.remind_due()
