"""Production settings and response headers (docs/security.md): CSP and no-store on every
answer, the API's guard against forged posts, session ages, `check --deploy` at 0 warnings."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.test import Client

from haicap.conftest import BIRTH, PASSWORD, api_eform

pytestmark = pytest.mark.django_db

HAICAP = str(Path(sys.executable).parent / "haicap")
BODY = {"procedure": BIRTH, "unit": "00004", "applicant": {"full_name": "Phạm Minh Châu"}}
# The production environment docs/security.md documents (plus a database to check against).
PRODUCTION = {
    "SECRET_KEY": "k" * 20 + "-production-secret-0123456789-abcdefghijklmnopqrstuvwxyz",
    "HAICAP_SITE_URL": "https://dichvucong.example.vn",
    "HAICAP_ALLOWED_HOSTS": "dichvucong.example.vn",
    "HAICAP_BEHIND_PROXY": "1",
    "HAICAP_HSTS_SECONDS": "31536000",
    "HAICAP_HSTS_PRELOAD": "1",
    "REDIS_URL": "redis://127.0.0.1:6379/0",
}


def test_pages_and_answers_carry_csp_and_no_store(client: Client, alice: User) -> None:
    for path in ("/procedures/", "/api/v1/public/procedures", "/lookup/"):
        response = client.get(path)
        assert response.status_code == 200, path
        policy = response["Content-Security-Policy"]
        assert "script-src 'self'" in policy
        assert "frame-ancestors 'none'" in policy
        assert "unsafe-inline" not in policy
        assert response["Cache-Control"] == "no-store", path
    client.login(username="alice", password=PASSWORD)
    assert client.get("/staff/")["Cache-Control"] == "no-store"


def test_api_refuses_a_text_plain_body(client: Client) -> None:
    response = client.post("/api/v1/public/dossiers", json.dumps(BODY), content_type="text/plain")
    assert response.status_code == 415
    assert response.json()["error"]["field"] == "Content-Type"


def _complete() -> dict[str, Any]:
    """BODY with the e-form and papers the filing needs, so only the guard can refuse it."""
    return BODY | api_eform(Client().get(f"/api/v1/public/procedures/{BIRTH}/form").json())


def test_api_refuses_a_session_cookie_without_csrf(citizen: User) -> None:
    body = _complete()
    browser = Client(enforce_csrf_checks=True)
    browser.login(username=citizen.username, password=PASSWORD)
    forged = browser.post("/api/v1/public/dossiers", body, content_type="application/json")
    assert forged.status_code == 403
    assert forged.json()["error"]["code"] == "csrf"
    # The page's own script sends the token it was given: accepted.
    browser.get("/")
    token = browser.cookies["csrftoken"].value
    own = browser.post(
        "/api/v1/public/dossiers",
        body,
        content_type="application/json",
        headers={"X-CSRFToken": token},
    )
    assert own.status_code == 201, own.content


def test_api_without_cookie_needs_no_csrf() -> None:
    anonymous = Client(enforce_csrf_checks=True)
    response = anonymous.post(
        "/api/v1/public/dossiers", _complete(), content_type="application/json"
    )
    assert response.status_code == 201, response.content


def test_officers_sessions_are_short_and_citizens_longer(
    client: Client, alice: User, citizen: User
) -> None:
    client.login(username="alice", password=PASSWORD)
    assert client.session.get_expiry_age() == 8 * 3600
    other = Client()
    other.login(username=citizen.username, password=PASSWORD)
    assert other.session.get_expiry_age() == 72 * 3600


def _check_deploy(env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    keep = {k: v for k, v in os.environ.items() if not k.startswith(("HAICAP_", "REDIS_URL"))}
    return subprocess.run(
        [HAICAP, "check", "--deploy", "--fail-level", "WARNING"],
        env={**keep, "HAICAP_DB_POOL_SIZE": "0", **env},
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_check_deploy_has_no_warnings_with_the_documented_environment() -> None:
    done = _check_deploy(PRODUCTION)
    assert done.returncode == 0, done.stderr + done.stdout
    assert "no issues" in done.stdout


def test_check_deploy_warns_that_limits_are_per_process_without_redis() -> None:
    without_redis: dict[str, Any] = {k: v for k, v in PRODUCTION.items() if k != "REDIS_URL"}
    done = _check_deploy(without_redis)
    assert done.returncode != 0
    assert "haicap.W001" in done.stderr + done.stdout


def test_a_host_not_served_gets_400_not_500(settings: Any) -> None:
    settings.ALLOWED_HOSTS = ["dichvucong.example.vn"]
    answer = Client(raise_request_exception=False).get("/", HTTP_HOST="evil.example")
    assert answer.status_code == 400
