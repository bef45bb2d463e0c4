"""The province's dossiers as the national portal's fields (DongBoHoSoMC, CapNhatTienDoHoSoMC).

A push always carries a dossier's whole current state at its current version (``PhienBan``),
so the hub can keep the highest version it saw and ignore anything older.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from typing import Any

from haicap.dossiers.models import Dossier, DossierEvent, DossierPaper, PaperStage
from haicap.dossiers.workflow import label_of
from haicap.federation.models import ProcedureMapping
from haicap.federation.protocol import format_date
from haicap.units.lineage import owners
from haicap.units.models import AdminUnit

# Procedures of these sectors are filed by businesses (LoaiDoiTuong 2).
BUSINESS_SECTORS = {"business"}


def agency_codes() -> dict[int, str]:
    """Unit id → the agency code it is synced under: its own if in force, else its successor's.

    Dossiers of units abolished in 2025 keep the old unit in their history; the hub only
    knows units in force, so they travel under the code of the unit they became.
    """
    successor = owners()
    codes = dict(AdminUnit.objects.values_list("id", "agency_code"))
    return {unit_id: codes[successor.get(unit_id, unit_id)] for unit_id in codes}


def national_codes() -> dict[int, str]:
    return dict(ProcedureMapping.objects.values_list("procedure_id", "national_code"))


def dossiers(ids: Iterable[int], *, codes: dict[int, str]) -> list[dict[str, Any]]:
    """DongBoHoSoMC's ``data[]`` for the dossiers ``ids`` (a handful of queries, any count)."""
    rows = list(
        Dossier.objects.filter(pk__in=list(ids))
        .select_related("procedure", "responsible_unit")
        .order_by("pk")
    )
    ids = [row.pk for row in rows]
    papers: dict[int, list[DossierPaper]] = defaultdict(list)
    for paper in DossierPaper.objects.filter(dossier_id__in=ids).order_by("pk"):
        papers[paper.dossier_id].append(paper)
    supplements: dict[int, list[DossierEvent]] = defaultdict(list)
    for event in DossierEvent.objects.filter(
        dossier_id__in=ids, action="request_supplement"
    ).order_by("seq"):
        supplements[event.dossier_id].append(event)
    mapped = national_codes()
    return [item(row, papers[row.pk], supplements[row.pk], codes, mapped) for row in rows]


def item(
    dossier: Dossier,
    papers: list[DossierPaper],
    supplements: list[DossierEvent],
    codes: dict[int, str],
    mapped: dict[int, str],
) -> dict[str, Any]:
    procedure = dossier.procedure
    return {
        "MaHoSo": dossier.code,
        "PhienBan": dossier.version,
        "MaDonVi": codes[dossier.receiving_unit_id],
        "MaTraCuu": dossier.secret,
        "MaTTHC": mapped.get(procedure.pk, procedure.code),
        "TenTTHC": procedure.name,
        "MaLinhVuc": procedure.sector,
        "ChuHoSo": dossier.applicant_name,
        "LoaiDoiTuong": 2 if procedure.sector in BUSINESS_SECTORS else 1,
        "TrichYeuHoSo": procedure.name[:500],
        "NgayTiepNhan": format_date(dossier.received_at or dossier.submitted_at),
        "NgayHenTra": format_date(dossier.due_at),
        "TrangThaiHoSo": dossier.status,
        "NgayKetThucXuLy": format_date(dossier.finished_at),
        "NgayTra": format_date(dossier.returned_at),
        "HinhThuc": dossier.channel,
        "DonViXuLy": dossier.responsible_unit.name,
        "TaiLieuNop": [
            {"TenTaiLieu": p.name, "TenTep": p.original_name, "DungLuong": p.size}
            for p in papers
            if p.stage != PaperStage.RESULT
        ],
        "DanhSachLePhi": (
            [
                {
                    "TenPhiLePhi": procedure.name[:200],
                    "SoTien": dossier.fee,
                    "DaThanhToan": dossier.fee_paid,
                    "HinhThucThanhToan": dossier.payment_method,
                    "NgayThanhToan": format_date(dossier.paid_at),
                }
            ]
            if dossier.fee
            else []
        ),
        "DanhSachHoSoBoSung": [
            {
                "NgayYeuCau": format_date(event.at),
                "NoiDungYeuCau": event.note[:500],
                "GiayToThieu": list(event.data.get("missing", []))[:50],
            }
            for event in supplements
        ],
        "DanhSachGiayToKetQua": [
            {"TenGiayTo": p.name, "TenTep": p.original_name, "DungLuong": p.size}
            for p in papers
            if p.stage == PaperStage.RESULT
        ],
    }


def progress(events: Iterable[DossierEvent], code_of: dict[int, str]) -> list[dict[str, Any]]:
    """CapNhatTienDoHoSoMC's ``data[]``: one step per timeline event, numbered by version."""
    return [
        {
            "MaHoSo": code_of[event.dossier_id],
            "PhienBan": event.seq,
            "NguoiXuLy": event.actor_label[:200],
            "ThoiDiemXuLy": format_date(event.at),
            "NoiDungXuLy": (
                str(label_of(event.action)) + (": " + event.note if event.note else "")
            )[:500],
            "TrangThai": event.to_status,
        }
        for event in events
    ]


def day_bounds(day: dt.date) -> tuple[dt.datetime, dt.datetime]:
    from haicap.core.calendar import ZONE

    start = dt.datetime.combine(day, dt.time(), tzinfo=ZONE)
    return start, start + dt.timedelta(days=1)
