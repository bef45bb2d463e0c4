"""The push job (enqueued by the outbox trigger in each change's transaction) and a sweep
every minute that restarts it when due rows wait, whatever happened to the last job."""

from __future__ import annotations

import contextlib

from django.db import transaction
from procrastinate import exceptions
from procrastinate.contrib.django import app

from haicap.federation.models import OutboxItem, OutboxState

QUEUE = "federation"
LOCK = "federation-push"


@app.task(name="haicap.federation.push", queue=QUEUE, lock=LOCK, queueing_lock=LOCK)
def push() -> dict[str, int]:
    from haicap.federation.outbox import drain

    result = drain()
    if result.retry_at is not None:
        # A newer change may already have asked for a push.
        with contextlib.suppress(exceptions.AlreadyEnqueued):
            push.configure(schedule_at=result.retry_at).defer()
    return {"sent": result.sent, "refused": result.refused, "dead": result.dead}


@app.periodic(cron="* * * * *", queueing_lock="federation-sweep")
@app.task(name="haicap.federation.sweep", queue=QUEUE)
def sweep(timestamp: int) -> bool:
    from django.utils import timezone

    due = OutboxItem.objects.filter(
        state=OutboxState.PENDING, next_attempt_at__lte=timezone.now()
    ).exists()
    if due:
        enqueue_push()
    return due


def enqueue_push() -> None:
    """Ask for a push in the current transaction (none is added if one already waits)."""
    # In a savepoint: a refused insert must not abort the caller's transaction.
    with contextlib.suppress(exceptions.AlreadyEnqueued), transaction.atomic():
        push.defer()


@app.periodic(cron="30 1 * * *", queueing_lock="federation-reconcile")
@app.task(name="haicap.federation.reconcile", queue=QUEUE)
def reconcile_yesterday(timestamp: int) -> int | None:
    """At 01:30, yesterday's counts against the hub's; the differences wait on the sync page."""
    from haicap.core.actors import SYSTEM
    from haicap.federation.reconcile import nightly

    record = nightly(actor=SYSTEM)
    return None if record is None else len(record.differences)


@app.periodic(cron="17 * * * *", queueing_lock="federation-purge")
@app.task(name="haicap.federation.purge", queue=QUEUE)
def purge(timestamp: int) -> int:
    """The hub forgets expired nonces and sessions."""
    from haicap.federation.hub import purge as purge_expired

    return purge_expired()
