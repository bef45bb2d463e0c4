"""Security probe of a served haicap: cross-unit reads, actions and filings, and lookup-secret
guesses (issue 11). Prints what was tried, what got through and what answered 429.

    .venv/bin/python bench/probe.py [--port 8101] [--redis] [--guesses 600] [--base URL]

Needs the demo data (`haicap demo`): the Ba Đình officers' dossiers are the targets; the
attackers are officers of another commune (Hoàn Kiếm), of another province (a Quảng Ninh
officer the probe adds) and the Hà Nội auditor. ``--redis`` serves with REDIS_URL set to the
machine's Redis, so the two web processes share the limiter's counts. A probe, not a
benchmark: it counts answers, it does not time them.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import secrets
import string
import sys
import urllib.error
import urllib.request
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.common import machine, run, save, served

ALPHABET = string.ascii_uppercase + string.digits


def call(
    method: str, url: str, *, token: str | None = None, body: Any = None, remote: str = ""
) -> int:
    data = json.dumps(body).encode() if body is not None else None
    request = urllib.request.Request(url, data=data, method=method)  # noqa: S310 - loopback
    if data is not None:
        request.add_header("Content-Type", "application/json")
    if token:
        request.add_header("Authorization", f"Bearer {token}")
    try:
        with urllib.request.urlopen(request, timeout=30) as answer:  # noqa: S310
            return int(answer.status)
    except urllib.error.HTTPError as error:
        return int(error.code)


def token_for(username: str) -> str:
    return run("token", "create", username).strip().splitlines()[-1].strip()


def quang_ninh_officer() -> str:
    """A receiver at a Quảng Ninh commune (another province), added for the probe."""
    script = (
        "from haicap.units.models import AdminUnit;"
        "print(AdminUnit.objects.filter(province__code='22', tier='commune',"
        " valid_from__isnull=False).order_by('code').values_list('code', flat=True).first())"
    )
    unit = run("shell", "-c", script).strip().splitlines()[-1]
    password = secrets.token_urlsafe(18)
    run("staff", "add", "probe.qn", "--unit", unit, "--role", "receiver", "--password", password)
    return "probe.qn"


def cross_unit(base: str, victims: list[str], attackers: dict[str, str]) -> dict[str, Any]:
    """Reads, actions and filings on Ba Đình's dossiers by officers who may not make them.

    The Hà Nội auditor may read every dossier of the province (that is the role), so only
    the auditor's actions and filings count as attempts.
    """
    tried = succeeded = 0
    through: dict[str, int] = {}
    filing = {
        "procedure": "HCP.HT.004",
        "unit": "00004",
        "applicant": {"full_name": "Thử Xâm Nhập", "phone": "0912000000"},
    }
    for who, token in attackers.items():
        attempts: list[tuple[str, str, Any]] = []
        for code in victims:
            if who != "the auditor":
                attempts.append(("GET", f"/api/v1/dossiers/{code}", None))
            attempts.append(("POST", f"/api/v1/dossiers/{code}/actions/accept", {}))
            attempts.append(("POST", f"/api/v1/dossiers/{code}/actions/withdraw", {"reason": "x"}))
        attempts += [("POST", "/api/v1/dossiers", {**filing, "channel": c}) for c in (1, 2, 3)]
        for method, path, body in attempts:
            tried += 1
            if call(method, base + path, token=token, body=body) < 300:
                succeeded += 1
                through[f"{who}: {method} {path.split('/')[-1]}"] = 1 + through.get(
                    f"{who}: {method} {path.split('/')[-1]}", 0
                )
    return {"tried": tried, "succeeded": succeeded, "through": through}


def guesses(base: str, code: str, count: int) -> dict[str, int]:
    answered: dict[str, int] = {"tried": 0, "429": 0, "found": 0}
    routes = [
        lambda s: call("GET", f"{base}/api/v1/public/dossiers/{code}?secret={s}"),
        lambda s: call("GET", f"{base}/lookup/{code}/receipt.pdf?secret={s}"),
        lambda s: call("GET", f"{base}/lookup/?code={code}&secret={s}"),
        lambda s: call(
            "POST", f"{base}/api/v1/public/dossiers/{code}/rating", body={"secret": s, "score": 3}
        ),
    ]
    for number in range(count):
        guess = "".join(secrets.choice(ALPHABET) for _ in range(8))
        status = routes[number % len(routes)](guess)
        answered["tried"] += 1
        answered["429"] += status == 429
        answered["found"] += status < 300
    return answered


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--port", type=int, default=8101)
    parser.add_argument("--redis", action="store_true", help="serve with REDIS_URL (shared)")
    parser.add_argument("--guesses", type=int, default=600)
    parser.add_argument("--victims", type=int, default=40)
    parser.add_argument("--base", help="probe this running server instead of starting one")
    options = parser.parse_args()
    if options.redis:
        os.environ["REDIS_URL"] = "redis://127.0.0.1:6379/5"
    owner = token_for("badinh.receiver")
    attackers = {
        "another commune": token_for("hoankiem.receiver"),
        "the auditor": token_for("hn.auditor"),
        "another province": token_for(quang_ninh_officer()),
    }
    server = (
        contextlib.nullcontext(options.base) if options.base else served(options.port, workers=2)
    )
    with server as base:
        listing = urllib.request.Request(  # noqa: S310 - loopback
            f"{base}/api/v1/dossiers?page_size={options.victims}",
            headers={"Authorization": f"Bearer {owner}"},
        )
        with urllib.request.urlopen(listing, timeout=30) as answer:  # noqa: S310
            page = json.loads(answer.read())
        victims = [item["code"] for item in page["items"]]
        figures: dict[str, Any] = {"machine": machine(), "redis": options.redis}
        figures["cross_unit"] = cross_unit(base, victims, attackers)
        figures["guesses"] = guesses(base, victims[0], options.guesses)
    save("probe", figures)
    cross, guessed = figures["cross_unit"], figures["guesses"]
    where = "Redis" if options.redis else "per process"
    print(
        f"cross-unit reads, actions and filings: {cross['tried']} tried, "
        f"{cross['succeeded']} succeeded {cross['through'] or ''}"
    )
    print(
        f"lookup-secret guesses ({where}): {guessed['tried']} tried, "
        f"{guessed['429']} answered 429, {guessed['found']} found"
    )


if __name__ == "__main__":
    main()
