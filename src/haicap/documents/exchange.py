"""The national document exchange, as haicap takes part in it: packages out for recipients
that are not on haicap, packages in at the inbox, and status messages both ways.

Outgoing messages wait in ``ExchangeMessage`` (the outbox) for the province's connection to
the national exchange to carry them; incoming ones are kept as received.
"""

from __future__ import annotations

import io
from dataclasses import dataclass, field
from typing import Any

from cryptography import x509
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from haicap.core.actors import SYSTEM, Actor
from haicap.core.errors import Invalid, NotFound
from haicap.core.pki import trust_roots
from haicap.documents import agencies, doctypes, edxml
from haicap.documents.files import check_upload, stored
from haicap.documents.models import (
    Agency,
    Delivery,
    Direction,
    Document,
    ExchangeMessage,
    Source,
    Status,
)
from haicap.documents.signing import agency_certificate, agency_passphrase


def agency_key(agency: Agency) -> edxml.Key:
    certificate = agency_certificate(agency)
    key = serialization.load_pem_private_key(
        bytes(certificate.key_pem), password=agency_passphrase(agency).encode()
    )
    if not isinstance(key, rsa.RSAPrivateKey):
        raise Invalid(_("The agency's key is not an RSA key."))
    return edxml.Key(
        private_key=key,
        certificate=x509.load_pem_x509_certificate(bytes(certificate.certificate_pem)),
        chain=x509.load_pem_x509_certificates(bytes(certificate.chain_pem)),
    )


def _stamp() -> str:
    return timezone.localtime().strftime(edxml.STAMP)


def package_of(document: Document, recipients: list[edxml.Organ]) -> edxml.Package:
    doc_type = doctypes.find(document.type_code)
    files: list[edxml.File] = []
    for attachment in document.attachments.order_by("-is_main", "-version"):
        if attachment.is_main and files and files[0].description == "main":
            continue  # the latest version of the main text only
        with attachment.file.open("rb") as handle:
            files.append(
                edxml.File(
                    attachment.name,
                    attachment.content_type,
                    handle.read(),
                    "main" if attachment.is_main else "appendix",
                )
            )
    return edxml.Package(
        sender=edxml.Organ(document.agency.code, document.agency.name),
        recipients=recipients,
        number=f"{document.number:02d}" if document.number else "",
        notation=document.notation,
        issued_on=document.issued_on or timezone.localdate(),
        place=document.agency.unit.name,
        type_code=document.type_code,
        type_name=doc_type.name if doc_type else document.type_code,
        subject=document.subject,
        signer_position=document.signer_title,
        signer_name=document.signer_name,
        document_id=document.document_id,
        priority=document.urgency,
        due_on=document.reply_due_on,
        to_places=[r.name for r in recipients],
        page_amount=document.page_count,
        promulgation_amount=document.copies,
        trace=[(document.agency.code, _stamp())],
        files=files,
    )


def queue_package(document: Document, rows: list[dict[str, str]], *, actor: Actor) -> None:
    """The signed package for recipients reached through the exchange, in the outbox."""
    recipients = [edxml.Organ(r.get("code", ""), r.get("name", "")) for r in rows]
    data = edxml.write_package(package_of(document, recipients), agency_key(document.agency))
    ExchangeMessage.objects.create(
        outgoing=True,
        kind=ExchangeMessage.Kind.PACKAGE,
        agency=document.agency,
        peer_code=",".join(r.code or r.name for r in recipients)[:40],
        document=document,
        xml=data,
    )


def queue_status(document: Document, code: str, words: str, *, actor: Actor) -> None:
    """A signed status message back to the sender of a package, in the outbox."""
    status = edxml.StatusMessage(
        response_to=edxml.Organ(document.sender_code, document.sender_name),
        code=document.number_text,
        issued_on=document.issued_on,
        document_id=document.document_id,
        sender=edxml.Organ(document.agency.code, document.agency.name),
        status_code=code,
        description=words,
        at=timezone.now(),
        staff=getattr(actor, "username", "system"),
    )
    ExchangeMessage.objects.create(
        outgoing=True,
        kind=ExchangeMessage.Kind.STATUS,
        agency=document.agency,
        peer_code=document.sender_code[:40],
        document=document,
        xml=edxml.write_status(status, agency_key(document.agency)),
    )


@dataclass
class Answer:
    kind: str
    status_code: str
    description: str
    documents: list[dict[str, Any]] = field(default_factory=list)


def _type_code(package: edxml.Package) -> str:
    for candidate in (package.type_code, package.notation.split("-")[0].split("/")[0]):
        found = doctypes.find(candidate)
        if found:
            return found.code
    by_name = {t.name.casefold(): t.code for t in doctypes.TYPES.values()}
    return by_name.get(package.type_name.casefold(), "CV")


def _number(package: edxml.Package) -> int | None:
    return (
        int(package.number)
        if package.number.isascii() and package.number.isdigit() and int(package.number) > 0
        else None
    )


def _accept_package(data: bytes, *, actor: Actor) -> Answer:
    from haicap.documents.actions.common import STATUS_TEXT, attach, record, reindex

    limit = settings.DOCUMENTS_MAX_FILE_MB * 1024 * 1024
    package = edxml.read_package(data, roots=trust_roots(), max_bytes=limit)
    uploads = [
        check_upload(file.name, io.BytesIO(file.content), field="attachments")
        for file in package.files
    ]
    for upload, file in zip(uploads, package.files, strict=True):
        if file.content_type and file.content_type != upload.content_type:
            raise Invalid(
                _("%(file)s is not what its ContentType says (checked by its content).")
                % {"file": file.name},
                field="attachments",
            )
    targets: list[tuple[str, Agency]] = []
    for recipient in package.recipients:
        try:
            targets.append((recipient.code, agencies.agency_by_code(recipient.code)))
        except NotFound:
            continue
    if not targets:
        raise NotFound(_("The package is addressed to no agency on this site."))
    answer = Answer("package", "01", STATUS_TEXT["01"])
    with stored(uploads) as names, transaction.atomic():
        message = ExchangeMessage.objects.create(
            outgoing=False,
            kind=ExchangeMessage.Kind.PACKAGE,
            peer_code=package.sender.code,
            xml=data,
        )
        for addressed_code, addressed in targets:
            target = agencies.final_successor(addressed)
            existing = (
                Document.objects.filter(
                    agency=target, direction=Direction.IN, document_id=package.document_id
                ).first()
                if package.document_id
                else None
            )
            if existing is not None:
                answer.documents.append({"agency": target.code, "id": existing.pk, "new": False})
                continue
            number = _number(package)
            document = Document.objects.create(
                agency=target,
                direction=Direction.IN,
                status=Status.ARRIVED,
                source=Source.PACKAGE,
                type_code=_type_code(package),
                subject=package.subject,
                urgency=min(package.priority, 3),
                number=number,
                notation=package.notation,
                number_text=f"{package.number}/{package.notation}" if number else package.notation,
                issued_on=package.issued_on,
                arrived_at=timezone.now(),
                sender_code=package.sender.code,
                sender_name=package.sender.name,
                document_id=package.document_id,
                signer_name=package.signer_name,
                signer_title=package.signer_position,
                page_count=package.page_amount or 1,
                reply_due_on=package.due_on,
                recipients_text="; ".join(package.to_places)[:1000],
            )
            attach(document, uploads, names, actor=actor, main=True)
            reindex(document)
            record(
                document,
                "arrive",
                actor=actor,
                data={
                    "from": package.sender.code,
                    "addressed_to": addressed_code,
                    "forwarded": target.pk != addressed.pk,
                    "message": message.pk,
                },
            )
            queue_status(document, "01", STATUS_TEXT["01"], actor=actor)
            answer.documents.append(
                {
                    "agency": target.code,
                    "id": document.pk,
                    "new": True,
                    "forwarded_from": addressed.code if target.pk != addressed.pk else None,
                }
            )
    return answer


def _accept_status(data: bytes, *, actor: Actor) -> Answer:
    from haicap.documents.actions.common import record

    status = edxml.read_status(data, roots=trust_roots())
    found = Document.objects.filter(direction=Direction.OUT, agency__code=status.response_to.code)
    document = (
        found.filter(document_id=status.document_id).first()
        if status.document_id
        else found.filter(number_text=status.code).order_by("-issued_on").first()
    )
    delivery = (
        Delivery.objects.filter(document=document, recipient_code=status.sender.code).first()
        if document
        else None
    )
    if document is None or delivery is None:
        raise NotFound(_("No document sent from here matches this status message."))
    with transaction.atomic():
        ExchangeMessage.objects.create(
            outgoing=False,
            kind=ExchangeMessage.Kind.STATUS,
            agency=document.agency,
            peer_code=status.sender.code,
            document=document,
            xml=data,
        )
        Delivery.objects.filter(pk=delivery.pk).update(
            status_code=status.status_code,
            status_text=status.description[:500],
            status_at=timezone.now(),
        )
        record(
            document,
            "status",
            actor=actor,
            note=status.description,
            data={"code": status.status_code, "recipient": status.sender.code},
        )
    return Answer(
        "status",
        status.status_code,
        status.description,
        [{"agency": document.agency.code, "id": document.pk}],
    )


def accept(data: bytes, *, actor: Actor = SYSTEM) -> Answer:
    """Take a package or a status message from the exchange; Invalid or NotFound otherwise."""
    if len(data) > settings.DOCUMENTS_MAX_PACKAGE_MB * 1024 * 1024:
        raise Invalid(
            _("The package is larger than %(mb)s MB.") % {"mb": settings.DOCUMENTS_MAX_PACKAGE_MB}
        )
    if not data.strip():
        raise Invalid(_("The package is empty."))
    if edxml.kind_of(data) == "status":
        return _accept_status(data, actor=actor)
    return _accept_package(data, actor=actor)
