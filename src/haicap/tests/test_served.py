"""The whole machine: `haicap serve` on its own embedded PostgreSQL in a temporary directory.

- concurrent retries with one Idempotency-Key leave no personal data in PostgreSQL's log;
- with PostgreSQL stopped under the server, every request answers 503 with Retry-After
  within 2 s; the server starts PostgreSQL again by itself and answers 200 without a restart.
"""

from __future__ import annotations

import os
import signal
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import pytest

from haicap.conftest import api_eform
from haicap.testing.served import BIRTH, COMMUNE, Answer, Served, served

NAME = "Trần Văn Nhậtký"
ID_NUMBER = "079188012345"
EMAIL = "nhatky.tran@example.vn"


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Served]:
    # The watchdog looks every 5 s: long enough to see the outage, short enough to recover.
    with served(
        tmp_path_factory.mktemp("served") / "data", env={"HAICAP_DB_WATCHDOG_SECONDS": "5"}
    ) as instance:
        yield instance


_FORMS: dict[int, dict[str, Any]] = {}


def _file(server: Served, key: str) -> Answer:
    # The e-form and papers, read once while the server is up (the outage test files after).
    if id(server) not in _FORMS:
        form = server.request(f"/api/v1/public/procedures/{BIRTH}/form")
        assert form.status == 200, form.body[:300]
        _FORMS[id(server)] = api_eform(form.json())
    return server.request(
        "/api/v1/public/dossiers",
        body={
            "procedure": BIRTH,
            "unit": COMMUNE,
            "applicant": {"full_name": NAME, "id_number": ID_NUMBER, "email": EMAIL},
        }
        | _FORMS[id(server)],
        headers={"Idempotency-Key": key},
    )


def test_concurrent_retries_leave_no_personal_data_in_the_server_log(server: Served) -> None:
    key = f"retry-{time.time_ns()}"
    with ThreadPoolExecutor(max_workers=20) as pool:
        answers = list(pool.map(lambda _n: _file(server, key), range(40)))
    assert {answer.status for answer in answers} == {201}
    created = {(answer.json()["code"], answer.json()["secret"]) for answer in answers}
    assert len(created) == 1, "one dossier for one key"
    ((_code, secret),) = created
    assert sum(a.headers.get("Idempotent-Replayed") == "true" for a in answers) == 39
    log = server.server_log()
    assert "duplicate key" not in log
    for personal in (NAME, ID_NUMBER, EMAIL, secret):
        assert personal not in log
    assert NAME not in server.serve_log()
    assert ID_NUMBER not in server.serve_log()


def test_outage_answers_503_fast_and_recovers_by_itself(server: Served) -> None:
    for path in ("/procedures/", "/api/v1/public/procedures", "/-/health"):
        assert server.request(path).status == 200
    before = server.postmaster_pid()
    assert server.process is not None
    assert before is not None
    # Pause serve's master process (its watchdog would start PostgreSQL again at once); the
    # workers go on answering. Then stop PostgreSQL as an operator might by mistake.
    os.kill(server.process.pid, signal.SIGSTOP)
    try:
        server.haicap("db", "stop")
        assert server.postmaster_pid() is None
        during: list[Answer] = []
        started = time.monotonic()
        while time.monotonic() - started < 4:
            # A fresh query each time: anonymous catalogue pages are served from the cache.
            for path in (f"/procedures/?q={len(during)}", "/api/v1/public/procedures", "/-/health"):
                during.append(server.request(path, timeout=5))
    finally:
        os.kill(server.process.pid, signal.SIGCONT)
    for answer in during:
        assert answer.status == 503, answer.body[:300]
        assert answer.headers["Retry-After"].isdigit()
        assert answer.headers["Cache-Control"] == "no-store"
        assert answer.seconds < 2
    page = next(a for a in during if a.headers["Content-Type"].startswith("text/html"))
    assert b"site.css" in page.body
    api = next(a for a in during if a.headers["Content-Type"] == "application/json")
    assert api.json()["error"]["code"] == "unavailable"

    # `haicap serve` starts PostgreSQL again; stale pooled connections are not used.
    recovered = server.wait_until("/-/health", 200, seconds=30)
    assert recovered.status == 200, server.serve_log()[-3000:]
    after = server.postmaster_pid()
    assert after is not None, server.serve_log()[-3000:]
    assert after != before
    # Every worker's pool is back within a few seconds: then nothing but 200s.
    back = time.monotonic()
    answers: list[Answer] = []
    while len(answers) < 20 and time.monotonic() - back < 10:
        path = f"/procedures/?q=r{len(answers)}" if len(answers) % 2 else "/-/health"
        answer = server.request(path)
        answers = [*answers, answer] if answer.status == 200 else []
    assert len(answers) == 20, f"not every worker recovered in 10 s: {answer.status}"
    assert max(answer.seconds for answer in answers) < 2
    # A filing too; a worker the loop above did not reach may still say 503 (with
    # Retry-After) for a moment, as it does until it has seen the database again.
    key, deadline = f"after-{time.time_ns()}", time.monotonic() + 15
    filed = _file(server, key)
    while filed.status == 503 and time.monotonic() < deadline:
        assert filed.headers["Retry-After"].isdigit()
        time.sleep(0.5)
        filed = _file(server, key)
    assert filed.status == 201, filed.body[:300]


def test_the_access_log_masks_the_token_of_an_account_link(server: Served) -> None:
    token = "dixrl8-3da18417e0d7d4d2ebd659369aa4f67d"
    server.request(f"/account/activate/MTY/{token}/")
    server.request(f"/account/password/reset/MTY/{token}/")
    time.sleep(0.5)  # the access line is written after the answer
    log = server.serve_log()
    assert "/account/activate/[redacted]" in log
    assert token not in log
