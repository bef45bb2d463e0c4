"""Documents through a reorganisation (core/handover.py), read from the plan's views only.

- Open incoming documents (arrived, registered, routed) of an old unit's agencies move to
  the agency of the same kind at its default successor, made if missing (a People's
  Committee when the kind has no default, e.g. a department), each with a "move" event.
- Once everything has moved, the old agencies end the day before the plan takes effect and
  name their successor (so documents sent to them later are forwarded), their registers
  close with their last number, and the successors' registers for the year open.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

from django.db import connection
from django.db.models import F
from django.utils.translation import gettext_lazy as _

from haicap.core import audit
from haicap.core.actors import person_id
from haicap.core.audit import actor_label
from haicap.core.errors import Invalid
from haicap.core.handover import Column, Count, HandOver, MoveContext, PlanRef, Total
from haicap.documents.agencies import ensure_agency
from haicap.documents.models import OPEN_INCOMING, Agency, AgencyKind, Document, DocumentEvent
from haicap.units.models import AdminUnit

COUNTS = """
SELECT s.predecessor_id, s.successor_id, 'documents', count(d.id)
FROM handover_succession s
JOIN documents_agency a ON a.unit_id = s.predecessor_id
JOIN documents_document d ON d.agency_id = a.id AND d.status = ANY(%(open)s)
WHERE s.plan_id = %(plan)s AND s.is_default
  AND s.predecessor_id <> s.successor_id
GROUP BY 1, 2
UNION ALL
SELECT s.predecessor_id, s.successor_id, 'registers', count(r.id)
FROM handover_succession s
JOIN documents_agency a ON a.unit_id = s.predecessor_id
JOIN documents_register r ON r.agency_id = a.id AND r.closed_on IS NULL
WHERE s.plan_id = %(plan)s AND s.is_default
  AND s.predecessor_id <> s.successor_id
GROUP BY 1, 2
"""

PENDING = """
SELECT d.id
FROM documents_document d
JOIN documents_agency a ON a.id = d.agency_id
JOIN handover_succession s ON s.predecessor_id = a.unit_id AND s.is_default
  AND s.predecessor_id <> s.successor_id
JOIN units_adminunit n ON n.id = s.successor_id
WHERE s.plan_id = %(plan)s AND d.status = ANY(%(open)s) AND d.id > %(after)s
  AND (%(province)s::bigint IS NULL OR coalesce(n.province_id, n.id) = %(province)s)
ORDER BY d.id
LIMIT %(size)s
"""

SUCCESSORS = """
SELECT DISTINCT a.id, s.successor_id
FROM documents_agency a
JOIN handover_succession s ON s.predecessor_id = a.unit_id AND s.is_default
  AND s.predecessor_id <> s.successor_id
WHERE s.plan_id = %(plan)s AND a.id = ANY(%(agencies)s)
"""

OPEN_REGISTERS = """
INSERT INTO documents_register (agency_id, direction, year, opened_on, last_number)
SELECT a.id, d.direction, %(year)s, greatest(make_date(%(year)s, 1, 1),
                                             coalesce(a.valid_from, %(day)s)), 0
FROM documents_agency a CROSS JOIN (VALUES ('out'), ('in')) AS d (direction)
WHERE a.id = ANY(%(agencies)s)
ON CONFLICT (agency_id, direction, year) DO NOTHING
"""


def successor_agency(old: Agency, unit: AdminUnit) -> Agency:
    """The agency of the same kind at ``unit``; its People's Committee if it has no default."""
    try:
        return ensure_agency(unit, old.kind)
    except Invalid:
        return ensure_agency(unit, AgencyKind.PEOPLES_COMMITTEE)


def _successors(plan_id: int, agency_ids: Iterable[int]) -> dict[int, Agency]:
    with connection.cursor() as cursor:
        cursor.execute(SUCCESSORS, {"plan": plan_id, "agencies": list(agency_ids)})
        pairs = cursor.fetchall()
    old = Agency.objects.in_bulk([agency for agency, _unit in pairs])
    units = AdminUnit.objects.in_bulk([unit for _agency, unit in pairs])
    return {agency: successor_agency(old[agency], units[unit]) for agency, unit in pairs}


class DocumentHandOver(HandOver):
    def __init__(self) -> None:
        super().__init__(
            kind="documents",
            columns=(
                Column("documents", _("Documents"), "open_documents", _("Open incoming documents")),
                Column("registers", _("Registers"), "registers_to_close", _("Registers to close")),
            ),
            order=20,
        )

    def counts(self, plan: PlanRef, *, province_id: int | None) -> Iterable[Count]:
        with connection.cursor() as cursor:
            cursor.execute(COUNTS, {"plan": plan.id, "open": list(OPEN_INCOMING)})
            return [Count(old, new, column, n) for old, new, column, n in cursor.fetchall()]

    def totals(self, plan: PlanRef, *, province_id: int | None) -> Iterable[Total]:
        moved = DocumentEvent.objects.filter(action="move", data__plan=plan.id).count()
        return (Total("documents_moved", _("Documents already moved"), moved),)

    def _pending(
        self, plan: PlanRef, *, after: int, size: int, province_id: int | None
    ) -> list[int]:
        params: dict[str, Any] = {
            "plan": plan.id,
            "open": list(OPEN_INCOMING),
            "after": after,
            "size": size,
            "province": province_id,
        }
        with connection.cursor() as cursor:
            cursor.execute(PENDING, params)
            return [row[0] for row in cursor.fetchall()]

    def next_batch(
        self, plan: PlanRef, *, after: int, size: int, province_id: int | None
    ) -> list[int]:
        return self._pending(plan, after=after, size=size, province_id=province_id)

    def remaining(self, plan: PlanRef, *, province_id: int | None) -> int:
        return len(self._pending(plan, after=0, size=1_000_000, province_id=province_id))

    def move(self, ids: list[int], ctx: MoveContext) -> int:
        documents = list(
            Document.objects.select_for_update(of=("self",))
            .select_related("agency")
            .filter(pk__in=ids, status__in=OPEN_INCOMING)
        )
        successors = _successors(ctx.plan.id, {d.agency_id for d in documents})
        events = []
        moved = 0
        for old_id, new in successors.items():
            group = [d for d in documents if d.agency_id == old_id]
            moved += Document.objects.filter(pk__in=[d.pk for d in group]).update(
                agency=new, version=F("version") + 1
            )
            Agency.objects.filter(pk=old_id, successor__isnull=True).update(successor=new)
            events += [
                DocumentEvent(
                    document=d,
                    at=ctx.at,
                    action="move",
                    actor_id=person_id(ctx.actor),
                    actor_label=actor_label(ctx.actor),
                    note=f"{d.agency.name} → {new.name}: {ctx.plan.name}"[:1000],
                    data={"plan": ctx.plan.id, "from": d.agency.code, "to": new.code},
                )
                for d in group
            ]
        DocumentEvent.objects.bulk_create(events)
        if moved:
            audit.record(
                "documents.reorganise",
                actor=ctx.actor,
                subject_type="reorg_plan",
                subject_id=ctx.plan.id,
                unit_id=ctx.province_id,
                after={"documents_moved": moved},
            )
        return moved

    def follow(self, ctx: MoveContext) -> int:
        """Close the old agencies and their registers; open the successors' registers."""
        if not ctx.units:
            return 0
        old_ids = list(Agency.objects.filter(unit_id__in=ctx.units).values_list("id", flat=True))
        successors = _successors(ctx.plan.id, old_ids)
        last_day = ctx.plan.effective_date - dt.timedelta(days=1)
        for old_id, new in successors.items():
            Agency.objects.filter(pk=old_id).update(successor=new)
        Agency.objects.filter(pk__in=old_ids, valid_to__isnull=True).update(valid_to=last_day)
        Agency.objects.filter(pk__in=old_ids, valid_to__gt=last_day).update(valid_to=last_day)
        closing = ctx.plan.effective_date
        with connection.cursor() as cursor:
            cursor.execute(
                "UPDATE documents_register SET closed_on = %(day)s "
                "WHERE agency_id = ANY(%(agencies)s) AND closed_on IS NULL",
                {"day": last_day, "agencies": old_ids},
            )
            closed = int(cursor.rowcount)
            cursor.execute(
                OPEN_REGISTERS,
                {
                    "year": closing.year,
                    "day": closing,
                    "agencies": list({a.pk for a in successors.values()}),
                },
            )
            opened = int(cursor.rowcount)
        audit.record(
            "documents.registers_reorganise",
            actor=ctx.actor,
            subject_type="reorg_plan",
            subject_id=ctx.plan.id,
            unit_id=ctx.province_id,
            after={"registers_closed": closed, "registers_opened": opened},
        )
        return closed
