"""The gateway's callback endpoint, and the sandbox gateway's own payment page."""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from haicap.core.errors import DomainError
from haicap.dossiers import payment_callback, sandbox


@csrf_exempt  # posted by the gateway, not a browser; the HMAC signature is the check
@require_POST
def callback(request: HttpRequest) -> JsonResponse:
    """The gateway tells haicap how a payment ended; 4xx and nothing changed if it is wrong."""
    try:
        payment = payment_callback.handle(request.POST.dict())
    except DomainError as exc:
        return JsonResponse({"error": exc.as_dict()}, status=exc.status)
    return JsonResponse({"code": "00", "reference": payment.reference, "status": payment.status})


def pay(request: HttpRequest, transaction_id: str) -> HttpResponse:
    """The sandbox's page: what is being paid, and a choice of outcome."""
    try:
        made = sandbox.transaction_of(transaction_id)
    except DomainError as exc:
        raise Http404(exc.message) from exc
    if request.method == "POST":
        choice = request.POST.get("outcome")
        if choice not in {"success", "failure"}:
            return render(
                request, "dossiers/sandbox_pay.html", {"txn": made, "error": True}, status=400
            )
        try:
            delivered = sandbox.complete(transaction_id, succeeded=choice == "success")
        except DomainError:
            return redirect(made.return_url)
        return redirect(delivered.return_url)
    return render(request, "dossiers/sandbox_pay.html", {"txn": made})
