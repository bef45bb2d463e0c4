"""The national catalogue: the hub publishes it (LayDanhSachTTHC, LayThuTuc); a province
pulls it and maps its local procedures to national codes (`haicap sync catalogue`)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.db import transaction
from django.utils import timezone

from haicap.core import audit
from haicap.core.actors import Actor
from haicap.core.text import search_key as fold
from haicap.federation.client import HubClient
from haicap.federation.models import MappingSource, NationalProcedure, ProcedureMapping
from haicap.federation.protocol import ErrorCode, ProtocolError
from haicap.procedures.models import Procedure


def _entry(procedure: Procedure) -> dict[str, Any]:
    return {
        "MaTTHC": procedure.code,
        "TenTTHC": procedure.name,
        "MaLinhVuc": procedure.sector,
        "CapThucHien": procedure.competent_tier,
        "PhiDiaGioi": procedure.filing_anywhere,
    }


def national_list() -> list[dict[str, Any]]:
    """LayDanhSachTTHC: the hub's catalogue (its procedures table is the national one)."""
    return [_entry(p) for p in Procedure.objects.filter(is_active=True).order_by("code")]


def national_detail(code: str) -> dict[str, Any]:
    """LayThuTuc: one procedure with its papers, time and fee."""
    procedure = (
        Procedure.objects.filter(is_active=True, code=code).prefetch_related("papers").first()
    )
    if procedure is None:
        raise ProtocolError(ErrorCode.NOT_FOUND, f"No procedure {code}.", field="MaTTHC")
    return {
        **_entry(procedure),
        "ThoiHanGiaiQuyet": procedure.time_days,
        "GhiChuThoiHan": procedure.time_note,
        "LePhi": procedure.fee_amount,
        "KetQua": procedure.result_paper,
        "CanCuPhapLy": procedure.legal_basis,
        "ThanhPhanHoSo": [
            {
                "TenGiayTo": paper.name,
                "SoBan": paper.copies,
                "BanChinh": paper.original,
                "BatBuoc": paper.mandatory,
            }
            for paper in procedure.papers.all()
        ],
    }


def non_boundary() -> list[dict[str, Any]]:
    """The province's procedures that may be filed at any of its centres (phi địa giới)."""
    mapped = dict(ProcedureMapping.objects.values_list("procedure_id", "national_code"))
    return [
        {**_entry(p), "MaTTHCQuocGia": mapped.get(p.pk, p.code)}
        for p in Procedure.objects.filter(is_active=True, filing_anywhere=True).order_by("code")
    ]


@dataclass
class PullResult:
    national: int = 0
    mapped_by_code: int = 0
    mapped_by_name: int = 0
    kept: int = 0
    unmapped: list[str] = field(default_factory=list)


def pull(client: HubClient, madonvi: str, *, actor: Actor) -> PullResult:
    """Fetch the national list and map every local procedure still unmapped or mapped
    automatically: same code first, then the same name (accents and case ignored). A
    mapping set by hand is kept."""
    answer = client.call("LayDanhSachTTHC", madonvi)
    entries = [e for e in answer.get("result", []) if isinstance(e, dict) and e.get("MaTTHC")]
    result = PullResult(national=len(entries))
    now = timezone.now()
    by_code = {str(e["MaTTHC"]): e for e in entries}
    by_name = {fold(str(e.get("TenTTHC", ""))): str(e["MaTTHC"]) for e in entries}
    with transaction.atomic():
        NationalProcedure.objects.exclude(code__in=by_code).delete()
        for code, entry in by_code.items():
            NationalProcedure.objects.update_or_create(
                code=code,
                defaults={
                    "name": str(entry.get("TenTTHC", ""))[:300],
                    "sector": str(entry.get("MaLinhVuc", ""))[:40],
                    "pulled_at": now,
                },
            )
        manual = set(
            ProcedureMapping.objects.filter(source=MappingSource.MANUAL).values_list(
                "procedure_id", flat=True
            )
        )
        for procedure in Procedure.objects.filter(is_active=True).order_by("code"):
            if procedure.pk in manual:
                result.kept += 1
                continue
            if procedure.code in by_code:
                national, source = procedure.code, MappingSource.CODE
                result.mapped_by_code += 1
            elif fold(procedure.name) in by_name:
                national, source = by_name[fold(procedure.name)], MappingSource.NAME
                result.mapped_by_name += 1
            else:
                ProcedureMapping.objects.filter(procedure=procedure).delete()
                result.unmapped.append(procedure.code)
                continue
            ProcedureMapping.objects.update_or_create(
                procedure=procedure,
                defaults={"national_code": national, "source": source, "mapped_at": now},
            )
        audit.record(
            "federation.catalogue_pulled",
            actor=actor,
            subject_type="catalogue",
            after={
                "national": result.national,
                "by_code": result.mapped_by_code,
                "by_name": result.mapped_by_name,
                "unmapped": len(result.unmapped),
            },
        )
    return result


def do_map_procedure(procedure: Procedure, national_code: str, *, actor: Actor) -> ProcedureMapping:
    """Set a procedure's national code by hand (kept by later pulls)."""
    with transaction.atomic():
        mapping, _created = ProcedureMapping.objects.update_or_create(
            procedure=procedure,
            defaults={
                "national_code": national_code,
                "source": MappingSource.MANUAL,
                "mapped_at": timezone.now(),
            },
        )
        audit.record(
            "federation.procedure_mapped",
            actor=actor,
            subject_type="procedure",
            subject_id=procedure.code,
            after={"national_code": national_code},
        )
    return mapping
