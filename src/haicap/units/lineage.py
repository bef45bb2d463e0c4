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


def _compute_predecessors() -> dict[int, frozenset[int]]:
    edges: dict[int, set[int]] = {}
    for old, new in Succession.objects.values_list("predecessor_id", "successor_id"):
        edges.setdefault(new, set()).add(old)
    found: dict[int, frozenset[int]] = {}
    for unit in edges:
        seen: set[int] = set()
        todo = list(edges[unit])
        while todo:
            old = todo.pop()
            if old not in seen and old != unit:
                seen.add(old)
                todo.extend(edges.get(old, ()))
        found[unit] = frozenset(seen)
    return found


def predecessors(unit_ids: set[int] | frozenset[int]) -> set[int]:
    """Every unit that handed work to any of ``unit_ids``, through any succession (a split
    commune counts for each of its successors), at any depth."""
    table = registry_cache.cached("predecessors", _compute_predecessors)
    return set().union(*(table.get(unit, frozenset()) for unit in unit_ids))
