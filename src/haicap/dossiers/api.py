"""/api/v1/dossiers: intake, queues and actions for officers with a bearer token."""

from __future__ import annotations

import datetime as dt
from typing import Any, Literal

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Body, Field, P, PathEx, QueryEx, Router, Schema, Status

from haicap.core import audit, ratelimit
from haicap.core.api_errors import RATE_LIMITED
from haicap.core.errors import Invalid
from haicap.core.pagination import MAX_PAGE_SIZE, paginate
from haicap.dossiers import actions, queues
from haicap.dossiers.access import actions_for, get_dossier_for, in_archive, visible_dossiers
from haicap.dossiers.applicant import Applicant
from haicap.dossiers.dispatch import ActionRequest, run_action
from haicap.dossiers.models import CLOCK_STATUSES, Channel, Dossier
from haicap.dossiers.serializers import dossier_detail, dossier_summary
from haicap.dossiers.workflow import ACTIONS
from haicap.procedures.queries import procedure_by_code
from haicap.staff.auth import TokenAuth
from haicap.units.centres import open_centre, own_centre
from haicap.units.models import ServiceCenter
from haicap.units.queries import unit_by_code

router = Router(tags=["dossiers"], auth=TokenAuth())


class ApplicantIn(Schema):
    full_name: str = Field(..., max_length=200)
    id_number: str = Field("", max_length=20)
    birth_date: dt.date | None = None
    phone: str = Field("", max_length=20)
    email: str = Field("", max_length=254)
    address: str = Field("", max_length=300)
    unit: str = Field("", max_length=10, description="code of the applicant's commune")


class DossierIn(Schema):
    procedure: str
    unit: str = Field(..., description="code of the receiving commune (or province)")
    centre: str | None = Field(None, description="agency code of the centre; default: the unit's")
    channel: Literal[1, 2, 3] = 1
    applicant: ApplicantIn
    pages: int = Field(0, ge=0, le=10000)
    copies: int = Field(1, ge=1, le=1000)


class DossierActionIn(Schema):
    version: int | None = Field(None, description="the version you saw; 409 if it changed")
    reason: str = ""
    note: str = ""
    missing: list[str] = []
    assignee: str | None = Field(None, description="username")
    agency: str = ""
    amount: int | None = None
    method: str = ""
    new_due_at: dt.datetime | None = None


class DossierUnitOut(Schema):
    code: str
    name: str
    # The last day in force, for a unit that no longer exists (its work is kept under it).
    valid_to: dt.date | None = None


class ProcedureBrief(Schema):
    code: str
    name: str


class DossierSummary(Schema):
    code: str
    status: int
    status_label: str
    procedure: ProcedureBrief
    applicant_name: str
    channel: int
    responsible_unit: DossierUnitOut
    received_at: dt.datetime | None
    due_at: dt.datetime | None
    finished_at: dt.datetime | None
    overdue: bool
    version: int


class ApplicantOut(Schema):
    full_name: str
    id_number: str
    birth_date: dt.date | None
    phone: str
    email: str
    address: str


class EventOut(Schema):
    seq: int
    at: dt.datetime
    action: str
    label: str
    actor: str
    from_status: int | None
    to_status: int
    note: str
    # What the step recorded, by action (missing papers, the new appointment, …): free-form.
    data: dict[str, object]


class DossierPaperOut(Schema):
    id: int
    name: str
    file_name: str
    content_type: str
    size: int
    stage: str
    uploaded_at: dt.datetime


class DossierDetail(DossierSummary):
    # Read-only: the finished work of a unit the officer's unit succeeded.
    archived: bool
    secret: str
    applicant: ApplicantOut
    receiving_centre: DossierUnitOut
    receiving_unit: DossierUnitOut
    submitted_at: dt.datetime | None
    original_due_at: dt.datetime | None
    returned_at: dt.datetime | None
    paused: bool
    outcome: str
    step: int
    assignee: str | None
    at_other_agency: str
    fee: int
    fee_paid: bool
    supplement_requests: int
    apologies: int
    allowed_actions: list[str]
    papers: list[DossierPaperOut]
    timeline: list[EventOut]


class DossierPage(Schema):
    count: int
    page: int
    pages: int
    page_size: int
    items: list[DossierSummary]


def centre_for(unit_code: str, centre_code: str | None) -> ServiceCenter:
    """The centre receiving the dossier: the one named, else the unit's own centre."""
    unit = unit_by_code(unit_code)
    if centre_code:
        centre = open_centre(centre_code)
        if centre is None or (centre.unit.province_id or centre.unit_id) != unit.province_id:
            raise Invalid(
                _("No open centre %(code)s in this province.") % {"code": centre_code},
                field="centre",
            )
        return centre
    centre = own_centre(unit)
    if centre is None:
        raise Invalid(_("%(name)s has no service centre.") % {"name": unit.name}, field="unit")
    return centre


def detail(request: HttpRequest, dossier: Dossier) -> DossierDetail:
    fresh = (
        Dossier.objects.select_related(
            "procedure", "responsible_unit", "receiving_unit", "receiving_centre", "assignee"
        )
        .prefetch_related("papers", "events")
        .get(pk=dossier.pk)
    )
    # The serializer's dict (shared with the pages) is validated here, once, as ninja did.
    return DossierDetail.model_validate(
        dossier_detail(
            fresh,
            at=timezone.now(),
            actions=actions_for(request.user, fresh),
            archived=in_archive(request.user, fresh),
        )
    )


@router.post(
    "",
    response={201: DossierDetail},
    summary="Receive a dossier (Idempotency-Key)",
    openapi_extra=RATE_LIMITED,
)
def create_dossier(
    request: HttpRequest, response: HttpResponse, body: DossierIn
) -> Status[DossierDetail]:
    # Per officer, in the shared limiter: a stolen token cannot flood a unit's queue.
    ratelimit.hit("staff-filing", str(request.user.pk), settings.RATE_LIMIT_STAFF_FILING)
    key = request.headers.get("Idempotency-Key", "").strip()
    if len(key) > 100:
        raise Invalid(
            _("The Idempotency-Key is longer than 100 characters."), field="Idempotency-Key"
        )
    centre = centre_for(body.unit, body.centre)
    applicant = Applicant.from_input(body.applicant.model_dump())
    common: dict[str, Any] = {
        "procedure": procedure_by_code(body.procedure),
        "centre": centre,
        "applicant": applicant,
        "actor": request.user,
        "pages": body.pages,
        "copies": body.copies,
        "idempotency_key": f"staff:{request.user.pk}:{key}" if key else None,
    }
    if Channel(body.channel) == Channel.ONLINE:
        dossier, created = actions.do_submit_dossier(**common)
    else:
        dossier, created = actions.do_intake_dossier(channel=body.channel, **common)
    if not created:
        response["Idempotent-Replayed"] = "true"
    return Status(201, detail(request, dossier))


@router.get("", response=DossierPage, summary="Dossiers you may see, filtered")
def list_dossiers(
    request: HttpRequest,
    status: QueryEx[int | None, P(ge=1, le=10)] = None,
    unit: QueryEx[str | None, P(description="responsible or receiving unit code")] = None,
    overdue: QueryEx[bool | None, P()] = None,
    queue: QueryEx[
        Literal["mine", "unit", "due_today", "overdue", "supplement"] | None, P()
    ] = None,
    q: QueryEx[str, P(description="code, ID number or applicant name")] = "",
    page: QueryEx[int, P(ge=1)] = 1,
    page_size: QueryEx[int, P(ge=1, le=MAX_PAGE_SIZE)] = 50,
) -> DossierPage:
    now = timezone.now()
    found = (
        queues.queue(request.user, queue, now)
        if queue
        else visible_dossiers(request.user, archive=True)
        .select_related("procedure", "responsible_unit")
        .order_by("-received_at", "code")
    )
    if status is not None:
        found = found.filter(status=status)
    if unit:
        target = unit_by_code(unit)
        found = found.filter(responsible_unit=target) | found.filter(receiving_unit=target)
    if overdue is not None:
        late = {"status__in": CLOCK_STATUSES, "due_at__lt": now}
        found = found.filter(**late) if overdue else found.exclude(**late)
    found = queues.search(found, q)
    result = paginate(found, page, page_size)
    audit.record(
        "dossier.search",
        actor=request.user,
        subject_type="dossier",
        after={
            "status": status,
            "unit": unit,
            "queue": queue,
            "searched": bool(q),
            # What was shown: the list carries names and ID numbers.
            "shown": [d.code for d in result.items],
        },
    )
    return DossierPage(
        **result.fields(),
        items=[DossierSummary.model_validate(dossier_summary(d, at=now)) for d in result.items],
    )


@router.get("/{code}", response=DossierDetail, summary="One dossier with its timeline")
def get_dossier(request: HttpRequest, code: str) -> DossierDetail:
    return detail(request, get_dossier_for(request.user, code))


ActionName = Literal[
    "accept",
    "refuse_intake",
    "request_supplement",
    "receive_supplement",
    "assign",
    "forward",
    "send_to_agency",
    "receive_from_agency",
    "approve",
    "reject",
    "request_payment",
    "record_payment",
    "mark_result_ready",
    "return_result",
    "withdraw",
    "stop",
    "apologise",
]


@router.post("/{code}/actions/{action}", response=DossierDetail, summary="Move the dossier along")
def act_on_dossier(
    request: HttpRequest,
    code: str,
    action: PathEx[ActionName, P(description=", ".join(ACTIONS))],
    body: Body[DossierActionIn],
) -> DossierDetail:
    dossier = get_dossier_for(request.user, code, audit_read=False)
    fields = body.model_dump()
    return detail(request, run_action(dossier, action, ActionRequest(**fields), request.user))
