"""Checking the signatures of an uploaded PDF with pyHanko, against given trusted roots.

``verify_pdf`` reports each signature: who signed, when, whether the signed bytes are intact,
what changed afterwards and whether the certificate chains to the roots; and a verdict in
plain words. It never raises for a PDF, signed or not; it raises Invalid for anything else.
"""

from __future__ import annotations

import datetime as dt
import io
import logging
from collections.abc import Iterable
from dataclasses import dataclass
from enum import Enum, StrEnum
from typing import cast

from cryptography import x509
from cryptography.x509.oid import NameOID
from django.utils.translation import gettext as _
from pyhanko.pdf_utils.crypt.api import AuthStatus
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign.diff_analysis import ModificationLevel
from pyhanko.sign.validation import validate_pdf_signature
from pyhanko.sign.validation.pdf_embedded import EmbeddedPdfSignature
from pyhanko.sign.validation.status import PdfSignatureStatus, SignatureCoverageLevel
from pyhanko_certvalidator import ValidationContext

from haicap.core.errors import Invalid
from haicap.core.pki import fingerprint, name_attribute
from haicap.core.signing import as_asn1, check_pdf_bytes

# pyHanko logs every untrusted or altered file with a traceback at WARNING; for a public
# verification page those are expected answers, not faults of the server.
logging.getLogger("pyhanko").setLevel(logging.ERROR)
logging.getLogger("pyhanko_certvalidator").setLevel(logging.ERROR)

log = logging.getLogger(__name__)

# A file with thousands of signatures would make one upload cost minutes of validation.
MAX_SIGNATURES = 20


class Outcome(StrEnum):
    """The verdict on a signature or a file, worst first in ``_SEVERITY``."""

    VALID = "valid"
    UNSIGNED = "unsigned"  # no signature at all
    BROKEN = "broken"  # the signature cannot be read
    TAMPERED = "tampered"  # the signed bytes changed, or the signature does not match them
    MODIFIED = "modified"  # changes appended after signing that the signature does not allow
    UNTRUSTED = "untrusted"  # not from a trusted CA, expired, revoked or not for signing


_SEVERITY = [Outcome.BROKEN, Outcome.TAMPERED, Outcome.MODIFIED, Outcome.UNTRUSTED, Outcome.VALID]


class LaterChanges(StrEnum):
    """What was appended to the file after a signature (pyHanko's difference analysis)."""

    NONE = "none"
    FORM_FILLING = "form_filling"  # further signatures or filled form fields: allowed
    ANNOTATIONS = "annotations"
    OTHER = "other"  # page content or anything else: the signature no longer holds


@dataclass(frozen=True)
class SignatureCheck:
    """One signature in a file, as verified."""

    field_name: str
    signer_name: str
    signer_title: str
    signer_organisation: str
    issuer: str
    certificate_serial: str
    certificate_fingerprint: str
    signed_at: dt.datetime | None  # the signer's own clock (PAdES B-B has no timestamp token)
    intact: bool  # the signed bytes hash to the signed digest and the signature math holds
    trusted: bool  # the certificate chains to a trusted root and may sign documents
    modified_after_signing: bool  # revisions were appended after this signature
    later_changes: LaterChanges
    outcome: Outcome
    reason: str  # plain words when not valid, "" when valid

    @property
    def valid(self) -> bool:
        return self.outcome is Outcome.VALID


@dataclass(frozen=True)
class Verification:
    """Every signature of a file and the verdict on the whole: valid only if all are."""

    valid: bool
    outcome: Outcome
    reason: str
    signatures: tuple[SignatureCheck, ...]


def _later_changes(status: PdfSignatureStatus) -> LaterChanges:
    level = status.modification_level
    if level in (ModificationLevel.NONE, ModificationLevel.LTA_UPDATES):
        return LaterChanges.NONE
    if level is ModificationLevel.FORM_FILLING:
        return LaterChanges.FORM_FILLING
    if level is ModificationLevel.ANNOTATIONS:
        return LaterChanges.ANNOTATIONS
    return LaterChanges.OTHER


def _trust_reason(status: PdfSignatureStatus) -> str:
    indication = status.trust_problem_indic
    problem = indication.name if isinstance(indication, Enum) else ""
    if status.revoked or "REVOKED" in problem:
        return _("The signer's certificate has been revoked.")
    if any(word in problem for word in ("EXPIRED", "NOT_YET_VALID", "OUT_OF_BOUNDS")):
        return _("The signer's certificate was expired or not yet valid.")
    if "CONSTRAINTS" in problem:
        return _("The signer's certificate is not meant for signing documents.")
    return _("The signer's certificate was not issued by a trusted certificate authority.")


def _verdict(status: PdfSignatureStatus, later: LaterChanges) -> tuple[Outcome, str]:
    if not status.intact:
        return Outcome.TAMPERED, _("The signed content has been changed since it was signed.")
    if not status.valid:
        return Outcome.TAMPERED, _("The signature does not match the signer's certificate.")
    coverage = status.coverage
    if coverage is None or coverage < SignatureCoverageLevel.ENTIRE_REVISION:
        return Outcome.MODIFIED, _("The signature does not cover the whole document.")
    if later in (LaterChanges.ANNOTATIONS, LaterChanges.OTHER) or status.docmdp_ok is False:
        return Outcome.MODIFIED, _("The document was changed after it was signed.")
    if not status.bottom_line:
        return Outcome.UNTRUSTED, _trust_reason(status)
    return Outcome.VALID, ""


def _check(embedded: EmbeddedPdfSignature, context: ValidationContext) -> SignatureCheck:
    status = validate_pdf_signature(embedded, context)
    certificate = x509.load_der_x509_certificate(cast(bytes, status.signing_cert.dump()))
    later = _later_changes(status)
    outcome, reason = _verdict(status, later)
    timestamp = status.timestamp_validity
    return SignatureCheck(
        field_name=str(embedded.field_name),
        signer_name=name_attribute(certificate.subject, NameOID.COMMON_NAME),
        signer_title=name_attribute(certificate.subject, NameOID.TITLE),
        signer_organisation=name_attribute(certificate.subject, NameOID.ORGANIZATION_NAME),
        issuer=name_attribute(certificate.issuer, NameOID.COMMON_NAME),
        certificate_serial=f"{certificate.serial_number:X}",
        certificate_fingerprint=fingerprint(certificate),
        signed_at=timestamp.timestamp if timestamp else status.signer_reported_dt,
        intact=status.intact and status.valid,
        trusted=status.trusted,
        modified_after_signing=status.coverage is not SignatureCoverageLevel.ENTIRE_FILE,
        later_changes=later,
        outcome=outcome,
        reason=reason,
    )


def _unreadable(embedded: EmbeddedPdfSignature) -> SignatureCheck:
    return SignatureCheck(
        field_name=str(embedded.field_name),
        signer_name="",
        signer_title="",
        signer_organisation="",
        issuer="",
        certificate_serial="",
        certificate_fingerprint="",
        signed_at=None,
        intact=False,
        trusted=False,
        modified_after_signing=False,
        later_changes=LaterChanges.NONE,
        outcome=Outcome.BROKEN,
        reason=_("The signature cannot be read or checked."),
    )


def verify_pdf(pdf_bytes: bytes, *, trust_roots: Iterable[x509.Certificate]) -> Verification:
    """Each signature of the PDF checked against ``trust_roots``; Invalid if it is not a PDF."""
    check_pdf_bytes(pdf_bytes)
    try:
        reader = PdfFileReader(io.BytesIO(pdf_bytes), strict=False)
        # Files restricted by an owner password only open with the empty user password.
        if reader.encrypted and reader.decrypt("").status is AuthStatus.FAILED:
            raise Invalid(_("Password-protected PDFs cannot be checked."))
        embedded = [sig for sig in reader.embedded_signatures if sig.sig_object_type == "/Sig"]
    except Invalid:
        raise
    except Exception as exc:  # the parser raises many kinds of error on a damaged file
        raise Invalid(_("The file is not a readable PDF.")) from exc
    if not embedded:
        return Verification(
            valid=False,
            outcome=Outcome.UNSIGNED,
            reason=_("This file has no digital signature."),
            signatures=(),
        )
    if len(embedded) > MAX_SIGNATURES:
        raise Invalid(_("The file has more than %(count)d signatures.") % {"count": MAX_SIGNATURES})
    # Never None: pyHanko would then trust the operating system's TLS roots.
    roots = [as_asn1(root) for root in trust_roots]
    checks = []
    for sig in embedded:
        try:
            checks.append(_check(sig, ValidationContext(trust_roots=roots)))
        except Exception as exc:  # a malformed signature must give an answer, not a 500
            log.info("unreadable signature in %s: %s", sig.field_name, type(exc).__name__)
            checks.append(_unreadable(sig))
    worst = min(checks, key=lambda check: _SEVERITY.index(check.outcome))
    return Verification(
        valid=worst.outcome is Outcome.VALID,
        outcome=worst.outcome,
        reason=worst.reason,
        signatures=tuple(checks),
    )
