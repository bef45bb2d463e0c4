"""Every write of the federation app, each in one transaction with its audit row."""

from __future__ import annotations

import datetime as dt
import json
import secrets
from collections.abc import Iterable
from typing import Any

from django.contrib.auth.hashers import make_password
from django.core.serializers.json import DjangoJSONEncoder
from django.db import connection, transaction
from django.db.models import F
from django.utils import timezone

from haicap.core import audit
from haicap.core.actors import SYSTEM, Actor
from haicap.core.errors import Invalid, NotFound
from haicap.federation.models import (
    HubProvince,
    HubReconciliation,
    OutboxItem,
    OutboxState,
    Reconciliation,
)
from haicap.federation.protocol import ErrorCode, ProtocolError
from haicap.units.models import AdminUnit, Tier

# The hub's side


def do_register_province(
    province_code: str,
    *,
    dstcode: str,
    username: str,
    password: str,
    key: str | None = None,
    portal_url: str = "",
    actor: Actor,
) -> tuple[HubProvince, str]:
    """Connect a province to the hub (or change its account); returns it and its key."""
    unit = AdminUnit.objects.filter(
        code=province_code, tier=Tier.PROVINCE, valid_to__isnull=True
    ).first()
    if unit is None:
        raise NotFound(f"No province {province_code} in force.", field="province")
    if not dstcode or len(dstcode) > 20 or not username or len(password) < 12:
        raise Invalid("dstcode, a username and a password of 12 characters or more are needed.")
    key = key or secrets.token_urlsafe(32)
    with transaction.atomic():
        province, created = HubProvince.objects.update_or_create(
            province=unit,
            defaults={
                "dstcode": dstcode,
                "username": username,
                "password": make_password(password),
                "key": key,
                "portal_url": portal_url.rstrip("/"),
            },
        )
        audit.record(
            "federation.province_registered" if created else "federation.province_changed",
            actor=actor,
            subject_type="hub_province",
            subject_id=dstcode,
            unit_id=unit.pk,
            after={"dstcode": dstcode, "username": username, "portal_url": portal_url},
        )
    return province, key


def count_call(province: HubProvince, *, ok: bool, changes: int, error: str = "") -> None:
    """The monitor's counters: calls, refusals and changes per province and hour."""
    now = timezone.now()
    hour = now.replace(minute=0, second=0, microsecond=0)
    with connection.cursor() as cursor:
        cursor.execute(
            """
            INSERT INTO federation_hubtraffic (province_id, hour, calls, errors, changes)
            VALUES (%s, %s, 1, %s, %s)
            ON CONFLICT (province_id, hour) DO UPDATE SET
                calls = federation_hubtraffic.calls + 1,
                errors = federation_hubtraffic.errors + EXCLUDED.errors,
                changes = federation_hubtraffic.changes + EXCLUDED.changes
            """,
            [province.pk, hour, 0 if ok else 1, changes],
        )
    if ok:
        HubProvince.objects.filter(pk=province.pk).update(last_success_at=now)
    else:
        HubProvince.objects.filter(pk=province.pk).update(last_error_at=now, last_error=error[:300])


_UPSERT = """
WITH incoming AS (
    SELECT * FROM jsonb_to_recordset(%(rows)s::jsonb) AS x(
        code text, version integer, madonvi text, unit_id bigint, procedure_code text,
        procedure_name text, sector text, applicant_name text, applicant_kind smallint,
        summary text, received_at timestamptz, due_at timestamptz, status smallint,
        finished_at timestamptz, returned_at timestamptz, channel smallint,
        handling_unit text, lists jsonb, secret_hash text)
), written AS (
    INSERT INTO federation_synceddossier AS s (
        code, province_id, madonvi, unit_id, version, procedure_code, procedure_name, sector,
        applicant_name, applicant_kind, summary, received_at, due_at, status, finished_at,
        returned_at, channel, handling_unit, lists, secret_hash, first_received_at, updated_at)
    SELECT code, %(province)s, madonvi, unit_id, version, procedure_code, procedure_name,
           sector, applicant_name, applicant_kind, summary, received_at, due_at, status,
           finished_at, returned_at, channel, handling_unit, lists, secret_hash,
           clock_timestamp(), clock_timestamp()
    FROM incoming
    ON CONFLICT (code) DO UPDATE SET
        madonvi = EXCLUDED.madonvi, unit_id = EXCLUDED.unit_id, version = EXCLUDED.version,
        procedure_code = EXCLUDED.procedure_code, procedure_name = EXCLUDED.procedure_name,
        sector = EXCLUDED.sector, applicant_name = EXCLUDED.applicant_name,
        applicant_kind = EXCLUDED.applicant_kind, summary = EXCLUDED.summary,
        received_at = EXCLUDED.received_at, due_at = EXCLUDED.due_at,
        status = EXCLUDED.status, finished_at = EXCLUDED.finished_at,
        returned_at = EXCLUDED.returned_at, channel = EXCLUDED.channel,
        handling_unit = EXCLUDED.handling_unit, lists = EXCLUDED.lists,
        secret_hash = EXCLUDED.secret_hash, updated_at = clock_timestamp()
    WHERE s.version <= EXCLUDED.version AND s.province_id = EXCLUDED.province_id
    RETURNING 1
)
SELECT count(*) FROM written
"""


def do_ingest_dossiers(province: HubProvince, rows: list[dict[str, Any]]) -> tuple[int, int]:
    """Keep the highest version of each dossier; returns (applied, ignored as stale).

    The same version sent again (a re-send after reconciliation) is written again: it
    carries the same state, and repairs a copy that drifted."""
    latest: dict[str, dict[str, Any]] = {}
    for row in rows:
        held = latest.get(row["code"])
        if held is None or held["version"] < row["version"]:
            latest[row["code"]] = row
    codes = list(latest)
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT code FROM federation_synceddossier WHERE code = ANY(%s) AND province_id <> %s",
            [codes, province.pk],
        )
        foreign = {code for (code,) in cursor.fetchall()}
        if foreign:
            bad = next(row for row in rows if row["code"] in foreign)
            raise ProtocolError(
                ErrorCode.OTHER_PROVINCE,
                f"{bad['code']} is a dossier of another province.",
                field="MaHoSo",
                index=bad["index"],
            )
        cursor.execute(
            _UPSERT,
            {
                "rows": json.dumps(list(latest.values()), cls=DjangoJSONEncoder),
                "province": province.pk,
            },
        )
        (applied,) = cursor.fetchone()
    audit.record(
        "federation.dossiers_synced",
        actor=SYSTEM,
        subject_type="hub_province",
        subject_id=province.dstcode,
        unit_id=province.province_id,
        after={"received": len(rows), "applied": applied},
    )
    return int(applied), len(rows) - int(applied)


def do_ingest_progress(province: HubProvince, steps: list[dict[str, Any]]) -> int:
    """Keep each step once per (dossier, version); a step of an unknown dossier is refused."""
    codes = sorted({step["code"] for step in steps})
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT code, id FROM federation_synceddossier"
            " WHERE code = ANY(%s) AND province_id = %s",
            [codes, province.pk],
        )
        ids = dict(cursor.fetchall())
        missing = next((step for step in steps if step["code"] not in ids), None)
        if missing is not None:
            raise ProtocolError(
                ErrorCode.NOT_FOUND,
                f"No dossier {missing['code']} from this province: push it first.",
                field="MaHoSo",
                index=missing["index"],
            )
        rows = [
            {
                **{k: v for k, v in step.items() if k not in ("code", "index")},
                "dossier_id": ids[step["code"]],
            }
            for step in steps
        ]
        cursor.execute(
            """
            WITH written AS (
                INSERT INTO federation_syncedprogress
                    (dossier_id, seq, actor, at, content, status, received_at)
                SELECT dossier_id, seq, actor, at, content, status, clock_timestamp()
                FROM jsonb_to_recordset(%s::jsonb) AS x(dossier_id bigint, seq integer,
                    actor text, at timestamptz, content text, status smallint)
                ON CONFLICT (dossier_id, seq) DO NOTHING
                RETURNING 1
            )
            SELECT count(*) FROM written
            """,
            [json.dumps(rows, cls=DjangoJSONEncoder)],
        )
        (added,) = cursor.fetchone()
    audit.record(
        "federation.progress_synced",
        actor=SYSTEM,
        subject_type="hub_province",
        subject_id=province.dstcode,
        unit_id=province.province_id,
        after={"received": len(steps), "added": added},
    )
    return int(added)


def do_record_hub_reconciliation(
    province: HubProvince, day: dt.date, differences: list[dict[str, Any]]
) -> HubReconciliation:
    record, _created = HubReconciliation.objects.update_or_create(
        province=province,
        day=day,
        defaults={"checked_at": timezone.now(), "differences": differences},
    )
    audit.record(
        "federation.reconciled",
        actor=SYSTEM,
        subject_type="hub_province",
        subject_id=province.dstcode,
        unit_id=province.province_id,
        after={"day": day.isoformat(), "differences": len(differences)},
    )
    return record


# The province's side


def do_retry_dead(ids: Iterable[int] | None = None, *, actor: Actor) -> int:
    """Put dead letters (all, or those ``ids``) back in the queue for an immediate try."""
    from haicap.federation.tasks import enqueue_push

    with transaction.atomic():
        rows = OutboxItem.objects.filter(state=OutboxState.DEAD)
        if ids is not None:
            rows = rows.filter(pk__in=list(ids))
        count = rows.update(state=OutboxState.PENDING, attempts=0, next_attempt_at=timezone.now())
        audit.record(
            "federation.dead_letters_retried",
            actor=actor,
            subject_type="outbox",
            after={"count": count},
        )
        if count:
            enqueue_push()
    return count


def do_resend_dossiers(dossier_ids: list[int], *, actor: Actor, reason: str) -> int:
    """Queue the dossiers' whole timelines again (the hub keeps each step once)."""
    from haicap.federation.tasks import enqueue_push

    with transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute(
                """
                INSERT INTO federation_outboxitem (dossier_id, seq, event_id)
                SELECT e.dossier_id, e.seq, e.id FROM dossiers_dossierevent e
                WHERE e.dossier_id = ANY(%s)
                """,
                [dossier_ids],
            )
            count = int(cursor.rowcount)
        audit.record(
            "federation.dossiers_resent",
            actor=actor,
            subject_type="outbox",
            after={"dossiers": len(dossier_ids), "steps": count, "reason": reason[:200]},
        )
        if count:
            enqueue_push()
    return count


def do_record_reconciliation(
    day: dt.date, differences: list[dict[str, Any]], *, actor: Actor
) -> Reconciliation:
    with transaction.atomic():
        record, _created = Reconciliation.objects.update_or_create(
            day=day, defaults={"checked_at": timezone.now(), "differences": differences}
        )
        audit.record(
            "federation.reconciled",
            actor=actor,
            subject_type="reconciliation",
            subject_id=day.isoformat(),
            after={"differences": len(differences)},
        )
    return record


def do_mark_resent(record: Reconciliation, count: int, *, actor: Actor) -> None:
    with transaction.atomic():
        Reconciliation.objects.filter(pk=record.pk).update(
            resent_at=timezone.now(), resent=F("resent") + count
        )
        audit.record(
            "federation.reconciliation_resent",
            actor=actor,
            subject_type="reconciliation",
            subject_id=record.day.isoformat(),
            after={"steps": count},
        )
