"""The sign-in page says what is wrong: each empty field under itself, a wrong password above
the form; nobody is signed in."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import User
from django.test import Client

from haicap.conftest import PASSWORD

pytestmark = pytest.mark.django_db


def test_empty_fields_are_said_under_each_field(client: Client) -> None:
    response = client.post("/accounts/login/", {"username": "", "password": ""})
    assert response.status_code == 200
    page = response.content.decode()
    assert page.count('aria-invalid="true"') == 2
    assert page.count("Trường này là bắt buộc.") == 2
    assert '<ul class="errorlist" id="username-errors" role="alert">' in page
    assert "_auth_user_id" not in client.session


def test_a_wrong_password_is_said_above_the_form(client: Client, alice: User) -> None:
    response = client.post("/accounts/login/", {"username": "alice", "password": "sai-mat-khau"})
    assert response.status_code == 200
    page = response.content.decode()
    assert 'class="message error" role="alert"' in page
    assert 'aria-invalid="true"' not in page
    assert "_auth_user_id" not in client.session


def test_the_right_password_signs_in(client: Client, alice: User) -> None:
    response = client.post("/accounts/login/", {"username": "alice", "password": PASSWORD})
    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(alice.pk)
