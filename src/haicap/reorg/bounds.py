"""A province's own plan stays inside the province: every old and every new unit of it.

A unit belongs to the province in force that its province is or became (an old province
merged in 2025 belongs to the new one), so Tuyên Quang may plan the communes of old Hà Giang
but Hà Nội may not name a Quảng Ninh ward. National plans (no province) need a national role.
The same rule is checked when a plan is made, when an override is added, when it is applied,
and by the views through which every hand-over reads a plan (reorg 0003).
"""

from __future__ import annotations

from collections.abc import Iterable

from django.db import connection
from django.utils.translation import gettext as _

from haicap.core.errors import Invalid
from haicap.reorg.models import ReorgPlan
from haicap.units.models import AdminUnit

# The SQL twin of ``province_now`` (reorg 0003 defines it; the views use it).
PROVINCE_NOW_SQL = "SELECT reorg_province_now(%s)"


def province_now(unit: AdminUnit) -> int | None:
    """The province in force that ``unit``'s province is, or became by default succession."""
    with connection.cursor() as cursor:
        cursor.execute(PROVINCE_NOW_SQL, [unit.pk])
        row = cursor.fetchone()
    return None if row is None else row[0]


def outside(units: Iterable[AdminUnit], provinces: set[int]) -> list[AdminUnit]:
    """The units that do not belong to any of ``provinces``."""
    return [unit for unit in units if province_now(unit) not in provinces]


def check_plan_inside(plan: ReorgPlan) -> None:
    """Refuse a province's plan that names a unit outside its province (checked at apply)."""
    if plan.province_id is None:
        return
    with connection.cursor() as cursor:
        cursor.execute(
            """
            SELECT u.code, u.name FROM (
                SELECT predecessor_id AS unit_id FROM reorg_plansuccession WHERE plan_id = %(p)s
                UNION SELECT successor_id FROM reorg_plansuccession WHERE plan_id = %(p)s
                UNION SELECT predecessor_id FROM reorg_planoverride WHERE plan_id = %(p)s
                UNION SELECT successor_id FROM reorg_planoverride WHERE plan_id = %(p)s
            ) named JOIN units_adminunit u ON u.id = named.unit_id
            WHERE reorg_province_now(u.id) IS DISTINCT FROM %(province)s
            ORDER BY u.code LIMIT 20
            """,
            {"p": plan.pk, "province": plan.province_id},
        )
        strays = cursor.fetchall()
    if strays:
        raise Invalid(
            _("This province's plan names units outside the province: %(units)s.")
            % {"units": ", ".join(f"{name} ({code})" for code, name in strays)},
            code="outside_province",
        )
