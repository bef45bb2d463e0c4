"""Reorganisation figures (issue 5), on a fresh database beside the main one.

1,000,000 pending dossiers (and 10,040 legacy one-stop desks, 30,120 officer roles) spread
over the 10,040 legacy communes, then the national 1 July 2025 plan:

1. the reference: one hand-written ``UPDATE … FROM`` moving the same dossiers along the same
   default-successor mapping, timed inside a transaction that is rolled back (then VACUUM);
2. ``haicap reorg preview`` (every dossier placed) and ``haicap reorg apply`` (moved in
   batches with a timeline event and an audit row each, staff, desks and units following),
   each timed as the whole command;
3. the same apply again: nothing moves twice.

    .venv/bin/python bench/reorg.py [--dossiers 1000000]
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import psycopg

from bench.common import fresh_setup, run, save

BENCH_DB = "haicap_bench_reorg"

LEGACY_DESKS = """
INSERT INTO units_servicecenter (code, name, kind, unit_id, address, phone, email,
                                 opening_hours, is_active)
SELECT 'OLD.' || u.code, 'Bộ phận một cửa ' || u.name, 'commune', u.id, u.name, '', '', '', false
FROM units_adminunit u
WHERE u.tier = 'commune' AND u.valid_to = '2025-06-30'
"""

LEGACY_STAFF = """
INSERT INTO auth_user (password, is_superuser, username, first_name, last_name, email,
                       is_staff, is_active, date_joined)
SELECT '!', false, 'old.' || u.code || '.' || r.role, '', '', '', false, true, now()
FROM units_adminunit u CROSS JOIN (VALUES ('receiver'), ('specialist'), ('leader')) r(role)
WHERE u.tier = 'commune' AND u.valid_to = '2025-06-30';
INSERT INTO staff_roleassignment (user_id, unit_id, role, is_active, created_at)
SELECT a.id, u.id, split_part(a.username, '.', 3), true, now()
FROM auth_user a JOIN units_adminunit u
  ON u.code = split_part(a.username, '.', 2) AND u.valid_to = '2025-06-30'
WHERE a.username LIKE 'old.%';
"""

# Open dossiers only (2 accepted, 4 processing, 5 supplement, 6 payment, 9 result ready),
# received in the last weeks before the reform at the old commune's desk.
DESKS = """
CREATE TEMP TABLE desks AS
SELECT row_number() OVER (ORDER BY c.id) - 1 AS n, c.id, c.unit_id, u.province_id
FROM units_servicecenter c JOIN units_adminunit u ON u.id = c.unit_id
WHERE c.code LIKE 'OLD.%'
"""

GENERATE = """
INSERT INTO dossiers_dossier (
    code, secret, procedure_id, channel, applicant_name, applicant_name_key,
    applicant_id_number, applicant_phone, applicant_email, applicant_address,
    receiving_centre_id, receiving_unit_id, responsible_unit_id, province_id,
    status, outcome, received_at, due_at, original_due_at, finished_at,
    paused_seconds, step, at_other_agency, pages, copies, fee, fee_paid, payment_method,
    supplement_requests, apologies, result_note, version, idempotency_fingerprint, created_at
)
SELECT
    'OLD-' || g, 'SECRET00', %(procedure)s, 1 + g %% 2, 'Người nộp ' || g, 'nguoi nop ' || g,
    '', '', '', '',
    d.id, d.unit_id, d.unit_id, d.province_id,
    s.status, CASE WHEN s.status = 9 THEN 'approved' ELSE '' END,
    t.received, t.received + interval '5 days', t.received + interval '5 days',
    CASE WHEN s.status = 9 THEN t.received + interval '2 days' END,
    0, 2, '', 0, 1, 0, false, '', 0, 0, '', 1, '', t.received
FROM generate_series(1, %(count)s) AS g
JOIN desks AS d ON d.n = (g::bigint * 7919) %% %(desks)s
JOIN LATERAL (SELECT (ARRAY[2, 4, 4, 4, 5, 6, 9])[1 + g %% 7] AS status) AS s ON true
JOIN LATERAL (
    SELECT timestamptz '2025-06-30 16:00+07' - ((g %% 40) || ' days')::interval AS received
) AS t ON true
"""

REFERENCE = """
UPDATE dossiers_dossier d
SET responsible_unit_id = s.successor_id, receiving_unit_id = s.successor_id,
    province_id = n.province_id, version = d.version + 1
FROM units_succession s JOIN units_adminunit n ON n.id = s.successor_id
WHERE s.predecessor_id = d.responsible_unit_id AND s.is_default
  AND d.status IN (1, 2, 4, 5, 6, 9)
"""


def timed(*args: str, env: dict[str, str]) -> tuple[float, str]:
    started = time.perf_counter()
    output = run(*args, env=env)
    return time.perf_counter() - started, output


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--dossiers", type=int, default=1_000_000)
    args = parser.parse_args()

    url, env = fresh_setup(BENCH_DB)
    started = time.perf_counter()
    with psycopg.connect(url, autocommit=True) as conn:
        (procedure,) = conn.execute(
            "SELECT id FROM procedures_procedure WHERE code = 'HCP.HT.004'"
        ).fetchone()
        conn.execute(LEGACY_DESKS)
        conn.execute(LEGACY_STAFF)
        conn.execute(DESKS)
        (desks,) = conn.execute("SELECT count(*) FROM desks").fetchone()
        conn.execute(GENERATE, {"procedure": procedure, "count": args.dossiers, "desks": desks})
        conn.execute("ANALYZE dossiers_dossier")
        (pending,) = conn.execute(
            "SELECT count(*) FROM dossiers_dossier WHERE status IN (1, 2, 4, 5, 6, 9)"
        ).fetchone()
        (roles,) = conn.execute("SELECT count(*) FROM staff_roleassignment").fetchone()
    generate_seconds = time.perf_counter() - started
    print(f"generated {pending} pending dossiers at {desks} old desks in {generate_seconds:.0f} s")

    # The reference: the same move as one statement, rolled back so the plan moves the same rows.
    with psycopg.connect(url) as conn:
        started = time.perf_counter()
        moved_by_reference = conn.execute(REFERENCE).rowcount
        reference_seconds = time.perf_counter() - started
        conn.rollback()
    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute("VACUUM ANALYZE dossiers_dossier")
    print(f"reference UPDATE … FROM: {moved_by_reference} rows in {reference_seconds:.1f} s")

    plan_seconds, output = timed("reorg", "plan-2025", env=env)
    plan_id = output.strip().splitlines()[-1]
    preview_seconds, preview = timed("reorg", "preview", plan_id, env=env)
    print(preview.strip().splitlines()[0])
    apply_seconds, applied = timed("reorg", "apply", plan_id, "--no-progress", env=env)
    print(applied.strip())
    again_seconds, again = timed("reorg", "apply", plan_id, "--no-progress", env=env)
    print(again.strip())
    with psycopg.connect(url) as conn:
        (moved,) = conn.execute(
            "SELECT count(*) FROM dossiers_dossierevent WHERE action = 'move'"
        ).fetchone()
        (audited,) = conn.execute(
            "SELECT count(*) FROM core_auditevent WHERE verb = 'dossier.move'"
        ).fetchone()
        (left_behind,) = conn.execute(
            "SELECT count(*) FROM dossiers_dossier d JOIN units_adminunit u"
            " ON u.id = d.responsible_unit_id WHERE u.valid_to IS NOT NULL AND d.status <> 9"
        ).fetchone()
    save(
        "reorg",
        {
            "pending_dossiers": pending,
            "legacy_desks": desks,
            "role_assignments": roles,
            "generate_seconds": round(generate_seconds, 1),
            "reference_update_from_seconds": round(reference_seconds, 1),
            "reference_rows": moved_by_reference,
            "plan_2025_command_seconds": round(plan_seconds, 1),
            "preview_command_seconds": round(preview_seconds, 1),
            "apply_command_seconds": round(apply_seconds, 1),
            "apply_output": applied.strip(),
            "second_apply_seconds": round(again_seconds, 1),
            "second_apply_output": again.strip(),
            "move_events": moved,
            "move_audit_rows": audited,
            "pending_left_at_old_units": left_behind,
            "ratio_apply_to_reference": round(apply_seconds / reference_seconds, 2),
            "ratio_preview_plus_apply_to_reference": round(
                (preview_seconds + apply_seconds) / reference_seconds, 2
            ),
        },
    )


if __name__ == "__main__":
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "haicap.settings")
    main()
