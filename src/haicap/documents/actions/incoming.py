"""Incoming documents: arrive (from an agency on haicap or a package) or are entered by the
clerk (paper, e-mail) → registered with the year's arrival number → routed by a leader with
a lead handler and a deadline in working days → completed and filed; or returned."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from haicap.core.actors import Actor, person_id
from haicap.core.calendar import calendar
from haicap.core.errors import Invalid
from haicap.documents import doctypes, tasks
from haicap.documents.access import CLERK, LEADER, roles_in
from haicap.documents.actions.common import (
    MAX_NUMBER,
    attach,
    bump,
    check_version,
    clean_date,
    clean_text,
    locked,
    need_role,
    need_status,
    record,
    reindex,
    report_status,
)
from haicap.documents.files import Upload, stored
from haicap.documents.models import Agency, Direction, Document, Handler, Source, Status, Urgency
from haicap.documents.numbering import register_for, take_number

MAX_DAYS = 250  # a year of working days


@dataclass
class Received:
    """An incoming document as the clerk enters it from paper or an e-mail."""

    type_code: str
    subject: str
    sender_name: str
    number: int | None
    notation: str
    issued_on: dt.date | None
    sender_code: str = ""
    urgency: int = Urgency.NORMAL
    source: str = Source.PAPER
    signer_name: str = ""
    page_count: int = 1
    reply_due_on: dt.date | None = None
    restricted: bool = False


def duplicates(document: Document) -> list[Document]:
    """Documents of the same agency with the same issuer, number, notation and date, or the
    same document identifier (Decree 30, Appendix VI, I.1.h)."""
    same: Q = Q(pk__in=[])
    if document.number is not None and document.notation:
        issuer = (
            Q(sender_code=document.sender_code)
            if document.sender_code
            else Q(sender_name__iexact=document.sender_name)
        )
        same |= issuer & Q(
            number=document.number,
            notation__iexact=document.notation,
            issued_on=document.issued_on,
        )
    if document.document_id:
        same |= Q(document_id=document.document_id)
    return list(
        Document.objects.filter(agency=document.agency, direction=Direction.IN)
        .filter(same)
        .exclude(pk=document.pk)
        .exclude(status=Status.RETURNED)
        .order_by("arrival_number")[:5]
    )


def duplicate_warnings(document: Document) -> list[str]:
    return [
        _("Possibly a duplicate of arrival number %(arrival)s (%(number)s from %(sender)s).")
        % {
            "arrival": other.arrival_number or "—",
            "number": other.number_text or other.subject[:40],
            "sender": other.sender_name,
        }
        for other in duplicates(document)
    ]


def _register_arrival(document: Document, *, actor: Actor) -> None:
    register = register_for(document.agency, Direction.IN, timezone.localdate())
    document.register = register
    document.arrival_number = take_number(register)
    document.status = Status.REGISTERED
    if document.arrived_at is None:
        document.arrived_at = timezone.now()


def do_register_incoming(
    agency: Agency, entry: Received, *, actor: Actor, uploads: list[Upload] | None = None
) -> tuple[Document, list[str]]:
    """A paper or e-mailed document entered by the clerk, registered at once; the warnings
    name possible duplicates (it is registered all the same, as the decree has it)."""
    if not roles_in(actor, agency.pk) & {CLERK, LEADER}:
        raise Invalid(
            _("Only a clerk of %(agency)s registers documents.") % {"agency": agency.name}
        )
    doc_type = doctypes.find(entry.type_code)
    if doc_type is None:
        raise Invalid(
            _("Unknown document type %(code)s.") % {"code": entry.type_code[:10]}, field="type"
        )
    if entry.number is not None and not 1 <= entry.number <= MAX_NUMBER:
        raise Invalid(_("A number from 1 to 9,999,999."), field="number")
    if entry.source not in (Source.PAPER, Source.EMAIL):
        raise Invalid(_("The source is paper or email."), field="source")
    if entry.urgency not in Urgency.values:
        raise Invalid(_("Urgency is 0, 1, 2 or 3."), field="urgency")
    if not 1 <= entry.page_count <= 9999:
        raise Invalid(_("Pages 1 to 9,999."), field="page_count")
    type_code = doc_type.code
    with stored(uploads or []) as names, transaction.atomic():
        document = Document(
            agency=agency,
            direction=Direction.IN,
            status=Status.REGISTERED,
            source=entry.source,
            type_code=type_code,
            subject=clean_text(entry.subject, "subject", limit=500, required=True),
            urgency=entry.urgency,
            number=entry.number,
            notation=clean_text(entry.notation, "notation", limit=60),
            issued_on=clean_date(entry.issued_on, "issued_on"),
            sender_name=clean_text(entry.sender_name, "sender_name", limit=200, required=True),
            sender_code=clean_text(entry.sender_code, "sender_code", limit=40).upper(),
            signer_name=clean_text(entry.signer_name, "signer_name", limit=50),
            page_count=entry.page_count,
            reply_due_on=entry.reply_due_on,
            restricted=entry.restricted,
        )
        if document.number is not None and document.notation:
            separator = "-" if "/" in document.notation else "/"
            document.number_text = f"{document.number:02d}{separator}{document.notation}"
        _register_arrival(document, actor=actor)
        document.save()
        reader = person_id(actor)
        if entry.restricted and reader is not None:
            document.readers.add(reader)
        attach(document, uploads or [], names, actor=actor, main=True)
        reindex(document)
        warnings = duplicate_warnings(document)
        record(
            document,
            "register",
            actor=actor,
            data={"arrival_number": document.arrival_number, "duplicates": len(warnings)},
        )
    return document, warnings


def do_receive(
    document: Document, *, actor: Actor, version: int | None = None
) -> tuple[Document, list[str]]:
    """Register a document that arrived electronically; the sender is told at once (03)."""
    with transaction.atomic():
        document = locked(document)
        need_role(actor, document, CLERK, LEADER, what=_("register it"))
        need_status(document, Status.ARRIVED, what=_("be registered"))
        check_version(document, version)
        _register_arrival(document, actor=actor)
        bump(document, ["register", "arrival_number", "status", "arrived_at"])
        warnings = duplicate_warnings(document)
        record(
            document,
            "register",
            actor=actor,
            data={"arrival_number": document.arrival_number, "duplicates": len(warnings)},
        )
        report_status(document, "03", actor=actor)
    return document, warnings


def _officer(username: str, document: Document, field: str) -> int:
    """The id of an officer of the document's agency, by username."""
    user = get_user_model().objects.filter(username=username, is_active=True).first()
    if user is None or not roles_in(user, document.agency_id):
        raise Invalid(
            _("%(name)s is not an officer of %(agency)s.")
            % {"name": username[:150], "agency": document.agency.name},
            field=field,
        )
    return int(user.pk)


def due_for(days: int | None, due_on: dt.date | None, *, now: dt.datetime) -> dt.datetime | None:
    """The handling deadline: close of office on the ``days``-th working day, or on a date."""
    cal = calendar()
    if days is not None:
        if not 1 <= days <= MAX_DAYS:
            raise Invalid(_("From 1 to %(n)d working days.") % {"n": MAX_DAYS}, field="days")
        return cal.due_in_working_days(now, days)
    if due_on is not None:
        today = timezone.localdate()
        if not today <= due_on <= today + dt.timedelta(days=366):
            raise Invalid(_("A deadline within the next year."), field="due_on")
        return cal.closing(due_on)
    return None


def do_route(
    document: Document,
    *,
    actor: Actor,
    lead: str = "",
    lead_label: str = "",
    cooperating: list[str] | None = None,
    days: int | None = None,
    due_on: dt.date | None = None,
    note: str = "",
    version: int | None = None,
) -> Document:
    """The leader names the lead handler (a person, or a unit in words), those cooperating
    and the deadline; urgent documents notify the handlers at once."""
    now = timezone.now()
    with transaction.atomic():
        document = locked(document)
        need_role(actor, document, LEADER, what=_("route it"))
        need_status(document, Status.REGISTERED, Status.ROUTED, what=_("be routed"))
        check_version(document, version)
        lead_user = _officer(lead, document, "lead") if lead else None
        label = clean_text(lead_label, "lead_label", limit=200)
        if lead_user is None and not label:
            raise Invalid(_("Name the lead handler."), field="lead")
        others = [_officer(name, document, "cooperating") for name in (cooperating or [])[:20]]
        due = due_for(days, due_on, now=now)
        document.handlers.all().delete()
        Handler.objects.bulk_create(
            [Handler(document=document, user_id=lead_user, label=label, is_lead=True, due_at=due)]
            + [Handler(document=document, user_id=other, due_at=due) for other in others]
        )
        document.lead_id = lead_user
        document.lead_label = label
        document.due_at = due
        document.status = Status.ROUTED
        bump(document, ["lead", "lead_label", "due_at", "status"])
        record(
            document,
            "route",
            actor=actor,
            note=clean_text(note, "note", limit=1000),
            data={
                "lead": lead or label,
                "cooperating": cooperating or [],
                "due_at": due.isoformat() if due else None,
            },
        )
        report_status(document, "04", actor=actor)
        if document.urgency >= Urgency.URGENT:
            tasks.notify_routing.defer(document_id=document.pk)
    return document


def do_complete(
    document: Document, *, actor: Actor, note: str = "", version: int | None = None
) -> Document:
    with transaction.atomic():
        document = locked(document)
        if person_id(actor) != document.lead_id:
            need_role(actor, document, CLERK, LEADER, what=_("complete it"))
        need_status(document, Status.REGISTERED, Status.ROUTED, what=_("be completed"))
        check_version(document, version)
        document.status = Status.COMPLETED
        document.completed_at = timezone.now()
        bump(document, ["status", "completed_at"])
        record(document, "complete", actor=actor, note=clean_text(note, "note", limit=1000))
        report_status(document, "06", actor=actor)
    return document


def do_return(
    document: Document, *, actor: Actor, reason: str, version: int | None = None
) -> Document:
    """A misaddressed document goes back to its sender with the reason (02)."""
    with transaction.atomic():
        document = locked(document)
        need_role(actor, document, CLERK, LEADER, what=_("return it"))
        need_status(document, Status.ARRIVED, Status.REGISTERED, what=_("be returned"))
        check_version(document, version)
        reason = clean_text(reason, "reason", limit=500, required=True)
        document.status = Status.RETURNED
        document.note = reason
        bump(document, ["status", "note"])
        record(document, "return", actor=actor, note=reason)
        report_status(document, "02", actor=actor, text=f"Trả lại: {reason}")
    return document
