"""Documents as JSON (API) with the same fields the pages show."""

from __future__ import annotations

import datetime as dt
from typing import Any

from haicap.documents import doctypes
from haicap.documents.models import Agency, Document
from haicap.documents.numbering import Notation


def agency_brief(agency: Agency | None) -> dict[str, Any] | None:
    if agency is None:
        return None
    return {"code": agency.code, "name": agency.name, "abbreviation": agency.abbreviation}


def printed(document: Document) -> str:
    if not document.number_text:
        return ""
    party = "-" in document.number_text.split("/")[0]
    return Notation(document.number or 0, document.notation, document.number_text, party).printed


def summary(document: Document, *, at: dt.datetime) -> dict[str, Any]:
    found = doctypes.find(document.type_code)
    return {
        "id": document.pk,
        "direction": document.direction,
        "status": document.status,
        "status_label": document.get_status_display(),
        "agency": agency_brief(document.agency),
        "type": document.type_code,
        "type_name": found.name if found else document.type_code,
        "subject": document.subject,
        "urgency": document.urgency,
        "urgency_label": document.get_urgency_display(),
        "number": document.number,
        "notation": document.notation,
        "number_text": document.number_text,
        "printed_number": printed(document),
        "issued_on": document.issued_on,
        "arrival_number": document.arrival_number,
        "arrived_at": document.arrived_at,
        "sender": {"code": document.sender_code, "name": document.sender_name},
        "due_at": document.due_at,
        "overdue": document.is_overdue(at),
        "restricted": document.restricted,
        "version": document.version,
        "created_at": document.created_at,
    }


def detail(
    document: Document, *, at: dt.datetime, actions: list[str], warnings: list[str] | None = None
) -> dict[str, Any]:
    return {
        **summary(document, at=at),
        "drafting_unit": document.drafting_unit,
        "signer": {"name": document.signer_name, "position": document.signer_title},
        "recipients": document.recipients,
        "page_count": document.page_count,
        "copies": document.copies,
        "reply_due_on": document.reply_due_on,
        "document_id": document.document_id,
        "source": document.source,
        "lead": document.lead.get_username() if document.lead else document.lead_label,
        "note": document.note,
        "allowed_actions": actions,
        "warnings": warnings or [],
        "attachments": [
            {
                "id": a.pk,
                "name": a.name,
                "content_type": a.content_type,
                "size": a.size,
                "version": a.version,
                "is_main": a.is_main,
                "signed": a.signed,
                "sha256": a.sha256,
            }
            for a in document.attachments.all()
        ],
        "handlers": [
            {
                "user": h.user.get_username() if h.user else None,
                "label": h.label,
                "lead": h.is_lead,
                "due_at": h.due_at,
            }
            for h in document.handlers.select_related("user")
        ],
        "deliveries": [
            {
                "recipient_code": d.recipient_code,
                "recipient_name": d.recipient_name,
                "forwarded_to": agency_brief(d.forwarded_to),
                "by_package": d.by_package,
                "sent_at": d.sent_at,
                "status_code": d.status_code,
                "status_text": d.status_text,
                "status_at": d.status_at,
            }
            for d in document.deliveries.select_related("forwarded_to").order_by("id")
        ],
        "timeline": [
            {"at": e.at, "action": e.action, "actor": e.actor_label, "note": e.note, "data": e.data}
            for e in document.events.order_by("at", "id")
        ],
    }
