"""Reads the `vietnamadminunits` package: the legacy units (63 provinces, the districts, the
communes), the units in force from 1 July 2025, and the old-to-new commune mapping.

Nothing here touches the database; loader.py writes what this module reads.
"""

from __future__ import annotations

import datetime as dt
import json
import sqlite3
from collections import defaultdict
from dataclasses import dataclass, field
from importlib import metadata, resources
from typing import Any

from haicap.units.models import Kind, SuccessionKind, Tier

REFORM_DATE = dt.date(2025, 7, 1)
LEGACY_LAST_DAY = REFORM_DATE - dt.timedelta(days=1)

LEGAL_BASIS_PROVINCES = (
    "Nghị quyết số 202/2025/QH15 ngày 12/6/2025 của Quốc hội về sắp xếp đơn vị hành chính cấp tỉnh"
)
LEGAL_BASIS_COMMUNES = (
    "Nghị quyết của Ủy ban Thường vụ Quốc hội năm 2025 về sắp xếp các đơn vị hành chính cấp xã "
    "của tỉnh, thành phố"
)
LEGAL_BASIS_DISTRICTS = (
    "Luật Tổ chức chính quyền địa phương số 72/2025/QH15: không tổ chức cấp huyện từ 01/7/2025"
)

_DISTRICT_KINDS = {
    "Quận": Kind.URBAN_DISTRICT,
    "Huyện": Kind.RURAL_DISTRICT,
    "Thị xã": Kind.TOWN,
    "Thành phố": Kind.PROVINCIAL_CITY,
}
_COMMUNE_KINDS = {
    "Phường": Kind.WARD,
    "Xã": Kind.COMMUNE,
    "Thị trấn": Kind.TOWNSHIP,
    "Đặc khu": Kind.SPECIAL_ZONE,
}

UnitKey = tuple[str, dt.date | None]


@dataclass(frozen=True)
class UnitRow:
    code: str
    valid_from: dt.date | None
    valid_to: dt.date | None
    name: str
    short_name: str
    kind: str
    tier: str
    latitude: float | None
    longitude: float | None
    area_km2: float | None
    parent: UnitKey | None
    province: UnitKey | None  # None: the unit is a province itself

    @property
    def key(self) -> UnitKey:
        return (self.code, self.valid_from)


@dataclass(frozen=True)
class SuccessionRow:
    predecessor: UnitKey
    successor: UnitKey
    kind: str
    is_default: bool
    effective_date: dt.date
    legal_basis: str


@dataclass
class Dataset:
    source: str
    units: list[UnitRow] = field(default_factory=list)
    successions: list[SuccessionRow] = field(default_factory=list)


def _province_kind(name: str) -> str:
    return Kind.CITY if name.startswith("Thành phố") else Kind.PROVINCE


def _query(conn: sqlite3.Connection, sql: str) -> list[sqlite3.Row]:
    conn.row_factory = sqlite3.Row
    return conn.execute(sql).fetchall()


def read_package() -> Dataset:
    """Everything the registry needs from the installed `vietnamadminunits` package."""
    data = resources.files("vietnamadminunits") / "data"
    version = metadata.version("vietnamadminunits")
    dataset = Dataset(source=f"vietnamadminunits {version}")
    with resources.as_file(data / "dataset.db") as path:
        conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
        try:
            legacy = _query(conn, "SELECT * FROM admin_units_legacy ORDER BY wardCode")
            current = _query(conn, "SELECT * FROM admin_units ORDER BY wardCode")
        finally:
            conn.close()
    mapping = json.loads((data / "converter_2025.json").read_text(encoding="utf-8"))

    legacy_keys = _read_legacy(dataset, legacy)
    current_keys = _read_current(dataset, current)
    _read_successions(dataset, mapping, legacy, legacy_keys, current_keys)
    return dataset


def _read_legacy(dataset: Dataset, rows: list[sqlite3.Row]) -> dict[str, UnitKey]:
    """Legacy units; returns the package's ward keys (and province keys) to our unit keys."""
    keys: dict[str, UnitKey] = {}
    provinces: dict[str, UnitRow] = {}
    districts: dict[str, UnitRow] = {}
    for row in rows:
        province_key: UnitKey = (row["provinceCode"], None)
        if row["provinceCode"] not in provinces:
            provinces[row["provinceCode"]] = UnitRow(
                code=row["provinceCode"],
                valid_from=None,
                valid_to=LEGACY_LAST_DAY,
                name=row["province"],
                short_name=row["provinceShort"],
                kind=_province_kind(row["province"]),
                tier=Tier.PROVINCE,
                latitude=row["provinceLat"],
                longitude=row["provinceLon"],
                area_km2=None,
                parent=None,
                province=None,
            )
            keys[f"province:{row['provinceKey']}"] = province_key
        district_key: UnitKey = (row["districtCode"], None)
        if row["districtCode"] not in districts:
            districts[row["districtCode"]] = UnitRow(
                code=row["districtCode"],
                valid_from=None,
                valid_to=LEGACY_LAST_DAY,
                name=row["district"],
                short_name=row["districtShort"],
                kind=_DISTRICT_KINDS[row["districtType"]],
                tier=Tier.DISTRICT,
                latitude=row["districtLat"],
                longitude=row["districtLon"],
                area_km2=None,
                parent=province_key,
                province=province_key,
            )
        ward_path = f"{row['provinceKey']}_{row['districtKey']}_{row['wardKey'] or ''}"
        if not row["wardCode"]:
            # An island district with no communes (Bạch Long Vĩ, Cồn Cỏ, Hoàng Sa, Lý Sơn,
            # Côn Đảo): the mapping passes the district itself to its successor.
            keys[ward_path] = district_key
            continue
        keys[ward_path] = (row["wardCode"], None)
        dataset.units.append(
            UnitRow(
                code=row["wardCode"],
                valid_from=None,
                valid_to=LEGACY_LAST_DAY,
                name=row["ward"],
                short_name=row["wardShort"],
                kind=_COMMUNE_KINDS[row["wardType"]],
                tier=Tier.COMMUNE,
                latitude=row["wardLat"],
                longitude=row["wardLon"],
                area_km2=None,
                parent=district_key,
                province=province_key,
            )
        )
    dataset.units[:0] = [*provinces.values(), *districts.values()]
    return keys


def _read_current(dataset: Dataset, rows: list[sqlite3.Row]) -> dict[str, UnitKey]:
    keys: dict[str, UnitKey] = {}
    provinces: dict[str, UnitRow] = {}
    communes: list[UnitRow] = []
    for row in rows:
        province_key: UnitKey = (row["provinceCode"], REFORM_DATE)
        if row["provinceCode"] not in provinces:
            provinces[row["provinceCode"]] = UnitRow(
                code=row["provinceCode"],
                valid_from=REFORM_DATE,
                valid_to=None,
                name=row["province"],
                short_name=row["provinceShort"],
                kind=_province_kind(row["province"]),
                tier=Tier.PROVINCE,
                latitude=row["provinceLat"],
                longitude=row["provinceLon"],
                area_km2=None,
                parent=None,
                province=None,
            )
            keys[f"province:{row['provinceKey']}"] = province_key
        keys[f"{row['provinceKey']}:{row['wardKey']}"] = (row["wardCode"], REFORM_DATE)
        communes.append(
            UnitRow(
                code=row["wardCode"],
                valid_from=REFORM_DATE,
                valid_to=None,
                name=row["ward"],
                short_name=row["wardShort"],
                kind=_COMMUNE_KINDS[row["wardType"]],
                tier=Tier.COMMUNE,
                latitude=row["wardLat"],
                longitude=row["wardLon"],
                area_km2=row["wardAreaKm2"],
                parent=province_key,
                province=province_key,
            )
        )
    dataset.units.extend([*provinces.values(), *communes])
    return keys


def _read_successions(
    dataset: Dataset,
    mapping: dict[str, Any],
    legacy_rows: list[sqlite3.Row],
    legacy: dict[str, UnitKey],
    current: dict[str, UnitKey],
) -> None:
    names = {unit.key: unit.name for unit in dataset.units}

    # Provinces: each new province lists the old provinces it was formed from.
    old_to_new_province: dict[UnitKey, UnitKey] = {}
    for new_key, old_keys in mapping["DICT_PROVINCE"].items():
        successor = current[f"province:{new_key}"]
        for old_key in old_keys:
            predecessor = legacy[f"province:{old_key}"]
            old_to_new_province[predecessor] = successor
            dataset.successions.append(
                SuccessionRow(
                    predecessor=predecessor,
                    successor=successor,
                    kind=_one_to_one_kind(names, predecessor, successor)
                    if len(old_keys) == 1
                    else SuccessionKind.MERGE,
                    is_default=True,
                    effective_date=REFORM_DATE,
                    legal_basis=LEGAL_BASIS_PROVINCES,
                )
            )

    # Communes: whole old communes per new unit, then the old communes split between several.
    parts: dict[UnitKey, list[tuple[UnitKey, bool]]] = defaultdict(list)
    for province, wards in mapping["DICT_PROVINCE_WARD_NO_DIVIDED"].items():
        for ward, old_paths in wards.items():
            for old_path in old_paths:
                parts[legacy[old_path]].append((current[f"{province}:{ward}"], True))
    for province, old_paths in mapping["DICT_PROVINCE_WARD_DIVIDED"].items():
        for old_path, new_wards in old_paths.items():
            for new_ward in new_wards:
                parts[legacy[old_path]].append(
                    (current[f"{province}:{new_ward['newWardKey']}"], new_ward["isDefaultNewWard"])
                )
    predecessors_of: dict[UnitKey, int] = defaultdict(int)
    for successors in parts.values():
        for successor, _default in successors:
            predecessors_of[successor] += 1
    for predecessor, successors in parts.items():
        for successor, is_default in successors:
            kind: str
            if len(successors) > 1:
                kind = SuccessionKind.SPLIT
            elif predecessors_of[successor] > 1:
                kind = SuccessionKind.MERGE
            else:
                kind = _one_to_one_kind(names, predecessor, successor)
            dataset.successions.append(
                SuccessionRow(
                    predecessor=predecessor,
                    successor=successor,
                    kind=kind,
                    is_default=is_default,
                    effective_date=REFORM_DATE,
                    legal_basis=LEGAL_BASIS_COMMUNES,
                )
            )

    # Districts are abolished; their pending work passes to the new province by default.
    districts = {(row["districtCode"], None): (row["provinceCode"], None) for row in legacy_rows}
    for district, old_province in districts.items():
        if district in parts:
            continue  # an island district that became a special zone itself
        dataset.successions.append(
            SuccessionRow(
                predecessor=district,
                successor=old_to_new_province[old_province],
                kind=SuccessionKind.ABOLISH,
                is_default=True,
                effective_date=REFORM_DATE,
                legal_basis=LEGAL_BASIS_DISTRICTS,
            )
        )


def _one_to_one_kind(names: dict[UnitKey, str], predecessor: UnitKey, successor: UnitKey) -> str:
    if names[predecessor] == names[successor]:
        return SuccessionKind.CONTINUE
    return SuccessionKind.RENAME
