"""Building plans: from the unit registry (the 2025 reform) or from an uploaded table."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path

from django.db import connection, transaction
from django.utils.translation import gettext as _

from haicap.core.errors import Invalid
from haicap.core.tables import read_table
from haicap.procedures.models import Procedure, Sector
from haicap.reorg import bounds
from haicap.reorg.models import PlanOverride, PlanSuccession, ReorgPlan
from haicap.units.models import AdminUnit, SuccessionKind
from haicap.units.source import (
    LEGAL_BASIS_COMMUNES,
    LEGAL_BASIS_DISTRICTS,
    LEGAL_BASIS_PROVINCES,
    REFORM_DATE,
)

NAME_2025 = "Sắp xếp đơn vị hành chính hai cấp, hiệu lực 01/7/2025"


def plan_from_registry(effective_date: dt.date, *, name: str, legal_basis: str) -> ReorgPlan:
    """A plan holding every succession the registry records on ``effective_date``."""
    with transaction.atomic():
        plan = ReorgPlan.objects.create(
            name=name, legal_basis=legal_basis, effective_date=effective_date
        )
        with connection.cursor() as cursor:
            cursor.execute(
                """
                INSERT INTO reorg_plansuccession (plan_id, predecessor_id, successor_id, kind,
                                                  is_default)
                SELECT %s, predecessor_id, successor_id, kind, is_default
                FROM units_succession WHERE effective_date = %s
                """,
                [plan.pk, effective_date],
            )
            if cursor.rowcount == 0:
                raise Invalid(
                    _("The registry has no successions on %(day)s.")
                    % {"day": effective_date.isoformat()},
                    field="effective_date",
                )
    return plan


def plan_2025() -> ReorgPlan:
    """The 1 July 2025 reform: 63 → 34 provinces, communes merged and split, districts gone."""
    return plan_from_registry(
        REFORM_DATE,
        name=NAME_2025,
        legal_basis="; ".join([LEGAL_BASIS_PROVINCES, LEGAL_BASIS_COMMUNES, LEGAL_BASIS_DISTRICTS]),
    )


@dataclass
class RowRefusal:
    row: int
    reason: str


def plan_from_file(
    path: Path,
    *,
    name: str,
    legal_basis: str,
    effective_date: dt.date,
    within_provinces: set[int] | None = None,
) -> tuple[ReorgPlan | None, list[RowRefusal]]:
    """A plan from a table: predecessor, successor[, kind, default]. All rows or none.

    Predecessor codes are looked up on the day before ``effective_date``, successors on it.
    With ``within_provinces`` it is a province's own plan: every predecessor and successor
    must lie in one of those provinces (reorg/bounds.py), and the plan records its province.
    """
    last_day = effective_date - dt.timedelta(days=1)
    refusals: list[RowRefusal] = []
    pairs: list[tuple[AdminUnit, AdminUnit, str, bool | None]] = []
    for number, row in read_table(path):
        old = (
            AdminUnit.objects.in_force_on(last_day).filter(code=row.get("predecessor", "")).first()
        )
        new = (
            AdminUnit.objects.in_force_on(effective_date)
            .filter(code=row.get("successor", ""))
            .first()
        )
        kind = row.get("kind", "") or SuccessionKind.MERGE
        flag = row.get("default", "").lower()
        if old is None:
            refusals.append(
                RowRefusal(
                    number,
                    _("no predecessor %(code)s on %(day)s")
                    % {"code": row.get("predecessor", ""), "day": last_day},
                )
            )
        elif new is None:
            refusals.append(
                RowRefusal(
                    number,
                    _("no successor %(code)s on %(day)s")
                    % {"code": row.get("successor", ""), "day": effective_date},
                )
            )
        elif within_provinces is not None and (
            strays := bounds.outside([old, new], within_provinces)
        ):
            refusals.extend(
                RowRefusal(number, _("%(name)s is outside your province") % {"name": unit.name})
                for unit in strays
            )
        elif kind not in SuccessionKind.values:
            refusals.append(
                RowRefusal(
                    number,
                    _("kind must be one of %(kinds)s")
                    % {"kinds": ", ".join(SuccessionKind.values)},
                )
            )
        else:
            default = (
                True
                if flag in {"1", "yes", "true", "x"}
                else False
                if flag in {"0", "no", "false"}
                else None
            )
            pairs.append((old, new, kind, default))
    by_old: dict[int, list[tuple[AdminUnit, AdminUnit, str, bool | None]]] = defaultdict(list)
    for pair in pairs:
        by_old[pair[0].pk].append(pair)
    for group in by_old.values():
        defaults = [p for p in group if p[3] or (len(group) == 1 and p[3] is None)]
        if len(defaults) != 1:
            refusals.append(
                RowRefusal(
                    0,
                    _("%(name)s needs exactly one default successor") % {"name": group[0][0].name},
                )
            )
    province = None
    if within_provinces is not None and pairs and not refusals:
        landing = {bounds.province_now(new) for _old, new, _kind, _default in pairs}
        only = landing.pop() if len(landing) == 1 else None
        if only is not None:
            province = AdminUnit.objects.get(pk=only)
        else:
            refusals.append(RowRefusal(0, _("a province's plan must lie in one province")))
    if refusals or not pairs:
        if not pairs and not refusals:
            refusals.append(RowRefusal(0, _("the table has no rows")))
        return None, refusals
    with transaction.atomic():
        plan = ReorgPlan.objects.create(
            name=name, legal_basis=legal_basis, effective_date=effective_date, province=province
        )
        PlanSuccession.objects.bulk_create(
            PlanSuccession(
                plan=plan,
                predecessor=old,
                successor=new,
                kind=kind,
                is_default=bool(default) or (default is None and len(by_old[old.pk]) == 1),
            )
            for old, new, kind, default in pairs
        )
    return plan, []


def add_override(
    plan: ReorgPlan,
    *,
    predecessor: str,
    successor: str,
    procedure: str | None = None,
    sector: str | None = None,
    within_provinces: set[int] | None = None,
) -> PlanOverride:
    """Send a split unit's dossiers of a procedure (or sector) to one of its successors.

    Both units must lie in the plan's province (a province's own plan), and in
    ``within_provinces`` when given (a provincial administrator's part of a national plan).
    """
    succession = (
        PlanSuccession.objects.filter(
            plan=plan, predecessor__code=predecessor, successor__code=successor
        )
        .select_related("predecessor", "successor")
        .first()
    )
    if succession is None:
        raise Invalid(
            _("%(successor)s is not a successor of %(predecessor)s in this plan.")
            % {"successor": successor, "predecessor": predecessor},
            field="successor",
        )
    for provinces in (
        {plan.province_id} if plan.province_id else None,
        within_provinces,
    ):
        if provinces is None:
            continue
        for unit in bounds.outside([succession.predecessor, succession.successor], provinces):
            raise Invalid(
                _("%(name)s is outside your province.") % {"name": unit.name},
                field="predecessor" if unit == succession.predecessor else "successor",
                code="outside_province",
            )
    found = Procedure.objects.filter(code=procedure).first() if procedure else None
    if procedure and found is None:
        raise Invalid(_("No procedure has code %(code)s.") % {"code": procedure}, field="procedure")
    if not procedure and sector not in Sector.values:
        raise Invalid(_("Give a procedure code or a sector."), field="sector")
    return PlanOverride.objects.create(
        plan=plan,
        predecessor=succession.predecessor,
        successor=succession.successor,
        procedure=found,
        sector="" if found else str(sector),
    )
