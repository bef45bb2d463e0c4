"""A JSON body nested far too deep (a few hundred kB of brackets) gets a clear 4xx on every
JSON route, never a 500 from the parser's recursion limit (walk finding)."""

from __future__ import annotations

import base64

import pytest
from django.test import Client

pytestmark = pytest.mark.django_db

DEEP = "[" * 100_000 + "]" * 100_000


@pytest.mark.parametrize(
    "path",
    [
        "/api/v1/public/dossiers",
        "/api/v1/federation/auth",
        "/api/v1/federation/integration",
        "/-/janus/events",
        "/staff/meetings/1/join/test/",
        "/payments/callback/",
    ],
)
def test_a_deeply_nested_body_is_refused_cleanly(client: Client, path: str) -> None:
    secret = base64.b64encode(b"janus:s3cret").decode()
    answer = client.post(
        path, DEEP, content_type="application/json", headers={"Authorization": f"Basic {secret}"}
    )
    assert 400 <= answer.status_code < 500, (path, answer.status_code)
