"""Writes the reference units and successions into the registry, changing only what differs.

A second run on an unchanged package writes nothing; the whole load is one transaction.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.db.models import F
from tqdm import tqdm

from haicap.core import audit
from haicap.core.actors import SYSTEM, Actor
from haicap.core.text import search_key
from haicap.units import cache as registry_cache
from haicap.units.models import AdminUnit, Succession
from haicap.units.source import Dataset, UnitKey, UnitRow

_UNIT_FIELDS = (
    "name",
    "short_name",
    "kind",
    "tier",
    "valid_to",
    "latitude",
    "longitude",
    "area_km2",
    "search_key",
    "parent_id",
    "province_id",
)
_SUCCESSION_FIELDS = ("kind", "is_default", "effective_date", "legal_basis")
_BATCH = 2000


@dataclass
class LoadResult:
    source: str
    units_created: int = 0
    units_updated: int = 0
    units_unchanged: int = 0
    successions_created: int = 0
    successions_updated: int = 0
    successions_unchanged: int = 0
    successions_removed: int = 0

    @property
    def changed(self) -> bool:
        return any(
            (
                self.units_created,
                self.units_updated,
                self.successions_created,
                self.successions_updated,
                self.successions_removed,
            )
        )

    def as_dict(self) -> dict[str, Any]:
        return dataclasses.asdict(self)


def load(dataset: Dataset, *, actor: Actor = SYSTEM, progress: bool = False) -> LoadResult:
    """Bring the registry in line with ``dataset``; returns what changed (audited if any).

    Called through ``units.actions.do_load_registry``."""
    result = LoadResult(source=dataset.source)
    total = len(dataset.units) + len(dataset.successions)
    with (
        tqdm(total=total, unit="rows", desc="units", disable=not progress) as bar,
        transaction.atomic(),
    ):
        ids = _load_units(dataset, result, bar)
        _load_successions(dataset, ids, result, bar)
        if result.changed:
            transaction.on_commit(registry_cache.bump)
            audit.record(
                "units.load",
                actor=actor,
                subject_type="registry",
                subject_id=dataset.source,
                after=result.as_dict(),
            )
    return result


def _unit_values(row: Any) -> dict[str, Any]:
    return {
        "name": row.name,
        "short_name": row.short_name,
        "kind": row.kind,
        "tier": row.tier,
        "valid_to": row.valid_to,
        "latitude": row.latitude,
        "longitude": row.longitude,
        "area_km2": row.area_km2,
        "search_key": search_key(f"{row.name} {row.code}"),
    }


def _levels(dataset: Dataset) -> list[list[UnitRow]]:
    """Units parents first, so each level is written knowing its parents' ids."""
    depth: dict[UnitKey, int] = {}
    rows = {row.key: row for row in dataset.units}

    def depth_of(row: UnitRow) -> int:
        if row.key not in depth:
            depth[row.key] = 0 if row.parent is None else depth_of(rows[row.parent]) + 1
        return depth[row.key]

    levels: dict[int, list[UnitRow]] = {}
    for row in dataset.units:
        levels.setdefault(depth_of(row), []).append(row)
    return [levels[level] for level in sorted(levels)]


def _load_units(dataset: Dataset, result: LoadResult, bar: tqdm[Any]) -> dict[UnitKey, int]:
    codes = {row.code for row in dataset.units}
    existing = {
        (unit.code, unit.valid_from): unit
        for unit in AdminUnit.objects.filter(code__in=codes).only(
            "id", "code", "valid_from", *_UNIT_FIELDS
        )
    }
    ids = {key: unit.pk for key, unit in existing.items()}
    for level in _levels(dataset):
        to_create: list[AdminUnit] = []
        to_update: list[AdminUnit] = []
        for row in level:
            values = _unit_values(row)
            values["parent_id"] = ids[row.parent] if row.parent else None
            # A province belongs to itself; its own id is set below once it has one.
            values["province_id"] = ids[row.province] if row.province else ids.get(row.key)
            unit = existing.get(row.key)
            if unit is None:
                to_create.append(AdminUnit(code=row.code, valid_from=row.valid_from, **values))
            elif any(getattr(unit, name) != value for name, value in values.items()):
                for name, value in values.items():
                    setattr(unit, name, value)
                to_update.append(unit)
            else:
                result.units_unchanged += 1
            bar.update()
        created = AdminUnit.objects.bulk_create(to_create, batch_size=_BATCH)
        AdminUnit.objects.bulk_update(to_update, _UNIT_FIELDS, batch_size=_BATCH)
        ids.update({(unit.code, unit.valid_from): unit.pk for unit in created})
        result.units_created += len(created)
        result.units_updated += len(to_update)
    AdminUnit.objects.filter(parent__isnull=True, province__isnull=True).update(province=F("id"))
    return ids


def _load_successions(
    dataset: Dataset, ids: dict[UnitKey, int], result: LoadResult, bar: tqdm[Any]
) -> None:
    dates = {row.effective_date for row in dataset.successions}
    existing = {
        (succession.predecessor_id, succession.successor_id): succession
        for succession in Succession.objects.filter(effective_date__in=dates)
    }
    wanted: dict[tuple[int, int], dict[str, Any]] = {}
    for row in dataset.successions:
        wanted[(ids[row.predecessor], ids[row.successor])] = {
            "kind": row.kind,
            "is_default": row.is_default,
            "effective_date": row.effective_date,
            "legal_basis": row.legal_basis,
        }
    stale = [succession.pk for pair, succession in existing.items() if pair not in wanted]
    # Defaults are unique per predecessor: clear stale rows and moved defaults before writing.
    result.successions_removed, _ = Succession.objects.filter(pk__in=stale).delete()
    to_create: list[Succession] = []
    to_update: list[Succession] = []
    for (predecessor_id, successor_id), values in wanted.items():
        succession = existing.get((predecessor_id, successor_id))
        if succession is None:
            to_create.append(
                Succession(predecessor_id=predecessor_id, successor_id=successor_id, **values)
            )
        elif any(getattr(succession, name) != value for name, value in values.items()):
            for name, value in values.items():
                setattr(succession, name, value)
            to_update.append(succession)
        else:
            result.successions_unchanged += 1
        bar.update()
    if to_update:
        Succession.objects.filter(pk__in=[s.pk for s in to_update]).update(is_default=False)
    Succession.objects.bulk_update(to_update, _SUCCESSION_FIELDS, batch_size=_BATCH)
    Succession.objects.bulk_create(to_create, batch_size=_BATCH)
    result.successions_created = len(to_create)
    result.successions_updated = len(to_update)
