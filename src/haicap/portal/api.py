"""/api/v1/public/: what citizens and other portals may call without an account."""

from __future__ import annotations

import datetime as dt
from typing import Any, Literal

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from ninja import Field, File, Form, P, QueryEx, Router, Schema, Status
from ninja.files import UploadedFile

from haicap.core.api_errors import RATE_LIMITED
from haicap.core.errors import Invalid
from haicap.core.pagination import MAX_PAGE_SIZE, paginate
from haicap.core.ratelimit import check
from haicap.dossiers import actions as dossier_actions
from haicap.dossiers.actions import do_rate_dossier
from haicap.dossiers.api import ApplicantIn, centre_for
from haicap.dossiers.documents import lookup_url
from haicap.dossiers.papers import check as check_upload
from haicap.portal import access
from haicap.portal.api_eform import FormOut, PaperIn, declaration_from, form_out
from haicap.portal.public import lookup_json, public_view
from haicap.procedures import queries as procedure_queries
from haicap.procedures.api import (
    ProcedureDetail,
    ProcedurePage,
    SectorParam,
    procedure_detail,
    procedure_out,
)

router = Router(tags=["public"])


class PublicDossierIn(Schema):
    procedure: str
    unit: str = Field(..., description="code of the commune (or province) whose centre receives it")
    centre: str | None = Field(None, description="agency code, for filing at another centre")
    applicant: ApplicantIn
    pages: int = Field(0, ge=0, le=10000)
    copies: int = Field(1, ge=1, le=1000)
    form: dict[str, Any] = Field({}, description="the e-form's values, by field key")
    papers: list[PaperIn] = Field([], max_length=30)
    at_desk: list[int] = Field([], max_length=30, description="papers to show at the desk")


class CreatedOut(Schema):
    code: str
    secret: str
    status: int
    status_label: str
    lookup_url: str


class TimelineStepOut(Schema):
    at: dt.datetime
    text: str
    detail: str


class SupplementOut(Schema):
    missing: list[str]
    reason: str


class ResultOut(Schema):
    id: int
    name: str
    size: int


class PublicProcedureBrief(Schema):
    code: str
    name: str


class CentreBrief(Schema):
    code: str
    name: str


class PublicDossier(Schema):
    code: str
    procedure: PublicProcedureBrief
    applicant: str
    status: int
    status_label: str
    submitted_at: dt.datetime | None
    received_at: dt.datetime | None
    due_at: dt.datetime | None
    finished_at: dt.datetime | None
    returned_at: dt.datetime | None
    overdue: bool
    fee: int
    fee_paid: bool
    centre: CentreBrief
    supplement_requested: SupplementOut | None
    electronic_results: list[ResultOut]
    can_rate: bool
    rated: bool
    timeline: list[TimelineStepOut]


class RatingIn(Schema):
    secret: str
    score: Literal[1, 2, 3] = Field(..., description="3 very satisfied, 2 satisfied, 1 not")
    comment: str = Field("", max_length=2000)


class RatingOut(Schema):
    code: str
    score: int


@router.get("/procedures", response=ProcedurePage, summary="The catalogue")
def public_procedures(
    request: HttpRequest,
    q: QueryEx[str, P(description="search words; diacritics optional")] = "",
    sector: QueryEx[SectorParam | None, P()] = None,
    tier: QueryEx[Literal["commune", "province", "central"] | None, P()] = None,
    online: QueryEx[Literal["full", "partial", "none"] | None, P()] = None,
    page: QueryEx[int, P(ge=1)] = 1,
    page_size: QueryEx[int, P(ge=1, le=MAX_PAGE_SIZE)] = 50,
) -> ProcedurePage:
    found = procedure_queries.procedures(query=q, sector=sector, tier=tier, online=online)
    result = paginate(found, page, page_size)
    return ProcedurePage(
        **result.fields(),
        items=[procedure_out(procedure) for procedure in result.items],
    )


@router.get("/procedures/{code}", response=ProcedureDetail, summary="One procedure")
def public_procedure(request: HttpRequest, code: str) -> ProcedureDetail:
    return procedure_detail(procedure_queries.procedure_by_code(code))


@router.get(
    "/procedures/{code}/form",
    response=FormOut,
    summary="A procedure's e-form and the papers a filing must give",
)
def public_procedure_form(request: HttpRequest, code: str) -> FormOut:
    return form_out(procedure_queries.procedure_by_code(code))


@router.post(
    "/dossiers",
    response={201: CreatedOut},
    summary="File a dossier online",
    openapi_extra=RATE_LIMITED,
)
def file_dossier(
    request: HttpRequest, response: HttpResponse, body: PublicDossierIn
) -> Status[CreatedOut]:
    check(request, "filing", settings.RATE_LIMIT_FILING)
    key = request.headers.get("Idempotency-Key", "").strip()
    if len(key) > 100:
        raise Invalid(
            _("The Idempotency-Key is longer than 100 characters."), field="Idempotency-Key"
        )
    procedure = procedure_queries.procedure_by_code(body.procedure)
    if procedure.online_level == "none":
        raise Invalid(_("This procedure cannot be filed online."), field="procedure")
    dossier, created = dossier_actions.do_submit_dossier(
        procedure=procedure,
        centre=centre_for(body.unit, body.centre),
        applicant=dossier_actions.Applicant.from_input(body.applicant.model_dump()),
        actor=request.user,
        pages=body.pages,
        copies=body.copies,
        idempotency_key=f"public:{key}" if key else None,
        # 422 with every e-form error and the missing papers named (portal/api_eform.py).
        declaration=declaration_from(procedure, body.form, body.papers, body.at_desk),
    )
    if not created:
        response["Idempotent-Replayed"] = "true"
    return Status(
        201,
        CreatedOut(
            code=dossier.code,
            secret=dossier.secret,
            status=dossier.status,
            status_label=str(dossier.get_status_display()),
            lookup_url=lookup_url(dossier),
        ),
    )


@router.get(
    "/dossiers/{code}",
    response=PublicDossier,
    summary="Where a dossier stands (code and secret)",
    openapi_extra=RATE_LIMITED,
)
def lookup_dossier(request: HttpRequest, code: str, secret: str) -> HttpResponse:
    access.guard(request, code)
    with access.counting_misses(request, code):
        body = lookup_json(code, secret, get_language() or "vi", access.matching)
    # Already the schema's JSON: served as it was rendered and cached.
    return HttpResponse(body, content_type="application/json; charset=utf-8")


@router.post(
    "/dossiers/{code}/supplements",
    response=PublicDossier,
    summary="Send the papers a supplement request asked for (multipart)",
    openapi_extra=RATE_LIMITED,
)
def send_supplement(
    request: HttpRequest,
    code: str,
    secret: Form[str],
    files: File[list[UploadedFile]],
    note: Form[str] = "",
) -> PublicDossier:
    check(request, "filing", settings.RATE_LIMIT_FILING)
    dossier = access.public_dossier(request, code, secret)
    uploads = [check_upload(f.name or "giấy tờ", f.name or "file", f, field="files") for f in files]
    if not uploads:
        raise Invalid(_("Attach the missing papers."), field="files")
    updated = dossier_actions.do_receive_supplement(
        dossier, actor=request.user, uploads=uploads, note=note, by_citizen=True
    )
    # public_view's dict is also the cached lookup's JSON (portal/public.py): validated here.
    return PublicDossier.model_validate(public_view(access.matching(updated.code, secret)))


@router.post(
    "/dossiers/{code}/rating",
    response={201: RatingOut},
    summary="Rate the service, once",
    openapi_extra=RATE_LIMITED,
)
def rate_dossier(request: HttpRequest, code: str, body: RatingIn) -> Status[RatingOut]:
    dossier = access.public_dossier(request, code, body.secret)
    rating = do_rate_dossier(dossier, score=body.score, comment=body.comment, actor=request.user)
    return Status(201, RatingOut(code=dossier.code, score=rating.score))
