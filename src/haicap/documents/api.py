"""/api/v1/documents and /api/v1/agencies: official documents for officers with a bearer
token, and the exchange inbox, where agencies' systems post signed edXML messages."""

from __future__ import annotations

import datetime as dt
from typing import Any, Literal

from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Body, Field, P, PathEx, QueryEx, Router, Schema, Status

from haicap.core import audit
from haicap.core.api_errors import ErrorOut
from haicap.core.errors import Invalid, NotFound
from haicap.core.pagination import MAX_PAGE_SIZE
from haicap.core.tables import table_response
from haicap.documents import actions, exchange, registers, search
from haicap.documents.access import get_agency_for, get_document_for, visible_documents
from haicap.documents.agencies import agencies_of, agency_by_code
from haicap.documents.dispatch import ActionRequest, run_action
from haicap.documents.models import OPEN_INCOMING, Document, ExchangeMessage
from haicap.documents.serializers import detail, summary
from haicap.documents.workflow import ACTIONS, allowed
from haicap.staff.auth import TokenAuth
from haicap.units.queries import unit_by_code

router = Router(tags=["documents"], auth=TokenAuth())
agencies = Router(tags=["documents"], auth=TokenAuth())


ERRORS: dict[int, type[Schema]] = {
    400: ErrorOut,
    401: ErrorOut,
    403: ErrorOut,
    404: ErrorOut,
    409: ErrorOut,
    422: ErrorOut,
}


class RecipientIn(Schema):
    code: str = Field("", max_length=40, description="agency identifier code (OrganId)")
    name: str = Field("", max_length=200)


class DocumentIn(Schema):
    direction: Literal["out", "in"]
    agency: str = Field(..., max_length=40, description="code of your agency")
    type: str = Field(..., max_length=8, description="Decree 30 abbreviation: QĐ, CV, TB, …")
    subject: str = Field(..., max_length=2000)
    urgency: int = Field(0, ge=0, le=3, description="0 normal, 1 khẩn, 2 thượng khẩn, 3 hỏa tốc")
    restricted: bool = False
    page_count: int = Field(1, ge=1, le=9999)
    reply_due_on: dt.date | None = None
    # Outgoing
    drafting_unit: str = Field("", max_length=20)
    recipients: list[RecipientIn] = Field([], max_length=200)
    copies: int = Field(1, ge=1, le=999)
    # Incoming: the sender's number, notation and date
    sender_name: str = Field("", max_length=200)
    sender_code: str = Field("", max_length=40)
    number: int | None = Field(None, ge=1, le=9_999_999)
    notation: str = Field("", max_length=60)
    issued_on: dt.date | None = None
    source: Literal["paper", "email"] = "paper"
    signer_name: str = Field("", max_length=50)


class AgencyOut(Schema):
    code: str
    name: str
    abbreviation: str
    kind: str
    unit: str
    valid_from: dt.date | None
    valid_to: dt.date | None


class AgencyList(Schema):
    count: int
    items: list[AgencyOut]


class Party(Schema):
    code: str
    name: str


class AgencyBrief(Schema):
    code: str
    name: str
    abbreviation: str


class DocumentSummary(Schema):
    id: int
    direction: str
    status: str
    status_label: str
    agency: AgencyBrief
    type: str
    type_name: str
    subject: str
    urgency: int
    urgency_label: str
    number: int | None
    notation: str
    number_text: str
    printed_number: str
    issued_on: dt.date | None
    arrival_number: int | None
    arrived_at: dt.datetime | None
    sender: Party
    due_at: dt.datetime | None
    overdue: bool
    restricted: bool
    version: int
    created_at: dt.datetime


class DocumentPage(Schema):
    count: int
    page: int
    pages: int
    page_size: int
    items: list[DocumentSummary]


class SignerOut(Schema):
    name: str
    position: str


class AttachmentOut(Schema):
    id: int
    name: str
    content_type: str
    size: int
    version: int
    is_main: bool
    signed: bool
    sha256: str


class HandlerOut(Schema):
    user: str | None
    label: str
    lead: bool
    due_at: dt.datetime | None


class DeliveryOut(Schema):
    recipient_code: str
    recipient_name: str
    forwarded_to: AgencyBrief | None
    by_package: bool
    sent_at: dt.datetime | None
    status_code: str
    status_text: str
    status_at: dt.datetime | None


class DocumentEventOut(Schema):
    at: dt.datetime
    action: str
    actor: str
    note: str
    # What the step recorded, by action (numbers, recipients, reasons): free-form by design.
    data: dict[str, object]


class DocumentDetail(DocumentSummary):
    drafting_unit: str
    signer: SignerOut
    recipients: list[dict[str, str]]
    page_count: int
    copies: int
    reply_due_on: dt.date | None
    document_id: str
    source: str
    lead: str
    note: str
    allowed_actions: list[str]
    warnings: list[str]
    attachments: list[AttachmentOut]
    handlers: list[HandlerOut]
    deliveries: list[DeliveryOut]
    timeline: list[DocumentEventOut]


class DocumentActionIn(Schema):
    version: int | None = Field(None, description="the version you saw; 409 if it changed")
    reason: str = Field("", max_length=500)
    note: str = Field("", max_length=1000)
    lead: str = Field("", max_length=150, description="username of the lead handler")
    lead_label: str = Field("", max_length=200, description="or the lead unit, in words")
    cooperating: list[str] = Field([], max_length=20)
    days: int | None = Field(None, ge=1, le=250, description="deadline in working days")
    due_on: dt.date | None = None
    passphrase: str = Field("", max_length=200, description="to sign: your key's passphrase")
    signer_title: str = Field("", max_length=100)
    recipients: list[RecipientIn] = Field([], max_length=200)


class InboxDocumentOut(Schema):
    agency: str
    id: int
    new: bool
    # The agency the package was addressed to, when it was forwarded to its successor.
    forwarded_from: str | None = None


class InboxAnswer(Schema):
    kind: str
    status_code: str
    description: str
    documents: list[InboxDocumentOut]


class MessageOut(Schema):
    id: int
    kind: str
    agency: str | None
    peer_code: str
    document: int | None
    created_at: dt.datetime


def _detail(request: HttpRequest, document: Document, warnings: list[str] | None = None) -> Any:
    fresh = Document.objects.select_related("agency", "lead").get(pk=document.pk)
    return detail(fresh, at=timezone.now(), actions=allowed(request.user, fresh), warnings=warnings)


@agencies.get("", response={200: AgencyList, **ERRORS}, summary="The agencies of a unit")
def list_agencies(request: HttpRequest, unit: QueryEx[str, P(max_length=10)]) -> Any:
    found = agencies_of(unit_by_code(unit))
    items = [
        {
            "code": a.code,
            "name": a.name,
            "abbreviation": a.abbreviation,
            "kind": a.kind,
            "unit": unit,
            "valid_from": a.valid_from,
            "valid_to": a.valid_to,
        }
        for a in found
    ]
    return {"count": len(items), "items": items}


@router.post(
    "",
    response={201: DocumentDetail, **ERRORS},
    summary="Create a draft (direction out) or register an incoming document (direction in)",
)
def create_document(request: HttpRequest, body: DocumentIn) -> Any:
    agency = get_agency_for(request.user, body.agency)
    warnings: list[str] = []
    if body.direction == "out":
        document = actions.do_create_draft(
            agency,
            actions.Draft(
                type_code=body.type,
                subject=body.subject,
                urgency=body.urgency,
                drafting_unit=body.drafting_unit,
                recipients=[actions.Recipient(r.code, r.name) for r in body.recipients],
                reply_due_on=body.reply_due_on,
                page_count=body.page_count,
                copies=body.copies,
                restricted=body.restricted,
            ),
            actor=request.user,
        )
    else:
        if body.number is None or not body.notation or body.issued_on is None:
            raise Invalid(
                _("An incoming document needs the sender's number, notation and date."),
                field="number",
            )
        document, warnings = actions.do_register_incoming(
            agency,
            actions.Received(
                type_code=body.type,
                subject=body.subject,
                sender_name=body.sender_name,
                sender_code=body.sender_code,
                number=body.number,
                notation=body.notation,
                issued_on=body.issued_on,
                urgency=body.urgency,
                source=body.source,
                signer_name=body.signer_name,
                page_count=body.page_count,
                reply_due_on=body.reply_due_on,
                restricted=body.restricted,
            ),
            actor=request.user,
        )
    return Status(201, _detail(request, document, warnings))


@router.get("", response={200: DocumentPage, **ERRORS}, summary="Documents you may see")
def list_documents(
    request: HttpRequest,
    direction: QueryEx[Literal["out", "in"] | None, P()] = None,
    agency: QueryEx[str | None, P(max_length=40)] = None,
    status: QueryEx[str | None, P(max_length=12)] = None,
    type: QueryEx[str | None, P(max_length=8)] = None,
    urgency: QueryEx[int | None, P(ge=0, le=3)] = None,
    overdue: QueryEx[bool | None, P()] = None,
    q: QueryEx[str, P(max_length=200, description="subject, number, text of the PDFs")] = "",
    page: QueryEx[int, P(ge=1, le=100_000)] = 1,
    page_size: QueryEx[int, P(ge=1, le=MAX_PAGE_SIZE)] = 50,
) -> Any:
    now = timezone.now()
    found = visible_documents(request.user).select_related("agency")
    if direction:
        found = found.filter(direction=direction)
    if agency:
        found = found.filter(agency=get_agency_for(request.user, agency))
    if status:
        found = found.filter(status=status)
    if type:
        found = found.filter(type_code=type)
    if urgency is not None:
        found = found.filter(urgency=urgency)
    if overdue is not None:
        late = {"status__in": OPEN_INCOMING, "due_at__lt": now}
        found = found.filter(**late) if overdue else found.exclude(**late)
    found = search.search(found, q).order_by("-urgency", "-created_at", "-id")
    result = search.paginated(found, page, page_size)
    if q:
        audit.record("document.search", actor=request.user, subject_type="document")
    return {**result.fields(), "items": [summary(d, at=now) for d in result.items]}


@router.get(
    "/registers/{agency_code}/{year}",
    response={200: list[list[str]], **ERRORS},
    summary="A register: rows in Decree 30's columns; format=pdf or xlsx for a print",
)
def register(
    request: HttpRequest,
    agency_code: str,
    year: PathEx[int, P(ge=1945, le=2100)],
    direction: QueryEx[Literal["out", "in"], P()] = "out",
    format: QueryEx[Literal["json", "pdf", "xlsx"], P()] = "json",
    start: QueryEx[dt.date | None, P()] = None,
    end: QueryEx[dt.date | None, P()] = None,
) -> Any:
    agency = get_agency_for(request.user, agency_code)
    span = registers.period(year, start, end)
    audit.record(
        "document.register_print",
        actor=request.user,
        subject_type="agency",
        subject_id=agency.pk,
        unit_id=agency.unit_id,
        after={"year": year, "direction": direction, "format": format},
    )
    name = f"so-{'di' if direction == 'out' else 'den'}-{agency.code}-{year}"
    if format == "pdf":
        response = HttpResponse(
            registers.render_pdf(agency, direction, span), content_type="application/pdf"
        )
        response["Content-Disposition"] = f'inline; filename="{name}.pdf"'
        return response
    rows = list(registers.rows(agency, direction, span))
    if format == "xlsx":
        return table_response("xlsx", name, registers.columns(direction), rows)
    return [list(registers.columns(direction)), *rows]


@router.post(
    "/exchange/inbox",
    auth=None,
    response={200: InboxAnswer, **ERRORS},
    summary="Take a signed edXML package or status message (raw XML body)",
    openapi_extra={
        "requestBody": {
            "required": True,
            "content": {"application/xml": {"schema": {"type": "string", "format": "binary"}}},
        }
    },
)
def exchange_inbox(request: HttpRequest) -> Any:
    from django.conf import settings

    limit = settings.DOCUMENTS_MAX_PACKAGE_MB * 1024 * 1024
    data = request.read(limit + 1)
    answer = exchange.accept(data)
    return {
        "kind": answer.kind,
        "status_code": answer.status_code,
        "description": answer.description,
        "documents": answer.documents,
    }


@router.get(
    "/exchange/outbox",
    response={200: list[MessageOut], **ERRORS},
    summary="Messages waiting for the national exchange, of one of your agencies",
)
def exchange_outbox(request: HttpRequest, agency: QueryEx[str, P(max_length=40)]) -> Any:
    found = get_agency_for(request.user, agency)
    messages = ExchangeMessage.objects.filter(outgoing=True, agency=found).order_by("-id")[:200]
    return [
        {
            "id": m.pk,
            "kind": m.kind,
            "agency": found.code,
            "peer_code": m.peer_code,
            "document": m.document_id,
            "created_at": m.created_at,
        }
        for m in messages
    ]


@router.get(
    "/exchange/messages/{message_id}",
    response={200: None, **ERRORS},
    summary="One message as edXML",
)
def exchange_message(request: HttpRequest, message_id: int) -> Any:
    message = ExchangeMessage.objects.filter(pk=message_id).select_related("agency").first()
    if message is None or message.agency is None:
        raise NotFound(_("No such message."))
    get_agency_for(request.user, message.agency.code)
    return HttpResponse(bytes(message.xml), content_type="application/xml")


@router.get("/{document_id}", response={200: DocumentDetail, **ERRORS}, summary="One document")
def get_document(request: HttpRequest, document_id: int) -> Any:
    return _detail(request, get_document_for(request.user, document_id))


ActionName = Literal[
    "submit",
    "approve",
    "number",
    "sign",
    "issue",
    "send",
    "receive",
    "route",
    "complete",
    "return",
    "cancel-number",
]


@router.post(
    "/{document_id}/actions/{action}",
    response={200: DocumentDetail, **ERRORS},
    summary="Move the document along",
)
def act(
    request: HttpRequest,
    document_id: int,
    action: PathEx[ActionName, P(description=", ".join(ACTIONS))],
    body: Body[DocumentActionIn],
) -> Any:
    document = get_document_for(request.user, document_id, verb="")
    fields = body.model_dump()
    fields["recipients"] = [actions.Recipient(r["code"], r["name"]) for r in fields["recipients"]]
    done, warnings = run_action(document, action, ActionRequest(**fields), request.user)
    return _detail(request, done, warnings)


__all__ = ["agencies", "agency_by_code", "router"]
