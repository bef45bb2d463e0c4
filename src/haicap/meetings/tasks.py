"""Jobs (Procrastinate, run by `haicap worker`): each invited point's contact told of the
meeting, with its join link."""

from __future__ import annotations

from procrastinate import RetryStrategy
from procrastinate.contrib.django import app

RETRY = RetryStrategy(max_attempts=6, exponential_wait=10)


@app.task(name="haicap.meetings.notify_invitation", queue="notifications", retry=RETRY)
def notify_invitation(invitation_id: int) -> int:
    from haicap.meetings import notifications

    return notifications.invitation(invitation_id)
