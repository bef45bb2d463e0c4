"""One-stop-shop figures (issue 3), on a fresh database beside the main one:

1. intake throughput: dossiers/s through do_intake_dossier (code, due date, fee, timeline
   event, audit event, in one transaction each) beside plain SQL INSERTs of the same rows
   (one transaction each, and all in one transaction);
2. the "my unit" queue at 1,000,000 dossiers: the page's queries (ms and count) beside the
   plain SQL query, for a ward (Ba Đình) and for a whole province (Hà Nội);
3. the filtered queue page at 1,000,000 dossiers, the whole HTTP request in-process (Django
   test client: middleware, session, template): filters by channel, status and received
   date, sorted by a column, and a name search over every dossier the officer may see
   (finished included); p50/p95 and query count, beside the unfiltered page.

    .venv/bin/python bench/dossiers.py [--dossiers 1000000] [--intake 2000]
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import re
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))


from bench.common import fresh_setup, median_ms, save

BENCH_DB = "haicap_bench_dossiers"


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--dossiers", type=int, default=1_000_000)
    parser.add_argument("--intake", type=int, default=2000)
    args = parser.parse_args()

    _url, env = fresh_setup(BENCH_DB)
    os.environ.update(env)

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "haicap.settings")
    import django

    django.setup()
    figures = {"intake": intake(args.intake), "queue": queue(args.dossiers)}
    figures["filtered_queue"] = filtered_queue()
    save("dossiers", figures)


def intake(count: int) -> dict[str, object]:
    from django.db import connection, transaction

    from haicap.core.actors import SYSTEM
    from haicap.dossiers.actions import Applicant, do_intake_dossier
    from haicap.dossiers.models import Dossier
    from haicap.procedures.models import Procedure
    from haicap.units.models import ServiceCenter

    procedure = Procedure.objects.get(code="HCP.HT.004")
    centre = ServiceCenter.objects.select_related("unit", "unit__province").get(code="H01.00004")
    applicant = Applicant(
        full_name="Nguyễn Văn An", id_number="001203004567", phone="0912345678", address="Số 1"
    )
    do_intake_dossier(procedure=procedure, centre=centre, applicant=applicant, actor=SYSTEM)
    started = time.perf_counter()
    for _ in range(count):
        do_intake_dossier(procedure=procedure, centre=centre, applicant=applicant, actor=SYSTEM)
    action_seconds = time.perf_counter() - started

    # The same dossier rows, as plain INSERTs of the finished row (no code sequence, no
    # event, no audit): first one transaction each, as the action commits, then one in all.
    template = Dossier.objects.filter(procedure=procedure).order_by("-pk").first()
    assert template is not None
    columns = [
        f.column
        for f in Dossier._meta.concrete_fields
        if f.column not in {"id", "code", "idempotency_key"}
    ]
    values = [
        getattr(template, f.attname) for f in Dossier._meta.concrete_fields if f.column in columns
    ]
    statement = "INSERT INTO dossiers_dossier (code, {}) VALUES (%s, {})".format(
        ", ".join(columns), ", ".join(["%s"] * len(columns))
    )
    started = time.perf_counter()
    with connection.cursor() as cursor:
        for number in range(count):
            with transaction.atomic():
                cursor.execute(statement, [f"BENCH-A-{number}", *values])
    plain_each_seconds = time.perf_counter() - started
    started = time.perf_counter()
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.executemany(statement, [[f"BENCH-B-{n}", *values] for n in range(count)])
    plain_batch_seconds = time.perf_counter() - started
    action_rate = count / action_seconds
    return {
        "dossiers": count,
        "action_per_second": round(action_rate, 1),
        "plain_insert_each_committed_per_second": round(count / plain_each_seconds, 1),
        "plain_insert_one_transaction_per_second": round(count / plain_batch_seconds, 1),
        "ratio_action_to_plain_each": round(action_rate / (count / plain_each_seconds), 3),
    }


GENERATE = """
INSERT INTO dossiers_dossier (
    code, secret, procedure_id, channel, applicant_name, applicant_name_key,
    applicant_id_number, applicant_phone, applicant_email, applicant_address,
    receiving_centre_id, receiving_unit_id, responsible_unit_id, province_id,
    status, outcome, received_at, due_at, original_due_at, finished_at, returned_at,
    paused_seconds, step, at_other_agency, pages, copies, fee, fee_paid, payment_method,
    supplement_requests, apologies, result_note, version, idempotency_fingerprint, created_at
)
SELECT
    'GEN-' || g, 'SECRET00', %(procedure)s, 1 + g %% 2, 'Người nộp ' || g, 'nguoi nop ' || g,
    lpad((g %% 1000000000000)::text, 12, '0'), '', '', '',
    c.id, c.unit_id, c.unit_id, u.province_id,
    s.status,
    CASE WHEN s.status IN (9, 10) THEN 'approved' ELSE '' END,
    t.received, t.received + interval '3 days', t.received + interval '3 days',
    CASE WHEN s.status IN (3, 7, 8, 9, 10) THEN t.received + interval '2 days' END,
    CASE WHEN s.status = 10 THEN t.received + interval '3 days' END,
    0, 2, '', 0, 1, 0, false, '', 0, 0, '', 1, '', t.received
FROM generate_series(1, %(count)s) AS g
JOIN LATERAL (SELECT (g::bigint * 7919) %% %(centres)s AS i) AS pick ON true
JOIN centres AS c ON c.n = pick.i
JOIN units_adminunit AS u ON u.id = c.unit_id
JOIN LATERAL (
    SELECT CASE WHEN g %% 10 = 0 THEN (ARRAY[2, 4, 4, 4, 5, 6, 9])[1 + (g / 10) %% 7]
                ELSE (ARRAY[10, 10, 10, 10, 10, 10, 3, 7, 8])[1 + g %% 9] END AS status
) AS s ON true
JOIN LATERAL (
    SELECT now() - ((g %% 400) || ' days')::interval - ((g %% 480) || ' minutes')::interval
        AS received
) AS t ON true
"""


def queue(count: int) -> dict[str, object]:
    from django.contrib.auth.models import User
    from django.db import connection
    from django.test.utils import CaptureQueriesContext
    from django.utils import timezone

    from haicap.core.actors import SYSTEM
    from haicap.core.pagination import paginate
    from haicap.dossiers import queues
    from haicap.procedures.models import Procedure
    from haicap.staff.actions import do_add_staff_member

    procedure = Procedure.objects.get(code="HCP.HT.004")
    started = time.perf_counter()
    with connection.cursor() as cursor:
        # Exactly ``count`` dossiers: drop the intake benchmark's rows first.
        cursor.execute("TRUNCATE dossiers_dossier CASCADE")
        cursor.execute(
            "CREATE TEMP TABLE centres AS SELECT row_number() OVER (ORDER BY id) - 1 AS n, id,"
            " unit_id FROM units_servicecenter WHERE kind = 'commune'"
        )
        cursor.execute("SELECT count(*) FROM centres")
        (centres,) = cursor.fetchone()
        cursor.execute(GENERATE, {"procedure": procedure.pk, "count": count, "centres": centres})
        cursor.execute("ANALYZE dossiers_dossier")
        cursor.execute("SELECT count(*) FROM dossiers_dossier")
        (total,) = cursor.fetchone()
    generate_seconds = time.perf_counter() - started

    ward = do_add_staff_member(
        "bench.ward", unit_code="00004", roles=["receiver"], actor=SYSTEM
    ).user
    province = do_add_staff_member(
        "bench.province", unit_code="01", roles=["province_admin"], actor=SYSTEM
    ).user
    results: dict[str, object] = {
        "dossiers_in_table": total,
        "generate_seconds": round(generate_seconds, 1),
    }
    for label, user, where, params in (
        ("ward_00004", ward, "(responsible_unit_id = %s OR receiving_unit_id = %s)", 2),
        ("province_01", province, "province_id = %s", 1),
    ):
        assert isinstance(user, User)
        unit_id = user.role_assignments.values_list("unit_id", flat=True).first()
        timings, query_counts = [], []
        open_count = 0
        for _ in range(7):
            now = timezone.now()
            with CaptureQueriesContext(connection) as captured:
                started = time.perf_counter()
                counts = queues.queue_counts(user, now)
                page = paginate(
                    queues.for_list(queues.queue(user, "unit", now)), 1, 25, count=counts["unit"]
                )
                timings.append(time.perf_counter() - started)
            query_counts.append(len(captured))
            open_count = counts["unit"]
            assert len(page.items) == min(25, open_count)
        breakdown = _each_query(captured.captured_queries)
        plain = f"""
            SELECT id, code, due_at FROM dossiers_dossier
            WHERE {where} AND status IN (1, 2, 4, 5, 6, 9)
            ORDER BY due_at, code LIMIT 25
        """
        plain_timings = []
        with connection.cursor() as cursor:
            for _ in range(7):
                started = time.perf_counter()
                cursor.execute(plain, [unit_id] * params)
                cursor.fetchall()
                plain_timings.append(time.perf_counter() - started)
            cursor.execute("EXPLAIN (ANALYZE, BUFFERS) " + plain, [unit_id] * params)
            plan = [row[0] for row in cursor.fetchall()]
        results[label] = {
            "open_dossiers": open_count,
            "page_ms_median": median_ms(timings),
            "queries": max(query_counts),
            "plain_sql_ms_median": median_ms(plain_timings),
            "ratio_page_to_plain": round(
                statistics.median(timings) / statistics.median(plain_timings), 1
            ),
            "plain_plan": plan[:6],
            # Where the page's time goes: each of its queries run again alone (SQL as sent),
            # and what is left for Python (the ORM building them, the rows becoming objects).
            "each_query_ms_median": breakdown,
            "python_ms": round(median_ms(timings) - sum(q["ms"] for q in breakdown), 2),
        }
    return results


def _each_query(captured: list[dict[str, str]]) -> list[dict[str, object]]:
    """Each captured query's median time when run alone, with the server's own execution time
    from EXPLAIN ANALYZE, so the page's time splits into database and Python."""
    from django.db import connection

    found: list[dict[str, object]] = []
    with connection.cursor() as cursor:
        for query in captured:
            sql = query["sql"]
            runs = []
            for _ in range(7):
                started = time.perf_counter()
                cursor.execute(sql)
                cursor.fetchall()
                runs.append(time.perf_counter() - started)
            cursor.execute("EXPLAIN (ANALYZE, FORMAT JSON) " + sql)
            (plan,) = cursor.fetchone()
            found.append(
                {
                    "query": " ".join(sql.split())[:90],
                    "ms": median_ms(runs),
                    "server_ms": round(plan[0]["Execution Time"], 2),
                }
            )
    return found


def _p95(samples: list[float]) -> float:
    ordered = sorted(samples)
    return round(ordered[min(len(ordered) - 1, int(0.95 * len(ordered)))] * 1000, 2)


def filtered_queue(rounds: int = 40) -> dict[str, object]:
    """The queue page over HTTP (in-process), filtered and sorted, for the ward and province
    officers made by ``queue``."""
    from django.utils import timezone

    since = (timezone.localdate() - dt.timedelta(days=90)).isoformat()
    pages = {
        "unfiltered (reference)": "/staff/?queue=unit",
        "filtered: online, processing, received in 90 days, by received date": (
            f"/staff/?queue=unit&channel=2&status=4&received_from={since}&sort=-received"
        ),
        "search every dossier by name (finished included)": "/staff/?queue=all&q=nguoi+nop+123",
        "search every dossier by ID number (exact)": "/staff/?queue=all&q=000000000123",
    }
    from django.conf import settings
    from django.test import override_settings

    # Pages link the static files by their manifest name; this database was never
    # collectstatic'ed, so the plain storage names them (the same work per request).
    storages = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    with override_settings(STORAGES=storages):
        return _filtered_pages(pages, rounds)


def _shown(html: str) -> int:
    """The page's own count ("1.234 hồ sơ") of the dossiers it found."""
    found = re.search(r'role="status">([\d.,]+) ', html)
    return int(re.sub(r"[.,]", "", found.group(1))) if found else -1


def _filtered_pages(pages: dict[str, str], rounds: int) -> dict[str, object]:
    from django.contrib.auth.models import User
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    results: dict[str, object] = {}
    for username in ("bench.ward", "bench.province"):
        client = Client(HTTP_HOST="127.0.0.1")
        client.force_login(User.objects.get(username=username))
        per_user: dict[str, object] = {}
        for label, url in pages.items():
            client.get(url)  # warm: the session and the scope
            timings, queries, status = [], 0, 0
            for _ in range(rounds):
                with CaptureQueriesContext(connection) as captured:
                    started = time.perf_counter()
                    response = client.get(url)
                    timings.append(time.perf_counter() - started)
                queries, status = len(captured), response.status_code
            assert status == 200, (url, status)
            per_user[label] = {
                "url": url,
                "rows": _shown(response.content.decode()),
                "p50_ms": median_ms(timings),
                "p95_ms": _p95(timings),
                "queries": queries,
            }
        results[username] = per_user
    return results


if __name__ == "__main__":
    main()
