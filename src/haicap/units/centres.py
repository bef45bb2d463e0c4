"""Service centres: one provincial centre per province and one centre per commune."""

from __future__ import annotations

import datetime as dt

from django.db import transaction

from haicap.units.models import AdminUnit, ServiceCenter, ServiceCenterKind, Tier
from haicap.units.queries import today

CENTRE_NAME = "Trung tâm Phục vụ hành chính công"


def _lower_first(name: str) -> str:
    return name[:1].lower() + name[1:]


def centre_code(unit: AdminUnit) -> str:
    """The Decision 20/2020 agency code that starts dossier codes: a commune's centre takes its
    unit's code (``H01.00004``), a provincial centre its province's with ``.TT`` (``H01.TT``).
    A unit without a code yet gets the derived default (units/agency_codes.py)."""
    province_code = unit.province.code if unit.province else unit.code
    if unit.tier == Tier.PROVINCE:
        return f"{unit.agency_code or 'H' + unit.code}.TT"
    return unit.agency_code or f"H{province_code}.{unit.code}"


def old_style(code: str) -> str | None:
    """The Decision 20/2020 form of a centre code written the way haicap wrote them before
    (``01.00004`` → ``H01.00004``), or None when ``code`` is not in that form."""
    return f"H{code}" if code[:2].isdigit() and code[2:3] == "." else None


def ensure_service_centres(on: dt.date | None = None) -> int:
    """Create the missing centres for units in force on ``on``; returns how many were created.

    Existing centres are left as the province edited them.
    """
    day = on or today()
    units = (
        AdminUnit.objects.in_force_on(day)
        .filter(tier__in=[Tier.PROVINCE, Tier.COMMUNE])
        .select_related("province")
        .order_by("tier", "code")
    )
    # A unit's own centre is found by unit and kind (a province may have renewed its code) or
    # by its code (a province may have made it a branch).
    rows = list(ServiceCenter.objects.values_list("unit_id", "kind", "code"))
    existing = {(unit_id, kind) for unit_id, kind, _code in rows}
    taken = {code for _unit, _kind, code in rows}
    provincial: dict[int, ServiceCenter] = {
        centre.unit_id: centre
        for centre in ServiceCenter.objects.filter(kind=ServiceCenterKind.PROVINCIAL)
    }
    created: list[ServiceCenter] = []
    with transaction.atomic():
        for unit in units:
            if unit.tier != Tier.PROVINCE:
                continue
            if (unit.pk, ServiceCenterKind.PROVINCIAL) in existing or centre_code(unit) in taken:
                continue
            centre = ServiceCenter.objects.create(
                code=centre_code(unit),
                name=f"{CENTRE_NAME} {_lower_first(unit.name)}",
                kind=ServiceCenterKind.PROVINCIAL,
                unit=unit,
                address=unit.name,
                latitude=unit.latitude,
                longitude=unit.longitude,
            )
            provincial[unit.pk] = centre
            created.append(centre)
        communes = [
            ServiceCenter(
                code=centre_code(unit),
                name=f"{CENTRE_NAME} {_lower_first(unit.name)}",
                kind=ServiceCenterKind.COMMUNE,
                unit=unit,
                parent=provincial.get(unit.province_id) if unit.province_id else None,
                address=f"{unit.name}, {unit.province.name if unit.province else ''}".strip(", "),
                latitude=unit.latitude,
                longitude=unit.longitude,
            )
            for unit in units
            if unit.tier == Tier.COMMUNE
            and (unit.pk, ServiceCenterKind.COMMUNE) not in existing
            and centre_code(unit) not in taken
        ]
        created.extend(ServiceCenter.objects.bulk_create(communes, batch_size=2000))
    return len(created)


def own_centre(unit: AdminUnit, *, open_only: bool = True) -> ServiceCenter | None:
    """The unit's own centre: the provincial centre of a province, a commune's centre (the
    one way to find it; each caller says what a missing centre means to its user)."""
    kind = ServiceCenterKind.PROVINCIAL if unit.tier == Tier.PROVINCE else ServiceCenterKind.COMMUNE
    centres = ServiceCenter.objects.select_related("unit", "unit__province")
    if open_only:
        centres = centres.filter(is_active=True)
    return centres.filter(unit=unit, kind=kind).first()


def open_centre(code: str) -> ServiceCenter | None:
    """An open centre by its code (the pre-Decision-20 form ``01.00004`` is still accepted)."""
    codes = [code, *filter(None, [old_style(code)])]
    return (
        ServiceCenter.objects.select_related("unit", "unit__province")
        .filter(is_active=True, code__in=codes)
        .order_by("code")
        .first()
    )
