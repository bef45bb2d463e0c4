"""Paying a dossier's fee online: the payment step, the return from the gateway, receipts."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _

from haicap.core import audit
from haicap.core.actors import SYSTEM
from haicap.core.errors import DomainError
from haicap.dossiers import fee_receipt
from haicap.dossiers.actions import do_reconcile_payment, do_start_online_payment
from haicap.dossiers.gateway import verify_callback
from haicap.dossiers.models import FINAL_STATUSES, Dossier, Payment, PaymentStatus
from haicap.portal import access

SESSION_KEY = "portal:payment-secrets"


def _dossier(request: HttpRequest, code: str) -> tuple[Dossier, str]:
    """By the secret given (or kept in the session while paying), or as its signed-in owner."""
    kept: dict[str, str] = request.session.get(SESSION_KEY, {})
    secret = request.POST.get("secret") or request.GET.get("secret") or kept.get(code, "")
    try:
        return access.dossier_for(request, code, secret), secret
    except DomainError as exc:
        raise Http404(exc.message) from exc


def _keep_secret(request: HttpRequest, code: str, secret: str) -> None:
    if secret:
        kept = dict(request.session.get(SESSION_KEY, {}))
        kept[code] = secret
        request.session[SESSION_KEY] = dict(list(kept.items())[-10:])


def _context(dossier: Dossier, secret: str) -> dict[str, Any]:
    return {
        "dossier": dossier,
        "secret": secret,
        "payments": list(dossier.payments.order_by("-created_at")[:20]),
        "payable": dossier.fee > 0
        and not dossier.fee_paid
        and dossier.status not in FINAL_STATUSES,
        "back": _back_url(dossier, secret),
    }


def payment_url(code: str, secret: str) -> str:
    """The payment step of a dossier, opened with its secret."""
    return f"{reverse('portal:payment', args=[code])}?{urlencode({'secret': secret})}"


def _back_url(dossier: Dossier, secret: str) -> str:
    if secret:
        from haicap.portal.views.tracking import lookup_url

        return lookup_url(dossier.code, secret)
    return reverse("portal:my_dossier", args=[dossier.code])


def payment_page(request: HttpRequest, code: str) -> HttpResponse:
    """The payment step: the fee, pay online, and the receipts of what was paid."""
    dossier, secret = _dossier(request, code)
    if request.method == "POST":
        _keep_secret(request, code, secret)
        try:
            payment = do_start_online_payment(
                dossier,
                actor=request.user,
                return_url=request.build_absolute_uri(
                    reverse("portal:payment_return", args=[dossier.code])
                ),
                notify_url=request.build_absolute_uri(reverse("payment_callback")),
            )
        except DomainError as exc:
            messages.error(request, exc.message)
            return render(request, "portal/payment.html", _context(dossier, secret), status=409)
        return redirect(payment.redirect_url)
    return render(request, "portal/payment.html", _context(dossier, secret))


def payment_return(request: HttpRequest, code: str) -> HttpResponse:
    """The gateway sends the payer back: say how the payment went (the callback decides).

    The payer may not be the one who filed (a QR code scanned at the counter), so the answer
    needs only the signed return fields; the payment page follows for whoever may see it.
    """
    try:
        returned = verify_callback(_fields(request))
    except DomainError:
        messages.error(request, _("The payment gateway's answer could not be checked."))
        return render(request, "portal/payment_done.html", {"payment": None}, status=400)
    payment = (
        Payment.objects.select_related("dossier")
        .filter(reference=returned.order_id, dossier__code=code)
        .first()
    )
    if payment is None:
        raise Http404
    payment = do_reconcile_payment(payment, actor=SYSTEM)
    if payment.status == PaymentStatus.PAID:
        messages.success(request, _("The fee has been paid. Thank you."))
    elif payment.status == PaymentStatus.REFUND:
        messages.warning(
            request,
            _(
                "The fee had already been paid: this payment is recorded as owed back to you, "
                "and the centre will refund it."
            ),
        )
    elif payment.status == PaymentStatus.FAILED:
        messages.error(request, _("The payment did not go through; nothing was charged."))
    else:
        messages.info(request, _("The payment is being confirmed; reload this page shortly."))
    try:
        _dossier(request, code)
    except Http404:
        return render(request, "portal/payment_done.html", {"payment": payment})
    return redirect("portal:payment", code=code)


def _fields(request: HttpRequest) -> dict[str, str]:
    return {key: str(value) for key, value in request.GET.items() if key != "secret"}


def receipt(request: HttpRequest, code: str, reference: str) -> HttpResponse:
    """The receipt (biên lai) of a paid fee, as a PDF; downloads are audited."""
    dossier, _secret = _dossier(request, code)
    payment = Payment.objects.filter(dossier=dossier, reference=reference).first()
    if payment is None or payment.status != PaymentStatus.PAID:
        raise Http404
    payment.dossier = dossier
    audit.record(
        "dossier.fee_receipt_download",
        actor=request.user,
        subject_type="dossier",
        subject_id=dossier.code,
        unit_id=dossier.responsible_unit_id,
    )
    response = HttpResponse(fee_receipt.render(payment), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="bien-lai-{payment.receipt_number}.pdf"'
    return response
