"""Indicator figures (issue 6), on a fresh database beside the main one.

10,000,000 dossiers over the 3,321 commune centres and the last 400 days (most finished, some
late, some online, some rated), generated in chunks of 1,000,000 with the figures' triggers
off; then:

1. `haicap reports rebuild` (every daily row counted from the dossiers), timed as a command,
   beside one plain SQL aggregate over the raw table (the year's totals per province);
2. the national dashboard and Hà Nội's, for this month and for the last 12 months: page
   time (median of 7, in-process through Django's test client, signed in, static files
   unhashed) and query count; the same for the API; beside one plain SQL aggregate over the
   raw dossiers of the same 12 months;
3. a refresh after 1,000 dossiers change.

    .venv/bin/python bench/reports.py [--dossiers 10000000]
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import psycopg

from bench.common import database_url, fresh_setup, median_ms, run, save

BENCH_DB = "haicap_bench_reports"
CHUNK = 1_000_000

CENTRES = """
CREATE TABLE bench_centres AS
SELECT row_number() OVER (ORDER BY c.id) - 1 AS n, c.id, c.unit_id, u.province_id
FROM units_servicecenter c JOIN units_adminunit u ON u.id = c.unit_id
WHERE c.kind = 'commune'
"""

# Dossier g: a centre, a procedure, a day in the last 400 days; 92% finished (of which
# about 1 in 9 late), 3% still open, the rest withdrawn or refused; a third online; every
# fourth returned dossier rated.
GENERATE = """
INSERT INTO dossiers_dossier (
    code, secret, procedure_id, channel, applicant_name, applicant_name_key,
    applicant_id_number, applicant_phone, applicant_email, applicant_address,
    receiving_centre_id, receiving_unit_id, responsible_unit_id, province_id,
    status, outcome, received_at, due_at, original_due_at, legal_due_at, finished_at,
    working_seconds, returned_at, paused_seconds, step, at_other_agency, pages, copies, fee,
    fee_paid, payment_method, supplement_requests, apologies, result_note, version,
    idempotency_fingerprint, created_at
)
SELECT
    'GEN-' || g, 'SECRET00', p.procedure_id, CASE WHEN g %% 3 = 0 THEN 2 ELSE 1 END,
    'Người nộp ' || (g %% 5000), 'nguoi nop ' || (g %% 5000), '', '', '', '',
    c.id, c.unit_id, c.unit_id, c.province_id,
    s.status, CASE WHEN s.status IN (9, 10) THEN 'approved' ELSE '' END,
    t.received, t.due, t.due, t.due,
    CASE WHEN s.status IN (3, 7, 8, 9, 10) THEN t.finished END,
    CASE WHEN s.status IN (3, 8, 9, 10) THEN t.seconds END,
    CASE WHEN s.status = 10 THEN t.finished + interval '1 day' END,
    0, 2, '', 0, 1, CASE WHEN g %% 4 = 0 THEN 15000 ELSE 0 END,
    g %% 4 = 0, CASE WHEN g %% 4 = 0 AND g %% 3 = 0 THEN 'online' WHEN g %% 4 = 0 THEN 'cash'
                    ELSE '' END,
    0, CASE WHEN g %% 97 = 0 THEN 1 ELSE 0 END, '', 1, '', t.received
FROM generate_series(%(first)s, %(last)s) AS g
JOIN bench_centres AS c ON c.n = (g::bigint * 7919) %% %(centres)s
JOIN bench_procedures AS p ON p.n = g %% %(procedures)s
JOIN LATERAL (
    SELECT CASE WHEN g %% 100 < 3 THEN (ARRAY[2, 4, 5])[1 + g %% 3]
                WHEN g %% 100 < 5 THEN (ARRAY[3, 7])[1 + g %% 2]
                WHEN g %% 100 < 8 THEN 9 WHEN g %% 100 < 9 THEN 8 ELSE 10 END AS status
) AS s ON true
JOIN LATERAL (
    SELECT now() - ((g %% 400) || ' days')::interval - ((g %% 480) || ' minutes')::interval
        AS received
) AS r ON true
JOIN LATERAL (
    SELECT r.received AS received, r.received + interval '3 days' AS due,
           r.received + CASE WHEN g %% 9 = 0 THEN interval '5 days'
                             ELSE ((g %% 60) || ' hours')::interval END AS finished,
           ((g %% 60) * 3600 * 95 / 240) AS seconds
) AS t ON true
"""

RATINGS = """
INSERT INTO dossiers_rating (dossier_id, score, comment, created_at)
SELECT id, 1 + (id %% 3), '', now() FROM dossiers_dossier
WHERE status = 10 AND id %% 4 = 0 AND id BETWEEN %(low)s AND %(high)s
"""

RAW_AGGREGATE = """
SELECT province_id, count(*),
       count(*) FILTER (WHERE channel = 2),
       count(*) FILTER (WHERE finished_at IS NOT NULL AND status IN (3, 8, 9, 10)),
       count(*) FILTER (WHERE finished_at <= legal_due_at),
       count(*) FILTER (WHERE finished_at > legal_due_at),
       avg(working_seconds)
FROM dossiers_dossier
WHERE received_at >= %(start)s
GROUP BY province_id
"""


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--dossiers", type=int, default=10_000_000)
    parser.add_argument(
        "--reuse", action="store_true", help="keep the dossiers of the last run (no generation)"
    )
    args = parser.parse_args()
    if args.reuse:
        url = urlunsplit(urlsplit(database_url())._replace(path=f"/{BENCH_DB}"))
        env = {"DATABASE_URL": url, "HAICAP_DB_POOL_SIZE": "0"}
        with psycopg.connect(url) as conn:
            (total,) = conn.execute("SELECT count(*) FROM dossiers_dossier").fetchone()
        generate_seconds = 0.0
    else:
        url, env = fresh_setup(BENCH_DB)
        total, generate_seconds = generate(url, args.dossiers)
    print(f"{total:,} dossiers", flush=True)
    measure(url, env, total, generate_seconds)


def generate(url: str, count: int) -> tuple[int, float]:
    started = time.perf_counter()
    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute("SET session_replication_role = replica")  # no figure triggers
        conn.execute(CENTRES)
        conn.execute(
            "CREATE TABLE bench_procedures AS SELECT row_number() OVER (ORDER BY id) - 1 AS n,"
            " id AS procedure_id FROM procedures_procedure WHERE competent_tier = 'commune'"
        )
        (centres,) = conn.execute("SELECT count(*) FROM bench_centres").fetchone()
        (procedures,) = conn.execute("SELECT count(*) FROM bench_procedures").fetchone()
        for first in range(1, count + 1, CHUNK):
            last = min(first + CHUNK - 1, count)
            conn.execute(
                GENERATE,
                {
                    "first": first,
                    "last": last,
                    "centres": centres,
                    "procedures": procedures,
                },
            )
            print(f"  {last:,} dossiers ({time.perf_counter() - started:.0f} s)", flush=True)
        (low, high) = conn.execute("SELECT min(id), max(id) FROM dossiers_dossier").fetchone()
        conn.execute(RATINGS, {"low": low, "high": high})
        conn.execute("VACUUM ANALYZE")
        (total,) = conn.execute("SELECT count(*) FROM dossiers_dossier").fetchone()
    return total, time.perf_counter() - started


def measure(url: str, env: dict[str, str], total: int, generate_seconds: float) -> None:
    started = time.perf_counter()
    rebuilt = run("reports", "rebuild", env=env).strip()
    rebuild_seconds = time.perf_counter() - started
    print(f"rebuild: {rebuilt} ({rebuild_seconds:.1f} s as a command)", flush=True)

    os.environ.update(env)
    # Pages rendered in-process link plain static files (serve collects hashed ones).
    os.environ["HAICAP_STATIC_MANIFEST"] = "0"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "haicap.settings")
    import django

    django.setup()
    figures = {
        "dossiers": total,
        "generate_seconds": round(generate_seconds, 1),
        "rebuild_command_seconds": round(rebuild_seconds, 1),
        "rebuild_output": rebuilt,
        **pages(),
    }
    save("reports", figures)


def pages() -> dict[str, object]:
    import datetime as dt

    from django.contrib.auth.models import User
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from haicap.core.actors import SYSTEM
    from haicap.reports.aggregate import refresh
    from haicap.staff.actions import do_create_api_token
    from haicap.units.queries import today

    end = today()
    year = (end - dt.timedelta(days=364)).isoformat()
    root, _created = User.objects.get_or_create(
        username="bench.root", defaults={"is_superuser": True, "is_staff": True}
    )
    client = Client(HTTP_HOST="127.0.0.1")
    client.force_login(root)
    _record, token = do_create_api_token("bench.root", actor=SYSTEM)
    api = {"Authorization": f"Bearer {token}"}
    results: dict[str, object] = {}
    targets = {
        "nation_month": "/staff/reports/",
        "nation_12_months": f"/staff/reports/?from={year}",
        "hanoi_month": "/staff/reports/01/",
        "hanoi_12_months": f"/staff/reports/01/?from={year}",
        "ward_12_months": f"/staff/reports/00004/?from={year}",
        "public_index_12_months": f"/reports/?from={year}",
        "api_nation_12_months": f"/api/v1/indicators?from={year}",
        "api_ranking_hanoi_12_months": f"/api/v1/indicators/ranking?province=01&from={year}",
    }
    for name, url in targets.items():
        headers = api if url.startswith("/api/") else {}
        client.get(url, headers=headers)  # warm: the registry lineage is cached after this
        timings, queries = [], 0
        for _ in range(7):
            with CaptureQueriesContext(connection) as captured:
                started = time.perf_counter()
                response = client.get(url, headers=headers)
                timings.append(time.perf_counter() - started)
            assert response.status_code == 200, (url, response.status_code)
            queries = len(captured)
        results[name] = {"ms_median": median_ms(timings, 1), "queries": queries}
        print(name, results[name], flush=True)

    # The reference: one plain SQL aggregate over the raw dossiers for the same 12 months.
    plain = []
    with connection.cursor() as cursor:
        for _ in range(3):
            started = time.perf_counter()
            cursor.execute(RAW_AGGREGATE, {"start": year})
            cursor.fetchall()
            plain.append(time.perf_counter() - started)
    results["plain_sql_12_months_by_province_ms"] = median_ms(plain, 1)
    page = results["nation_12_months"]
    assert isinstance(page, dict)
    results["ratio_plain_sql_to_nation_page"] = round(
        statistics.median(plain) * 1000 / page["ms_median"], 1
    )

    # A refresh after 1,000 dossiers changed (what the worker does every minute).
    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE dossiers_dossier SET apologies = apologies + 1 "
            "WHERE id IN (SELECT id FROM dossiers_dossier WHERE finished_at IS NOT NULL "
            "ORDER BY id DESC LIMIT 1000)"
        )
    started = time.perf_counter()
    counted = refresh()
    results["refresh_after_1000_changes"] = {
        "keys": counted.keys,
        "rows": counted.rows,
        "ms": round((time.perf_counter() - started) * 1000, 1),
    }
    return results


if __name__ == "__main__":
    main()
