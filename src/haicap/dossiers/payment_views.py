"""The counter's payment page: take the fee in cash or by transfer, or start an online payment
the citizen completes on their phone (a QR code of the gateway's page); the receipts."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from haicap.core import audit
from haicap.core.errors import DomainError
from haicap.dossiers import fee_receipt
from haicap.dossiers.access import get_dossier_for, may_act
from haicap.dossiers.actions import do_record_counter_payment, do_start_online_payment
from haicap.dossiers.documents import qr_svg
from haicap.dossiers.models import FINAL_STATUSES, Dossier, Payment, PaymentStatus
from haicap.staff.http import officers_only

staff_required = officers_only()


def _dossier(request: HttpRequest, code: str, *, audit_read: bool = True) -> Dossier:
    try:
        return get_dossier_for(request.user, code, audit_read=audit_read)
    except DomainError as exc:
        raise Http404(exc.message) from exc


@staff_required
def payment_page(request: HttpRequest, code: str) -> HttpResponse:
    dossier = _dossier(request, code)
    payments = list(dossier.payments.order_by("-created_at")[:20])
    waiting = next(
        (p for p in payments if p.status == PaymentStatus.PENDING and p.redirect_url), None
    )
    pay_link = request.build_absolute_uri(waiting.redirect_url) if waiting else ""
    return render(
        request,
        "dossiers/staff/payment.html",
        {
            "dossier": dossier,
            "payments": payments,
            "payable": dossier.fee > 0
            and not dossier.fee_paid
            and dossier.status not in FINAL_STATUSES,
            "may_take": may_act(request.user, dossier, "record_payment"),
            "pay_link": pay_link,
            "pay_qr": qr_svg(pay_link) if pay_link else "",
        },
    )


@staff_required
@require_POST
def take_payment(request: HttpRequest, code: str) -> HttpResponse:
    dossier = _dossier(request, code, audit_read=False)
    method = request.POST.get("method", "")
    try:
        if method == "online":
            do_start_online_payment(
                dossier,
                actor=request.user,
                return_url=request.build_absolute_uri(
                    reverse("portal:payment_return", args=[dossier.code])
                ),
                notify_url=request.build_absolute_uri(reverse("payment_callback")),
            )
            messages.success(request, _("The online payment is ready: the citizen scans the code."))
        else:
            payment = do_record_counter_payment(dossier, method=method, actor=request.user)
            messages.success(
                request,
                _("The fee was recorded; receipt %(number)s.") % {"number": payment.receipt_number},
            )
    except DomainError as exc:
        messages.error(request, exc.message)
    return redirect("staff:payment", code=dossier.code)


@staff_required
def receipt(request: HttpRequest, code: str, reference: str) -> HttpResponse:
    dossier = _dossier(request, code, audit_read=False)
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
