"""Agency identifier codes (Decision 20/2020/QĐ-TTg style) for units: the derived defaults and
a province's official table.

The decision gives each agency a dotted code, groups from the top level down (for example
``H15.50.05.13``). The official groups are assigned by each province, so haicap derives a
default until they are loaded: ``H`` and the GSO province code for a province (``H01``), then
the GSO code of each level below (``H01.00004`` for Phường Ba Đình, ``H01.001`` for a legacy
district). Units are codes plus periods (codes were reused in 2025), and so are these.
"""

from __future__ import annotations

from django.db import connection

from haicap.units import cache as registry_cache

DEFAULTS = """
UPDATE units_adminunit u
SET agency_code = CASE WHEN u.tier = 'province' THEN 'H' || u.code
                       ELSE 'H' || p.code || '.' || u.code END
FROM units_adminunit p
WHERE p.id = coalesce(u.province_id, u.id) AND u.agency_code = ''
"""

ALLOWED = set("ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789.")


def assign_defaults() -> int:
    """Derive a code for every unit that has none (idempotent); returns how many were set.

    Called through ``units.actions.do_derive_agency_codes``."""
    with connection.cursor() as cursor:
        cursor.execute(DEFAULTS)
        changed = int(cursor.rowcount)
    if changed:
        registry_cache.bump()
    return changed
