"""Paying a fee on the portal through the sandbox gateway; the counter's payment page."""

from __future__ import annotations

from typing import Any

import pytest
from django.contrib.auth.models import User
from django.test import Client

from haicap.conftest import APPLICANT, BA_DINH, HANOI, PASSWORD, example_form, example_papers
from haicap.dossiers.models import Dossier, Payment, PaymentStatus
from haicap.dossiers.papers import Upload
from haicap.portal.actions import do_register_citizen, do_save_draft
from haicap.portal.models import Draft
from haicap.procedures.models import Procedure
from haicap.units.models import ServiceCenter

RESIDENCE = "HCP.CTR.001"  # 7.000đ online


def _draft(user: Any = None) -> Draft:
    return do_save_draft(
        draft=None,
        procedure=Procedure.objects.get(code=RESIDENCE),
        centre=ServiceCenter.objects.select_related("unit", "unit__province").get(
            code=f"H{HANOI}.{BA_DINH}"
        ),
        applicant=APPLICANT,
        uploads=[Upload("Tờ khai", "to-khai.pdf", b"%PDF-1.4\n%%EOF\n", "application/pdf", ".pdf")],
        user=user,
        session_key="",
        form_values=example_form(RESIDENCE),
        **example_papers(RESIDENCE),
    )


@pytest.fixture
def owner(db: Any) -> User:
    return do_register_citizen(
        email="chu@example.vn", password=PASSWORD, full_name="Lê Văn Chủ", phone=""
    )


@pytest.fixture
def stranger(db: Any) -> User:
    return do_register_citizen(
        email="la@example.vn", password=PASSWORD, full_name="Phạm Thị Lạ", phone=""
    )


def _file(client: Client, owner: User) -> Dossier:
    draft = _draft(owner)
    client.force_login(owner)
    filed = client.post(f"/drafts/{draft.token}/")
    assert filed.status_code == 302
    dossier = Dossier.objects.get(applicant_user=owner)
    assert filed["Location"].startswith(f"/lookup/{dossier.code}/payment/")  # the payment step
    return dossier


def test_a_citizen_pays_through_the_sandbox_and_gets_the_receipt(owner: User) -> None:
    client = Client()
    dossier = _file(client, owner)
    assert dossier.fee == 7000
    page = client.get(f"/lookup/{dossier.code}/payment/")
    assert page.status_code == 200
    assert "7.000" in page.content.decode()
    started = client.post(f"/lookup/{dossier.code}/payment/")
    assert started.status_code == 302
    assert started["Location"].startswith("/payments/sandbox/")
    assert client.get(started["Location"]).status_code == 200
    assert client.post(started["Location"], {"outcome": "maybe"}).status_code == 400
    paid = client.post(started["Location"], {"outcome": "success"})
    assert paid.status_code == 302
    back = client.get(paid["Location"], follow=True)
    assert back.status_code == 200
    dossier.refresh_from_db()
    assert dossier.fee_paid
    payment = Payment.objects.get(dossier=dossier, status=PaymentStatus.PAID)
    receipt = client.get(f"/lookup/{dossier.code}/payments/{payment.reference}/receipt.pdf")
    assert receipt.status_code == 200
    assert receipt.content.startswith(b"%PDF")
    # Paid: no second payment can start.
    again = client.post(f"/lookup/{dossier.code}/payment/")
    assert again.status_code == 409


def test_anonymous_filers_pay_with_their_secret(db: Any) -> None:
    client = Client()
    from haicap.core.actors import SYSTEM
    from haicap.portal.actions import do_submit_draft

    dossier = do_submit_draft(_draft(), actor=SYSTEM)
    assert client.get(f"/lookup/{dossier.code}/payment/").status_code == 404
    url = f"/lookup/{dossier.code}/payment/?secret={dossier.secret}"
    assert client.get(url).status_code == 200
    started = client.post(f"/lookup/{dossier.code}/payment/", {"secret": dossier.secret})
    failed = client.post(started["Location"], {"outcome": "failure"})
    # Back from the gateway, the session keeps the secret for the payment page.
    assert client.get(failed["Location"], follow=True).status_code == 200
    dossier.refresh_from_db()
    assert not dossier.fee_paid


def test_another_citizen_sees_no_payment_of_mine(owner: User, stranger: User) -> None:
    client = Client()
    dossier = _file(client, owner)
    started = client.post(f"/lookup/{dossier.code}/payment/")
    client.post(started["Location"], {"outcome": "success"})
    reference = Payment.objects.get(dossier=dossier).reference
    other = Client()
    other.force_login(stranger)
    assert other.get(f"/lookup/{dossier.code}/payment/").status_code == 404
    assert other.post(f"/lookup/{dossier.code}/payment/").status_code == 404
    receipt = f"/lookup/{dossier.code}/payments/{reference}/receipt.pdf"
    assert other.get(receipt).status_code == 404
    assert Client().get(receipt).status_code == 404  # anonymous, no secret


def test_the_counter_takes_cash_and_prints_the_receipt(
    make_dossier: Any, alice: User, carol: User
) -> None:
    dossier = make_dossier(alice, procedure=RESIDENCE)
    client = Client()
    client.force_login(alice)
    page = client.get(f"/staff/dossiers/{dossier.code}/payment/")
    assert page.status_code == 200
    online = client.post(f"/staff/dossiers/{dossier.code}/payment/take/", {"method": "online"})
    assert online.status_code == 302
    assert "/payments/sandbox/" in client.get(online["Location"]).content.decode()
    client.post(f"/staff/dossiers/{dossier.code}/payment/take/", {"method": "cash"})
    dossier.refresh_from_db()
    assert dossier.fee_paid
    assert dossier.payment_method == "cash"
    payment = Payment.objects.get(dossier=dossier, status=PaymentStatus.PAID)
    receipt = client.get(f"/staff/dossiers/{dossier.code}/payments/{payment.reference}/receipt.pdf")
    assert receipt.status_code == 200
    other = Client()
    other.force_login(carol)
    assert other.get(f"/staff/dossiers/{dossier.code}/payment/").status_code == 404


def test_a_payment_started_at_the_counter_is_paid_on_the_citizens_phone(
    make_dossier: Any, alice: User
) -> None:
    dossier = make_dossier(alice, procedure=RESIDENCE)
    officer = Client()
    officer.force_login(alice)
    officer.post(f"/staff/dossiers/{dossier.code}/payment/take/", {"method": "online"})
    link = Payment.objects.get(dossier=dossier).redirect_url
    phone = Client()  # no session, no secret: only the QR code's address
    paid = phone.post(link, {"outcome": "success"})
    back = phone.get(paid["Location"])
    assert back.status_code == 200
    assert "Đã nộp" in back.content.decode()
    assert dossier.applicant_name not in back.content.decode()
    dossier.refresh_from_db()
    assert dossier.fee_paid
    forged = phone.get(paid["Location"].replace("signature=", "signature=0"))
    assert forged.status_code == 400
