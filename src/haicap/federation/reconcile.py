"""Reconciliation (đối soát): a day's counts per unit and status, the province's against
the hub's; the differences listed on both sides, and re-sent by the province in one action.
"""

from __future__ import annotations

import datetime as dt
import re
from collections import Counter
from typing import Any

from django.db.models import F
from django.db.models.functions import Coalesce, TruncDate

from haicap.core.actors import Actor
from haicap.core.calendar import ZONE
from haicap.dossiers.models import Dossier
from haicap.federation import actions, payload
from haicap.federation.client import HubClient
from haicap.federation.models import HubProvince, Reconciliation, SyncedDossier
from haicap.federation.protocol import ErrorCode, ProtocolError

_DAY = re.compile(r"\d{8}")
Key = tuple[str, int]


def parse_day(value: object) -> dt.date:
    if not isinstance(value, str) or not _DAY.fullmatch(value):
        raise ProtocolError(ErrorCode.INVALID, "Ngay must be a day as yyyyMMdd.", field="Ngay")
    try:
        day = dt.date(int(value[:4]), int(value[4:6]), int(value[6:]))
    except ValueError:
        raise ProtocolError(
            ErrorCode.INVALID, f"Ngay: {value} is not a real day.", field="Ngay"
        ) from None
    if not dt.date(2000, 1, 1) <= day <= dt.date(2100, 1, 1):
        raise ProtocolError(ErrorCode.INVALID, f"Ngay: {value} is out of range.", field="Ngay")
    return day


def _differences(mine: Counter[Key], theirs: Counter[Key]) -> list[dict[str, Any]]:
    return [
        {"MaDonVi": unit, "TrangThaiHoSo": status, "TinhGui": mine[key], "TrungUong": theirs[key]}
        for key in sorted(set(mine) | set(theirs))
        for unit, status in [key]
        if mine[key] != theirs[key]
    ]


def local_dossiers(day: dt.date) -> Any:
    return Dossier.objects.annotate(
        day=TruncDate(Coalesce(F("received_at"), F("submitted_at")), tzinfo=ZONE)
    ).filter(day=day)


def province_counts(day: dt.date, codes: dict[int, str]) -> Counter[Key]:
    counts: Counter[Key] = Counter()
    for unit_id, status in local_dossiers(day).values_list("receiving_unit_id", "status"):
        counts[(codes[unit_id], status)] += 1
    return counts


def hub_counts(province: HubProvince, day: dt.date) -> Counter[Key]:
    counts: Counter[Key] = Counter()
    rows = (
        SyncedDossier.objects.filter(province=province)
        .annotate(day=TruncDate("received_at", tzinfo=ZONE))
        .filter(day=day)
        .values_list("madonvi", "status")
    )
    for madonvi, status in rows:
        counts[(madonvi, status)] += 1
    return counts


def hub_compare(
    province: HubProvince, data: dict[str, Any], units: dict[str, tuple[int, int]]
) -> dict[str, Any]:
    """DoiSoatHoSo at the hub: the province's counts against the synced copy."""
    day = parse_day(data.get("Ngay"))
    figures = data.get("SoLieu")
    if not isinstance(figures, list) or len(figures) > 100_000:
        raise ProtocolError(ErrorCode.MALFORMED, "SoLieu must be a list.", field="SoLieu")
    theirs: Counter[Key] = Counter()
    for index, row in enumerate(figures):
        if not isinstance(row, dict):
            raise ProtocolError(ErrorCode.MALFORMED, "Each figure is an object.", index=index)
        unit, status, count = row.get("MaDonVi"), row.get("TrangThaiHoSo"), row.get("SoLuong")
        if not isinstance(unit, str) or unit not in units:
            raise ProtocolError(
                ErrorCode.UNKNOWN_UNIT,
                f"Unknown MaDonVi {str(unit)[:40]!r}.",
                field="MaDonVi",
                index=index,
            )
        if units[unit][1] != province.province_id:
            raise ProtocolError(
                ErrorCode.OTHER_PROVINCE,
                f"{unit} is a unit of another province.",
                field="MaDonVi",
                index=index,
            )
        if not isinstance(status, int) or not 1 <= status <= 10:
            raise ProtocolError(
                ErrorCode.INVALID,
                "TrangThaiHoSo is not a known code.",
                field="TrangThaiHoSo",
                index=index,
            )
        if not isinstance(count, int) or count < 0:
            raise ProtocolError(
                ErrorCode.INVALID, "SoLuong must be a whole number.", field="SoLuong", index=index
            )
        theirs[(unit, status)] += count
    differences = _differences(theirs, hub_counts(province, day))
    actions.do_record_hub_reconciliation(province, day, differences)
    return {"Ngay": day.strftime("%Y%m%d"), "ChenhLech": differences}


def check(client: HubClient, madonvi: str, day: dt.date, *, actor: Actor) -> Reconciliation:
    """At the province: send the day's counts, keep the differences the hub found."""
    codes = payload.agency_codes()
    counts = province_counts(day, codes)
    answer = client.call(
        "DoiSoatHoSo",
        madonvi,
        Ngay=day.strftime("%Y%m%d"),
        SoLieu=[
            {"MaDonVi": unit, "TrangThaiHoSo": status, "SoLuong": count}
            for (unit, status), count in sorted(counts.items())
        ],
    )
    differences = list(answer.get("result", {}).get("ChenhLech", []))
    return actions.do_record_reconciliation(day, differences, actor=actor)


def resend(record: Reconciliation, *, actor: Actor) -> int:
    """Queue again every dossier of the day in a unit whose counts differ."""
    codes = payload.agency_codes()
    units = {str(d["MaDonVi"]) for d in record.differences}
    ids = [
        pk
        for pk, unit_id in local_dossiers(record.day).values_list("pk", "receiving_unit_id")
        if codes[unit_id] in units
    ]
    count = actions.do_resend_dossiers(ids, actor=actor, reason=f"reconciliation {record.day}")
    actions.do_mark_resent(record, count, actor=actor)
    return count
