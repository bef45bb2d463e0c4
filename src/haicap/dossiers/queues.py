"""The officers' work queues and search, over the dossiers an officer may see."""

from __future__ import annotations

import datetime as dt
import re

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.db.models import Count, Q, QuerySet

from haicap.core.calendar import ZONE
from haicap.core.text import search_terms
from haicap.dossiers.access import visible_dossiers
from haicap.dossiers.models import CLOCK_STATUSES, OPEN_STATUSES, Dossier, Status

QUEUES = ("mine", "unit", "due_today", "overdue", "supplement")
_DIGITS = re.compile(r"^\d{9}(\d{3})?$")


def _day_bounds(at: dt.datetime) -> tuple[dt.datetime, dt.datetime]:
    day = at.astimezone(ZONE).date()
    start = dt.datetime.combine(day, dt.time.min, tzinfo=ZONE)
    return start, start + dt.timedelta(days=1)


def _conditions(user: AbstractBaseUser | AnonymousUser, at: dt.datetime) -> dict[str, Q]:
    start, end = _day_bounds(at)
    open_ = Q(status__in=OPEN_STATUSES)
    running = Q(status__in=CLOCK_STATUSES)
    return {
        "mine": open_ & Q(assignee_id=user.pk),
        "unit": open_,
        "due_today": running & Q(due_at__gte=start, due_at__lt=end),
        "overdue": running & Q(due_at__lt=at),
        "supplement": Q(status=Status.SUPPLEMENT_REQUESTED),
    }


def queue(user: AbstractBaseUser | AnonymousUser, name: str, at: dt.datetime) -> QuerySet[Dossier]:
    """One queue, most urgent first."""
    return (
        visible_dossiers(user)
        .filter(_conditions(user, at)[name])
        .select_related("procedure", "responsible_unit", "assignee")
        .order_by("due_at", "code")
    )


def queue_counts(user: AbstractBaseUser | AnonymousUser, at: dt.datetime) -> dict[str, int]:
    """Every queue's size in one query."""
    aggregates = {
        name: Count("pk", filter=condition) for name, condition in _conditions(user, at).items()
    }
    counts = visible_dossiers(user).filter(status__in=OPEN_STATUSES).aggregate(**aggregates)
    return {name: counts[name] for name in QUEUES}


def search(found: QuerySet[Dossier], query: str) -> QuerySet[Dossier]:
    """By dossier code, ID number (9 or 12 digits), or applicant name without diacritics."""
    text = query.strip()
    if not text:
        return found
    if _DIGITS.match(text):
        return found.filter(Q(applicant_id_number=text) | Q(code__icontains=text))
    if "-" in text:
        return found.filter(code__icontains=text)
    for term in search_terms(text):
        found = found.filter(applicant_name_key__contains=term)
    return found
