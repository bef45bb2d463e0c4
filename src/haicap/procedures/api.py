"""/api/v1/procedures: the catalogue, and when a dossier received at a moment is due."""

from __future__ import annotations

import datetime as dt
from typing import Literal

from django.http import HttpRequest
from django.utils import timezone
from ninja import P, QueryEx, Router, Schema

from haicap.core.calendar import ZONE
from haicap.core.pagination import MAX_PAGE_SIZE, paginate
from haicap.procedures import queries
from haicap.procedures.models import Procedure
from haicap.procedures.rules import due_at

router = Router(tags=["procedures"])

SectorParam = Literal[
    "civil_status",
    "certification",
    "residence",
    "land",
    "construction",
    "business",
    "justice",
    "labour",
    "social",
    "other",
]


class TimeOut(Schema):
    kind: str
    working_days: int
    note: str


class FeeOut(Schema):
    kind: str
    amount: int
    online: int
    per_page: int
    per_page_after: int
    pages_at_first_rate: int
    cap_per_copy: int
    note: str


class RequiredPaperOut(Schema):
    name: str
    copies: int
    original: bool
    mandatory: bool


class StepOut(Schema):
    order: int
    name: str
    role: str
    share_percent: int


class ProcedureOut(Schema):
    code: str
    name: str
    sector: str
    sector_label: str
    competent_tier: str
    handling_agency: str
    time: TimeOut
    fee: FeeOut
    online_level: str
    filing_anywhere: bool
    result: str


class ProcedureDetail(ProcedureOut):
    legal_basis: str
    papers: list[RequiredPaperOut]
    steps: list[StepOut]


class ProcedurePage(Schema):
    count: int
    page: int
    pages: int
    page_size: int
    items: list[ProcedureOut]


class DueOut(Schema):
    procedure: str
    received: dt.datetime
    due_at: dt.datetime


def procedure_out(procedure: Procedure) -> ProcedureOut:
    return ProcedureOut(
        code=procedure.code,
        name=procedure.name,
        sector=procedure.sector,
        sector_label=str(procedure.get_sector_display()),
        competent_tier=procedure.competent_tier,
        handling_agency=procedure.handling_agency,
        time=TimeOut(
            kind=procedure.time_kind,
            working_days=procedure.time_days,
            note=procedure.time_note,
        ),
        fee=FeeOut(
            kind=procedure.fee_kind,
            amount=procedure.fee_amount,
            online=procedure.fee_online,
            per_page=procedure.fee_per_page,
            per_page_after=procedure.fee_per_page_after,
            pages_at_first_rate=procedure.fee_page_threshold,
            cap_per_copy=procedure.fee_cap,
            note=procedure.fee_note,
        ),
        online_level=procedure.online_level,
        filing_anywhere=procedure.filing_anywhere,
        result=procedure.result_paper,
    )


def procedure_detail(procedure: Procedure) -> ProcedureDetail:
    # ProcedureOut's fields as built above (its nested schemas pass through), and the rest.
    return ProcedureDetail(
        **dict(procedure_out(procedure)),
        legal_basis=procedure.legal_basis,
        papers=[
            RequiredPaperOut(
                name=p.name, copies=p.copies, original=p.original, mandatory=p.mandatory
            )
            for p in procedure.papers.all()
        ],
        steps=[
            StepOut(order=s.order, name=s.name, role=s.role, share_percent=s.share_percent)
            for s in procedure.steps.all()
        ],
    )


@router.get("", response=ProcedurePage, summary="The catalogue, searchable without diacritics")
def list_procedures(
    request: HttpRequest,
    q: QueryEx[str, P(description="search words")] = "",
    sector: QueryEx[SectorParam | None, P()] = None,
    tier: QueryEx[Literal["commune", "province", "central"] | None, P()] = None,
    online: QueryEx[Literal["full", "partial", "none"] | None, P()] = None,
    page: QueryEx[int, P(ge=1)] = 1,
    page_size: QueryEx[int, P(ge=1, le=MAX_PAGE_SIZE)] = 50,
) -> ProcedurePage:
    result = paginate(
        queries.procedures(query=q, sector=sector, tier=tier, online=online), page, page_size
    )
    return ProcedurePage(
        **result.fields(),
        items=[procedure_out(procedure) for procedure in result.items],
    )


@router.get("/{code}", response=ProcedureDetail, summary="One procedure with papers and steps")
def get_procedure(request: HttpRequest, code: str) -> ProcedureDetail:
    return procedure_detail(queries.procedure_by_code(code))


@router.get("/{code}/due", response=DueOut, summary="When a dossier received then is due")
def procedure_due(
    request: HttpRequest,
    code: str,
    received: QueryEx[
        dt.datetime | None, P(description="ISO date-time; without a zone: Viet Nam time")
    ] = None,
) -> DueOut:
    procedure = queries.procedure_by_code(code)
    moment = received or timezone.now()
    if timezone.is_naive(moment):
        moment = moment.replace(tzinfo=ZONE)
    return DueOut(
        procedure=procedure.code,
        received=moment.astimezone(ZONE),
        due_at=due_at(procedure, moment).astimezone(ZONE),
    )
