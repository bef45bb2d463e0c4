"""Units across reforms: which unit in force today each unit became, and the reverse.

Every old unit is given to exactly one unit in force, by following default successors (a
split commune's history goes with its default successor, as its pending work did), so adding
the histories of today's units never counts an old unit twice.
"""

from __future__ import annotations

import datetime as dt

from haicap.units import cache as registry_cache
from haicap.units.models import AdminUnit, Succession
from haicap.units.queries import today


def _compute_owners(day: dt.date) -> dict[int, int]:
    in_force = set(AdminUnit.objects.in_force_on(day).values_list("id", flat=True))
    default = dict(
        Succession.objects.filter(is_default=True).values_list("predecessor_id", "successor_id")
    )
    owners: dict[int, int] = {}
    for unit in AdminUnit.objects.values_list("id", flat=True):
        current, seen = unit, {unit}
        while current not in in_force and current in default and default[current] not in seen:
            current = default[current]
            seen.add(current)
        if current in in_force:
            owners[unit] = current
    return owners


def owners(day: dt.date | None = None) -> dict[int, int]:
    """Unit id → id of the unit in force on ``day`` that it is (or became) by default."""
    when = day or today()
    return registry_cache.cached("owners", lambda: _compute_owners(when), when.isoformat())


def lineage(unit: AdminUnit, day: dt.date | None = None) -> set[int]:
    """The unit and every unit whose history it carries (itself if it is not in force)."""
    found = {old for old, new in owners(day).items() if new == unit.pk}
    return found | {unit.pk}
