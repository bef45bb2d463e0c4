"""A sandbox payment gateway inside haicap, speaking the national platform's protocol.

It keeps its own transactions (``SandboxTransaction``), shows its own payment page
(``sandbox_views.py``: the payer chooses success or failure), then sends haicap a signed
callback exactly as the real gateway would: in the same process through the callback's
handler (``direct``, the default), or as a real HTTP POST to the notify address (``http``).
It is for demos and tests only; nothing is paid.
"""

from __future__ import annotations

import secrets
import urllib.parse
import urllib.request
from dataclasses import dataclass

from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from haicap.core.errors import Conflict, DomainError, NotFound
from haicap.dossiers.gateway import SUCCESS, Created, Status, signed_callback
from haicap.dossiers.models import SandboxTransaction

FAILED = "24"  # the payer cancelled


class SandboxGateway:
    name = "sandbox"

    def create(
        self, *, order_id: str, amount: int, description: str, return_url: str, notify_url: str
    ) -> Created:
        made = SandboxTransaction.objects.create(
            transaction_id=f"SB{secrets.token_hex(8).upper()}",
            merchant=settings.PAYMENT_MERCHANT,
            order_id=order_id,
            amount=amount,
            description=description[:300],
            return_url=return_url[:500],
            notify_url=notify_url[:500],
        )
        return Created(made.transaction_id, reverse("sandbox_pay", args=[made.transaction_id]))

    def query(self, order_id: str) -> Status:
        made = SandboxTransaction.objects.filter(order_id=order_id).order_by("-created_at").first()
        if made is None:
            raise NotFound(_("The gateway has no such order."))
        status = {"success": SUCCESS, "failed": FAILED}.get(made.status, "pending")
        return Status(made.order_id, made.transaction_id, made.amount, status)


@dataclass(frozen=True)
class Delivered:
    """What became of the callback, and where the payer goes next."""

    status: int
    return_url: str


def transaction_of(transaction_id: str) -> SandboxTransaction:
    found = SandboxTransaction.objects.filter(transaction_id=transaction_id).first()
    if found is None:
        raise NotFound(_("The gateway has no such transaction."))
    return found


def complete(transaction_id: str, *, succeeded: bool) -> Delivered:
    """The payer chose on the sandbox's page: settle the transaction and call haicap back."""
    with transaction.atomic():
        made = SandboxTransaction.objects.select_for_update().get(
            pk=transaction_of(transaction_id).pk
        )
        if made.status != "pending":
            raise Conflict(_("This transaction is already finished."))
        made.status = "success" if succeeded else "failed"
        made.completed_at = timezone.now()
        made.save(update_fields=["status", "completed_at"])
    fields = signed_callback(
        order_id=made.order_id,
        transaction_id=made.transaction_id,
        amount=made.amount,
        status=SUCCESS if succeeded else FAILED,
    )
    status = deliver(made.notify_url, fields)
    separator = "&" if "?" in made.return_url else "?"
    return Delivered(status, f"{made.return_url}{separator}{urllib.parse.urlencode(fields)}")


def deliver(notify_url: str, fields: dict[str, str]) -> int:
    """Post the callback; the HTTP status haicap answered."""
    if settings.PAYMENT_SANDBOX_CALLBACK == "http":
        request = urllib.request.Request(  # noqa: S310 - the notify URL is haicap's own
            notify_url, data=urllib.parse.urlencode(fields).encode(), method="POST"
        )
        try:
            with urllib.request.urlopen(request, timeout=10) as response:  # noqa: S310
                return int(response.status)
        except urllib.error.HTTPError as exc:
            return int(exc.code)
    from haicap.dossiers.payment_callback import handle

    try:
        handle(fields)
    except DomainError as exc:
        return exc.status
    return 200
