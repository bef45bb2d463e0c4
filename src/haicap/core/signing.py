"""PAdES signatures on PDFs with pyHanko: a person's certificate and key, and ``sign_pdf``.

``sign_pdf`` appends a PAdES B-B signature (ETSI.CAdES.detached, SHA-256) as an incremental
update, invisible or with a visible stamp; ``core/verification.py`` checks such files.
"""

from __future__ import annotations

import datetime as dt
import io
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any, cast

from cryptography import x509
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec, padding, rsa
from cryptography.hazmat.primitives.serialization import pkcs12
from cryptography.x509.oid import NameOID
from django.utils.translation import gettext as _
from pyhanko.keys import load_certs_from_pemder_data, load_private_key_from_pemder_data
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from pyhanko.sign import fields, signers
from pyhanko.sign.general import SigningError
from pyhanko_certvalidator.registry import CertificateStore, SimpleCertificateStore
from pyhanko_certvalidator.util import get_pyca_cryptography_hash

from haicap.core.errors import Invalid
from haicap.core.pki import load_certificates, name_attribute
from haicap.core.stamp import Stamp, stamp_style

MAX_PDF_BYTES = 50 * 1024 * 1024
DEFAULT_FIELD = "Signature1"
# A dot would nest the field under another one; readers show the name, so keep it plain.
FIELD_NAME = re.compile(r"[A-Za-z0-9_-]{1,64}")
MAX_TEXT = 200

__all__ = ["Signer", "Stamp", "load_signer", "load_signer_pkcs12", "sign_pdf"]


SigningKey = rsa.RSAPrivateKey | ec.EllipticCurvePrivateKey


class _ParsedKeySigner(signers.SimpleSigner):
    """pyHanko's SimpleSigner with its key parsed once.

    SimpleSigner parses the key again for every signature, twice per PDF (a size estimate,
    then the signature): 30 ms each for an RSA key, half the cost of signing a page.
    """

    def __init__(self, *, private_key: SigningKey, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.private_key = private_key

    def sign_raw(self, data: bytes, digest_algorithm: str) -> bytes:
        mechanism = self.get_signature_mechanism_for_digest(digest_algorithm).signature_algo
        digest = get_pyca_cryptography_hash(digest_algorithm)
        key = self.private_key
        if mechanism == "rsassa_pkcs1v15" and isinstance(key, rsa.RSAPrivateKey):
            return key.sign(data, padding.PKCS1v15(), digest)
        if mechanism == "ecdsa" and isinstance(key, ec.EllipticCurvePrivateKey):
            return key.sign(data, ec.ECDSA(digest))
        return super().sign_raw(data, digest_algorithm)


@dataclass(frozen=True)
class Signer:
    """A person's certificate with its private key, ready to sign PDFs."""

    certificate: x509.Certificate
    cms_signer: signers.SimpleSigner = field(repr=False)

    @property
    def name(self) -> str:
        return name_attribute(self.certificate.subject, NameOID.COMMON_NAME)

    @property
    def title(self) -> str:
        return name_attribute(self.certificate.subject, NameOID.TITLE)

    @property
    def organisation(self) -> str:
        return name_attribute(self.certificate.subject, NameOID.ORGANIZATION_NAME)


def as_asn1(certificate: x509.Certificate) -> object:
    """The same certificate as pyHanko's asn1crypto object."""
    return next(load_certs_from_pemder_data(certificate.public_bytes(serialization.Encoding.DER)))


def _certificate_store(certificates: list[object]) -> CertificateStore:
    # pyhanko-certvalidator leaves this constructor unannotated; mypy would refuse the call.
    store: Any = SimpleCertificateStore
    return cast(CertificateStore, store.from_certs(certificates))


def _signer(
    certificate: x509.Certificate, key: object, chain: Iterable[x509.Certificate]
) -> Signer:
    if not isinstance(key, SigningKey):
        raise Invalid(_("Only RSA and elliptic-curve keys can sign."))
    if key.public_key() != certificate.public_key():
        raise Invalid(_("The private key does not belong to the certificate."))
    try:
        usage = certificate.extensions.get_extension_for_class(x509.KeyUsage).value
        may_sign = usage.content_commitment
    except x509.ExtensionNotFound:
        may_sign = True  # no restriction on the key's use
    if not may_sign:
        raise Invalid(_("This certificate is not meant for signing documents (no nonRepudiation)."))
    key_der = key.private_bytes(
        serialization.Encoding.DER,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    )
    cms_signer = _ParsedKeySigner(
        private_key=key,
        signing_cert=as_asn1(certificate),
        signing_key=load_private_key_from_pemder_data(key_der, passphrase=None),
        cert_registry=_certificate_store([as_asn1(cert) for cert in chain]),
    )
    return Signer(certificate=certificate, cms_signer=cms_signer)


def load_signer(
    certificate_pem: bytes, key_pem: bytes, *, passphrase: str | None, chain_pem: bytes = b""
) -> Signer:
    """A signer from its certificate, its (encrypted) PEM key and the issuing CA's certificates."""
    certificates = load_certificates(certificate_pem)
    if len(certificates) != 1:
        raise Invalid(_("The certificate file must hold exactly one certificate."))
    try:
        key = serialization.load_pem_private_key(
            key_pem, password=passphrase.encode() if passphrase else None
        )
    except TypeError as exc:  # a passphrase for a plain key, or none for an encrypted one
        raise Invalid(
            _("The key needs its passphrase, or was given one it does not need.")
        ) from exc
    except ValueError as exc:
        raise Invalid(_("The passphrase is wrong or the key cannot be read.")) from exc
    chain = load_certificates(chain_pem) if chain_pem.strip() else []
    return _signer(certificates[0], key, chain)


def load_signer_pkcs12(data: bytes, *, passphrase: str) -> Signer:
    """A signer from the PKCS#12 (.p12, .pfx) file a certificate authority issues."""
    try:
        key, certificate, chain = pkcs12.load_key_and_certificates(data, passphrase.encode())
    except ValueError as exc:
        raise Invalid(_("The passphrase is wrong or the key cannot be read.")) from exc
    if key is None or certificate is None:
        raise Invalid(_("The PKCS#12 file holds no certificate with its key."))
    return _signer(certificate, key, chain)


def check_pdf_bytes(pdf_bytes: bytes) -> None:
    """Invalid unless the bytes look like a PDF of a size worth parsing."""
    if len(pdf_bytes) > MAX_PDF_BYTES:
        raise Invalid(
            _("The file is larger than %(count)d MB.") % {"count": MAX_PDF_BYTES // 1024 // 1024}
        )
    if b"%PDF-" not in pdf_bytes[:1024]:
        raise Invalid(_("The file is not a PDF."))


def sign_pdf(
    pdf_bytes: bytes,
    signer: Signer,
    *,
    reason: str,
    location: str,
    field_name: str = DEFAULT_FIELD,
    stamp: Stamp | None = None,
) -> bytes:
    """The PDF with ``signer``'s PAdES signature appended; visible when ``stamp`` places it."""
    check_pdf_bytes(pdf_bytes)
    if not FIELD_NAME.fullmatch(field_name):
        raise Invalid(_("A signature field name has 1 to 64 letters, digits, - or _."))
    if len(reason) > MAX_TEXT or len(location) > MAX_TEXT:
        raise Invalid(
            _("The reason and the place of signing have at most %(count)d characters.")
            % {"count": MAX_TEXT}
        )
    try:
        writer = IncrementalPdfFileWriter(io.BytesIO(pdf_bytes), strict=False)
    except Exception as exc:  # the parser raises many kinds of error on a damaged file
        raise Invalid(_("The file is not a readable PDF.")) from exc
    if writer.prev.encrypted:
        raise Invalid(_("Encrypted PDFs cannot be signed."))
    meta = signers.PdfSignatureMetadata(
        field_name=field_name,
        reason=reason,
        location=location,
        subfilter=fields.SigSeedSubFilter.PADES,
        md_algorithm="sha256",
    )
    signed_at = dt.datetime.now(dt.UTC)
    with stamp_style(
        stamp,
        name=signer.name,
        title=signer.title,
        organisation=signer.organisation,
        signed_at=signed_at,
    ) as style:
        field_spec = (
            fields.SigFieldSpec(field_name, on_page=stamp.page, box=stamp.box) if stamp else None
        )
        pdf_signer = signers.PdfSigner(
            meta, signer=signer.cms_signer, stamp_style=style, new_field_spec=field_spec
        )
        try:
            output = pdf_signer.sign_pdf(writer)
        except SigningError as exc:
            raise Invalid(_("The PDF cannot be signed: %(error)s") % {"error": exc}) from exc
    return cast(bytes, output.getvalue())
