"""Jobs (Procrastinate, run by `haicap worker`): messages to citizens on receipt, answer and
transfer, enqueued in the change's transaction; reminders and overdue flags every hour."""

from __future__ import annotations

from procrastinate import RetryStrategy
from procrastinate.contrib.django import app

from haicap.feedback.models import ReportEvent

RETRY = RetryStrategy(max_attempts=6, exponential_wait=10)
NOTIFY = {"file", "answer", "transfer", "escalate"}


@app.task(name="haicap.feedback.notify", queue="notifications", retry=RETRY)
def notify_report_event(event_id: int) -> int:
    from haicap.feedback import notifications

    return notifications.send(event_id)


@app.periodic(cron="5 * * * *", queueing_lock="feedback-reminders")
@app.task(name="haicap.feedback.remind", queue="notifications")
def remind(timestamp: int) -> int:
    """Every hour: remind the units of reports due within a working day, flag the overdue,
    close what was answered more than 7 days ago."""
    from haicap.feedback import notifications

    return notifications.remind_due() + notifications.close_answered()


def enqueue_notification(event: ReportEvent) -> None:
    """Called inside the change's transaction."""
    if event.action in NOTIFY:
        notify_report_event.defer(event_id=event.pk)
