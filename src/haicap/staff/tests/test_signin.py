"""Sign-in throttling and lockout, and the password rules for officers (issue 11, finding 3).

alice (an officer) is locked out after too many wrong passwords, from any client; bob, from the
same client, is not until the client itself passes its limit; the national administrator lifts
alice's lockout from the admin, and `haicap staff unlock alice` does the same. Both audited.
"""

from __future__ import annotations

import io
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.core.management import CommandError, call_command
from django.test import Client
from django.test.utils import override_settings

from haicap.conftest import PASSWORD
from haicap.core.models import AuditEvent
from haicap.staff import signin

pytestmark = pytest.mark.django_db
LOGIN = "/accounts/login/"


@pytest.fixture(autouse=True)
def _limits(settings: Any) -> None:
    settings.SIGNIN_FAILURES_ACCOUNT = "3/h"
    settings.SIGNIN_FAILURES_CLIENT = "8/h"
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def sign_in(client: Client, username: str, password: str, addr: str = "10.0.0.1") -> Any:
    return client.post(LOGIN, {"username": username, "password": password}, REMOTE_ADDR=addr)


def test_an_account_is_locked_after_too_many_wrong_passwords(
    client: Client, alice: User, bob: User
) -> None:
    answers = [sign_in(client, "alice", f"no-{n}", f"10.0.1.{n}").status_code for n in range(3)]
    assert answers == [200, 200, 429]  # the third failure locks the account
    # Locked now, from any client, even with the right password.
    locked = sign_in(client, "alice", PASSWORD, "10.9.9.9")
    assert locked.status_code == 429
    assert locked["Retry-After"]
    assert "administrator" in locked.content.decode() or "quản trị" in locked.content.decode()
    assert "_auth_user_id" not in client.session
    # Another account from those clients signs in.
    assert sign_in(client, "bob", PASSWORD, "10.0.1.0").status_code == 302


def test_a_client_is_throttled_across_accounts(client: Client, alice: User, bob: User) -> None:
    for number in range(8):
        sign_in(client, f"nobody-{number}", "wrong", "10.0.2.1")
    assert sign_in(client, "bob", PASSWORD, "10.0.2.1").status_code == 429
    assert sign_in(client, "bob", PASSWORD, "10.0.2.2").status_code == 302


def test_the_admin_login_is_held_by_the_same_gate(client: Client, national_admin: User) -> None:
    for attempt in range(3):
        client.post("/admin/login/", {"username": "national", "password": f"no-{attempt}"})
    assert signin.is_locked("national")
    client.post("/admin/login/", {"username": "national", "password": PASSWORD})
    assert "_auth_user_id" not in client.session


def test_an_administrator_lifts_the_lockout(
    client: Client, alice: User, national_admin: User
) -> None:
    for attempt in range(3):
        sign_in(client, "alice", f"wrong-{attempt}")
    assert signin.is_locked("alice")
    admin = Client()
    admin.force_login(national_admin)
    page = admin.post(
        "/admin/auth/user/",
        {"action": "lift_lockout", "_selected_action": [alice.pk]},
        follow=True,
    )
    assert page.status_code == 200
    assert not signin.is_locked("alice")
    event = AuditEvent.objects.get(verb="user.signin_unlock")
    assert event.subject_id == str(alice.pk)
    assert sign_in(client, "alice", PASSWORD, "10.0.3.1").status_code == 302


def test_the_unlock_command(client: Client, alice: User) -> None:
    for attempt in range(3):
        sign_in(client, "alice", f"wrong-{attempt}")
    out = io.StringIO()
    call_command("staff", "unlock", "alice", stdout=out)
    assert "lifted" in out.getvalue()
    assert not signin.is_locked("alice")
    assert AuditEvent.objects.filter(verb="user.signin_unlock").count() == 1
    with pytest.raises(CommandError):
        call_command("staff", "unlock", "nobody-at-all", stdout=out)


@pytest.mark.parametrize("weak", ["123", "password", "12345678901"])
def test_weak_passwords_are_refused_by_the_commands(weak: str) -> None:
    with pytest.raises(CommandError, match=r"password|Mật khẩu"):
        call_command(
            "staff", "add", "lan", "--unit", "00004", "--role", "receiver", "--password", weak
        )
    assert not User.objects.filter(username="lan").exists()
    with pytest.raises(CommandError, match=r"password|Mật khẩu"):
        call_command("createadmin", "--username", "root2", "--password", weak, stdout=io.StringIO())
    assert not User.objects.filter(username="root2").exists()


def test_the_administrator_is_shown_by_a_name_not_a_username(tmp_path: Any) -> None:
    with override_settings(DATA_DIR=tmp_path):
        call_command("createadmin", "--username", "root3", stdout=io.StringIO())
        call_command(
            "createadmin",
            "--username",
            "root4",
            "--full-name",
            "Trần Thị Bình",
            stdout=io.StringIO(),
        )
    assert User.objects.get(username="root3").get_full_name() == "Quản trị hệ thống"
    assert User.objects.get(username="root4").get_full_name() == "Trần Thị Bình"
