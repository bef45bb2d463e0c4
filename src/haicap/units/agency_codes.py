"""Agency identifier codes (Decision 20/2020/QĐ-TTg style) for units: the derived defaults and
a province's official table.

The decision gives each agency a dotted code, groups from the top level down (for example
``H15.50.05.13``). The official groups are assigned by each province, so haicap derives a
default until they are loaded: ``H`` and the GSO province code for a province (``H01``), then
the GSO code of each level below (``H01.00004`` for Phường Ba Đình, ``H01.001`` for a legacy
district). Units are codes plus periods (codes were reused in 2025), and so are these.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path

from django.db import connection, transaction
from django.utils.translation import gettext as _

from haicap.core import audit
from haicap.core.actors import Actor
from haicap.core.tables import read_table
from haicap.units import cache as registry_cache
from haicap.units.models import AdminUnit

DEFAULTS = """
UPDATE units_adminunit u
SET agency_code = CASE WHEN u.tier = 'province' THEN 'H' || u.code
                       ELSE 'H' || p.code || '.' || u.code END
FROM units_adminunit p
WHERE p.id = coalesce(u.province_id, u.id) AND u.agency_code = ''
"""

_ALLOWED = set("ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789.")


def assign_defaults() -> int:
    """Derive a code for every unit that has none (idempotent); returns how many were set."""
    with connection.cursor() as cursor:
        cursor.execute(DEFAULTS)
        changed = int(cursor.rowcount)
    if changed:
        registry_cache.bump()
    return changed


@dataclass
class CodeImport:
    updated: int = 0
    refused: list[tuple[int, str]] = field(default_factory=list)  # line, reason


def do_load_agency_codes(path: Path, *, on: dt.date, actor: Actor) -> CodeImport:
    """A province's official codes from CSV or XLSX (columns ``unit``, ``agency_code``), for
    the units in force on ``on``. Every row is checked first; any refusal writes nothing."""
    report = CodeImport()
    try:
        rows = read_table(path)
    except ValueError as exc:
        report.refused.append((1, str(exc)))
        return report
    units = {u.code: u for u in AdminUnit.objects.in_force_on(on)}
    wanted: dict[int, str] = {}
    seen: dict[str, int] = {}
    for line, row in rows:
        code, agency = row.get("unit", ""), row.get("agency_code", "").upper()
        unit = units.get(code)
        if unit is None:
            report.refused.append((line, _("No unit has code %(code)s.") % {"code": code}))
        elif not agency or len(agency) > 40 or not set(agency) <= _ALLOWED:
            report.refused.append(
                (line, _("An agency code has letters, digits and dots (at most 40)."))
            )
        elif agency in seen:
            report.refused.append(
                (
                    line,
                    _("Code %(code)s is also on line %(line)s.")
                    % {"code": agency, "line": seen[agency]},
                )
            )
        else:
            seen[agency] = line
            wanted[unit.pk] = agency
    if report.refused:
        return report
    with transaction.atomic():
        for unit_id, agency in wanted.items():
            report.updated += AdminUnit.objects.filter(pk=unit_id).update(agency_code=agency)
        audit.record(
            "units.agency_codes",
            actor=actor,
            subject_type="registry",
            subject_id=path.name[:60],
            after={"updated": report.updated},
        )
    registry_cache.bump()
    return report
