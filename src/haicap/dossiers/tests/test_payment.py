"""Fees paid online through the gateway's signed callbacks, and at the counter."""

from __future__ import annotations

import time
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.test import Client

from haicap.core.actors import SYSTEM
from haicap.core.errors import Conflict, Forbidden, Invalid, NotFound
from haicap.core.models import AuditEvent
from haicap.dossiers import actions, fee_receipt, payment_callback, sandbox
from haicap.dossiers.gateway import SUCCESS, Expired, sign, signed_callback
from haicap.dossiers.models import Dossier, Payment, PaymentStatus, Status

RESIDENCE = "HCP.CTR.001"  # đăng ký tạm trú: 15.000đ at the counter, 7.000đ online
URLS = {"return_url": "http://testserver/return/", "notify_url": "http://testserver/cb/"}


def _start(dossier: Dossier) -> Payment:
    return actions.do_start_online_payment(dossier, actor=SYSTEM, **URLS)


def _callback(payment: Payment, **overrides: Any) -> dict[str, str]:
    fields = signed_callback(
        order_id=payment.reference,
        transaction_id=payment.gateway_transaction,
        amount=payment.amount,
        status=SUCCESS,
    )
    return {**fields, **overrides}


@pytest.fixture
def dossier(make_dossier: Any, alice: User) -> Dossier:
    made: Dossier = make_dossier(alice, procedure=RESIDENCE)
    assert made.fee == 15000
    assert not made.fee_paid
    return made


def _snapshot(dossier: Dossier) -> tuple[Any, ...]:
    fresh = Dossier.objects.get(pk=dossier.pk)
    payments = list(Payment.objects.filter(dossier=dossier).values_list("status", "paid_at"))
    return fresh.version, fresh.fee_paid, fresh.status, payments


def test_a_good_callback_pays_the_fee_once(dossier: Dossier) -> None:
    payment = _start(dossier)
    assert payment.status == PaymentStatus.PENDING
    assert payment.amount == 15000
    assert "/payments/sandbox/" in payment.redirect_url
    assert _start(dossier).pk == payment.pk  # a second click makes no second transaction
    paid = payment_callback.handle(_callback(payment))
    assert paid.status == PaymentStatus.PAID
    assert paid.receipt_number
    fresh = Dossier.objects.get(pk=dossier.pk)
    assert fresh.fee_paid
    assert fresh.payment_method == "online"
    assert fresh.status == Status.ACCEPTED  # paying does not move the dossier
    last = fresh.events.order_by("-seq").first()
    assert last is not None
    assert last.action == "pay"
    assert AuditEvent.objects.filter(verb="payment.paid", subject_id=payment.reference).exists()


def test_a_replayed_callback_is_refused_and_changes_nothing(dossier: Dossier) -> None:
    payment = _start(dossier)
    fields = _callback(payment)
    payment_callback.handle(fields)
    before = _snapshot(dossier)
    with pytest.raises(Conflict):
        payment_callback.handle(fields)
    failed = _callback(payment, status="24")
    failed["signature"] = sign({k: v for k, v in failed.items() if k != "signature"})
    with pytest.raises(Conflict):
        payment_callback.handle(failed)
    assert _snapshot(dossier) == before


def test_a_forged_callback_is_refused_and_changes_nothing(dossier: Dossier) -> None:
    payment = _start(dossier)
    before = _snapshot(dossier)
    with pytest.raises(Forbidden):
        payment_callback.handle(_callback(payment, signature="0" * 64))
    fields = _callback(payment)
    fields["signature"] = sign({k: v for k, v in fields.items() if k != "signature"}, b"other")
    with pytest.raises(Forbidden):  # signed with another key
        payment_callback.handle(fields)
    with pytest.raises(Forbidden):  # a changed field breaks the signature
        payment_callback.handle(_callback(payment, amount="1"))
    with pytest.raises(Invalid):
        payment_callback.handle({**_callback(payment), "extra": "x"})
    assert _snapshot(dossier) == before


def test_an_old_callback_is_refused(dossier: Dossier) -> None:
    payment = _start(dossier)
    old = signed_callback(
        order_id=payment.reference,
        transaction_id=payment.gateway_transaction,
        amount=payment.amount,
        status=SUCCESS,
        at=time.time() - 3600,
    )
    with pytest.raises(Expired):
        payment_callback.handle(old)
    assert Payment.objects.get(pk=payment.pk).status == PaymentStatus.PENDING


def test_an_amount_other_than_asked_is_refused(dossier: Dossier) -> None:
    payment = _start(dossier)
    before = _snapshot(dossier)
    wrong = signed_callback(
        order_id=payment.reference,
        transaction_id=payment.gateway_transaction,
        amount=1000,
        status=SUCCESS,
    )
    with pytest.raises(Invalid) as raised:
        payment_callback.handle(wrong)
    assert raised.value.code == "amount_mismatch"
    unknown = signed_callback(
        order_id="HCNOPE", transaction_id="x", amount=payment.amount, status=SUCCESS
    )
    with pytest.raises(NotFound):
        payment_callback.handle(unknown)
    assert _snapshot(dossier) == before


def test_a_failed_payment_leaves_the_fee_unpaid_and_a_new_one_can_start(dossier: Dossier) -> None:
    payment = _start(dossier)
    delivered = sandbox.complete(payment.gateway_transaction, succeeded=False)
    assert delivered.status == 200
    assert Payment.objects.get(pk=payment.pk).status == PaymentStatus.FAILED
    assert not Dossier.objects.get(pk=dossier.pk).fee_paid
    again = _start(dossier)
    assert again.pk != payment.pk
    assert sandbox.complete(again.gateway_transaction, succeeded=True).status == 200
    assert Dossier.objects.get(pk=dossier.pk).fee_paid
    with pytest.raises(Conflict):
        _start(dossier)


def test_the_callback_view_answers_4xx_to_a_forgery_and_200_once(dossier: Dossier) -> None:
    payment = _start(dossier)
    client = Client()
    assert client.post("/payments/callback/", _callback(payment, signature="x")).status_code == 403
    good = _callback(payment)
    answer = client.post("/payments/callback/", good)
    assert answer.status_code == 200
    assert answer.json()["status"] == "paid"
    replay = client.post("/payments/callback/", good)
    assert replay.status_code == 409
    assert replay.json()["error"]["code"] == "replayed"
    nul = client.post("/payments/callback/", {**good, "order_id": "HC\x00"})
    assert nul.status_code == 400
    assert nul.json()["error"]["message"]  # JSON for the gateway, as the view's own errors


def test_the_sandbox_answers_status_queries(dossier: Dossier) -> None:
    payment = _start(dossier)
    gateway = sandbox.SandboxGateway()
    assert gateway.query(payment.reference).status == "pending"
    sandbox.complete(payment.gateway_transaction, succeeded=True)
    assert gateway.query(payment.reference).status == SUCCESS


def test_a_requested_payment_paid_online_resumes_the_dossier(dossier: Dossier, alice: User) -> None:
    asked = actions.do_request_payment(dossier, amount=20000, actor=alice)
    assert asked.status == Status.PAYMENT_REQUESTED
    payment = _start(asked)
    assert payment.amount == 20000
    payment_callback.handle(_callback(payment))
    fresh = Dossier.objects.get(pk=dossier.pk)
    assert fresh.fee_paid
    assert fresh.status == Status.ACCEPTED


def test_the_counter_records_cash_with_a_receipt(
    dossier: Dossier, alice: User, carol: User, frank: User
) -> None:
    with pytest.raises(Forbidden):  # another commune's receiver
        actions.do_record_counter_payment(dossier, method="cash", actor=carol)
    with pytest.raises(Forbidden):  # the auditor reads, never acts
        actions.do_record_counter_payment(dossier, method="cash", actor=frank)
    with pytest.raises(Invalid):
        actions.do_record_counter_payment(dossier, method="bitcoin", actor=alice)
    payment = actions.do_record_counter_payment(dossier, method="cash", actor=alice)
    assert payment.status == PaymentStatus.PAID
    assert payment.amount == 15000
    with pytest.raises(Conflict):
        actions.do_record_counter_payment(dossier, method="cash", actor=alice)
    pdf = fee_receipt.render(payment)
    assert pdf.startswith(b"%PDF")


def test_an_online_payment_settled_after_the_counter_took_the_fee_is_owed_back(
    dossier: Dossier, alice: User
) -> None:
    online = _start(dossier)  # the citizen opens the gateway's page, then pays at the desk
    cash = actions.do_record_counter_payment(dossier, method="cash", actor=alice)
    late = payment_callback.handle(_callback(online))  # and then presses "pay" online too
    assert late.status == PaymentStatus.REFUND
    assert not late.receipt_number  # one receipt for one fee
    assert Payment.objects.filter(dossier=dossier, status=PaymentStatus.PAID).get() == cash
    fresh = Dossier.objects.get(pk=dossier.pk)
    assert fresh.payment_method == "cash"
    assert AuditEvent.objects.filter(
        verb="payment.refund_due", subject_id=online.reference
    ).exists()
    with pytest.raises(Conflict):  # settled: a replay changes nothing
        payment_callback.handle(_callback(online))


def test_amounts_in_words() -> None:
    assert fee_receipt.in_words(7000) == "Bảy nghìn đồng"
    assert fee_receipt.in_words(15000) == "Mười lăm nghìn đồng"
    assert fee_receipt.in_words(200000) == "Hai trăm nghìn đồng"
    assert (
        fee_receipt.in_words(1_250_005)
        == "Một triệu hai trăm năm mươi nghìn không trăm linh năm đồng"
    )
    assert fee_receipt.in_words(21) == "Hai mươi mốt đồng"
