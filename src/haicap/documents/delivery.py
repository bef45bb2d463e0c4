"""Sending an issued document: straight to agencies on haicap (each gets its own copy), or
as an edXML package in the outbox for agencies reached through the national exchange.

A document addressed to an abolished agency goes to its successor; the sender's timeline
says so and its delivery names the agency that received it.
"""

from __future__ import annotations

from django.utils import timezone

from haicap.core.actors import Actor
from haicap.core.errors import NotFound
from haicap.documents import agencies, tasks
from haicap.documents.models import (
    Agency,
    Attachment,
    Delivery,
    Direction,
    Document,
    Source,
    Status,
    Urgency,
)


def _copy_for(document: Document, target: Agency) -> Document:
    """The recipient's own copy, arrived and waiting for its clerk to register it."""
    copy = Document.objects.create(
        agency=target,
        direction=Direction.IN,
        status=Status.ARRIVED,
        source=Source.HAICAP,
        type_code=document.type_code,
        subject=document.subject,
        urgency=document.urgency,
        number=document.number,
        notation=document.notation,
        number_text=document.number_text,
        issued_on=document.issued_on,
        arrived_at=timezone.now(),
        sender_agency=document.agency,
        sender_code=document.agency.code,
        sender_name=document.agency.name,
        origin=document,
        document_id=document.document_id,
        signer_name=document.signer_name,
        signer_title=document.signer_title,
        page_count=document.page_count,
        copies=document.copies,
        reply_due_on=document.reply_due_on,
        recipients_text=document.recipients_text,
        search_text=document.search_text,
    )
    # The files are the sender's, unchanged: the copy points at the same stored bytes.
    Attachment.objects.bulk_create(
        Attachment(
            document=copy,
            name=a.name,
            file=a.file.name,
            content_type=a.content_type,
            size=a.size,
            sha256=a.sha256,
            is_main=a.is_main,
            version=a.version,
            signed=a.signed,
            text=a.text,
            uploaded_by=a.uploaded_by,
        )
        for a in document.attachments.all()
    )
    return copy


def deliver(document: Document, addressed: Agency, *, actor: Actor) -> Delivery:
    """One haicap recipient: its copy, and the receipt (01, arrived) the same moment."""
    from haicap.documents.actions.common import STATUS_TEXT, record

    target = agencies.final_successor(addressed)
    copy = _copy_for(document, target)
    forwarded = target.pk != addressed.pk
    now = timezone.now()
    sent = Delivery.objects.create(
        document=document,
        recipient=addressed,
        recipient_code=addressed.code,
        recipient_name=addressed.name,
        forwarded_to=target if forwarded else None,
        copy=copy,
        sent_at=now,
        status_code="01",
        status_text=STATUS_TEXT["01"],
        status_at=now,
    )
    record(
        copy,
        "arrive",
        actor=actor,
        data={"from": document.agency.code, "addressed_to": addressed.code, "forwarded": forwarded},
    )
    if forwarded:
        record(
            document,
            "forwarded",
            actor=actor,
            note=f"{addressed.name} → {target.name}",
            data={"addressed_to": addressed.code, "delivered_to": target.code},
        )
    if document.urgency >= Urgency.URGENT:
        tasks.notify_arrival.defer(document_id=copy.pk)
    return sent


def send(document: Document, *, actor: Actor) -> list[Delivery]:
    """Deliver to every recipient not reached yet; inside the caller's transaction."""
    from haicap.documents.actions.common import bump, record
    from haicap.documents.exchange import queue_package

    reached = set(document.deliveries.values_list("recipient_code", flat=True))
    made: list[Delivery] = []
    external: list[dict[str, str]] = []
    for row in document.recipients:
        code = row.get("code", "")
        key = code or row.get("name", "")
        if key in reached:
            continue
        try:
            addressed = agencies.agency_by_code(code) if code else None
        except NotFound:
            addressed = None
        if addressed is not None:
            made.append(deliver(document, addressed, actor=actor))
        else:
            external.append(row)
    for row in external:
        made.append(
            Delivery.objects.create(
                document=document,
                recipient_code=row.get("code", "") or row.get("name", "")[:40],
                recipient_name=row.get("name", "") or row.get("code", ""),
                by_package=True,
            )
        )
    if external:
        queue_package(document, external, actor=actor)
    document.status = Status.SENT
    bump(document, ["status"])
    record(
        document,
        "send",
        actor=actor,
        data={"recipients": [d.recipient_code for d in made], "by_package": len(external)},
    )
    return made
