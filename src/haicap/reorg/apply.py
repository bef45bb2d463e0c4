"""Carrying out a plan: pending work moves to the successors in set-based batches.

Each batch is one transaction and one SQL statement: the dossiers are updated, each gets a
"move" timeline event naming the plan, and its placement is marked done. A run that stops
half-way is resumed by running it again; nothing is moved twice. Dossiers changed since they
were placed are placed again and moved in the next round.
"""

from __future__ import annotations

import datetime as dt
from concurrent.futures import FIRST_COMPLETED, Future, ThreadPoolExecutor, wait
from dataclasses import dataclass
from typing import Any

from django.db import connection, transaction
from django.utils import timezone
from tqdm import tqdm

from haicap.reorg.models import PlanState, ReorgPlan
from haicap.reorg.placement import place
from haicap.units import cache as registry_cache

MOVE = """
WITH batch AS (
    SELECT p.* FROM reorg_placement p
    WHERE p.id = ANY(%(ids)s) AND p.moved_at IS NULL AND p.new_responsible_id IS NOT NULL
    FOR UPDATE
),
moved AS (
    UPDATE dossiers_dossier d
    SET responsible_unit_id = b.new_responsible_id,
        receiving_unit_id = b.new_receiving_id,
        province_id = b.new_province_id,
        version = d.version + 1
    FROM batch b
    WHERE d.id = b.dossier_id AND d.status = b.status
      AND d.responsible_unit_id = b.old_responsible_id
      AND d.receiving_unit_id = b.old_receiving_id
    RETURNING d.id, d.code, d.version, d.status, b.id AS placement_id, b.old_responsible_id,
              b.old_receiving_id, b.new_responsible_id, b.new_receiving_id, b.new_province_id
),
named AS (
    SELECT m.*, o.name AS old_name, n.name AS new_name
    FROM moved m
    JOIN units_adminunit o ON o.id = m.old_receiving_id
    JOIN units_adminunit n ON n.id = m.new_receiving_id
),
events AS (
    INSERT INTO dossiers_dossierevent (dossier_id, seq, at, action, actor_label, from_status,
                                       to_status, note, changes, data)
    SELECT m.id, m.version, %(now)s, 'move', %(actor)s, m.status, m.status, %(note)s,
           jsonb_build_object('responsible_unit_id', m.new_responsible_id,
                              'receiving_unit_id', m.new_receiving_id,
                              'province_id', m.new_province_id),
           jsonb_build_object('plan', %(plan)s, 'plan_name', %(name)s,
                              'from_responsible_unit_id', m.old_responsible_id,
                              'from_receiving_unit_id', m.old_receiving_id,
                              'from_name', m.old_name, 'to_name', m.new_name)
    FROM named m
    RETURNING 1
),
audited AS (
    INSERT INTO core_auditevent (at, actor_id, actor_label, unit_id, subject_type, subject_id,
                                 verb, before, after)
    SELECT %(now)s, %(actor_id)s::bigint, %(actor)s, m.new_responsible_id, 'dossier', m.code,
           'dossier.move',
           jsonb_build_object('responsible_unit_id', m.old_responsible_id,
                              'receiving_unit_id', m.old_receiving_id),
           jsonb_build_object('responsible_unit_id', m.new_responsible_id,
                              'receiving_unit_id', m.new_receiving_id, 'plan', %(plan)s)
    FROM moved m
    RETURNING 1
),
marked AS (
    UPDATE reorg_placement p SET moved_at = %(now)s
    FROM moved m WHERE p.id = m.placement_id
    RETURNING p.id
),
stale AS (
    -- Dossiers that changed since they were placed: placed again in the next round.
    -- NOT IN over the moved ids is hashed; an anti-join here was planned as a nested loop
    -- over 20,000 × 20,000 rows (the CTE's size is unknown to the planner).
    DELETE FROM reorg_placement p USING batch b
    WHERE p.id = b.id AND b.id NOT IN (SELECT placement_id FROM moved)
    RETURNING p.id
)
SELECT (SELECT count(*) FROM marked), (SELECT count(*) FROM stale),
       (SELECT count(*) FROM events), (SELECT count(*) FROM audited)
"""

STAFF = """
WITH moved AS (
    INSERT INTO staff_roleassignment (user_id, unit_id, role, is_active, created_at)
    SELECT ra.user_id, s.successor_id, ra.role, true, %(now)s
    FROM staff_roleassignment ra
    JOIN reorg_plansuccession s ON s.predecessor_id = ra.unit_id AND s.is_default
    WHERE s.plan_id = %(plan)s AND ra.is_active AND s.predecessor_id = ANY(%(units)s)
    ON CONFLICT (user_id, unit_id, role) DO UPDATE SET is_active = true
    RETURNING 1
)
SELECT count(*) FROM moved
"""

RETIRE_STAFF = """
UPDATE staff_roleassignment SET is_active = false
WHERE is_active AND unit_id = ANY(%(units)s)
"""

CENTRES = """
UPDATE units_servicecenter c
SET unit_id = s.successor_id,
    kind = 'reception_point',
    parent_id = (
        SELECT x.id FROM units_servicecenter x
        WHERE x.unit_id = s.successor_id AND x.kind IN ('commune', 'provincial') AND x.id <> c.id
        ORDER BY x.is_active DESC, x.id LIMIT 1
    )
FROM reorg_plansuccession s
WHERE s.plan_id = %(plan)s AND s.is_default AND c.unit_id = s.predecessor_id
  AND s.predecessor_id = ANY(%(units)s)
"""

CLOSE_UNITS = """
UPDATE units_adminunit SET valid_to = %(last_day)s
WHERE id = ANY(%(units)s) AND (valid_to IS NULL OR valid_to > %(last_day)s)
"""

RECORD_SUCCESSIONS = """
INSERT INTO units_succession (predecessor_id, successor_id, effective_date, kind, is_default,
                              legal_basis)
SELECT s.predecessor_id, s.successor_id, %(day)s, s.kind, s.is_default, %(basis)s
FROM reorg_plansuccession s
WHERE s.plan_id = %(plan)s AND s.predecessor_id = ANY(%(units)s)
  AND NOT EXISTS (SELECT 1 FROM units_succession x WHERE x.predecessor_id = s.predecessor_id)
"""


@dataclass
class ApplyResult:
    moved: int = 0
    batches: int = 0
    staff_moved: int = 0
    centres_moved: int = 0
    units_closed: int = 0
    finished: bool = False
    unplaced: int = 0

    def as_dict(self) -> dict[str, Any]:
        return {
            "moved": self.moved,
            "batches": self.batches,
            "staff_moved": self.staff_moved,
            "centres_moved": self.centres_moved,
            "units_closed": self.units_closed,
            "finished": self.finished,
            "cannot_be_placed": self.unplaced,
        }


def _predecessors(plan: ReorgPlan, province_id: int | None) -> list[int]:
    """The plan's old units (those whose default successor lies in ``province_id``, if given)."""
    found = plan.successions.filter(is_default=True)
    if province_id is not None:
        found = found.filter(successor__province_id=province_id)
    return list(found.values_list("predecessor_id", flat=True))


def _next_batch(plan: ReorgPlan, size: int, province_id: int | None, after: int) -> list[int]:
    """The next placements to carry out, in id order after ``after`` (keyset pagination)."""
    found = plan.placements.filter(
        id__gt=after, moved_at__isnull=True, new_responsible__isnull=False
    )
    if province_id is not None:
        found = found.filter(new_province_id=province_id)
    return list(found.order_by("id").values_list("id", flat=True)[:size])


def _move(ids: list[int], params: dict[str, Any], plan: ReorgPlan, on_batch: Any) -> int:
    """One batch, one transaction: the dossiers, their events and audit rows, the job."""
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(MOVE, {**params, "ids": ids})
        moved, _stale, _events, _audited = cursor.fetchone()
        if on_batch is not None and moved:
            on_batch(plan, ids[0], ids[-1])
    return int(moved)


def _move_in_thread(*args: Any) -> int:
    try:
        return _move(*args)
    finally:
        connection.close()  # the thread's own connection


def carry_out(
    plan: ReorgPlan,
    *,
    actor_label: str,
    actor_id: int | None = None,
    batch_size: int = 20_000,
    max_batches: int | None = None,
    province_id: int | None = None,
    workers: int = 1,
    progress: bool = False,
    on_batch: Any = None,
) -> ApplyResult:
    """Move the plan's pending work; ``max_batches`` stops early (the rest moves next run).

    With ``workers`` > 1, that many batches run at once on their own connections (batches
    touch different dossiers); the caller must not hold an open transaction.
    """
    result = ApplyResult()
    params: dict[str, Any] = {
        "now": timezone.now(),
        "actor": actor_label,
        "actor_id": actor_id,
        "note": f"{plan.name} ({plan.legal_basis})"[:1000],
        "plan": plan.pk,
        "name": plan.name,
    }
    if plan.state != PlanState.APPLIED:
        ReorgPlan.objects.filter(pk=plan.pk).update(state=PlanState.APPLYING)
    bar = tqdm(desc="dossiers", unit="dossiers", disable=not progress)
    pool = ThreadPoolExecutor(max_workers=workers) if workers > 1 else None
    try:
        while True:
            place(plan, refresh=False)
            moved_this_round = after = 0
            running: set[Future[int]] = set()
            while max_batches is None or result.batches < max_batches:
                ids = _next_batch(plan, batch_size, province_id, after)
                if not ids:
                    break
                result.batches += 1
                after = ids[-1]
                if pool is None:
                    moved = _move(ids, params, plan, on_batch)
                    result.moved += moved
                    moved_this_round += moved
                    bar.update(moved)
                    continue
                running.add(pool.submit(_move_in_thread, ids, params, plan, on_batch))
                if len(running) >= workers:
                    done, running = wait(running, return_when=FIRST_COMPLETED)
                    for future in done:
                        result.moved += future.result()
                        moved_this_round += future.result()
                        bar.update(future.result())
            for future in running:
                result.moved += future.result()
                moved_this_round += future.result()
                bar.update(future.result())
            if max_batches is not None and result.batches >= max_batches:
                break
            if moved_this_round == 0:
                break
    finally:
        bar.close()
        if pool is not None:
            pool.shutdown()
    now = params["now"]
    remaining = plan.placements.filter(moved_at__isnull=True, new_responsible__isnull=False)
    if province_id is not None:
        remaining = remaining.filter(new_province_id=province_id)
    result.unplaced = plan.placements.filter(
        moved_at__isnull=True, new_responsible__isnull=True
    ).count()
    if not remaining.exists():
        _follow_units(plan, province_id, now, result)
        result.finished = True
        whole_plan_done = not plan.placements.filter(
            moved_at__isnull=True, new_responsible__isnull=False
        ).exists()
        if whole_plan_done:
            ReorgPlan.objects.filter(pk=plan.pk).update(state=PlanState.APPLIED, applied_at=now)
    return result


def _follow_units(
    plan: ReorgPlan, province_id: int | None, now: dt.datetime, result: ApplyResult
) -> None:
    """Staff, service centres and the registry follow the units (idempotent)."""
    units = _predecessors(plan, province_id)
    params: dict[str, Any] = {
        "plan": plan.pk,
        "units": units,
        "now": now,
        "last_day": plan.effective_date - dt.timedelta(days=1),
        "day": plan.effective_date,
        "basis": plan.legal_basis[:300],
    }
    with transaction.atomic(), connection.cursor() as cursor:
        if plan.move_staff:
            cursor.execute(STAFF, params)
            result.staff_moved = int(cursor.fetchone()[0])
            cursor.execute(RETIRE_STAFF, params)
        if plan.move_centres:
            cursor.execute(CENTRES, params)
            result.centres_moved = cursor.rowcount
        cursor.execute(CLOSE_UNITS, params)
        result.units_closed = cursor.rowcount
        cursor.execute(RECORD_SUCCESSIONS, params)
    registry_cache.bump()
