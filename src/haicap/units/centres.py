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
    """The agency code that starts dossier codes: "01.TT" (province), "01.00004" (commune)."""
    province_code = unit.province.code if unit.province else unit.code
    if unit.tier == Tier.PROVINCE:
        return f"{province_code}.TT"
    return f"{province_code}.{unit.code}"


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
    existing = set(ServiceCenter.objects.values_list("code", flat=True))
    provincial: dict[int, ServiceCenter] = {
        centre.unit_id: centre
        for centre in ServiceCenter.objects.filter(kind=ServiceCenterKind.PROVINCIAL)
    }
    created: list[ServiceCenter] = []
    with transaction.atomic():
        for unit in units:
            if unit.tier != Tier.PROVINCE:
                continue
            code = centre_code(unit)
            if code in existing:
                continue
            centre = ServiceCenter.objects.create(
                code=code,
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
            if unit.tier == Tier.COMMUNE and centre_code(unit) not in existing
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
    """An open centre by its code."""
    return (
        ServiceCenter.objects.select_related("unit", "unit__province")
        .filter(is_active=True, code=code)
        .first()
    )
