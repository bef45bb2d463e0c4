"""The officers' work queues, their filters and sorting, and search over every dossier an
officer may see (finished ones and the predecessors' archive included)."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.db.models import Count, F, Q, QuerySet

from haicap.core.calendar import ZONE
from haicap.core.text import search_terms
from haicap.dossiers.access import visible_dossiers
from haicap.dossiers.models import CLOCK_STATUSES, OPEN_STATUSES, Channel, Dossier, Status

# "all" is every dossier the officer may see, finished and archived too: the search.
QUEUES = ("intake", "mine", "unit", "due_today", "overdue", "supplement", "all")
_DIGITS = re.compile(r"^[0-9]{9}([0-9]{3})?$")

# Column keys a page may sort by, and the fields behind them (ties broken by code).
SORTS = {
    "code": "code",
    "procedure": "procedure__name",
    "applicant": "applicant_name_key",
    "status": "status",
    "received": "received_at",
    "filed": "submitted_at",
    "due": "due_at",
}
# Each queue's own order: the waiting-for-intake queue oldest filing first, the others the
# most urgent first, the search the newest first.
_DEFAULT_SORT = {"intake": "filed", "all": "-received"}


@dataclass(frozen=True)
class Filters:
    """What a queue page narrows its queue by; every field optional."""

    procedure_id: int | None = None
    status: int | None = None
    channel: int | None = None
    received_from: dt.date | None = None
    received_to: dt.date | None = None
    due_from: dt.date | None = None
    due_to: dt.date | None = None

    def apply(self, found: QuerySet[Dossier]) -> QuerySet[Dossier]:
        if self.procedure_id is not None:
            found = found.filter(procedure_id=self.procedure_id)
        if self.status is not None:
            found = found.filter(status=self.status)
        if self.channel is not None:
            found = found.filter(channel=self.channel)
        for field, start, end in (
            ("received_at", self.received_from, self.received_to),
            ("due_at", self.due_from, self.due_to),
        ):
            if start is not None:
                found = found.filter(**{f"{field}__gte": _midnight(start)})
            if end is not None:
                found = found.filter(**{f"{field}__lt": _midnight(end + dt.timedelta(days=1))})
        return found


def _midnight(day: dt.date) -> dt.datetime:
    return dt.datetime.combine(day, dt.time.min, tzinfo=ZONE)


def _day_bounds(at: dt.datetime) -> tuple[dt.datetime, dt.datetime]:
    start = _midnight(at.astimezone(ZONE).date())
    return start, start + dt.timedelta(days=1)


def _conditions(user: AbstractBaseUser | AnonymousUser, at: dt.datetime) -> dict[str, Q]:
    start, end = _day_bounds(at)
    open_ = Q(status__in=OPEN_STATUSES)
    running = Q(status__in=CLOCK_STATUSES)
    return {
        "intake": Q(status=Status.NEW, channel=Channel.ONLINE),
        "mine": open_ & Q(assignee_id=user.pk),
        "unit": open_,
        "due_today": running & Q(due_at__gte=start, due_at__lt=end),
        "overdue": running & Q(due_at__lt=at),
        "supplement": Q(status=Status.SUPPLEMENT_REQUESTED),
    }


def order_key(name: str, sort: str) -> str:
    """The sort asked for if it is a known column (``-`` for descending), else the queue's."""
    if sort.removeprefix("-") in SORTS:
        return sort
    return _DEFAULT_SORT.get(name, "due")


def _ordered(found: QuerySet[Dossier], key: str) -> QuerySet[Dossier]:
    field = SORTS[key.removeprefix("-")]
    if key.startswith("-"):
        return found.order_by(F(field).desc(nulls_last=True), "-code")
    return found.order_by(F(field).asc(nulls_last=True), "code")


# What a queue's table shows (dossiers/staff/_queue_table.html): a page of 25 reads these
# columns instead of every column of the dossier, its procedure and its unit.
LIST_COLUMNS = (
    "id",
    "code",
    "applicant_name",
    "status",
    "due_at",
    "received_at",
    "submitted_at",
    "procedure__name",
    "assignee__first_name",
    "assignee__last_name",
    "assignee__username",
)


def for_list(found: QuerySet[Dossier]) -> QuerySet[Dossier]:
    """The queue's rows as the page's table reads them."""
    return found.select_related(None).select_related("procedure", "assignee").only(*LIST_COLUMNS)


def queue(
    user: AbstractBaseUser | AnonymousUser,
    name: str,
    at: dt.datetime,
    *,
    filters: Filters | None = None,
    sort: str = "",
) -> QuerySet[Dossier]:
    """One queue, filtered and sorted (by default: the queue's own order)."""
    if name == "all":
        found = visible_dossiers(user, archive=True)
    else:
        found = visible_dossiers(user).filter(_conditions(user, at)[name])
    found = (filters or Filters()).apply(found)
    return _ordered(
        found.select_related("procedure", "responsible_unit", "assignee"), order_key(name, sort)
    )


def queue_counts(user: AbstractBaseUser | AnonymousUser, at: dt.datetime) -> dict[str, int]:
    """Every working queue's size in one query (the search has no count of its own)."""
    aggregates = {
        name: Count("pk", filter=condition) for name, condition in _conditions(user, at).items()
    }
    counts = visible_dossiers(user).filter(status__in=OPEN_STATUSES).aggregate(**aggregates)
    return {name: counts[name] for name in QUEUES if name != "all"}


def search(found: QuerySet[Dossier], query: str) -> QuerySet[Dossier]:
    """By dossier code, ID number (9 or 12 digits, matched exactly), or applicant name
    without diacritics."""
    text = query.strip()
    if not text:
        return found
    if _DIGITS.match(text):
        return found.filter(Q(applicant_id_number=text) | Q(code=text))
    if "-" in text:
        return found.filter(code__icontains=text)
    for term in search_terms(text):
        found = found.filter(applicant_name_key__contains=term)
    return found
