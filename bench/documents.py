"""Official documents: numbering under concurrency beside a bare PostgreSQL sequence, printing
a register of 10,000 documents, and searching 1,000,000 documents.

1. 8 threads, each on its own connection, issue approved documents of one agency
   (``do_issue``: the register's row locked, number, notation, event, audit) for a few
   seconds; beside it, 8 threads take ``nextval`` of a bare sequence, one transaction each.
2. 10,000 outgoing documents in one register (INSERT … SELECT), printed as PDF (WeasyPrint).
3. 1,000,000 documents (INSERT … SELECT generate_series, subjects from a word list), then
   the p95 of 200 searches of two words without diacritics through ``search.search``.

    .venv/bin/python bench/documents.py [--documents 1000000] [--seconds 10]
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import sys
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.common import fresh_setup, save

BENCH_DB = "haicap_bench_documents"
_PHRASES = (
    "quyết định kế hoạch thông báo báo cáo tờ trình công văn giao đất xây dựng trường học "
    "y tế giáo dục ngân sách sắp xếp đơn vị hành chính phòng chống lụt bão an ninh trật tự "
    "cải cách thủ tục chuyển đổi số khen thưởng kỷ luật tuyển dụng biên chế tài chính"
)
WORDS = tuple(_PHRASES.split())


def numbering(seconds: float, threads: int = 8) -> dict[str, float]:
    from django.db import connection

    from haicap.core.actors import SYSTEM
    from haicap.documents import actions
    from haicap.documents.agencies import ensure_agency
    from haicap.documents.models import AgencyKind, Document
    from haicap.units.queries import unit_by_code

    agency = ensure_agency(unit_by_code("00004"), AgencyKind.PEOPLES_COMMITTEE)
    pool = []
    for index in range(int(seconds * 400)):
        document = actions.do_create_draft(
            agency, actions.Draft(type_code="TB", subject=f"Thông báo {index}"), actor=SYSTEM
        )
        pool.append(actions.do_approve(document, actor=SYSTEM))
    lock = threading.Lock()
    counts: list[int] = []

    def issue(deadline: float) -> None:
        done = 0
        while time.monotonic() < deadline:
            with lock:
                if not pool:
                    break
                document = pool.pop()
            actions.do_issue(document, actor=SYSTEM)
            done += 1
        counts.append(done)
        connection.close()

    def counter(deadline: float) -> None:
        """A bare gapless counter: one row, UPDATE … RETURNING, one transaction each."""
        done = 0
        with connection.cursor() as cursor:
            while time.monotonic() < deadline:
                cursor.execute("BEGIN; UPDATE bench_counter SET n = n + 1 RETURNING n; COMMIT;")
                done += 1
        counts.append(done)
        connection.close()

    def sequence(deadline: float) -> None:
        done = 0
        with connection.cursor() as cursor:
            while time.monotonic() < deadline:
                cursor.execute("BEGIN; SELECT nextval('bench_seq'); COMMIT;")
                done += 1
        counts.append(done)
        connection.close()

    with connection.cursor() as cursor:
        cursor.execute("DROP SEQUENCE IF EXISTS bench_seq; CREATE SEQUENCE bench_seq")
        cursor.execute(
            "DROP TABLE IF EXISTS bench_counter; CREATE TABLE bench_counter (n bigint);"
            "INSERT INTO bench_counter VALUES (0)"
        )
    figures = {}
    for name, target in (
        ("issue_per_s", issue),
        ("sequence_per_s", sequence),
        ("counter_per_s", counter),
    ):
        counts.clear()
        deadline = time.monotonic() + seconds
        workers = [threading.Thread(target=target, args=(deadline,)) for _ in range(threads)]
        for worker in workers:
            worker.start()
        for worker in workers:
            worker.join()
        figures[name] = round(sum(counts) / seconds, 1)
    numbers = list(Document.objects.filter(number__isnull=False).values_list("number", flat=True))
    figures["gaps_or_duplicates"] = int(sorted(numbers) != list(range(1, len(numbers) + 1)))
    figures["ratio"] = round(figures["issue_per_s"] / figures["sequence_per_s"], 4)
    figures["ratio_to_counter"] = round(figures["issue_per_s"] / figures["counter_per_s"], 3)
    return figures


GENERATE = """
INSERT INTO documents_document (agency_id, direction, status, source, type_code, subject,
    urgency, register_id, number, notation, number_text, issued_on, arrival_number,
    sender_code, sender_name, document_id, signer_name, signer_title, page_count, copies,
    recipients, recipients_text, restricted, lead_label, note, search_text, version,
    created_at, drafting_unit)
SELECT %(agency)s, %(direction)s, 'issued', 'drafted', 'QĐ', s.subject, 0,
    %(register)s, CASE WHEN %(numbered)s THEN g ELSE NULL END, 'QĐ-UBND',
    lpad(g::text, 2, '0') || '/QĐ-UBND', %(day)s, NULL, '', '', '', 'Nguyễn Văn An',
    'Chủ tịch', 1, 1, '[]', 'Các phòng, ban', false, '', '', s.key || ' ' || g, 1, now(), ''
FROM generate_series(1, %(count)s) AS g
CROSS JOIN LATERAL (
    SELECT string_agg(w, ' ') AS subject, string_agg(k, ' ') AS key FROM (
        SELECT (%(words)s::text[])[1 + (abs(hashtext(g::text || i::text)) %% %(n)s)] AS w,
               (%(keys)s::text[])[1 + (abs(hashtext(g::text || i::text)) %% %(n)s)] AS k
        FROM generate_series(1, 8) AS i
    ) picked
) s
"""


def generate(agency_id: int, register_id: int | None, count: int, *, numbered: bool) -> float:
    from django.db import connection
    from django.utils import timezone

    from haicap.core.text import search_key

    started = time.monotonic()
    with connection.cursor() as cursor:
        cursor.execute(
            GENERATE,
            {
                "agency": agency_id,
                "direction": "out",
                "register": register_id,
                "numbered": numbered,
                "day": timezone.localdate(),
                "count": count,
                "words": list(WORDS),
                "keys": [search_key(w) for w in WORDS],
                "n": len(WORDS),
            },
        )
        cursor.execute("ANALYZE documents_document")
    return round(time.monotonic() - started, 1)


def print_register(count: int) -> dict[str, float]:
    from haicap.documents import registers
    from haicap.documents.agencies import ensure_agency
    from haicap.documents.models import AgencyKind, Register
    from haicap.documents.numbering import register_for
    from haicap.units.queries import unit_by_code

    agency = ensure_agency(unit_by_code("00070"), AgencyKind.PEOPLES_COMMITTEE)
    register = register_for(agency, "out", __import__("datetime").date.today())
    generate(agency.pk, register.pk, count, numbered=True)
    Register.objects.filter(pk=register.pk).update(last_number=count)
    span = registers.period(register.year)
    started = time.monotonic()
    pdf = registers.render_pdf(agency, "out", span)
    return {"documents": count, "seconds": round(time.monotonic() - started, 1), "bytes": len(pdf)}


def searching(count: int, rounds: int = 200) -> dict[str, float]:
    from haicap.core.text import search_key
    from haicap.documents import search
    from haicap.documents.agencies import ensure_agency
    from haicap.documents.models import AgencyKind, Document
    from haicap.units.queries import unit_by_code

    agency = ensure_agency(unit_by_code("01"), AgencyKind.PEOPLES_COMMITTEE)
    generated = generate(agency.pk, None, count, numbered=False)
    rng = random.Random(7)
    samples = []
    for _ in range(rounds):
        query = " ".join(search_key(rng.choice(WORDS)) for _ in range(2))
        found = search.search(Document.objects.all(), query).order_by("-created_at", "-id")
        started = time.monotonic()
        list(found[:25])
        found.count()
        samples.append(time.monotonic() - started)
    samples.sort()
    return {
        "documents": Document.objects.count(),
        "generate_seconds": generated,
        "p50_ms": round(statistics.median(samples) * 1000, 1),
        "p95_ms": round(samples[int(len(samples) * 0.95) - 1] * 1000, 1),
    }


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--documents", type=int, default=1_000_000)
    parser.add_argument("--register", type=int, default=10_000)
    parser.add_argument("--seconds", type=float, default=10)
    parser.add_argument("--only", choices=("numbering", "register_pdf", "search"))
    args = parser.parse_args()

    _url, env = fresh_setup(BENCH_DB)
    os.environ.update(env)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "haicap.settings")
    import django

    django.setup()
    figures: dict[str, object] = {}
    for name, step in (
        ("numbering", lambda: numbering(args.seconds)),
        ("register_pdf", lambda: print_register(args.register)),
        ("search", lambda: searching(args.documents)),
    ):
        if args.only and name != args.only:
            continue
        figures[name] = step()
        print(name, figures[name], flush=True)
    save("documents", figures)


if __name__ == "__main__":
    main()
