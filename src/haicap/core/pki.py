"""Certificates for signing PDFs: a local certificate authority, signer certificates, trust roots.

The local CA stands in for the national CA in demos and tests (`haicap ca init`). A province on
real certificates sets HAICAP_SIGNING_TRUST_ROOTS to its CA's roots and never holds a CA key.
"""

from __future__ import annotations

import datetime as dt
import os
import secrets
from dataclasses import dataclass
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.x509.oid import NameOID
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured, ValidationError
from django.core.validators import validate_email
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from haicap.core.errors import Invalid, NotFound

CA_COMMON_NAME = "haicap Local CA"
CA_KEY_FILE = "ca-key.pem"
CA_CERT_FILE = "ca-cert.pem"
# RSA 2048 with SHA-256 is what Vietnam's licensed CAs issue, so verification of local and
# real signatures takes the same path through every PDF reader.
KEY_SIZE = 2048
CA_VALID_DAYS = 3650
SIGNER_VALID_DAYS = 730
# X.520 upper bounds for the name attributes (ub-common-name, ub-title, ub-organization-name).
NAME_MAX = 64
# cryptography encrypts PKCS#8 keys with PBKDF2 at 2,048 rounds, which slows guessing little:
# the passphrase itself has to be long (`haicap ca issue` makes a random one of 24 characters).
MIN_PASSPHRASE = 12
# Valid from a little before now, so a clock a few minutes behind still accepts them.
CLOCK_SKEW = dt.timedelta(minutes=5)


@dataclass(frozen=True)
class LocalCA:
    """The local CA's certificate and private key, and the directory they live in."""

    certificate: x509.Certificate
    key: rsa.RSAPrivateKey
    directory: Path

    @property
    def certificate_pem(self) -> bytes:
        return self.certificate.public_bytes(serialization.Encoding.PEM)

    @property
    def subject(self) -> str:
        """As people write it: "CN=haicap Local CA, O=…, C=VN"."""
        return ", ".join(
            f"{attribute.rfc4514_attribute_name}={attribute.value!s}"
            for attribute in self.certificate.subject
        )

    @property
    def fingerprint(self) -> str:
        return fingerprint(self.certificate)


@dataclass(frozen=True)
class IssuedSigner:
    """A signer's certificate and private key (PKCS#8 PEM encrypted with the passphrase)."""

    certificate_pem: bytes
    key_pem: bytes
    chain_pem: bytes  # the issuing CA's certificate, embedded in every signature
    serial: int
    fingerprint: str


def fingerprint(certificate: x509.Certificate) -> str:
    """SHA-256 of the certificate as colon-separated hex, as `openssl x509 -fingerprint` prints."""
    return certificate.fingerprint(hashes.SHA256()).hex(":").upper()


def name_attribute(name: x509.Name, oid: x509.ObjectIdentifier) -> str:
    """The first value of ``oid`` in a certificate name ("" when absent)."""
    values = name.get_attributes_for_oid(oid)
    if not values:
        return ""
    value = values[0].value
    return value.decode("utf-8", "replace") if isinstance(value, bytes) else value


def ca_directory() -> Path:
    return Path(settings.DATA_DIR) / "ca"


def _write_private(path: Path, data: bytes) -> None:
    """Write a file readable by its owner only, replacing any old one in one step."""
    temporary = path.with_name(f".{path.name}.{secrets.token_hex(4)}")
    descriptor = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(descriptor, "wb") as handle:
        handle.write(data)
    os.replace(temporary, path)


def _write_public(path: Path, data: bytes) -> None:
    temporary = path.with_name(f".{path.name}.{secrets.token_hex(4)}")
    temporary.write_bytes(data)
    temporary.chmod(0o644)
    os.replace(temporary, path)


def _labels() -> dict[str, str]:
    return {
        "name": pgettext("certificate", "Full name"),
        "title": pgettext("certificate", "Title"),
        "organisation": pgettext("certificate", "Organisation"),
    }


def _clean(value: str, field: str, *, required: bool = False) -> str:
    value = " ".join(value.split())
    label = _labels()[field]
    if required and not value:
        raise Invalid(_("%(label)s is required.") % {"label": label}, field=field)
    if len(value) > NAME_MAX:
        raise Invalid(
            _("%(label)s: at most %(count)d characters fit in a certificate.")
            % {"label": label, "count": NAME_MAX},
            field=field,
        )
    return value


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


def init_ca(
    *, organisation: str = "haicap", force: bool = False, directory: Path | None = None
) -> tuple[LocalCA, bool]:
    """The local CA, made if missing (or replaced when forced); True when it was made now."""
    directory = directory or ca_directory()
    key_path, cert_path = directory / CA_KEY_FILE, directory / CA_CERT_FILE
    if not force and (key_path.exists() or cert_path.exists()):
        return load_ca(directory), False
    organisation = _clean(organisation, "organisation", required=True)
    directory.mkdir(mode=0o700, parents=True, exist_ok=True)
    directory.chmod(0o700)  # also when it existed: it holds the CA's private key
    key = rsa.generate_private_key(public_exponent=65537, key_size=KEY_SIZE)
    name = x509.Name(
        [
            x509.NameAttribute(NameOID.COMMON_NAME, CA_COMMON_NAME),
            x509.NameAttribute(NameOID.ORGANIZATION_NAME, organisation),
            x509.NameAttribute(NameOID.COUNTRY_NAME, "VN"),
        ]
    )
    now = _now()
    certificate = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - CLOCK_SKEW)
        .not_valid_after(now + dt.timedelta(days=CA_VALID_DAYS))
        .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
        .add_extension(
            x509.KeyUsage(
                digital_signature=False,
                content_commitment=False,
                key_encipherment=False,
                data_encipherment=False,
                key_agreement=False,
                key_cert_sign=True,
                crl_sign=True,
                encipher_only=False,
                decipher_only=False,
            ),
            critical=True,
        )
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), critical=False)
        .sign(key, hashes.SHA256())
    )
    # The key first: a crash between the two writes leaves a CA that load_ca refuses, never a
    # certificate whose key is gone.
    _write_private(
        key_path,
        key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        ),
    )
    _write_public(cert_path, certificate.public_bytes(serialization.Encoding.PEM))
    return LocalCA(certificate=certificate, key=key, directory=directory), True


def load_ca(directory: Path | None = None) -> LocalCA:
    """The local CA from its directory; NotFound when there is none, Invalid when it is broken."""
    directory = directory or ca_directory()
    key_path, cert_path = directory / CA_KEY_FILE, directory / CA_CERT_FILE
    if not key_path.exists() and not cert_path.exists():
        raise NotFound(_("There is no local certificate authority yet; run `haicap ca init`."))
    try:
        certificate = x509.load_pem_x509_certificate(cert_path.read_bytes())
        key = serialization.load_pem_private_key(key_path.read_bytes(), password=None)
    except (OSError, ValueError, TypeError) as exc:
        raise Invalid(
            _("The local certificate authority in %(path)s cannot be read (%(error)s).")
            % {"path": directory, "error": exc}
        ) from exc
    if not isinstance(key, rsa.RSAPrivateKey) or key.public_key() != certificate.public_key():
        raise Invalid(
            _("The local certificate authority's key does not match its certificate in %(path)s.")
            % {"path": directory}
        )
    return LocalCA(certificate=certificate, key=key, directory=directory)


def issue_signer(
    ca: LocalCA,
    *,
    name: str,
    title: str = "",
    organisation: str = "",
    email: str | None = None,
    passphrase: str,
    valid_days: int = SIGNER_VALID_DAYS,
) -> IssuedSigner:
    """A signing certificate for a person (digitalSignature + nonRepudiation), issued by ``ca``."""
    name = _clean(name, "name", required=True)
    title = _clean(title, "title")
    organisation = _clean(organisation, "organisation")
    email = (email or "").strip() or None
    if email:
        try:
            validate_email(email)
        except ValidationError:
            raise Invalid(_("Enter a valid e-mail address."), field="email") from None
    if len(passphrase) < MIN_PASSPHRASE:
        raise Invalid(
            _("The passphrase needs at least %(count)d characters.") % {"count": MIN_PASSPHRASE},
            field="passphrase",
        )
    if not 1 <= valid_days <= CA_VALID_DAYS:
        raise Invalid(
            _("A certificate is valid for 1 to %(count)d days.") % {"count": CA_VALID_DAYS},
            field="valid_days",
        )
    attributes = [x509.NameAttribute(NameOID.COMMON_NAME, name)]
    if title:
        attributes.append(x509.NameAttribute(NameOID.TITLE, title))
    if organisation:
        attributes.append(x509.NameAttribute(NameOID.ORGANIZATION_NAME, organisation))
    attributes.append(x509.NameAttribute(NameOID.COUNTRY_NAME, "VN"))
    key = rsa.generate_private_key(public_exponent=65537, key_size=KEY_SIZE)
    now = _now()
    # A certificate outliving its issuer would be refused by every validator.
    not_after = min(now + dt.timedelta(days=valid_days), ca.certificate.not_valid_after_utc)
    builder = (
        x509.CertificateBuilder()
        .subject_name(x509.Name(attributes))
        .issuer_name(ca.certificate.subject)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - CLOCK_SKEW)
        .not_valid_after(not_after)
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .add_extension(
            x509.KeyUsage(
                digital_signature=True,
                content_commitment=True,  # nonRepudiation: PDF validators require it
                key_encipherment=False,
                data_encipherment=False,
                key_agreement=False,
                key_cert_sign=False,
                crl_sign=False,
                encipher_only=False,
                decipher_only=False,
            ),
            critical=True,
        )
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), critical=False)
        .add_extension(
            x509.AuthorityKeyIdentifier.from_issuer_public_key(ca.key.public_key()), critical=False
        )
    )
    if email:
        builder = builder.add_extension(
            x509.SubjectAlternativeName([x509.RFC822Name(email)]), critical=False
        )
    certificate = builder.sign(ca.key, hashes.SHA256())
    key_pem = key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.BestAvailableEncryption(passphrase.encode()),
    )
    return IssuedSigner(
        certificate_pem=certificate.public_bytes(serialization.Encoding.PEM),
        key_pem=key_pem,
        chain_pem=ca.certificate_pem,
        serial=certificate.serial_number,
        fingerprint=fingerprint(certificate),
    )


def load_certificates(data: bytes) -> list[x509.Certificate]:
    """Every certificate in a PEM bundle, or the one certificate of a DER file."""
    try:
        if b"-----BEGIN" in data:
            return x509.load_pem_x509_certificates(data)
        return [x509.load_der_x509_certificate(data)]
    except ValueError as exc:
        raise Invalid(_("The certificate file cannot be read.")) from exc


def trust_roots() -> list[x509.Certificate]:
    """The roots signatures must chain to: HAICAP_SIGNING_TRUST_ROOTS, else the local CA."""
    configured = settings.SIGNING_TRUST_ROOTS
    if configured:
        try:
            return load_certificates(Path(configured).read_bytes())
        except (OSError, Invalid) as exc:
            raise ImproperlyConfigured(
                f"HAICAP_SIGNING_TRUST_ROOTS={configured} is not a readable certificate file: {exc}"
            ) from exc
    try:
        return [load_ca().certificate]
    except NotFound:
        return []
