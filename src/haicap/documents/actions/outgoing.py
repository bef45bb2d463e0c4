"""Outgoing documents: draft (versions kept) → review → approval → number → sign → issue →
send. Each change is one transaction with its timeline event and audit row."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from haicap.core.actors import Actor, person_id
from haicap.core.errors import Invalid
from haicap.documents import delivery, doctypes, search
from haicap.documents.access import CLERK, LEADER, SPECIALIST, roles_in
from haicap.documents.actions.common import (
    attach,
    bump,
    check_version,
    clean_text,
    locked,
    need_role,
    need_status,
    person_name,
    record,
    reindex,
)
from haicap.documents.files import Upload, stored
from haicap.documents.models import Agency, Direction, Document, Source, Status, Urgency
from haicap.documents.numbering import notation_for, register_for, take_number

MAX_RECIPIENTS = 200


@dataclass(frozen=True)
class Recipient:
    code: str
    name: str = ""


@dataclass
class Draft:
    """What an officer writes in a draft (API body or page form)."""

    type_code: str
    subject: str
    urgency: int = Urgency.NORMAL
    drafting_unit: str = ""
    recipients: list[Recipient] = field(default_factory=list)
    reply_due_on: dt.date | None = None
    page_count: int = 1
    copies: int = 1
    restricted: bool = False
    note: str = ""


def _clean_draft(draft: Draft) -> Draft:
    doc_type = doctypes.find(draft.type_code)
    if doc_type is None:
        raise Invalid(
            _("Unknown document type %(code)s.") % {"code": draft.type_code[:10]}, field="type"
        )
    if draft.urgency not in Urgency.values:
        raise Invalid(_("Urgency is 0, 1, 2 or 3."), field="urgency")
    if not 1 <= draft.page_count <= 9999 or not 1 <= draft.copies <= 999:
        raise Invalid(_("Pages 1 to 9,999, copies 1 to 999."), field="page_count")
    if len(draft.recipients) > MAX_RECIPIENTS:
        raise Invalid(_("At most %(n)d recipients.") % {"n": MAX_RECIPIENTS}, field="recipients")
    recipients = [
        Recipient(
            clean_text(r.code, "recipients", limit=40).upper(),
            clean_text(r.name, "recipients", limit=200),
        )
        for r in draft.recipients
    ]
    if any(not r.code and not r.name for r in recipients):
        raise Invalid(_("Each recipient needs a code or a name."), field="recipients")
    today = timezone.localdate()
    if draft.reply_due_on is not None and not today <= draft.reply_due_on <= today.replace(
        year=today.year + 2
    ):
        raise Invalid(_("The reply date lies within the next two years."), field="reply_due_on")
    return Draft(
        type_code=doc_type.code,
        subject=clean_text(draft.subject, "subject", limit=500, required=True),
        urgency=draft.urgency,
        drafting_unit=clean_text(draft.drafting_unit, "drafting_unit", limit=20),
        recipients=recipients,
        reply_due_on=draft.reply_due_on,
        page_count=draft.page_count,
        copies=draft.copies,
        restricted=draft.restricted,
        note=clean_text(draft.note, "note", limit=500),
    )


def _recipient_rows(recipients: list[Recipient]) -> tuple[list[dict[str, str]], str]:
    rows = [{"code": r.code, "name": r.name} for r in recipients]
    text = "; ".join(r.name or r.code for r in recipients)[:1000]
    return rows, text


def do_create_draft(
    agency: Agency, draft: Draft, *, actor: Actor, uploads: list[Upload] | None = None
) -> Document:
    """A new outgoing draft of ``agency``; its first file is the main text (version 1)."""
    if not roles_in(actor, agency.pk) & {CLERK, LEADER, SPECIALIST}:
        raise Invalid(_("You draft no documents for %(agency)s.") % {"agency": agency.name})
    draft = _clean_draft(draft)
    rows, text = _recipient_rows(draft.recipients)
    with stored(uploads or []) as names, transaction.atomic():
        document = Document.objects.create(
            agency=agency,
            direction=Direction.OUT,
            status=Status.DRAFT,
            source=Source.DRAFTED,
            type_code=draft.type_code,
            subject=draft.subject,
            urgency=draft.urgency,
            drafting_unit=draft.drafting_unit,
            recipients=rows,
            recipients_text=text,
            reply_due_on=draft.reply_due_on,
            page_count=draft.page_count,
            copies=draft.copies,
            restricted=draft.restricted,
            note=draft.note,
            drafter_id=person_id(actor),
        )
        reader = person_id(actor)
        if draft.restricted and reader is not None:
            document.readers.add(reader)
        attach(document, uploads or [], names, actor=actor, main=True)
        reindex(document)
        record(document, "draft", actor=actor, data={"files": len(names)})
    return document


def do_revise_draft(
    document: Document,
    *,
    actor: Actor,
    version: int | None,
    subject: str | None = None,
    uploads: list[Upload] | None = None,
) -> Document:
    """A new version of the draft's text and/or subject; earlier versions stay."""
    with stored(uploads or []) as names, transaction.atomic():
        document = locked(document)
        need_role(actor, document, CLERK, LEADER, SPECIALIST, what=_("revise it"))
        need_status(document, Status.DRAFT, Status.REVIEW, what=_("be revised"))
        check_version(document, version)
        before = {"subject": document.subject}
        if subject is not None:
            document.subject = clean_text(subject, "subject", limit=500, required=True)
        made = attach(document, uploads or [], names, actor=actor, main=True)
        bump(document, ["subject"])
        reindex(document)
        record(
            document,
            "revise",
            actor=actor,
            before=before,
            data={"subject": document.subject, "versions": [a.version for a in made]},
        )
    return document


def do_submit(document: Document, *, actor: Actor, version: int | None = None) -> Document:
    with transaction.atomic():
        document = locked(document)
        need_role(actor, document, CLERK, LEADER, SPECIALIST, what=_("submit it"))
        need_status(document, Status.DRAFT, what=_("go to review"))
        check_version(document, version)
        document.status = Status.REVIEW
        bump(document, ["status"])
        record(document, "submit", actor=actor)
    return document


def do_approve(
    document: Document,
    *,
    actor: Actor,
    version: int | None = None,
    note: str = "",
    signer_title: str = "",
) -> Document:
    """The signer approves the text: it may now be numbered, signed and issued."""
    with transaction.atomic():
        document = locked(document)
        need_role(actor, document, LEADER, what=_("approve it"))
        need_status(document, Status.DRAFT, Status.REVIEW, what=_("be approved"))
        check_version(document, version)
        document.status = Status.APPROVED
        document.signer_name = person_name(actor)
        document.signer_title = clean_text(signer_title, "signer_title", limit=100)
        bump(document, ["status", "signer_name", "signer_title"])
        record(document, "approve", actor=actor, note=clean_text(note, "note", limit=1000))
    return document


def _number(document: Document, *, actor: Actor, status: str, action: str) -> None:
    """Give the locked document its register's next number, dated today, and ``status``.

    Everything that can be read or decided is done before the register's row is locked, so
    the lock is held for four statements and the commit: concurrent issuers queue on it.
    """
    today = timezone.localdate()
    register = register_for(document.agency, Direction.OUT, today)
    texts = list(document.attachments.values_list("text", flat=True))
    number = take_number(register)  # the register's row is locked from here to the commit
    notation = notation_for(
        number,
        document.type_code,
        document.agency.abbreviation,
        party=document.agency.is_party,
        drafting_unit=document.drafting_unit,
    )
    document.register = register
    document.number = number
    document.notation = notation.notation
    document.number_text = notation.text
    document.issued_on = today
    document.document_id = f"{document.agency.code},{today:%Y/%m/%d},{notation.text}"[:200]
    document.status = status
    document.search_text = search.search_text(document, texts)
    bump(
        document,
        [
            "register",
            "number",
            "notation",
            "number_text",
            "issued_on",
            "document_id",
            "status",
            "search_text",
        ],
    )
    record(
        document,
        action,
        actor=actor,
        data={"number": number, "number_text": notation.text, "register": register.pk},
    )


def do_number(document: Document, *, actor: Actor, version: int | None = None) -> Document:
    """The next number of the agency's outgoing register for this year (approved only)."""
    with transaction.atomic():
        document = locked(document)
        need_role(actor, document, CLERK, LEADER, what=_("number it"))
        need_status(document, Status.APPROVED, what=_("be numbered before it is approved"))
        check_version(document, version)
        _number(document, actor=actor, status=Status.NUMBERED, action="number")
    return document


def do_issue(document: Document, *, actor: Actor, version: int | None = None) -> Document:
    """Issue an approved document (numbered now if it is not yet); urgent ones go out at once."""
    with transaction.atomic():
        document = locked(document)
        need_role(actor, document, CLERK, LEADER, what=_("issue it"))
        need_status(document, Status.APPROVED, Status.NUMBERED, what=_("be issued"))
        check_version(document, version)
        if document.number is None:
            _number(document, actor=actor, status=Status.ISSUED, action="issue")
        else:
            document.status = Status.ISSUED
            bump(document, ["status"])
            record(document, "issue", actor=actor, data={"number_text": document.number_text})
        if document.urgency >= Urgency.URGENT and document.recipients:
            delivery.send(document, actor=actor)
    return document


def do_send(
    document: Document,
    *,
    actor: Actor,
    version: int | None = None,
    recipients: list[Recipient] | None = None,
) -> Document:
    """Send an issued document to its recipients (and any added now)."""
    with transaction.atomic():
        document = locked(document)
        need_role(actor, document, CLERK, LEADER, what=_("send it"))
        need_status(document, Status.ISSUED, Status.SENT, what=_("be sent"))
        check_version(document, version)
        if recipients:
            added = _clean_draft(
                Draft(type_code=document.type_code, subject=document.subject, recipients=recipients)
            ).recipients
            known = {r["code"] or r["name"] for r in document.recipients}
            rows, _text = _recipient_rows([r for r in added if (r.code or r.name) not in known])
            document.recipients = [*document.recipients, *rows]
            document.recipients_text = "; ".join(
                r["name"] or r["code"] for r in document.recipients
            )[:1000]
            bump(document, ["recipients", "recipients_text"])
        if not document.recipients:
            raise Invalid(_("Name at least one recipient."), field="recipients")
        delivery.send(document, actor=actor)
    return document


def do_cancel_number(
    document: Document, *, actor: Actor, reason: str, version: int | None = None
) -> Document:
    """Cancel a number given in error; it stays in the register, marked cancelled."""
    with transaction.atomic():
        document = locked(document)
        need_role(actor, document, CLERK, LEADER, what=_("cancel its number"))
        need_status(document, Status.NUMBERED, Status.ISSUED, what=_("have its number cancelled"))
        check_version(document, version)
        reason = clean_text(reason, "reason", limit=500, required=True)
        document.status = Status.CANCELLED
        document.note = reason
        bump(document, ["status", "note"])
        record(
            document,
            "cancel_number",
            actor=actor,
            note=reason,
            data={"number_text": document.number_text},
        )
    return document
