"""From a number on a dashboard to the dossiers behind it: the same definitions as the
daily figures (reports/aggregate.py), applied to the dossiers themselves."""

from __future__ import annotations

import datetime as dt

from django.db.models import F, Q, QuerySet
from django.db.models.functions import TruncDate

from haicap.core.calendar import ZONE
from haicap.dossiers.models import Channel, Dossier
from haicap.reports.aggregate import FINISHED_STATUSES
from haicap.reports.indicators import Scope

# The figures a dashboard links to its dossiers.
METRICS = (
    "received",
    "received_online",
    "finished",
    "on_time",
    "early",
    "late",
    "apologised",
    "rated_not_satisfied",
)


def _between(column: str, start: dt.date, end: dt.date) -> Q:
    low = dt.datetime.combine(start, dt.time.min, tzinfo=ZONE)
    high = dt.datetime.combine(end + dt.timedelta(days=1), dt.time.min, tzinfo=ZONE)
    return Q(**{f"{column}__gte": low, f"{column}__lt": high})


def condition(metric: str, start: dt.date, end: dt.date) -> Q:
    if metric.startswith("received"):
        found = _between("received_at", start, end)
        return found & Q(channel=Channel.ONLINE) if metric == "received_online" else found
    finished = _between("finished_at", start, end) & Q(
        received_at__isnull=False, status__in=FINISHED_STATUSES
    )
    extra = {
        "finished": Q(),
        "on_time": Q(finished_at__lte=F("legal_due_at")),
        "early": Q(finished_at__date__lt=TruncDate("legal_due_at", tzinfo=ZONE)),
        "late": Q(finished_at__gt=F("legal_due_at")),
        "apologised": Q(apologies__gt=0),
        "rated_not_satisfied": Q(rating__score=1),
    }
    return finished & extra[metric]


def dossiers_behind(
    found: QuerySet[Dossier],
    scope: Scope,
    metric: str,
    start: dt.date,
    end: dt.date,
    *,
    procedure: str | None = None,
) -> QuerySet[Dossier]:
    """``found`` (the dossiers the viewer may see) narrowed to one figure of one scope."""
    filters = scope.filters()
    if "provinces" in filters:
        found = found.filter(province_id__in=filters["provinces"])
    if "units" in filters:
        found = found.filter(responsible_unit_id__in=filters["units"])
    if procedure:
        found = found.filter(procedure__code=procedure)
    return found.filter(condition(metric, start, end))
