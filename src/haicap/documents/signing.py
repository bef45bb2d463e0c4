"""Signatures on documents (core.signing, core.pki): officers' certificates from the local CA,
the signer's PAdES signature on the main PDF, and the agency's own key for exchange packages.

An officer's key is stored encrypted (PKCS#8) and opened with the passphrase they type when
signing. An agency's key signs packages without a person, so its passphrase is derived from
the site's secret key (HMAC), never stored beside it.
"""

from __future__ import annotations

import hashlib
import hmac

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from haicap.core import audit
from haicap.core.actors import Actor, person_id
from haicap.core.errors import Invalid, NotFound
from haicap.core.pki import IssuedSigner, issue_signer, load_ca, load_certificates, trust_roots
from haicap.core.signing import Signer, Stamp, load_signer, sign_pdf
from haicap.core.verification import Verification, verify_pdf
from haicap.documents.access import LEADER
from haicap.documents.actions.common import (
    attach,
    bump,
    check_version,
    locked,
    need_role,
    need_status,
    person_name,
    record,
)
from haicap.documents.files import Upload, stored
from haicap.documents.models import Agency, Attachment, Document, SigningCertificate, Status

# Where the signer's box sits on the last page: bottom right, like the signature block.
STAMP = Stamp(page=-1, box=(330, 40, 565, 105))


def _issued(*, name: str, title: str, organisation: str, passphrase: str) -> IssuedSigner:
    try:
        ca = load_ca()
    except NotFound as exc:
        raise Invalid(
            _("There is no local certificate authority yet; run `haicap ca init`.")
        ) from exc
    return issue_signer(
        ca, name=name, title=title, organisation=organisation, passphrase=passphrase
    )


def _store(issued: IssuedSigner, **owner: object) -> SigningCertificate:
    certificate = load_certificates(issued.certificate_pem)[0]
    return SigningCertificate.objects.create(
        certificate_pem=issued.certificate_pem,
        key_pem=issued.key_pem,
        chain_pem=issued.chain_pem,
        serial=f"{issued.serial:X}"[:60],
        fingerprint=issued.fingerprint,
        subject=certificate.subject.rfc4514_string()[:300],
        not_after=certificate.not_valid_after_utc,
        **owner,
    )


def officer_certificate(user: Actor) -> SigningCertificate | None:
    uid = person_id(user)
    if uid is None:
        return None
    return (
        SigningCertificate.objects.filter(
            user_id=uid, revoked_at__isnull=True, not_after__gt=timezone.now()
        )
        .order_by("-created_at")
        .first()
    )


def do_issue_certificate(
    user: Actor, *, passphrase: str, title: str = "", organisation: str = "", actor: Actor
) -> SigningCertificate:
    """A new signing certificate for the officer from the local CA; earlier ones revoked."""
    uid = person_id(user)
    if uid is None:
        raise Invalid(_("Only a signed-in officer holds a certificate."))
    issued = _issued(
        name=person_name(user), title=title, organisation=organisation, passphrase=passphrase
    )
    with transaction.atomic():
        SigningCertificate.objects.filter(user_id=uid, revoked_at__isnull=True).update(
            revoked_at=timezone.now()
        )
        stored_certificate = _store(issued, user_id=uid)
        audit.record(
            "document.certificate",
            actor=actor,
            subject_type="user",
            subject_id=uid,
            after={"serial": stored_certificate.serial, "fingerprint": issued.fingerprint},
        )
    return stored_certificate


def _signer(certificate: SigningCertificate, passphrase: str) -> Signer:
    return load_signer(
        bytes(certificate.certificate_pem),
        bytes(certificate.key_pem),
        passphrase=passphrase,
        chain_pem=bytes(certificate.chain_pem),
    )


def agency_passphrase(agency: Agency) -> str:
    digest = hmac.new(
        settings.SECRET_KEY.encode(), f"haicap-agency-key:{agency.code}".encode(), hashlib.sha256
    )
    return digest.hexdigest()


def agency_certificate(agency: Agency) -> SigningCertificate:
    """The agency's certificate for exchange packages, issued by the local CA on first use."""
    certificate = (
        SigningCertificate.objects.filter(
            agency=agency, revoked_at__isnull=True, not_after__gt=timezone.now()
        )
        .order_by("-created_at")
        .first()
    )
    if certificate is None:
        issued = _issued(
            name=agency.name[:64],
            title=agency.code[:64],
            organisation=agency.unit.name[:64],
            passphrase=agency_passphrase(agency),
        )
        certificate = _store(issued, agency=agency)
    return certificate


def agency_signer(agency: Agency) -> Signer:
    """The agency's own PAdES signer (after the officer's signature, on issuing)."""
    return _signer(agency_certificate(agency), agency_passphrase(agency))


def main_file(document: Document) -> Attachment | None:
    return document.attachments.filter(is_main=True).order_by("-version").first()


def do_sign_document(
    document: Document, *, actor: Actor, passphrase: str, version: int | None = None
) -> Attachment:
    """The signer's PAdES signature on the main PDF: a new, signed version of it."""
    certificate = officer_certificate(actor)
    if certificate is None:
        raise Invalid(_("You have no signing certificate yet."), field="passphrase")
    signer = _signer(certificate, passphrase)
    current = main_file(document)
    if current is None or current.content_type != "application/pdf":
        raise Invalid(_("The document has no PDF to sign."), field="file")
    with current.file.open("rb") as handle:
        content = handle.read()
    where = document.agency.unit.name[:200]
    signed = sign_pdf(
        content,
        signer,
        reason=f"Ký ban hành {document.number_text or document.subject}"[:200],
        location=where,
        field_name=f"Signature{current.version}",
        stamp=STAMP,
    )
    upload = Upload(current.name, signed, "application/pdf", ".pdf")
    with stored([upload]) as names, transaction.atomic():
        document = locked(document)
        need_role(actor, document, LEADER, what=_("sign it"))
        need_status(document, Status.APPROVED, Status.NUMBERED, Status.ISSUED, what=_("be signed"))
        check_version(document, version)
        made = attach(document, [upload], names, actor=actor, main=True)[0]
        Attachment.objects.filter(pk=made.pk).update(signed=True)
        made.signed = True
        bump(document, [])
        record(
            document,
            "sign",
            actor=actor,
            data={"version": made.version, "certificate": certificate.serial},
        )
    return made


def verify(attachment: Attachment) -> Verification:
    """Who signed the file and whether it is intact, against the trusted roots."""
    if attachment.content_type != "application/pdf":
        raise Invalid(_("Only PDF files carry signatures."))
    with attachment.file.open("rb") as handle:
        return verify_pdf(handle.read(), trust_roots=trust_roots())
