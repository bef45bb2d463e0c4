"""Citizen accounts: their own sign-in, password reset by e-mail, my dossiers, the inbox."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.core import mail
from django.test import Client

from haicap.conftest import APPLICANT, PASSWORD
from haicap.dossiers import notifications
from haicap.dossiers.models import Dossier, Notice, Status
from haicap.portal.actions import do_register_citizen

pytestmark = pytest.mark.django_db


@pytest.fixture
def other_citizen(db: Any) -> User:
    return do_register_citizen(
        email="khac@example.vn", password=PASSWORD, full_name="Hoàng Văn Khác", phone=""
    )


def test_a_citizen_signs_in_on_the_citizen_page(citizen: User) -> None:
    client = Client()
    page = client.get("/account/signin/")
    assert page.status_code == 200
    assert "Đăng nhập của người dân" in page.content.decode()
    wrong = client.post("/account/signin/", {"username": APPLICANT.email, "password": "sai"})
    assert wrong.status_code == 200
    assert "_auth_user_id" not in client.session
    signed = client.post(
        "/account/signin/", {"username": APPLICANT.email.upper(), "password": PASSWORD}
    )
    assert signed.status_code == 302
    assert signed["Location"] == "/me/"


def test_officers_are_sent_to_the_staff_page(db: Any) -> None:
    User.objects.create_user("canbo@example.vn", password=PASSWORD)  # no citizen account
    client = Client()
    page = client.post("/account/signin/", {"username": "canbo@example.vn", "password": PASSWORD})
    assert page.status_code == 200
    assert "Cán bộ đăng nhập ở trang dành cho cán bộ" in page.content.decode()
    assert "_auth_user_id" not in client.session


def test_citizen_pages_send_to_the_citizen_sign_in(db: Any) -> None:
    answer = Client().get("/me/")
    assert answer.status_code == 302
    assert answer["Location"].startswith("/account/signin/")
    assert Client().get("/me/inbox/")["Location"].startswith("/account/signin/")


def test_sign_in_attempts_are_rate_limited(settings: Any, citizen: User) -> None:
    settings.RATE_LIMIT_SIGN_IN = "3/m"
    client = Client()
    for _ in range(3):
        client.post("/account/signin/", {"username": APPLICANT.email, "password": "sai"})
    blocked = client.post("/account/signin/", {"username": APPLICANT.email, "password": PASSWORD})
    assert blocked.status_code == 429
    assert "_auth_user_id" not in client.session


def test_password_reset_by_email(citizen: User, alice: User) -> None:
    client = Client()
    assert client.get("/account/password/reset/").status_code == 200
    sent = client.post("/account/password/reset/", {"email": APPLICANT.email})
    assert sent.status_code == 302
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == [APPLICANT.email]
    assert "Đặt lại mật khẩu" in message.subject
    found = re.search(
        r"http://testserver(/account/password/reset/[^/]+/[^/\s]+/)", str(message.body)
    )
    assert found is not None
    link = client.get(found.group(1))
    assert link.status_code == 302  # Django swaps the token for a session-held one
    form = client.get(link["Location"])
    assert "Chọn mật khẩu mới" in form.content.decode()
    new = "mat-khau-moi-2026"
    done = client.post(link["Location"], {"new_password1": new, "new_password2": new})
    assert done.status_code == 302
    assert Client().login(username=APPLICANT.email, password=new)
    # The link works once.
    again = Client().get(found.group(1), follow=True)
    assert "không còn hiệu lực" in again.content.decode()
    # An unknown address and an officer's address send nothing, and say the same.
    mail.outbox.clear()
    alice.email = "alice@example.vn"
    alice.save()
    for email in ("nobody@example.vn", "alice@example.vn"):
        assert client.post("/account/password/reset/", {"email": email}).status_code == 302
    assert mail.outbox == []


def test_password_reset_is_rate_limited(settings: Any, citizen: User) -> None:
    settings.RATE_LIMIT_PASSWORD_RESET = "2/h"
    client = Client()
    for _ in range(2):
        client.post("/account/password/reset/", {"email": APPLICANT.email})
    assert client.post("/account/password/reset/", {"email": APPLICANT.email}).status_code == 429
    assert len(mail.outbox) == 2


def test_my_dossiers_are_split_into_in_progress_finished_and_drafts(citizen: User) -> None:
    client = Client()
    client.force_login(citizen)
    mine = Dossier.objects.filter(applicant_user=citizen)
    waiting = mine.get(status=Status.SUPPLEMENT_REQUESTED)
    returned = mine.get(status=Status.RETURNED)
    in_progress = client.get("/me/").content.decode()
    assert waiting.code in in_progress
    assert returned.code not in in_progress
    finished = client.get("/me/?tab=finished").content.decode()
    assert returned.code in finished
    assert waiting.code not in finished
    drafts = client.get("/me/?tab=drafts").content.decode()
    assert waiting.code not in drafts
    assert returned.code not in drafts
    assert client.get("/me/?tab=nonsense").status_code == 200


def test_the_inbox_shows_what_was_sent_with_the_secret(citizen: User, other_citizen: User) -> None:
    dossier = Dossier.objects.filter(applicant_user=citizen).first()
    assert dossier is not None
    for event in dossier.events.order_by("seq"):
        if event.action in notifications.NOTIFY:
            notifications.send(event.pk)
    notices = list(Notice.objects.filter(dossier=dossier))
    assert notices
    assert all(dossier.secret in notice.text for notice in notices)
    client = Client()
    client.force_login(citizen)
    page = client.get("/me/inbox/").content.decode()
    assert notices[0].subject in page
    assert dossier.secret in page
    stranger = Client()
    stranger.force_login(other_citizen)
    theirs = stranger.get("/me/inbox/").content.decode()
    assert dossier.code not in theirs
    assert stranger.get(f"/me/{dossier.code}/").status_code == 404
