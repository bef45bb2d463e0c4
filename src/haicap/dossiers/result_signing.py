"""Signed electronic results: the result notice as a PDF, signed under the leader's certificate.

When a result is ready, haicap renders the result notice (with a QR code to the public
verification page) and signs it with pyHanko (core/signing.py) under the certificate of the
leader who decided the dossier; uploaded PDF results are signed the same way. The leader's
key is issued by the local CA on first use and held by the application: encrypted PKCS#8
whose passphrase is derived from the site's secret key, like the documents app's agency keys.
Without a person who decided (the system, an import) the unit's own certificate signs.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import hashlib
import hmac
import secrets
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from haicap.core.calendar import ZONE
from haicap.core.errors import Invalid, NotFound
from haicap.core.pki import init_ca, issue_signer, load_ca, load_certificates
from haicap.core.signing import Signer, Stamp, load_signer, sign_pdf
from haicap.dossiers.documents import qr_svg
from haicap.dossiers.models import Dossier, DossierPaper, ResultSignature, SigningKey
from haicap.dossiers.papers import Upload
from haicap.staff.models import Role, RoleAssignment
from haicap.units.models import AdminUnit

STAMP = Stamp(page=-1, box=(330, 50, 565, 120))
TITLE = "Thông báo kết quả giải quyết hồ sơ"


@dataclass(frozen=True)
class SignedResult:
    upload: Upload
    token: str
    signer: Signer
    signed_at: dt.datetime


def verify_url(token: str) -> str:
    """Where the QR code on a signed result leads (HAICAP_SITE_URL + the verify page)."""
    return settings.SITE_URL + reverse("portal:verify_token", args=[token])


def _passphrase(owner: str) -> str:
    key = settings.SECRET_KEY.encode()
    return hmac.new(key, f"haicap-result-key:{owner}".encode(), hashlib.sha256).hexdigest()


def _ca_available() -> None:
    try:
        load_ca()
    except NotFound:
        if settings.SIGNING_TRUST_ROOTS:
            raise Invalid(
                _("There is no local certificate authority yet; run `haicap ca init`.")
            ) from None
        init_ca(organisation="haicap")  # demos: the local CA made on first use


def _title_of(user: AbstractBaseUser, unit: AdminUnit) -> str:
    leads = RoleAssignment.objects.filter(user_id=user.pk, role=Role.LEADER).exists()
    return ("Lãnh đạo " if leads else "Cán bộ ") + unit.name


def signing_key(user: AbstractBaseUser | None, unit: AdminUnit) -> tuple[SigningKey, str]:
    """The certificate that signs for ``user`` (or the unit), issued on first use."""
    owner = f"user:{user.pk}" if user is not None else f"unit:{unit.pk}"
    keys = SigningKey.objects.filter(not_after__gt=timezone.now())
    keys = keys.filter(user_id=user.pk) if user is not None else keys.filter(user=None, unit=unit)
    found = keys.order_by("-created_at").first()
    if found is not None:
        return found, _passphrase(owner)
    _ca_available()
    if user is not None:
        name = str(getattr(user, "get_full_name", lambda: "")() or user.get_username())[:64]
        title = _title_of(user, unit)[:64]
    else:
        name, title = f"UBND {unit.name}"[:64], "Cơ quan giải quyết"
    issued = issue_signer(
        load_ca(),
        name=name,
        title=title,
        organisation=f"UBND {unit.name}"[:64],
        passphrase=_passphrase(owner),
    )
    certificate = load_certificates(issued.certificate_pem)[0]
    made = SigningKey.objects.create(
        user_id=user.pk if user is not None else None,
        unit=None if user is not None else unit,
        certificate_pem=issued.certificate_pem,
        key_pem=issued.key_pem,
        chain_pem=issued.chain_pem,
        serial=f"{issued.serial:X}"[:60],
        fingerprint=issued.fingerprint,
        not_after=certificate.not_valid_after_utc,
    )
    return made, _passphrase(owner)


# Loaded signers by key: loading one checks the RSA key (about 60 ms), so each process
# keeps the few it uses, as docs/signing.md advises for signing in bulk.
_LOADED: dict[tuple[int, str], Signer] = {}


def signer_for(user: AbstractBaseUser | None, unit: AdminUnit) -> Signer:
    key, passphrase = signing_key(user, unit)
    cached = _LOADED.get((key.pk, key.fingerprint))
    if cached is not None:
        return cached
    signer = load_signer(
        bytes(key.certificate_pem),
        bytes(key.key_pem),
        passphrase=passphrase,
        chain_pem=bytes(key.chain_pem),
    )
    if len(_LOADED) >= 64:
        _LOADED.clear()
    _LOADED[(key.pk, key.fingerprint)] = signer
    return signer


def decider(dossier: Dossier) -> AbstractBaseUser | None:
    """The person who approved or refused the dossier (the leader), if a person did."""
    event = (
        dossier.events.filter(action__in=("approve", "reject"), actor__isnull=False)
        .select_related("actor")
        .order_by("-seq")
        .first()
    )
    return event.actor if event is not None else None


def render_notice(dossier: Dossier, token: str, note: str) -> bytes:
    """The result notice: what was decided, with the QR code of its verification page."""
    from weasyprint import HTML

    url = verify_url(token)
    context = {
        "dossier": dossier,
        "centre": dossier.receiving_centre,
        "title": TITLE,
        "note": note,
        "verify_url": url,
        "qr": qr_svg(url),
        "now": timezone.now().astimezone(ZONE),
    }
    with translation.override("vi"):
        html = render_to_string("dossiers/pdf/result_notice.html", context)
    pdf: bytes = HTML(string=html, base_url=str(settings.PACKAGE_DIR)).write_pdf()
    return pdf


def sign_result(
    dossier: Dossier, content: bytes, *, name: str, original_name: str, signer: Signer
) -> SignedResult:
    token = secrets.token_urlsafe(16)
    signed = _outside_event_loop(
        lambda: sign_pdf(
            content,
            signer,
            reason=f"Ký kết quả giải quyết hồ sơ {dossier.code}"[:200],
            location=dossier.responsible_unit.name[:200],
            field_name="KetQua",
            stamp=STAMP,
        )
    )
    upload = Upload(name, original_name, signed, "application/pdf", ".pdf")
    return SignedResult(upload, token, signer, timezone.now())


def _outside_event_loop(call: Callable[[], bytes]) -> bytes:
    """pyHanko runs its own asyncio loop, which a thread already running one (an async
    caller, Playwright in the browser tests) forbids: sign on a worker thread then."""
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return call()
    with ThreadPoolExecutor(1) as pool:
        return pool.submit(call).result()


def signed_results(dossier: Dossier, uploads: list[Upload], note: str) -> list[SignedResult]:
    """The result notice and every uploaded PDF, signed; other uploads are kept as they are."""
    signer = signer_for(decider(dossier), dossier.responsible_unit)
    token = secrets.token_urlsafe(16)
    notice = sign_result(
        dossier,
        render_notice(dossier, token, note),
        name=TITLE,
        original_name=f"ket-qua-{dossier.code}.pdf",
        signer=signer,
    )
    results = [SignedResult(notice.upload, token, signer, notice.signed_at)]
    for upload in uploads:
        if upload.content_type == "application/pdf":
            results.append(
                sign_result(
                    dossier,
                    upload.content,
                    name=upload.name,
                    original_name=upload.original_name,
                    signer=signer,
                )
            )
    return results


def record_signatures(papers: list[DossierPaper], results: list[SignedResult]) -> None:
    """The signature rows of the stored papers (same order as ``results``)."""
    ResultSignature.objects.bulk_create(
        ResultSignature(
            paper=paper,
            token=result.token,
            signer_name=result.signer.name[:200],
            signer_title=result.signer.title[:200],
            organisation=result.signer.organisation[:200],
            certificate_serial=f"{result.signer.certificate.serial_number:X}"[:60],
            signed_at=result.signed_at,
        )
        for paper, result in zip(papers, results, strict=True)
    )
