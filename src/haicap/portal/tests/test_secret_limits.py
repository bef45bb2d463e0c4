"""One limiter for every route that takes a lookup secret (issue 11, finding 4).

The API lookup, the lookup page, the receipt, a result, the rating and supplement forms share
one count per client, and wrong secrets for one code count from any client. With Redis (the
machine's, on 127.0.0.1:6379, when it answers) two processes share the count.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import uuid
from collections.abc import Callable
from typing import Any

import pytest
from django.core.cache import caches
from django.test import Client

from haicap.conftest import MARITAL
from haicap.dossiers.models import Dossier

pytestmark = pytest.mark.django_db
REDIS = "redis://127.0.0.1:6379/0"


def _routes(code: str) -> list[Callable[[Client, str], Any]]:
    """Each route that takes a secret, as a guess with ``secret``."""
    return [
        lambda c, s: c.get(f"/api/v1/public/dossiers/{code}", {"secret": s}),
        lambda c, s: c.get("/lookup/", {"code": code, "secret": s}),
        lambda c, s: c.get(f"/lookup/{code}/receipt.pdf", {"secret": s}),
        lambda c, s: c.get(f"/lookup/{code}/results/1/", {"secret": s}),
        lambda c, s: c.post(f"/lookup/{code}/rating/", {"secret": s, "score": 3}),
        lambda c, s: c.post(f"/lookup/{code}/supplement/", {"secret": s}),
        lambda c, s: c.post(
            f"/api/v1/public/dossiers/{code}/rating",
            {"secret": s, "score": 3},
            content_type="application/json",
        ),
    ]


@pytest.fixture
def dossier(make_dossier: Callable[..., Dossier]) -> Dossier:
    return make_dossier(procedure=MARITAL)


@pytest.mark.parametrize("route", range(7))
def test_each_route_answers_429_past_the_shared_limit(
    client: Client, dossier: Dossier, settings: Any, route: int
) -> None:
    settings.RATE_LIMIT_LOOKUP = "4/h"  # an hour: no window ends mid-test
    guess = _routes(dossier.code)[route]
    # Three guesses on the API first: the route under test shares their count.
    for _ in range(3):
        _routes(dossier.code)[0](client, "WRONG000")
    assert guess(client, "WRONG001").status_code != 429
    limited = guess(client, "WRONG002")
    assert limited.status_code == 429, limited.content[:200]
    assert int(limited["Retry-After"]) > 0
    # Even the right secret waits: the client is out of attempts.
    assert guess(client, dossier.secret).status_code == 429


def test_wrong_secrets_for_one_code_count_from_any_client(dossier: Dossier, settings: Any) -> None:
    settings.RATE_LIMIT_LOOKUP_MISSES = "5/h"
    answers = [
        Client(REMOTE_ADDR=f"10.1.0.{n}")
        .get(f"/api/v1/public/dossiers/{dossier.code}", {"secret": f"WRONG{n:03d}"})
        .status_code
        for n in range(7)
    ]
    assert answers == [404] * 5 + [429] * 2
    # The owner, who gave no wrong secret, still gets in with the right one: knowing a code
    # (it is on the receipt) is not enough to lock its owner out.
    owner = Client(REMOTE_ADDR="10.2.0.1")
    url = f"/api/v1/public/dossiers/{dossier.code}"
    assert owner.get(url, {"secret": dossier.secret}).status_code == 200
    # A client that guessed wrong is refused for the code, even with the right secret then.
    guesser = Client(REMOTE_ADDR="10.1.0.1")
    assert guesser.get(url, {"secret": dossier.secret}).status_code == 429
    # Another dossier's lookups are not held up.
    other = Client(REMOTE_ADDR="10.1.1.1").get("/api/v1/public/dossiers/X", {"secret": "Y"})
    assert other.status_code == 404


def _redis_answers() -> bool:
    try:
        with socket.create_connection(("127.0.0.1", 6379), timeout=0.5) as conn:
            conn.sendall(b"PING\r\n")
            return conn.recv(7).startswith(b"+PONG")
    except OSError:
        return False


@pytest.mark.skipif(not _redis_answers(), reason="no Redis on 127.0.0.1:6379")
def test_two_processes_share_the_count_through_redis(settings: Any) -> None:
    prefix = f"test-{uuid.uuid4().hex[:8]}"
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS,
            "KEY_PREFIX": prefix,
        }
    }
    # Changing CACHES resets the cache handlers (Django's setting_changed receiver).
    assert caches["default"].__class__.__name__ == "RedisCache"
    from haicap.core import ratelimit

    # The keys expire within the hour; never flush a shared Redis.
    for _ in range(3):
        ratelimit.hit("lookup", "10.2.0.1", "5/h")
    # A second process, as another gunicorn worker would, counts on the same keys.
    script = (
        "import django, os; django.setup();"
        "from django.conf import settings;"
        f"settings.CACHES['default']['KEY_PREFIX'] = {prefix!r};"
        "from haicap.core import ratelimit; from haicap.core.errors import TooManyRequests\n"
        "answers = []\n"
        "for _ in range(3):\n"
        "    try: ratelimit.hit('lookup', '10.2.0.1', '5/h'); answers.append('ok')\n"
        "    except TooManyRequests: answers.append('429')\n"
        "print(','.join(answers))"
    )
    env = {**os.environ, "REDIS_URL": REDIS, "DJANGO_SETTINGS_MODULE": "haicap.settings"}
    done = subprocess.run(
        [sys.executable, "-c", script], env=env, capture_output=True, text=True, timeout=60
    )
    assert done.returncode == 0, done.stderr[-2000:]
    assert done.stdout.strip().splitlines()[-1] == "ok,ok,429"
    assert ratelimit.count("lookup", "10.2.0.1", "5/h") == 6
