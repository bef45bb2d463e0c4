"""Citizen feedback: reports filed per second through Open311 beside the bare Django view, and
the p95 of GET requests.json over 1,000,000 reports.

1. `haicap serve` (gunicorn, production settings); wrk POSTs
   ``/open311/v2/requests.json`` (an api_key, an old address converted by
   ``vietnamadminunits``, the full filing: report, deadline, history, audit, job) and GETs
   ``/-/bare`` (a JSON answer, no database), interleaved, medians of three rounds; the ratio.
2. 1,000,000 reports written by one INSERT … SELECT generate_series (a third of them public,
   spread over two years, over the categories and Hà Nội's communes), then 200 GETs of
   ``/open311/v2/requests.json`` with the spec's filters (none, status, service_code, a
   date window, one id), timed one after the other: p50 and p95.

    .venv/bin/python bench/feedback.py [--reports 1000000] [--seconds 10]
"""

from __future__ import annotations

import argparse
import contextlib
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlencode

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.common import HAICAP, database_url, ensure_wrk, fresh_database, run, save, wrk

BENCH_DB = "haicap_bench_feedback"
PORT = 8106

POST_SCRIPT = """
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/x-www-form-urlencoded"
wrk.body = "{body}"
"""

GENERATE = """
INSERT INTO feedback_report (
  code, secret, token, channel, category_id, province_id, unit_id, located, unit_confirmed,
  address, title, description, media_url, full_name, phone, email, device_id, account_id,
  is_public, callback_phone, client_key, status, transfers, escalated, reopened,
  received_at, due_at, mark_15_at, waited_seconds, answer, updated_at, rating, rating_note,
  version
)
SELECT 'PB-' || lpad(g::text, 8, '0'), 'SECRET', 'tok-' || g, 'app',
       (%(categories)s::bigint[])[1 + g %% array_length(%(categories)s::bigint[], 1)],
       %(province)s,
       (%(units)s::bigint[])[1 + g %% array_length(%(units)s::bigint[], 1)],
       'address_new', true, 'Hà Nội', '', 'Phản ánh số ' || g, '', '', '', '', '', '',
       g %% 3 = 0, '', '',
       (ARRAY['received','assigned','in_progress','answered','closed'])[1 + g %% 5],
       0, false, 0,
       now() - (g %% 730) * interval '1 day' - (g %% 86400) * interval '1 second',
       now() - (g %% 730) * interval '1 day' + interval '21 days',
       now() - (g %% 730) * interval '1 day' + interval '21 days',
       0, CASE WHEN g %% 5 >= 3 THEN 'Đã xử lý' ELSE '' END,
       now() - (g %% 730) * interval '1 day', '', '', 1
FROM generate_series(1, %(n)s) AS g
"""


@contextlib.contextmanager
def serving(port: int) -> Iterator[str]:
    """`haicap serve` without its job worker (jobs stay queued), given five minutes to start:
    on a loaded machine its collectstatic alone takes more than a minute."""
    process = subprocess.Popen(
        [HAICAP, "serve", "--port", str(port), "--no-access-log", "--no-worker"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 300
        while True:
            try:
                with urllib.request.urlopen(f"{base}/-/health", timeout=2) as response:  # noqa: S310
                    if response.status == 200:
                        break
            except OSError:
                if process.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError("haicap serve did not start") from None
                time.sleep(1)
        yield base
    finally:
        process.terminate()
        try:
            process.wait(timeout=60)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=30)


def post_rate(base: str, key: str, seconds: int) -> dict[str, dict[str, float]]:
    body = urlencode(
        {
            "api_key": key,
            "service_code": "moi-truong",
            "address_string": "Phường Trúc Bạch, Quận Ba Đình, Hà Nội",
            "description": "Đèn đường hỏng trước số 12",
        }
    )
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as script:
        script.write(POST_SCRIPT.format(body=body))
    # Warm every worker: the first filing in a process loads the address tables.
    _wrk_post(f"{base}/open311/v2/requests.json", script.name, 5)
    runs: dict[str, list[dict[str, float]]] = {"bare": [], "post": []}
    for _ in range(3):
        runs["bare"].append(wrk(f"{base}/-/bare", seconds=seconds, connections=8))
        runs["post"].append(_wrk_post(f"{base}/open311/v2/requests.json", script.name, seconds))
    os.unlink(script.name)
    result = {}
    for name, measured in runs.items():
        ordered = sorted(measured, key=lambda m: m["rps"])
        result[name] = {**ordered[1], "rounds_rps": [m["rps"] for m in measured]}
    return result


def _wrk_post(url: str, script: str, seconds: int) -> dict[str, float]:
    import re

    output = subprocess.run(
        [ensure_wrk(), "-t2", "-c8", f"-d{seconds}s", "--latency", "-s", script, url],
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", output)
    rps = re.search(r"Requests/sec:\s+([\d.]+)", output)
    p50 = re.search(r"^\s+50%\s+([\d.]+)(us|ms|s)$", output, re.MULTILINE)
    scale = {"us": 0.001, "ms": 1.0, "s": 1000.0}
    return {
        "rps": float(rps.group(1)) if rps else 0.0,
        "p50_ms": float(p50.group(1)) * scale[p50.group(2)] if p50 else 0.0,
        "non_2xx": int(errors.group(1)) if errors else 0,
    }


def generate(n: int) -> float:
    from django.db import connection

    from haicap.feedback.models import Category
    from haicap.units.models import AdminUnit, Tier
    from haicap.units.queries import today

    hanoi = AdminUnit.objects.in_force_on(today()).get(code="01", tier=Tier.PROVINCE)
    units = list(
        AdminUnit.objects.in_force_on(today())
        .filter(province=hanoi, tier=Tier.COMMUNE)
        .values_list("id", flat=True)
    )
    categories = list(Category.objects.filter(province=None).values_list("id", flat=True))
    started = time.monotonic()
    with connection.cursor() as cursor:
        cursor.execute(
            GENERATE,
            {"n": n, "units": units, "categories": categories, "province": hanoi.pk},
        )
        cursor.execute("ANALYZE feedback_report")
    return round(time.monotonic() - started, 1)


def get_p95(base: str, samples: int = 200) -> dict[str, float]:
    rng = random.Random(311)
    queries = [
        "",
        "status=open",
        "status=closed",
        "service_code=moi-truong",
        "service_code=giao-thong,trat-tu&status=open",
        "start_date=2026-06-01T00:00:00%2B07:00&end_date=2026-06-30T23:59:59%2B07:00",
        "service_request_id=PB-00000300,PB-00000303",
    ]
    timings = []
    sizes = []
    for _ in range(samples):
        query = rng.choice(queries)
        started = time.perf_counter()
        with urllib.request.urlopen(f"{base}/open311/v2/requests.json?{query}") as response:  # noqa: S310
            body = response.read()
        timings.append(time.perf_counter() - started)
        sizes.append(len(body))
    timings.sort()
    return {
        "p50_ms": round(statistics.median(timings) * 1000, 1),
        "p95_ms": round(timings[int(len(timings) * 0.95) - 1] * 1000, 1),
        "max_ms": round(timings[-1] * 1000, 1),
        "median_bytes": int(statistics.median(sizes)),
        "samples": samples,
    }


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--reports", type=int, default=1_000_000)
    parser.add_argument("--seconds", type=int, default=10)
    args = parser.parse_args()
    url = fresh_database(database_url(), BENCH_DB)
    os.environ.update(
        {
            "DATABASE_URL": url,
            "HAICAP_RATE_LIMIT_FEEDBACK_CLIENT": "off",
            "HAICAP_RATE_LIMIT_FEEDBACK_KEY": "off",
        }
    )
    run("setup", "--no-progress")
    key = run("feedback", "apikey", "create", "bench").strip()
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "src"))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "haicap.settings")
    import django

    django.setup()
    with serving(PORT) as base:
        wrk(f"{base}/-/bare", seconds=2, connections=8)  # warm every worker
        filing = post_rate(base, key, args.seconds)
        filing["ratio_post_to_bare"] = {
            "value": round(filing["post"]["rps"] / filing["bare"]["rps"], 4)
        }
        save("feedback-filing", {"filing": filing})
        generated = generate(args.reports)
        listing = get_p95(base)
        save("feedback-listing", {"reports": args.reports, "get_requests": listing})
    save(
        "feedback",
        {
            "filing": filing,
            "reports": args.reports,
            "generate_seconds": generated,
            "get_requests": listing,
        },
    )


if __name__ == "__main__":
    main()
