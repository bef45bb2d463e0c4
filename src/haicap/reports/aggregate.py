"""Counting the dossiers into the daily figures: a full rebuild, or a refresh of the days that
changed. Both run the same SQL (one statement per table and side), so a refresh gives exactly
what a rebuild would.

Which days changed is written by database triggers (migration 0002) into `ChangedDay`, from
every write to a dossier or a rating, raw SQL included (a reorganisation's moves, an import).
A refresh takes those keys, deletes the affected daily rows and counts them again from the
dossiers. Refreshes and rebuilds take one advisory lock, so they never interleave.
"""

from __future__ import annotations

import time
from dataclasses import dataclass

from django.conf import settings
from django.db import connection, transaction
from django.utils import timezone

from haicap.dossiers.models import Channel, Status
from haicap.dossiers.result_signing import TITLE as NOTICE_TITLE
from haicap.reports import histogram
from haicap.reports.models import RefreshRun

ZONE = "Asia/Ho_Chi_Minh"
# Statuses that end processing (docs/domain.md#dossier-statuses: processed, returned, stopped,
# refused).
FINISHED_STATUSES = (Status.NOT_ACCEPTED, Status.STOPPED, Status.PROCESSED, Status.RETURNED)
WITH_RESULT = f"{Status.PROCESSED:d}, {Status.RETURNED:d}"
_LOCK = (7_250_702, 1)


def seconds_per_working_day() -> int:
    open_, close = settings.OFFICE_OPEN, settings.OFFICE_CLOSE
    return (close.hour * 3600 + close.minute * 60) - (open_.hour * 3600 + open_.minute * 60)


def _local_day(column: str) -> str:
    return f"({column} AT TIME ZONE '{ZONE}')::date"


def _received_metrics() -> str:
    intake_paper = (
        "EXISTS (SELECT 1 FROM dossiers_dossierpaper p"
        " WHERE p.dossier_id = d.id AND p.stage = 'intake')"
    )
    return f"""
        count(*) AS received,
        count(*) FILTER (WHERE d.channel = {Channel.ONLINE:d}) AS received_online,
        count(*) FILTER (WHERE {intake_paper}) AS digitised
    """


def _finished_metrics() -> str:
    """Per (key, day, bucket): the bucket is computed once per dossier, in ``hb``."""
    # The signed notice every decided dossier gets (result_signing) tells the outcome; it is
    # not the result itself, so only a result paper the officer attached counts.
    assert "'" not in NOTICE_TITLE
    result_paper = (
        "EXISTS (SELECT 1 FROM dossiers_dossierpaper p"
        f" WHERE p.dossier_id = d.id AND p.stage = 'result' AND p.name <> '{NOTICE_TITLE}')"
    )
    return f"""
        count(*) AS finished,
        count(*) FILTER (WHERE d.finished_at <= d.legal_due_at) AS on_time,
        count(*) FILTER (
            WHERE {_local_day("d.finished_at")} < {_local_day("d.legal_due_at")}
        ) AS early,
        count(*) FILTER (WHERE d.finished_at > d.legal_due_at) AS late,
        count(*) FILTER (WHERE d.apologies > 0) AS apologised,
        COALESCE(sum(d.working_seconds), 0) AS working_seconds,
        count(*) FILTER (WHERE d.status IN ({WITH_RESULT})) AS with_result,
        count(*) FILTER (WHERE d.status IN ({WITH_RESULT}) AND {result_paper}) AS e_results,
        count(*) FILTER (WHERE d.fee > 0) AS fee_bearing,
        count(*) FILTER (WHERE d.fee > 0 AND d.payment_method = 'online') AS paid_online,
        count(r.id) AS rated,
        count(*) FILTER (WHERE r.score = 3) AS rated_very_satisfied,
        count(*) FILTER (WHERE r.score = 2) AS rated_satisfied,
        count(*) FILTER (WHERE r.score = 1) AS rated_not_satisfied
    """


RECEIVED_COLUMNS = ("received", "received_online", "digitised")
FINISHED_COLUMNS = (
    "finished",
    "on_time",
    "early",
    "late",
    "apologised",
    "working_seconds",
    "histogram",
    "with_result",
    "e_results",
    "fee_bearing",
    "paid_online",
    "rated",
    "rated_very_satisfied",
    "rated_satisfied",
    "rated_not_satisfied",
)
_FINISHED_SUMS = [name for name in FINISHED_COLUMNS if name != "histogram"]


@dataclass(frozen=True)
class Grain:
    """A figures table: its key columns and the dossier columns they come from.

    A grain with ``rolled_from`` is summed from that table instead of counted from the
    dossiers (a province's day is the sum of its units' days).
    """

    table: str
    keys: tuple[str, ...]
    sources: tuple[str, ...]
    # Key columns that select the dossiers (or rows) to recount with the day, for a refresh.
    match: tuple[str, ...]
    rolled_from: str = ""


GRAINS = (
    Grain(
        "reports_unitday",
        ("unit_id", "province_id"),
        ("d.responsible_unit_id", "d.province_id"),
        ("unit_id",),
    ),
    Grain(
        "reports_procedureday",
        ("province_id", "procedure_id"),
        ("d.province_id", "d.procedure_id"),
        ("province_id", "procedure_id"),
    ),
    # A province's day is the sum of its procedures' days (a dozen rows, not a hundred units).
    Grain(
        "reports_provinceday",
        ("province_id",),
        ("d.province_id",),
        ("province_id",),
        rolled_from="reports_procedureday",
    ),
)

# Beyond this many changed days (a reorganisation moved a million dossiers), counting
# everything again is faster than recounting day by day.
REBUILD_ABOVE_KEYS = 100_000


def _dossiers(keys_table: str | None, pairs: list[tuple[str, str]], moment: str) -> str:
    """The dossiers to count, as ``d``: all of them, or those of the changed keys' days.

    For a refresh, each key's dossiers are read through an index (LATERAL): joined as sets,
    the planner scanned all 10,000,000 dossiers for a thousand changed days.
    """
    if keys_table is None:
        return "dossiers_dossier d"
    matches = " AND ".join(f"{column.replace('d.', 'd0.')} = k.{key}" for key, column in pairs)
    column = moment.replace("d.", "d0.")
    return (
        f"{keys_table} k CROSS JOIN LATERAL (SELECT * FROM dossiers_dossier d0 WHERE {matches}"
        f" AND {column} >= (k.day::timestamp AT TIME ZONE '{ZONE}')"
        f" AND {column} < ((k.day + 1)::timestamp AT TIME ZONE '{ZONE}')) d"
    )


def _ratings(keys_table: str | None) -> str:
    """The dossiers' ratings as ``r``: hashed for a rebuild, looked up one by one for a
    refresh (a hash join read all 2,000,000 ratings to recount a thousand days; the LIMIT
    keeps the planner from turning the lookup back into that join)."""
    if keys_table is None:
        return "LEFT JOIN dossiers_rating r ON r.dossier_id = d.id"
    return (
        "LEFT JOIN LATERAL (SELECT r0.id, r0.score FROM dossiers_rating r0"
        " WHERE r0.dossier_id = d.id LIMIT 1) r ON true"
    )


def _count_sql(grain: Grain, keys_table: str | None) -> str:
    """INSERT the grain's rows (all, or the days in ``keys_table``)."""
    if grain.rolled_from:
        return _roll_up_sql(grain, keys_table)
    source_of = dict(zip(grain.keys, grain.sources, strict=True))
    pairs = [(key, source_of[key]) for key in grain.match]
    key_list = ", ".join(
        f"{source} AS {key}" for key, source in zip(grain.keys, grain.sources, strict=True)
    )
    keys = ", ".join(grain.keys)
    group = ", ".join(str(i) for i in range(1, len(grain.keys) + 2))
    days = f"(COALESCE(d.working_seconds, 0)::float8 / {seconds_per_working_day()})"
    columns = (*grain.keys, "day", *RECEIVED_COLUMNS, *FINISHED_COLUMNS)
    chosen = [
        *(f"COALESCE(r.{key}, f.{key})" for key in (*grain.keys, "day")),
        *(f"COALESCE(r.{name}, 0)" for name in RECEIVED_COLUMNS),
        *(
            f"COALESCE(f.{name}, ARRAY[]::int[])"
            if name == "histogram"
            else f"COALESCE(f.{name}, 0)"
            for name in FINISHED_COLUMNS
        ),
    ]
    statuses = ", ".join(str(status) for status in FINISHED_STATUSES)
    return f"""
        WITH r AS (
            SELECT {key_list}, {_local_day("d.received_at")} AS day, {_received_metrics()}
            FROM {_dossiers(keys_table, pairs, "d.received_at")}
            WHERE d.received_at IS NOT NULL
            GROUP BY {group}
        ),
        by_bucket AS (
            SELECT {key_list}, {_local_day("d.finished_at")} AS day, hb.bucket,
                   {_finished_metrics()}
            FROM {_dossiers(keys_table, pairs, "d.finished_at")}
            CROSS JOIN LATERAL (SELECT {histogram.bucket_sql(days)} AS bucket) hb
            {_ratings(keys_table)}
            WHERE d.received_at IS NOT NULL AND d.finished_at IS NOT NULL
              AND d.status IN ({statuses})
            GROUP BY {group}, hb.bucket
        ),
        f AS (
            SELECT {keys}, day,
                   {", ".join(f"sum({name})::bigint AS {name}" for name in _FINISHED_SUMS)},
                   {histogram.spread_sql("finished", "bucket")} AS histogram
            FROM by_bucket GROUP BY {keys}, day
        )
        INSERT INTO {grain.table} ({", ".join(columns)})
        SELECT {", ".join(chosen)}
        FROM r FULL JOIN f USING ({", ".join((*grain.keys, "day"))})
    """


def _roll_up_sql(grain: Grain, keys_table: str | None) -> str:
    """INSERT the grain's rows summed from a finer table (all, or the changed days)."""
    within = ""
    if keys_table is not None:
        matches = " AND ".join(f"t.{key} = k.{key}" for key in (*grain.match, "day"))
        within = f"JOIN {keys_table} k ON {matches}"
    sums = [
        histogram.sum_sql("t.histogram") + "::int[]"
        if name == "histogram"
        else f"sum(t.{name})::bigint"
        for name in (*RECEIVED_COLUMNS, *FINISHED_COLUMNS)
    ]
    columns = (*grain.keys, "day", *RECEIVED_COLUMNS, *FINISHED_COLUMNS)
    return f"""
        INSERT INTO {grain.table} ({", ".join(columns)})
        SELECT {", ".join(f"t.{key}" for key in grain.keys)}, t.day, {", ".join(sums)}
        FROM {grain.rolled_from} t {within}
        GROUP BY {", ".join(f"t.{key}" for key in grain.keys)}, t.day
    """


@dataclass
class Result:
    keys: int = 0
    rows: int = 0
    seconds: float = 0.0


def _finish(kind: str, result: Result, started: float) -> Result:
    result.seconds = time.monotonic() - started
    RefreshRun.objects.create(
        kind=kind,
        started_at=timezone.now(),
        seconds=result.seconds,
        keys=result.keys,
        rows=result.rows,
    )
    # Keep the last hundred runs: enough to see the rhythm, never a growing table.
    stale = RefreshRun.objects.order_by("-started_at", "-id").values_list("id", flat=True)[100:]
    RefreshRun.objects.filter(id__in=list(stale)).delete()
    return result


def rebuild() -> Result:
    """Every daily row counted again from all dossiers (the changes waiting are dropped)."""
    started = time.monotonic()
    result = Result()
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SELECT pg_advisory_xact_lock(%s, %s)", _LOCK)
        cursor.execute(
            "TRUNCATE reports_changedday, reports_unitday, reports_provinceday, "
            "reports_procedureday"
        )
        for grain in GRAINS:
            cursor.execute(_count_sql(grain, None))
            result.rows += cursor.rowcount
        return _finish("rebuild", result, started)


def refresh() -> Result:
    """Recount the days that changed since the last refresh."""
    started = time.monotonic()
    result = Result()
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) > %s FROM reports_changedday", [REBUILD_ABOVE_KEYS])
        (too_many,) = cursor.fetchone()
    if too_many:
        return rebuild()
    keys_tables = [f"reports_keys_{number}" for number in range(len(GRAINS))]
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SELECT pg_advisory_xact_lock(%s, %s)", _LOCK)
        cursor.execute(
            """
            CREATE TEMP TABLE reports_changed AS
            WITH taken AS (
                DELETE FROM reports_changedday
                RETURNING unit_id, province_id, procedure_id, day
            )
            SELECT DISTINCT unit_id, province_id, procedure_id, day FROM taken
            """
        )
        result.keys = cursor.rowcount
        for grain, keys_table in zip(GRAINS, keys_tables, strict=True):
            if not result.keys:
                break
            match = ", ".join(grain.match)
            cursor.execute(
                f"CREATE TEMP TABLE {keys_table} AS "
                f"SELECT DISTINCT {match}, day FROM reports_changed"
            )
            cursor.execute(f"ANALYZE {keys_table}")
            same = " AND ".join(f"t.{key} = k.{key}" for key in (*grain.match, "day"))
            cursor.execute(f"DELETE FROM {grain.table} t USING {keys_table} k WHERE {same}")
            cursor.execute(_count_sql(grain, keys_table))
            result.rows += cursor.rowcount
        # Dropped here rather than on commit: a refresh may run inside a longer transaction.
        cursor.execute(f"DROP TABLE IF EXISTS reports_changed, {', '.join(keys_tables)}")
        if not result.keys:
            return result
        return _finish("refresh", result, started)
