"""edXML messages (QCVN 102:2016/BTTTT): document packages and status messages, written out
with an XML signature and read back from untrusted bytes. No database here.

- A package: ``edXMLEnvelope`` › ``edXMLHeader`` (MessageHeader, TraceHeaderList, the
  signature) › ``edXMLBody`` (the manifest) › ``AttachmentEncoded`` (files in base64).
- A status message: ``edXMLEnvelope`` › ``edXMLHeader`` › ``Status`` (ResponseFor, From,
  StatusCode, Description, Timestamp, StaffInfo) and the signature.

The signature is an enveloped XML-DSig (RSA-SHA256, exclusive c14n; ``signxml``) over the
whole envelope, so attachments are covered too, with the sending agency's certificate in
KeyInfo; it must chain to the trusted roots (``core.pki.trust_roots``). Bytes are first
checked by ``defusedxml`` (no DTD, no entities) and parsed by lxml without network access.
"""

from __future__ import annotations

import base64
import binascii
import datetime as dt
from dataclasses import dataclass, field

import defusedxml.ElementTree
from cryptography import x509
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from defusedxml import DefusedXmlException
from django.utils.translation import gettext as _
from lxml import etree
from signxml.algorithms import CanonicalizationMethod, SignatureMethod
from signxml.exceptions import InvalidCertificate, InvalidInput, InvalidSignature
from signxml.signer import XMLSigner
from signxml.util import X509CertChainVerifier
from signxml.verifier import XMLVerifier

from haicap.core.calendar import ZONE
from haicap.core.errors import Invalid

NS = "http://www.mic.gov.vn/TBT/QCVN_102_2016"
DS = "http://www.w3.org/2000/09/xmldsig#"
NSMAP = {"edXML": NS}
DATE = "%Y/%m/%d"
STAMP = "%Y/%m/%d %H:%M:%S"
MAX_ATTACHMENTS = 50


@dataclass(frozen=True)
class Organ:
    code: str
    name: str


@dataclass(frozen=True)
class File:
    name: str
    content_type: str
    content: bytes
    description: str = ""


@dataclass
class Package:
    """The fields of a document package, as written or as read."""

    sender: Organ
    recipients: list[Organ]
    number: str
    notation: str
    issued_on: dt.date
    place: str
    type_code: str
    type_name: str
    subject: str
    signer_position: str
    signer_name: str
    document_id: str
    priority: int = 0
    due_on: dt.date | None = None
    to_places: list[str] = field(default_factory=list)
    page_amount: int = 1
    promulgation_amount: int = 1
    competence: str = ""
    trace: list[tuple[str, str]] = field(default_factory=list)  # (OrganId, Timestamp)
    files: list[File] = field(default_factory=list)


@dataclass
class StatusMessage:
    response_to: Organ  # the sender of the document the status is about
    code: str  # the document's "number/notation"
    issued_on: dt.date | None
    document_id: str
    sender: Organ  # who reports
    status_code: str
    description: str
    at: dt.datetime
    staff: str = ""
    department: str = ""


@dataclass(frozen=True)
class Key:
    """The sending agency's private key and certificate (and its CA's)."""

    private_key: rsa.RSAPrivateKey
    certificate: x509.Certificate
    chain: list[x509.Certificate]


# Writing


def _add(parent: etree._Element, name: str, text: str | None = None) -> etree._Element:
    element = etree.SubElement(parent, f"{{{NS}}}{name}")
    if text is not None:
        element.text = text
    return element


def _organ(parent: etree._Element, name: str, organ: Organ) -> None:
    node = _add(parent, name)
    _add(node, "OrganId", organ.code)
    _add(node, "OrganName", organ.name)


def _envelope() -> tuple[etree._Element, etree._Element]:
    root = etree.Element(f"{{{NS}}}edXMLEnvelope", nsmap=NSMAP)
    return root, _add(root, "edXMLHeader")


def _sign(root: etree._Element, header: etree._Element, key: Key) -> bytes:
    etree.SubElement(header, f"{{{DS}}}Signature", Id="placeholder", nsmap={"ds": DS})
    signer = XMLSigner(
        signature_algorithm=SignatureMethod.RSA_SHA256,
        c14n_algorithm=CanonicalizationMethod.EXCLUSIVE_XML_CANONICALIZATION_1_0,
    )
    pems = [key.certificate, *key.chain]
    signed = signer.sign(
        root,
        key=key.private_key,
        cert=[c.public_bytes(serialization.Encoding.PEM).decode() for c in pems],
    )
    return bytes(etree.tostring(signed, xml_declaration=True, encoding="UTF-8"))


def write_package(package: Package, key: Key) -> bytes:
    root, header = _envelope()
    message = _add(header, "MessageHeader")
    _organ(message, "From", package.sender)
    for recipient in package.recipients:
        _organ(message, "To", recipient)
    code = _add(message, "Code")
    _add(code, "CodeNumber", package.number)
    _add(code, "CodeNotation", package.notation)
    info = _add(message, "PromulgationInfo")
    _add(info, "Place", package.place)
    _add(info, "PromulgationDate", package.issued_on.strftime(DATE))
    doc_type = _add(message, "DocumentType")
    _add(doc_type, "Type", package.type_code)
    _add(doc_type, "TypeName", package.type_name)
    _add(message, "Subject", package.subject)
    _add(message, "Content", package.subject)
    signer = _add(message, "SignerInfo")
    _add(signer, "Competence", package.competence)
    _add(signer, "Position", package.signer_position)
    _add(signer, "FullName", package.signer_name)
    if package.due_on:
        _add(message, "DueDate", package.due_on.strftime(DATE))
    places = _add(message, "ToPlaces")
    for place in package.to_places:
        _add(places, "Place", place)
    other = _add(message, "OtherInfo")
    _add(other, "Priority", str(package.priority))
    _add(other, "PromulgationAmount", str(package.promulgation_amount))
    _add(other, "PageAmount", str(package.page_amount))
    _add(message, "SteeringType", "1")
    _add(message, "DocumentId", package.document_id)
    trace = _add(header, "TraceHeaderList")
    for organ_id, timestamp in package.trace:
        hop = _add(trace, "TraceHeader")
        _add(hop, "OrganId", organ_id)
        _add(hop, "Timestamp", timestamp)
    body = _add(root, "edXMLBody")
    manifest = _add(body, "edXMLManifest")
    encoded = _add(root, "AttachmentEncoded")
    for index, file in enumerate(package.files, start=1):
        reference = _add(manifest, "Reference")
        _add(reference, "ContentId", f"cid:{index}")
        _add(reference, "ContentType", file.content_type)
        _add(reference, "Description", file.description)
        _add(reference, "AttachmentName", file.name)
        attachment = _add(encoded, "Attachment")
        _add(attachment, "ContentId", f"cid:{index}")
        _add(attachment, "ContentType", file.content_type)
        _add(attachment, "AttachmentName", file.name)
        _add(attachment, "ContentTransferEncoded", base64.b64encode(file.content).decode())
    return _sign(root, header, key)


def write_status(status: StatusMessage, key: Key) -> bytes:
    root, header = _envelope()
    node = _add(header, "Status")
    response = _add(node, "ResponseFor")
    _add(response, "OrganId", status.response_to.code)
    _add(response, "Code", status.code)
    _add(response, "PromulgationDate", status.issued_on.strftime(DATE) if status.issued_on else "")
    _add(response, "DocumentId", status.document_id)
    _organ(node, "From", status.sender)
    _add(node, "StatusCode", status.status_code)
    _add(node, "Description", status.description)
    _add(node, "Timestamp", status.at.astimezone(ZONE).strftime(STAMP))
    staff = _add(node, "StaffInfo")
    _add(staff, "Department", status.department)
    _add(staff, "Staff", status.staff)
    return _sign(root, header, key)


# Reading


class _RootsVerifier(X509CertChainVerifier):
    """signxml's chain check against certificates in memory instead of a PEM file."""

    def __init__(self, roots: list[x509.Certificate], **kwargs: object) -> None:
        super().__init__(ca_pem_file="", **kwargs)
        self.roots = roots

    @property
    def store(self) -> x509.verification.Store:
        return x509.verification.Store(self.roots)


class _Verifier(XMLVerifier):
    def __init__(self, roots: list[x509.Certificate]) -> None:
        super().__init__()
        self.roots = roots

    def get_cert_chain_verifier(
        self, ca_pem_file: object, ee_policy: object, ca_policy: object
    ) -> X509CertChainVerifier:
        # The local CA is a root without the web's extensions: any CA extensions pass.
        return _RootsVerifier(
            self.roots,
            verification_time=self._get_cert_verification_time(),
            ee_policy=ee_policy,
            ca_policy=x509.verification.ExtensionPolicy.permit_all().require_present(
                x509.BasicConstraints, x509.verification.Criticality.CRITICAL, None
            ),
        )


PARSER = etree.XMLParser(
    resolve_entities=False, no_network=True, huge_tree=False, remove_comments=True
)


def _verified(data: bytes, roots: list[x509.Certificate]) -> etree._Element:
    """The signed envelope: only what the signature covers, never the bytes around it."""
    if not roots:
        raise Invalid(_("No trusted certificate authority is configured to check packages."))
    try:
        defusedxml.ElementTree.fromstring(data, forbid_dtd=True)
        parsed = etree.fromstring(data, parser=PARSER)
    except (DefusedXmlException, etree.XMLSyntaxError, defusedxml.ElementTree.ParseError) as exc:
        raise Invalid(_("The package is not well-formed XML without a DTD.")) from exc
    try:
        result = _Verifier(roots).verify(parsed)
    except InvalidCertificate as exc:
        raise Invalid(
            _("The package's certificate is not from a trusted authority: %(error)s")
            % {"error": str(exc)[:200]},
            code="bad_signature",
        ) from exc
    except (InvalidSignature, InvalidInput) as exc:
        raise Invalid(
            _("The package's signature is missing or does not match its content."),
            code="bad_signature",
        ) from exc
    if isinstance(result, list):  # only when asked for several signatures
        raise Invalid(_("The package carries more than one signature."), code="bad_signature")
    signed = result.signed_xml
    if signed is None or signed.tag != f"{{{NS}}}edXMLEnvelope":
        raise Invalid(_("The signed element is not an edXML envelope."), code="bad_signature")
    return signed


class _Reader:
    def __init__(self, root: etree._Element) -> None:
        self.root = root
        self.missing: list[str] = []

    def text(self, path: str, *, required: bool = True, limit: int = 500) -> str:
        node = self.root.find(path, NSMAP)
        value = " ".join((node.text or "").split()) if node is not None else ""
        if required and not value:
            self.missing.append(path.replace("edXML:", "").replace(".//", ""))
        return value[:limit]

    def date(self, path: str, *, required: bool = True) -> dt.date | None:
        value = self.text(path, required=required, limit=20)
        if not value:
            return None
        try:
            day = dt.datetime.strptime(value, DATE).replace(tzinfo=ZONE).date()
        except ValueError:
            self.missing.append(path.replace("edXML:", "").replace(".//", ""))
            return None
        if not dt.date(1945, 1, 1) <= day <= dt.date(2100, 12, 31):
            self.missing.append(path.replace("edXML:", "").replace(".//", ""))
            return None
        return day

    def number(self, path: str, *, default: int, high: int) -> int:
        value = self.text(path, required=False, limit=12)
        return (
            int(value)
            if value.isascii() and value.isdigit() and 0 <= int(value) <= high
            else default
        )

    def done(self) -> None:
        if self.missing:
            raise Invalid(
                _("The package lacks required fields: %(fields)s.")
                % {"fields": ", ".join(dict.fromkeys(self.missing))},
                code="missing_fields",
            )


def _files(root: etree._Element, max_bytes: int) -> list[File]:
    nodes = root.findall("edXML:AttachmentEncoded/edXML:Attachment", NSMAP)
    if len(nodes) > MAX_ATTACHMENTS:
        raise Invalid(_("At most %(n)d attachments.") % {"n": MAX_ATTACHMENTS})
    files = []
    for node in nodes:
        reader = _Reader(node)
        name = reader.text("edXML:AttachmentName", limit=255)
        content_type = reader.text("edXML:ContentType", limit=100)
        raw = reader.text("edXML:ContentTransferEncoded", limit=max_bytes * 2)
        reader.done()
        try:
            content = base64.b64decode(raw, validate=True)
        except (binascii.Error, ValueError) as exc:
            raise Invalid(_("An attachment is not valid base64.")) from exc
        files.append(File(name.replace("\x00", ""), content_type, content))
    return files


def read_package(data: bytes, *, roots: list[x509.Certificate], max_bytes: int) -> Package:
    """The package's fields once its signature holds; Invalid says what is wrong."""
    root = _verified(data, roots)
    if root.find("edXML:edXMLHeader/edXML:MessageHeader", NSMAP) is None:
        raise Invalid(_("The message has no MessageHeader."), code="missing_fields")
    head = _Reader(root)
    base = "edXML:edXMLHeader/edXML:MessageHeader/edXML:"
    recipients = [
        Organ(
            " ".join((node.findtext("edXML:OrganId", "", NSMAP) or "").split())[:40].upper(),
            " ".join((node.findtext("edXML:OrganName", "", NSMAP) or "").split())[:200],
        )
        for node in root.findall(f"{base}To", NSMAP)
    ]
    if not recipients or any(not r.code for r in recipients):
        head.missing.append("MessageHeader/To/OrganId")
    package = Package(
        sender=Organ(
            head.text(f"{base}From/edXML:OrganId", limit=40).upper(),
            head.text(f"{base}From/edXML:OrganName", limit=200),
        ),
        recipients=recipients,
        number=head.text(f"{base}Code/edXML:CodeNumber", limit=11),
        notation=head.text(f"{base}Code/edXML:CodeNotation", limit=30),
        issued_on=head.date(f"{base}PromulgationInfo/edXML:PromulgationDate") or dt.date.min,
        place=head.text(f"{base}PromulgationInfo/edXML:Place", required=False, limit=200),
        type_code=head.text(f"{base}DocumentType/edXML:Type", required=False, limit=20),
        type_name=head.text(f"{base}DocumentType/edXML:TypeName", limit=100),
        subject=head.text(f"{base}Subject", limit=500),
        signer_position=head.text(f"{base}SignerInfo/edXML:Position", required=False, limit=100),
        signer_name=head.text(f"{base}SignerInfo/edXML:FullName", required=False, limit=50),
        competence=head.text(f"{base}SignerInfo/edXML:Competence", required=False, limit=50),
        document_id=head.text(f"{base}DocumentId", required=False, limit=200),
        due_on=head.date(f"{base}DueDate", required=False),
        priority=head.number(f"{base}OtherInfo/edXML:Priority", default=0, high=4),
        page_amount=head.number(f"{base}OtherInfo/edXML:PageAmount", default=1, high=9999),
        promulgation_amount=head.number(
            f"{base}OtherInfo/edXML:PromulgationAmount", default=1, high=999
        ),
        to_places=[
            " ".join((node.text or "").split())[:200]
            for node in root.findall(f"{base}ToPlaces/edXML:Place", NSMAP)
        ][:50],
        trace=[
            (
                (node.findtext("edXML:OrganId", "", NSMAP) or "")[:40],
                (node.findtext("edXML:Timestamp", "", NSMAP) or "")[:30],
            )
            for node in root.findall(
                "edXML:edXMLHeader/edXML:TraceHeaderList/edXML:TraceHeader", NSMAP
            )
        ][:50],
    )
    head.done()
    package.files = _files(root, max_bytes)
    return package


def read_status(data: bytes, *, roots: list[x509.Certificate]) -> StatusMessage:
    root = _verified(data, roots)
    head = _Reader(root)
    base = "edXML:edXMLHeader/edXML:Status/edXML:"
    stamp = head.text(f"{base}Timestamp", limit=30)
    try:
        at = dt.datetime.strptime(stamp, STAMP).replace(tzinfo=ZONE)
    except ValueError:
        head.missing.append("Status/Timestamp")
        at = dt.datetime(1970, 1, 1, tzinfo=ZONE)
    status = StatusMessage(
        response_to=Organ(head.text(f"{base}ResponseFor/edXML:OrganId", limit=40).upper(), ""),
        code=head.text(f"{base}ResponseFor/edXML:Code", limit=80),
        issued_on=head.date(f"{base}ResponseFor/edXML:PromulgationDate", required=False),
        document_id=head.text(f"{base}ResponseFor/edXML:DocumentId", required=False, limit=200),
        sender=Organ(
            head.text(f"{base}From/edXML:OrganId", limit=40).upper(),
            head.text(f"{base}From/edXML:OrganName", required=False, limit=200),
        ),
        status_code=head.text(f"{base}StatusCode", limit=2),
        description=head.text(f"{base}Description", required=False, limit=500),
        at=at,
        staff=head.text(f"{base}StaffInfo/edXML:Staff", required=False, limit=100),
        department=head.text(f"{base}StaffInfo/edXML:Department", required=False, limit=100),
    )
    head.done()
    return status


def kind_of(data: bytes) -> str:
    """ "package" or "status", by the header's first element (unverified: routing only)."""
    if b"Status>" in data[:20000] and b"MessageHeader" not in data[:20000]:
        return "status"
    return "package"
