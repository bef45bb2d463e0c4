"""Citizen sign-in with OpenID Connect, against a small but real provider on localhost."""

from __future__ import annotations

import http.client
import json
import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, HTTPServer
from typing import Any
from urllib.parse import parse_qs, urlencode, urlsplit

import pytest
from django.contrib.auth.models import User
from django.test import Client
from joserfc import jwt
from joserfc.jwk import RSAKey

from haicap.portal import oidc
from haicap.portal.models import CitizenProfile

KEY = RSAKey.generate_key(2048, parameters={"kid": "test-key"})
CLIENT_ID = "haicap-test"


class Provider(BaseHTTPRequestHandler):
    """Discovery, authorise (redirects straight back), token (a signed ID token), JWKS."""

    issuer = ""
    nonces: dict[str, str] = {}

    def log_message(self, *args: Any) -> None:
        pass

    def _json(self, body: dict[str, Any]) -> None:
        data = json.dumps(body).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def do_GET(self) -> None:
        url = urlsplit(self.path)
        query = {k: v[0] for k, v in parse_qs(url.query).items()}
        if url.path == "/.well-known/openid-configuration":
            self._json(
                {
                    "issuer": self.issuer,
                    "authorization_endpoint": f"{self.issuer}/authorize",
                    "token_endpoint": f"{self.issuer}/token",
                    "jwks_uri": f"{self.issuer}/jwks",
                    "response_types_supported": ["code"],
                    "subject_types_supported": ["public"],
                    "id_token_signing_alg_values_supported": ["RS256"],
                }
            )
        elif url.path == "/jwks":
            self._json({"keys": [KEY.as_dict(private=False)]})
        elif url.path == "/authorize":
            Provider.nonces["code-1"] = query["nonce"]
            target = (
                f"{query['redirect_uri']}?{urlencode({'code': 'code-1', 'state': query['state']})}"
            )
            self.send_response(302)
            self.send_header("Location", target)
            self.end_headers()
        else:
            self.send_error(404)

    def do_POST(self) -> None:
        length = int(self.headers.get("Content-Length", 0))
        form = {k: v[0] for k, v in parse_qs(self.rfile.read(length).decode()).items()}
        if self.path != "/token" or form.get("code") != "code-1":
            self.send_error(400)
            return
        now = int(time.time())
        claims = {
            "iss": self.issuer,
            "sub": "vneid-001203004567",
            "aud": CLIENT_ID,
            "iat": now,
            "exp": now + 300,
            "nonce": Provider.nonces["code-1"],
            "name": "Nguyễn Văn Định Danh",
            "email": "dinhdanh@example.vn",
        }
        id_token = jwt.encode({"alg": "RS256", "kid": "test-key"}, claims, KEY)
        self._json(
            {
                "access_token": "at-1",
                "token_type": "Bearer",
                "expires_in": 300,
                "id_token": id_token,
            }
        )


@pytest.fixture
def provider(settings: Any) -> Iterator[str]:
    server = HTTPServer(("127.0.0.1", 0), Provider)
    Provider.issuer = f"http://127.0.0.1:{server.server_port}"
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    settings.OIDC_ISSUER = Provider.issuer
    settings.OIDC_CLIENT_ID = CLIENT_ID
    settings.OIDC_CLIENT_SECRET = "secret"
    oidc._client.cache_clear()
    yield Provider.issuer
    server.shutdown()
    oidc._client.cache_clear()


def _follow_provider(location: str) -> str:
    """The browser's visit to the provider's authorise page: returns where it sends us back."""

    url = urlsplit(location)
    connection = http.client.HTTPConnection(url.hostname or "", url.port)
    connection.request("GET", f"{url.path}?{url.query}")
    response = connection.getresponse()
    assert response.status == 302
    back = response.getheader("Location") or ""
    connection.close()
    return back


@pytest.mark.django_db
def test_sign_in_creates_then_finds_the_citizen(client: Client, provider: str) -> None:
    for _round in range(2):
        start = client.get("/account/oidc/")
        assert start.status_code == 302
        assert start["Location"].startswith(f"{provider}/authorize")
        back = urlsplit(_follow_provider(start["Location"]))
        finished = client.get(back.path, dict(parse_qs(back.query)))
        assert finished.status_code == 302, finished.content
        assert finished["Location"].endswith("/me/")
        client.logout()
    profile = CitizenProfile.objects.get(oidc_issuer=provider)
    assert profile.oidc_subject == "vneid-001203004567"
    assert profile.full_name == "Nguyễn Văn Định Danh"
    assert User.objects.filter(citizen__isnull=False).count() == 1


@pytest.mark.django_db
def test_a_forged_callback_signs_nobody_in(client: Client, provider: str) -> None:
    client.get("/account/oidc/")
    response = client.get("/account/oidc/callback/", {"code": "code-1", "state": "forged"})
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]
    assert not CitizenProfile.objects.exists()


def test_oidc_is_off_without_an_issuer(client: Client, settings: Any) -> None:
    settings.OIDC_ISSUER = None
    assert client.get("/account/oidc/").status_code == 404
