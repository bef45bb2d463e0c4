"""Fees: asking for payment, paying online through the gateway, and paying at the counter.

A fee is paid once. Every payment is a ``Payment`` row (the receipt's source); the dossier's
``fee_paid`` changes with it in the same transaction, through the state machine when the
dossier waits in status 6 (payment requested), else as a "pay" event that leaves the status.
"""

from __future__ import annotations

import datetime as dt
import secrets
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from haicap.core import audit
from haicap.core.actors import Actor, is_system
from haicap.core.errors import Conflict, Forbidden, Invalid, NotFound
from haicap.dossiers import access, history
from haicap.dossiers.actions.transition import transition
from haicap.dossiers.gateway import Callback, gateway
from haicap.dossiers.models import (
    FINAL_STATUSES,
    Dossier,
    Payment,
    PaymentMethod,
    PaymentStatus,
    Status,
)

COUNTER_METHODS = (PaymentMethod.CASH, PaymentMethod.TRANSFER)


def do_request_payment(
    dossier: Dossier,
    *,
    amount: int | None,
    actor: Actor,
    note: str = "",
    version: int | None = None,
    at: dt.datetime | None = None,
) -> Dossier:
    """Ask the citizen to pay the fee or financial obligation (status 6)."""
    if amount is not None and amount < 0:
        raise Invalid(_("The amount cannot be negative."), field="amount")
    if amount is not None and amount > 2_000_000_000:
        raise Invalid(_("The amount is too large."), field="amount")

    def compute(d: Dossier, now: dt.datetime) -> dict[str, Any]:
        return {
            "status": Status.PAYMENT_REQUESTED,
            "resume_status": d.status,
            "fee": d.fee if amount is None else amount,
            "fee_paid": False,
        }

    return transition(
        dossier, "request_payment", compute, actor=actor, version=version, at=at, note=note.strip()
    )


def do_record_payment(
    dossier: Dossier,
    *,
    method: str,
    actor: Actor,
    version: int | None = None,
    at: dt.datetime | None = None,
    by_citizen: bool = False,
) -> Dossier:
    """The requested payment was received (status 6 back to where it was), with its receipt."""
    if method not in PaymentMethod.values:
        raise Invalid(_("The payment method is cash, transfer or online."), field="method")
    with transaction.atomic():
        updated = _paid_transition(
            dossier, method, actor=actor, version=version, at=at, by_citizen=by_citizen
        )
        if method != PaymentMethod.ONLINE:
            _counter_payment(updated, method, actor=actor, at=updated.paid_at)
    return updated


def _paid_transition(
    dossier: Dossier,
    method: str,
    *,
    actor: Actor,
    version: int | None,
    at: dt.datetime | None,
    by_citizen: bool,
) -> Dossier:
    def compute(d: Dossier, now: dt.datetime) -> dict[str, Any]:
        return {
            "status": d.resume_status or Status.PROCESSING,
            "resume_status": None,
            "fee_paid": True,
            "paid_at": now,
            "payment_method": method,
        }

    return transition(
        dossier,
        "record_payment",
        compute,
        actor=actor,
        version=version,
        at=at,
        data={"method": method},
        by_citizen=by_citizen,
    )


def _locked(dossier: Dossier) -> Dossier:
    return Dossier.objects.select_for_update().select_related("procedure").get(pk=dossier.pk)


def _payable(dossier: Dossier) -> None:
    if dossier.fee_paid:
        raise Conflict(_("The fee of this dossier has already been paid."), code="already_paid")
    if dossier.fee <= 0:
        raise Conflict(_("This dossier has no fee to pay."), code="no_fee")
    if dossier.status in FINAL_STATUSES:
        raise Conflict(_("This dossier is closed; its fee can no longer be paid."))


def _mark_paid(dossier: Dossier, method: str, *, actor: Actor, at: dt.datetime) -> Dossier:
    """The dossier's fee is paid: through the state machine in status 6, else a "pay" event."""
    if dossier.status == Status.PAYMENT_REQUESTED:
        return _paid_transition(dossier, method, actor=actor, version=None, at=at, by_citizen=True)
    history.record(
        dossier,
        "pay",
        actor=actor,
        at=at,
        from_status=dossier.status,
        changes={"fee_paid": True, "paid_at": at, "payment_method": method},
        data={"method": method},
    )
    return dossier


def _receipt_number(payment: Payment, at: dt.datetime) -> str:
    return f"{timezone.localtime(at):%Y}-{payment.pk:07d}"


def _counter_payment(dossier: Dossier, method: str, *, actor: Actor, at: Any) -> Payment:
    moment = at or timezone.now()
    payment = Payment.objects.create(
        dossier=dossier,
        reference=_reference(),
        method=method,
        amount=dossier.fee,
        status=PaymentStatus.PAID,
        created_by_label=_who(actor),
        created_at=moment,
        paid_at=moment,
    )
    payment.receipt_number = _receipt_number(payment, moment)
    payment.save(update_fields=["receipt_number"])
    _audit(payment, "payment.paid", actor)
    return payment


def do_record_counter_payment(dossier: Dossier, *, method: str, actor: Actor) -> Payment:
    """An officer took the fee at the counter in cash or by transfer; the receipt follows."""
    if method not in COUNTER_METHODS:
        raise Invalid(_("At the counter the fee is paid in cash or by transfer."), field="method")
    with transaction.atomic():
        locked = _locked(dossier)
        if not is_system(actor) and not access.may_act(actor, locked, "record_payment"):
            raise Forbidden(_("Your role does not allow this action on this dossier."))
        _payable(locked)
        now = timezone.now()
        _mark_paid(locked, method, actor=actor, at=now)
        return _counter_payment(locked, method, actor=actor, at=now)


def _who(actor: Actor) -> str:
    """The full name printed on the receipt (the username when there is none)."""
    if not is_system(actor) and not getattr(actor, "is_authenticated", False):
        return str(_("The applicant, online"))
    full = getattr(actor, "get_full_name", lambda: "")()
    return str(full or audit.actor_label(actor))[:150]


def _reference() -> str:
    return f"HC{timezone.localdate():%y%m%d}{secrets.token_hex(6).upper()}"


def do_start_online_payment(
    dossier: Dossier, *, actor: Actor, return_url: str, notify_url: str
) -> Payment:
    """A transaction at the gateway for the dossier's fee; the citizen is sent to pay there.

    A payment already waiting for the citizen is given again, so a second click makes none.
    """
    with transaction.atomic():
        locked = _locked(dossier)
        _payable(locked)
        waiting = (
            Payment.objects.filter(
                dossier=locked,
                method=PaymentMethod.ONLINE,
                status=PaymentStatus.PENDING,
                amount=locked.fee,
                created_at__gt=timezone.now() - dt.timedelta(minutes=15),
            )
            .order_by("-created_at")
            .first()
        )
        if waiting is not None:
            return waiting
        reference = _reference()
        chosen = gateway()
        created = chosen.create(
            order_id=reference,
            amount=locked.fee,
            description=f"Lệ phí hồ sơ {locked.code}",
            return_url=return_url.replace("{reference}", reference),
            notify_url=notify_url,
        )
        payment = Payment.objects.create(
            dossier=locked,
            reference=reference,
            method=PaymentMethod.ONLINE,
            gateway=chosen.name,
            gateway_transaction=created.transaction_id,
            redirect_url=created.redirect_url,
            amount=locked.fee,
            status=PaymentStatus.PENDING,
            created_by_label=_who(actor),
        )
        _audit(payment, "payment.start", actor)
    return payment


def do_apply_callback(callback: Callback, *, actor: Actor) -> Payment:
    """The gateway's (checked) word on a payment: paid or failed, once.

    A callback for a payment no longer pending is a replay (Conflict); an amount other than the
    one asked for is refused (Invalid). Either way nothing changes.
    """
    with transaction.atomic():
        payment = Payment.objects.select_for_update().filter(reference=callback.order_id).first()
        if payment is None or payment.method != PaymentMethod.ONLINE:
            raise NotFound(_("No payment has this reference."))
        if callback.transaction_id != payment.gateway_transaction:
            raise Invalid(_("The callback names another transaction."), code="bad_callback")
        if payment.status != PaymentStatus.PENDING:
            raise Conflict(_("This payment has already been settled."), code="replayed")
        if callback.amount != payment.amount:
            raise Invalid(_("The amount paid is not the amount asked for."), code="amount_mismatch")
        now = timezone.now()
        if not callback.succeeded:
            payment.status = PaymentStatus.FAILED
            payment.failure_reason = callback.status[:200]
            payment.save(update_fields=["status", "failure_reason"])
            _audit(payment, "payment.failed", actor)
            return payment
        dossier = _locked(payment.dossier)
        payment.paid_at = now
        if dossier.fee_paid:
            # Paid already (at the counter while this one was open): the money is owed back.
            payment.status = PaymentStatus.REFUND
            payment.save(update_fields=["status", "paid_at"])
            _audit(payment, "payment.refund_due", actor)
            return payment
        payment.status = PaymentStatus.PAID
        payment.receipt_number = _receipt_number(payment, now)
        payment.save(update_fields=["status", "paid_at", "receipt_number"])
        _mark_paid(dossier, PaymentMethod.ONLINE, actor=actor, at=now)
        _audit(payment, "payment.paid", actor)
    return payment


def do_reconcile_payment(payment: Payment, *, actor: Actor) -> Payment:
    """Ask the gateway how a pending payment ended (its callback is late) and apply it."""
    if payment.status != PaymentStatus.PENDING or payment.method != PaymentMethod.ONLINE:
        return payment
    answer = gateway().query(payment.reference)
    if answer.status == "pending":
        return payment
    try:
        return do_apply_callback(
            Callback(answer.order_id, answer.transaction_id, answer.amount, answer.status),
            actor=actor,
        )
    except Conflict:  # the callback came in the meantime
        return Payment.objects.get(pk=payment.pk)


def _audit(payment: Payment, verb: str, actor: Actor) -> None:
    audit.record(
        verb,
        actor=actor,
        subject_type="payment",
        subject_id=payment.reference,
        unit_id=payment.dossier.responsible_unit_id,
        after={
            "dossier": payment.dossier.code,
            "amount": payment.amount,
            "method": payment.method,
            "status": payment.status,
        },
    )
