"""Reconciliation (đối soát): a day's counts per unit and status, the province's against
the hub's; the differences listed on both sides, and re-sent by the province in one action.
"""

from __future__ import annotations

import datetime as dt
import re
from collections import Counter
from typing import Any

from django.conf import settings
from django.db.models import F
from django.db.models.functions import Coalesce, TruncDate
from django.utils import timezone

from haicap.core.actors import Actor
from haicap.core.calendar import ZONE
from haicap.dossiers.models import Dossier, Status
from haicap.federation import actions, payload
from haicap.federation.client import HubClient
from haicap.federation.models import HubProvince, Reconciliation, SyncedDossier
from haicap.federation.protocol import ErrorCode, ProtocolError
from haicap.units.models import AdminUnit, Tier

_DAY = re.compile(r"[0-9]{8}")
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


def describe(records: list[Any]) -> list[Any]:
    """Each record's differences as a reader wants them: the unit's name beside its code and
    the status's label (one query for every record shown)."""
    codes = {str(d.get("MaDonVi")) for record in records for d in record.differences}
    names = dict(
        AdminUnit.objects.filter(agency_code__in=codes)
        .order_by("valid_to")  # a code reused after 2025: the unit in force last
        .values_list("agency_code", "name")
    )
    labels = dict(Status.choices)
    for record in records:
        record.rows = [
            {
                **d,
                "unit_name": names.get(str(d.get("MaDonVi")), ""),
                "status_label": labels.get(d.get("TrangThaiHoSo"), str(d.get("TrangThaiHoSo"))),
            }
            for d in record.differences
        ]
    return records


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
        if not isinstance(status, int) or isinstance(status, bool) or not 1 <= status <= 10:
            raise ProtocolError(
                ErrorCode.INVALID,
                "TrangThaiHoSo is not a known code.",
                field="TrangThaiHoSo",
                index=index,
            )
        if not isinstance(count, int) or isinstance(count, bool) or not 0 <= count <= 10**9:
            raise ProtocolError(
                ErrorCode.INVALID, "SoLuong must be a whole number.", field="SoLuong", index=index
            )
        theirs[(unit, status)] += count
    differences = _differences(theirs, hub_counts(province, day))
    actions.do_record_hub_reconciliation(province, day, differences)
    return {"Ngay": day.strftime("%Y%m%d"), "ChenhLech": differences}


def madonvi() -> str | None:
    """The province's agency code at the hub (``HAICAP_FEDERATION_DSTCODE``'s unit)."""
    code = f"H{settings.FEDERATION_DSTCODE.removeprefix('H')}"
    unit = AdminUnit.objects.filter(
        tier=Tier.PROVINCE, valid_to__isnull=True, agency_code=code
    ).first()
    return unit.agency_code if unit else None


def nightly(*, actor: Actor) -> Reconciliation | None:
    """Yesterday's counts compared with the hub (the nightly job); None without a link."""
    client = HubClient.from_settings()
    code = madonvi()
    if client is None or code is None:
        return None
    yesterday = timezone.now().astimezone(ZONE).date() - dt.timedelta(days=1)
    return check(client, code, yesterday, actor=actor)


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
    """Queue again every dossier of the day in a unit whose counts differ (a day without
    differences has nothing to re-send and is left as it is)."""
    if not record.differences:
        return 0
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
