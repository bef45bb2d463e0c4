"""The hand-over engine: a plan's preview and apply, run over every registered hand-over.

Each app registers how its pending work is placed, counted and moved (core/handover.py).
Applying moves each kind's items in batches, each batch one transaction, so a run that stops
half-way is resumed by running it again and nothing moves twice; items changed since they
were placed are placed again and moved in the next round. Once every item of the part being
applied has moved, each kind follows the units as a whole (staff, desks), and the old units
close in the registry.
"""

from __future__ import annotations

from collections import defaultdict
from concurrent.futures import FIRST_COMPLETED, Future, ThreadPoolExecutor, wait
from dataclasses import dataclass, field
from typing import Any

from django.db import connection, transaction
from django.utils import timezone
from tqdm import tqdm

from haicap.core.actors import Actor
from haicap.core.handover import HandOver, MoveContext, PlanRef, registered
from haicap.reorg.models import PlanState, ReorgPlan
from haicap.units import bulk as registry
from haicap.units.models import AdminUnit


def plan_ref(plan: ReorgPlan) -> PlanRef:
    skip = set()
    if not plan.move_staff:
        skip.add("staff")
    if not plan.move_centres:
        skip.add("centres")
    return PlanRef(
        id=plan.pk,
        name=plan.name,
        legal_basis=plan.legal_basis,
        effective_date=plan.effective_date,
        skip=frozenset(skip),
    )


def place_all(plan: ReorgPlan, *, refresh: bool) -> None:
    ref = plan_ref(plan)
    for handover in registered():
        handover.place(ref, refresh=refresh)


def discard_all(plan: ReorgPlan) -> None:
    """Every hand-over forgets the plan's placements (the plan is being deleted)."""
    ref = plan_ref(plan)
    for handover in registered():
        handover.discard(ref)


def summarise(
    plan: ReorgPlan, *, province_id: int | None = None, limit: int = 200
) -> dict[str, Any]:
    """What the plan will move, old unit by old unit, as placed now (nothing moves).

    Each total of a column is the sum of its rows, so the totals reconcile with the table.
    """
    ref = plan_ref(plan)
    handovers = registered()
    columns = [column for handover in handovers for column in handover.columns]
    cells: dict[tuple[int, int], dict[str, int]] = defaultdict(lambda: defaultdict(int))
    for handover in handovers:
        for count in handover.counts(ref, province_id=province_id):
            cells[(count.old_unit_id, count.new_unit_id)][count.column] += count.count
    units = AdminUnit.objects.in_bulk({unit for pair in cells for unit in pair})
    provinces = AdminUnit.objects.in_bulk(
        {u.province_id for u in units.values() if u.province_id is not None}
    )
    rows = []
    for (old_id, new_id), figures in cells.items():
        old, new = units[old_id], units[new_id]
        if province_id is not None and (new.province_id or new.pk) != province_id:
            continue
        province = provinces.get(new.province_id) if new.province_id else new
        row: dict[str, Any] = {
            "from": {"code": old.code, "name": old.name},
            "to": {"code": new.code, "name": new.name},
            "province": {"code": province.code, "name": province.name}
            if province
            else {"code": "", "name": ""},
        }
        rows.append(row | {column.key: figures.get(column.key, 0) for column in columns})
    rows.sort(key=lambda row: (row["province"]["code"], row["to"]["code"], row["from"]["code"]))
    totals: dict[str, int] = {
        column.total_key: sum(row[column.key] for row in rows) for column in columns
    }
    total_rows = [
        {"key": c.total_key, "label": str(c.total_label), "value": totals[c.total_key]}
        for c in columns
    ]
    summary: dict[str, Any] = {}
    unplaced: list[dict[str, Any]] = []
    for handover in handovers:
        for total in handover.totals(ref, province_id=province_id):
            totals[total.key] = total.value
            total_rows.append(
                {"key": total.key, "label": str(total.label), "value": total.value}
                | ({"alert": True} if total.alert else {})
            )
        unplaced.extend(
            {
                "kind": handover.kind,
                "label": item.label,
                "url": item.url,
                "reason": item.reason,
                "unit_id": item.unit_id,
            }
            for item in handover.unplaced(ref, province_id=province_id, limit=limit)
        )
        summary.update(handover.details(ref, province_id=province_id))
    unplaced_units = AdminUnit.objects.in_bulk({item["unit_id"] for item in unplaced})
    for item in unplaced:
        unit = unplaced_units[item.pop("unit_id")]
        item["unit"] = {"code": unit.code, "name": unit.name}
    return {
        **summary,
        "plan": plan.pk,
        "name": plan.name,
        "effective_date": plan.effective_date.isoformat(),
        "totals": totals,
        "total_rows": total_rows,
        "columns": [{"key": c.key, "label": str(c.label)} for c in columns],
        "units": rows,
        "cannot_be_placed": unplaced,
    }


@dataclass
class ApplyResult:
    moved_by_kind: dict[str, int] = field(default_factory=dict)
    batches: int = 0
    # What followed the units once every item had moved, by kind (staff, centres, …).
    followed: dict[str, int] = field(default_factory=dict)
    units_closed: int = 0
    finished: bool = False
    unplaced: int = 0

    @property
    def moved(self) -> int:
        return sum(self.moved_by_kind.values())

    def as_dict(self) -> dict[str, Any]:
        return {
            "moved": self.moved,
            "moved_by_kind": self.moved_by_kind,
            "batches": self.batches,
            "followed": self.followed,
            "units_closed": self.units_closed,
            "finished": self.finished,
            "cannot_be_placed": self.unplaced,
        }


def _predecessors(plan: ReorgPlan, province_id: int | None) -> tuple[int, ...]:
    """The plan's old units (those whose default successor lies in ``province_id``, if given)."""
    found = plan.successions.filter(is_default=True)
    if province_id is not None:
        found = found.filter(successor__province_id=province_id)
    return tuple(found.values_list("predecessor_id", flat=True))


def _move(handover: HandOver, ids: list[int], ctx: MoveContext) -> int:
    """One batch, one transaction: the items, their history and their notification jobs."""
    with transaction.atomic():
        return handover.move(ids, ctx)


def _move_in_thread(handover: HandOver, ids: list[int], ctx: MoveContext) -> int:
    try:
        return _move(handover, ids, ctx)
    finally:
        connection.close()  # the thread's own connection


class _Runner:
    """Moves one kind's batches, ``workers`` at a time, until a round moves nothing."""

    def __init__(self, ctx: MoveContext, result: ApplyResult, *, workers: int, bar: Any) -> None:
        self.ctx, self.result, self.bar = ctx, result, bar
        self.pool = ThreadPoolExecutor(max_workers=workers) if workers > 1 else None
        self.workers = workers

    def run(self, handover: HandOver, *, size: int, max_batches: int | None) -> bool:
        """True when the kind is done (or has nothing), False when ``max_batches`` stopped it.

        A round that offers again the very rows the last round moved would loop for ever (a
        hand-over whose move leaves its rows pending): the apply stops with an error instead.
        """
        last_first: list[int] | None = None
        while True:
            handover.place(self.ctx.plan, refresh=False)
            moved_this_round = after = 0
            first: list[int] | None = None
            running: set[Future[int]] = set()

            def collect(done: set[Future[int]]) -> None:
                nonlocal moved_this_round
                for future in done:
                    self._count(handover, future.result())
                    moved_this_round += future.result()

            while max_batches is None or self.result.batches < max_batches:
                ids = handover.next_batch(
                    self.ctx.plan, after=after, size=size, province_id=self.ctx.province_id
                )
                if not ids:
                    break
                if first is None:
                    first = ids
                    if ids == last_first:
                        raise RuntimeError(
                            f"the {handover.kind} hand-over offers again the rows it has just "
                            "moved: its move leaves them pending"
                        )
                self.result.batches += 1
                after = ids[-1]
                if self.pool is None:
                    moved = _move(handover, ids, self.ctx)
                    self._count(handover, moved)
                    moved_this_round += moved
                    continue
                running.add(self.pool.submit(_move_in_thread, handover, ids, self.ctx))
                if len(running) >= self.workers:
                    done, running = wait(running, return_when=FIRST_COMPLETED)
                    collect(done)
            collect(running)
            if max_batches is not None and self.result.batches >= max_batches:
                return False
            if moved_this_round == 0:
                return True
            last_first = first

    def _count(self, handover: HandOver, moved: int) -> None:
        by_kind = self.result.moved_by_kind
        by_kind[handover.kind] = by_kind.get(handover.kind, 0) + moved
        self.bar.update(moved)

    def close(self) -> None:
        if self.pool is not None:
            self.pool.shutdown()


def carry_out(
    plan: ReorgPlan,
    *,
    actor: Actor,
    batch_size: int = 20_000,
    max_batches: int | None = None,
    province_id: int | None = None,
    workers: int = 1,
    progress: bool = False,
) -> ApplyResult:
    """Move the plan's pending work; ``max_batches`` stops early (the rest moves next run).

    With ``workers`` > 1, that many batches run at once on their own connections (batches
    touch different items); the caller must not hold an open transaction.
    """
    result = ApplyResult()
    ref = plan_ref(plan)
    ctx = MoveContext(
        plan=ref,
        at=timezone.now(),
        actor=actor,
        province_id=province_id,
        units=_predecessors(plan, province_id),
    )
    if plan.state != PlanState.APPLIED:
        ReorgPlan.objects.filter(pk=plan.pk).update(state=PlanState.APPLYING)
    handovers = registered()
    bar = tqdm(desc="moved", unit="items", disable=not progress)
    runner = _Runner(ctx, result, workers=workers, bar=bar)
    try:
        complete = all(
            runner.run(handover, size=batch_size, max_batches=max_batches) for handover in handovers
        )
    finally:
        bar.close()
        runner.close()
    result.unplaced = sum(
        total.value
        for handover in handovers
        for total in handover.totals(ref, province_id=None)
        if total.key == "cannot_be_placed"
    )
    if not complete or any(h.remaining(ref, province_id=province_id) for h in handovers):
        return result
    with transaction.atomic():
        for handover in handovers:
            result.followed[handover.kind] = handover.follow(ctx)
        result.units_closed = registry.close_units(ctx)
    result.finished = True
    if not any(h.remaining(ref, province_id=None) for h in handovers):
        ReorgPlan.objects.filter(pk=plan.pk).update(state=PlanState.APPLIED, applied_at=ctx.at)
    return result
