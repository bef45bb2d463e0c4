"""The hub's services: each checks its data completely, then writes set-based.

DongBoHoSoMC keeps the highest version of each dossier (older pushes are counted as
ignored); CapNhatTienDoHoSoMC keeps each step once per (MaHoSo, PhienBan).
"""

from __future__ import annotations

from typing import Any

from django.conf import settings

from haicap.federation import actions, catalogue, reconcile
from haicap.federation.models import HubProvince, SyncedDossier
from haicap.federation.protocol import (
    APPLICANT_KINDS,
    CHANNELS,
    STATUSES,
    ErrorCode,
    ProtocolError,
    format_date,
    lookup_hash,
    parse_date,
)
from haicap.units import lineage
from haicap.units.models import AdminUnit, Tier

MAX_ITEMS = 1000
LISTS = ("TaiLieuNop", "DanhSachLePhi", "DanhSachHoSoBoSung", "DanhSachGiayToKetQua")


def run(
    province: HubProvince, service: str, data: dict[str, Any], units: dict[str, tuple[int, int]]
) -> tuple[dict[str, Any], int]:
    if service == "DongBoHoSoMC":
        own = province_codes(province)
        rows = [_dossier(item, i, province, units, own) for i, item in enumerate(_items(data))]
        applied, ignored = actions.do_ingest_dossiers(province, rows)
        return {"applied": applied, "ignored": ignored}, len(rows)
    if service == "CapNhatTienDoHoSoMC":
        steps = [_step(item, i) for i, item in enumerate(_items(data))]
        added = actions.do_ingest_progress(province, steps)
        return {"added": added, "ignored": len(steps) - added}, len(steps)
    if service == "TraCuuHoSo":
        return {"result": _lookup(province, _text(data, "MaHoSo", 60))}, 0
    if service == "LayDanhSachTTHC":
        return {"result": catalogue.national_list()}, 0
    if service == "LayThuTuc":
        return {"result": catalogue.national_detail(_text(data, "MaTTHC", 60))}, 0
    return {"result": reconcile.hub_compare(province, data, units)}, 0


def _items(data: dict[str, Any]) -> list[dict[str, Any]]:
    items = data.get("data")
    if not isinstance(items, list) or not items:
        raise ProtocolError(ErrorCode.MALFORMED, "data must be a non-empty list.", field="data")
    if len(items) > MAX_ITEMS:
        raise ProtocolError(
            ErrorCode.MALFORMED, f"At most {MAX_ITEMS} items per call.", field="data"
        )
    for index, item in enumerate(items):
        if not isinstance(item, dict):
            raise ProtocolError(
                ErrorCode.MALFORMED, "Each item must be an object.", field="data", index=index
            )
    return items


def _text(
    item: dict[str, Any], name: str, limit: int, *, index: int | None = None, required: bool = True
) -> str:
    value = item.get(name, "")
    if value is None:
        value = ""
    if not isinstance(value, str) or len(value) > limit or "\x00" in value:
        raise ProtocolError(
            ErrorCode.INVALID,
            f"{name} must be text of at most {limit} characters.",
            field=name,
            index=index,
        )
    if required and not value.strip():
        raise ProtocolError(ErrorCode.MALFORMED, f"{name} is missing.", field=name, index=index)
    return value.strip()


def _number(item: dict[str, Any], name: str, allowed: range | tuple[int, ...], index: int) -> int:
    value = item.get(name)
    if isinstance(value, str) and value.isascii() and value.isdigit():
        value = int(value)
    if not isinstance(value, int) or isinstance(value, bool) or value not in allowed:
        raise ProtocolError(
            ErrorCode.INVALID,
            f"{name}: {str(value)[:20]!r} is not a known code.",
            field=name,
            index=index,
        )
    return value


def _version(item: dict[str, Any], index: int) -> int:
    value = item.get("PhienBan")
    if not isinstance(value, int) or isinstance(value, bool) or not 1 <= value <= 1_000_000:
        raise ProtocolError(
            ErrorCode.INVALID,
            "PhienBan must be a positive whole number.",
            field="PhienBan",
            index=index,
        )
    return value


def province_codes(province: HubProvince) -> set[str]:
    """The first groups a dossier code of this province may start with (without the ``H``):
    its GSO code and its agency code's, and those of the provinces merged into it in 2025
    (their dossiers keep their codes)."""
    merged = lineage.predecessors({province.province_id}) | {province.province_id}
    rows = AdminUnit.objects.filter(pk__in=merged, tier=Tier.PROVINCE).values_list(
        "code", "agency_code"
    )
    # The GSO code, and the first group of the province's official agency code once loaded.
    return {province.province.code} | {
        group
        for code, agency in rows
        for group in (code, agency.split(".")[0].removeprefix("H"))
        if group
    }


def _owned_code(code: str, own: set[str], index: int) -> None:
    """MaHoSo starts with the receiving centre's agency code, whose first group is the
    province's (``H01.00004-261201-0001``; ``01.…`` as haicap wrote them before Decision 20/2020
    codes): a province pushes only
    its own dossiers, so none can take another province's codes on the hub first."""
    group = code.split("-", 1)[0].split(".", 1)[0].removeprefix("H")
    if group not in own:
        raise ProtocolError(
            ErrorCode.OTHER_PROVINCE,
            f"MaHoSo {code} is not a code of your province's centres.",
            field="MaHoSo",
            index=index,
        )


def _dossier(
    item: dict[str, Any],
    index: int,
    province: HubProvince,
    units: dict[str, tuple[int, int]],
    own: set[str],
) -> dict[str, Any]:
    madonvi = _text(item, "MaDonVi", 40, index=index)
    unit = units.get(madonvi)
    if unit is None:
        raise ProtocolError(
            ErrorCode.UNKNOWN_UNIT, f"Unknown MaDonVi {madonvi!r}.", field="MaDonVi", index=index
        )
    if unit[1] != province.province_id:
        raise ProtocolError(
            ErrorCode.OTHER_PROVINCE,
            f"MaDonVi {madonvi} is a unit of another province.",
            field="MaDonVi",
            index=index,
        )
    lists = {}
    for name in LISTS:
        value = item.get(name, [])
        if not isinstance(value, list) or len(value) > 200:
            raise ProtocolError(
                ErrorCode.INVALID, f"{name} must be a list.", field=name, index=index
            )
        lists[name] = value
    code = _text(item, "MaHoSo", 60, index=index)
    _owned_code(code, own, index)
    dates = {
        name: parse_date(item.get(name), name, index=index)
        for name in ("NgayTiepNhan", "NgayHenTra", "NgayKetThucXuLy", "NgayTra")
    }
    return {
        "code": code,
        "version": _version(item, index),
        "madonvi": madonvi,
        "unit_id": unit[0],
        "procedure_code": _text(item, "MaTTHC", 60, index=index),
        "procedure_name": _text(item, "TenTTHC", 300, index=index),
        "sector": _text(item, "MaLinhVuc", 40, index=index, required=False),
        "applicant_name": _text(item, "ChuHoSo", 200, index=index),
        "applicant_kind": _number(item, "LoaiDoiTuong", APPLICANT_KINDS, index),
        "summary": _text(item, "TrichYeuHoSo", 500, index=index, required=False),
        "received_at": dates["NgayTiepNhan"],
        "due_at": dates["NgayHenTra"],
        "status": _number(item, "TrangThaiHoSo", STATUSES, index),
        "finished_at": dates["NgayKetThucXuLy"],
        "returned_at": dates["NgayTra"],
        "channel": _number(item, "HinhThuc", CHANNELS, index),
        "handling_unit": _text(item, "DonViXuLy", 200, index=index, required=False),
        "lists": lists,
        "secret_hash": lookup_hash(
            settings.SECRET_KEY, code, _text(item, "MaTraCuu", 20, index=index)
        ),
        "index": index,
    }


def _step(item: dict[str, Any], index: int) -> dict[str, Any]:
    at = parse_date(item.get("ThoiDiemXuLy"), "ThoiDiemXuLy", index=index)
    if at is None:
        raise ProtocolError(
            ErrorCode.MALFORMED, "ThoiDiemXuLy is missing.", field="ThoiDiemXuLy", index=index
        )
    return {
        "code": _text(item, "MaHoSo", 60, index=index),
        "seq": _version(item, index),
        "actor": _text(item, "NguoiXuLy", 200, index=index, required=False),
        "at": at,
        "content": _text(item, "NoiDungXuLy", 500, index=index, required=False),
        "status": _number(item, "TrangThai", STATUSES, index),
        "index": index,
    }


def _lookup(province: HubProvince, code: str) -> dict[str, Any]:
    dossier = SyncedDossier.objects.filter(code=code, province=province).first()
    if dossier is None:
        raise ProtocolError(
            ErrorCode.NOT_FOUND, f"No dossier {code} from this province.", field="MaHoSo"
        )
    return {
        "MaHoSo": dossier.code,
        "PhienBan": dossier.version,
        "MaDonVi": dossier.madonvi,
        "TrangThaiHoSo": dossier.status,
        "NgayTiepNhan": format_date(dossier.received_at),
        "NgayHenTra": format_date(dossier.due_at),
        "NgayKetThucXuLy": format_date(dossier.finished_at),
        "NgayTra": format_date(dossier.returned_at),
    }
