"""A unit's history across reorganisations: its lineage and the dossiers of all of it."""

from __future__ import annotations

import datetime as dt

from django.db.models import Count
from django.db.models.functions import TruncMonth

from haicap.core.calendar import ZONE
from haicap.dossiers.models import Dossier
from haicap.units.models import AdminUnit, Succession


def lineage(unit: AdminUnit) -> set[int]:
    """The unit and every unit it was formed from, however many reforms back."""
    found = {unit.pk}
    frontier = {unit.pk}
    while frontier:
        older = set(
            Succession.objects.filter(successor_id__in=frontier).values_list(
                "predecessor_id", flat=True
            )
        )
        frontier = older - found
        found |= frontier
    return found


def monthly_received(unit: AdminUnit, *, since: dt.date) -> list[tuple[dt.date, int]]:
    """Dossiers received per month by the unit and its predecessors (no dossier rewritten).

    A dossier counts for the unit that was responsible for it: finished work keeps the old
    unit, pending work has moved to the new one; both belong to this unit's lineage.
    """
    rows = (
        Dossier.objects.filter(
            responsible_unit_id__in=lineage(unit),
            received_at__date__gte=since,
        )
        .annotate(month=TruncMonth("received_at", tzinfo=ZONE))
        .values("month")
        .annotate(n=Count("id"))
        .order_by("month")
    )
    return [(row["month"].date(), row["n"]) for row in rows]
