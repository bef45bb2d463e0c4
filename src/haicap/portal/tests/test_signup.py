"""Sign-up does not tell whether an address is registered: both answers are the same page,
and only the mailbox learns which (an activation link, or "you already have an account")."""

from __future__ import annotations

import re

import pytest
from django.contrib.auth.models import User
from django.core import mail
from django.http import HttpResponse, HttpResponseBase
from django.test import Client

from haicap.conftest import PASSWORD
from haicap.core.models import AuditEvent

pytestmark = pytest.mark.django_db(transaction=True)

FORM = {"full_name": "Vũ Văn Nam", "email": "nam@example.vn", "password": "Mot-mat-khau-dai-1"}


def _page_text(response: HttpResponseBase) -> str:
    assert isinstance(response, HttpResponse)
    return re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", response.content.decode())


def test_signup_answers_the_same_for_a_registered_address(citizen: User) -> None:
    new = Client().post("/account/signup/", FORM)
    known = Client().post("/account/signup/", {**FORM, "email": citizen.email})
    assert new.status_code == known.status_code == 200
    assert _page_text(new).replace(FORM["email"], "X") == _page_text(known).replace(
        citizen.email, "X"
    )
    assert "already exists" not in _page_text(known)
    # The mailboxes learn which: an activation link for the new address, a notice for hers.
    by_address = {message.to[0]: message.body for message in mail.outbox}
    assert "/account/activate/" in by_address[FORM["email"]]
    assert "/account/activate/" not in by_address[citizen.email]
    assert AuditEvent.objects.filter(verb="citizen.signup_existing").count() == 1


def test_the_link_activates_the_account_once() -> None:
    Client().post("/account/signup/", FORM)
    user = User.objects.get(username=FORM["email"])
    assert not user.is_active
    assert not Client().login(username=FORM["email"], password=FORM["password"])
    link = re.search(r"https?://\S+/account/activate/\S+/", str(mail.outbox[-1].body))
    assert link is not None
    path = link.group(0).split("://", 1)[1].split("/", 1)[1]
    browser = Client()
    response = browser.get(f"/{path}")
    assert response.status_code == 302
    assert response["Location"] == "/me/"  # her dossiers
    user.refresh_from_db()
    assert user.is_active
    assert Client().login(username=FORM["email"], password=FORM["password"])
    assert Client().get(f"/{path}").status_code == 400  # used: it no longer works


def test_a_forged_link_is_refused(citizen: User) -> None:
    assert Client().get("/account/activate/MQ/forged-token/").status_code == 400
    assert Client().get("/account/activate/not-base64!/x/").status_code == 400
    assert Client().login(username=citizen.username, password=PASSWORD)


def test_an_account_never_activated_gets_a_new_link_and_goes_to_the_mailbox_owner() -> None:
    # A stranger signs up first with Nam's address and his own password, and never activates.
    Client().post("/account/signup/", {**FORM, "full_name": "Kẻ Lạ", "password": "Mat-khau-la-99"})
    # Nam signs up: a new link, and the account takes his name and password.
    answer = Client().post("/account/signup/", FORM)
    assert answer.status_code == 200
    assert len(mail.outbox) == 2
    assert "/account/activate/" in str(mail.outbox[-1].body)
    link = re.search(r"https?://\S+/account/activate/\S+/", str(mail.outbox[-1].body))
    assert link is not None
    path = link.group(0).split("://", 1)[1].split("/", 1)[1]
    assert Client().get(f"/{path}").status_code == 302
    assert Client().login(username=FORM["email"], password=FORM["password"])
    assert not Client().login(username=FORM["email"], password="Mat-khau-la-99")
    assert User.objects.get(username=FORM["email"]).citizen.full_name == "Vũ Văn Nam"
    assert AuditEvent.objects.filter(verb="citizen.signup_again").count() == 1


def test_the_already_registered_notice_links_the_citizens_sign_in(citizen: User) -> None:
    Client().post("/account/signup/", {**FORM, "email": citizen.email})
    assert "/account/signin/" in str(mail.outbox[-1].body)
