"""Facts read straight from the vietnamadminunits package, to check the registry against."""

from __future__ import annotations

import json
import sqlite3
from functools import cache
from importlib import resources
from typing import Any


@cache
def _rows(table: str) -> list[dict[str, Any]]:
    data = resources.files("vietnamadminunits") / "data"
    with resources.as_file(data / "dataset.db") as path:
        conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
        conn.row_factory = sqlite3.Row
        try:
            return [dict(row) for row in conn.execute(f"SELECT * FROM {table}")]  # noqa: S608
        finally:
            conn.close()


def legacy_rows() -> list[dict[str, Any]]:
    return _rows("admin_units_legacy")


def current_rows() -> list[dict[str, Any]]:
    return _rows("admin_units")


@cache
def mapping() -> dict[str, Any]:
    data = resources.files("vietnamadminunits") / "data"
    loaded: dict[str, Any] = json.loads((data / "converter_2025.json").read_text("utf-8"))
    return loaded


def legacy_ward_code(path: str) -> str:
    """The GSO code of a legacy commune named by the mapping's province_district_ward key."""
    for row in legacy_rows():
        if f"{row['provinceKey']}_{row['districtKey']}_{row['wardKey'] or ''}" == path:
            return str(row["wardCode"] or row["districtCode"])
    raise KeyError(path)


def current_ward_code(province_key: str, ward_key: str) -> str:
    for row in current_rows():
        if row["provinceKey"] == province_key and row["wardKey"] == ward_key:
            return str(row["wardCode"])
    raise KeyError((province_key, ward_key))
