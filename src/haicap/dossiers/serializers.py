"""Dossiers as JSON for the API (staff and, with fewer fields, the public)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from haicap.core.calendar import ZONE
from haicap.dossiers.models import Dossier, DossierEvent, DossierPaper, Status
from haicap.dossiers.workflow import label_of


def local(moment: dt.datetime | None) -> dt.datetime | None:
    return moment.astimezone(ZONE) if moment else None


def unit_brief(unit: Any) -> dict[str, Any]:
    return {"code": unit.code, "name": unit.name, "valid_to": unit.valid_to}


def dossier_summary(dossier: Dossier, *, at: dt.datetime) -> dict[str, Any]:
    """Expects procedure and responsible_unit select_related."""
    return {
        "code": dossier.code,
        "status": dossier.status,
        "status_label": str(Status(dossier.status).label),
        "procedure": {"code": dossier.procedure.code, "name": dossier.procedure.name},
        "applicant_name": dossier.applicant_name,
        "channel": dossier.channel,
        "responsible_unit": unit_brief(dossier.responsible_unit),
        "received_at": local(dossier.received_at),
        "due_at": local(dossier.due_at),
        "finished_at": local(dossier.finished_at),
        "overdue": dossier.is_overdue(at),
        "version": dossier.version,
    }


def event_out(event: DossierEvent) -> dict[str, Any]:
    return {
        "seq": event.seq,
        "at": local(event.at),
        "action": event.action,
        "label": label_of(event.action),
        "actor": event.actor_label,
        "from_status": event.from_status,
        "to_status": event.to_status,
        "note": event.note,
        "data": event.data,
    }


def paper_out(paper: DossierPaper) -> dict[str, Any]:
    return {
        "id": paper.pk,
        "name": paper.name,
        "file_name": paper.original_name,
        "content_type": paper.content_type,
        "size": paper.size,
        "stage": paper.stage,
        "uploaded_at": local(paper.uploaded_at),
    }


def dossier_detail(
    dossier: Dossier, *, at: dt.datetime, actions: list[str], archived: bool = False
) -> dict[str, Any]:
    return {
        **dossier_summary(dossier, at=at),
        "archived": archived,
        "secret": dossier.secret,
        "applicant": {
            "full_name": dossier.applicant_name,
            "id_number": dossier.applicant_id_number,
            "birth_date": dossier.applicant_birth_date,
            "phone": dossier.applicant_phone,
            "email": dossier.applicant_email,
            "address": dossier.applicant_address,
        },
        "receiving_centre": {
            "code": dossier.receiving_centre.code,
            "name": dossier.receiving_centre.name,
        },
        "receiving_unit": unit_brief(dossier.receiving_unit),
        "submitted_at": local(dossier.submitted_at),
        "original_due_at": local(dossier.original_due_at),
        "returned_at": local(dossier.returned_at),
        "paused": dossier.status == Status.SUPPLEMENT_REQUESTED,
        "outcome": dossier.outcome,
        "step": dossier.step,
        "assignee": dossier.assignee.get_username() if dossier.assignee else None,
        "at_other_agency": dossier.at_other_agency,
        "fee": dossier.fee,
        "fee_paid": dossier.fee_paid,
        "supplement_requests": dossier.supplement_requests,
        "apologies": dossier.apologies,
        "allowed_actions": actions,
        "papers": [paper_out(paper) for paper in dossier.papers.all()],
        "timeline": [event_out(event) for event in dossier.events.all()],
    }
