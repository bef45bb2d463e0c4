"""Every change to the unit registry: loading it, the service centres, agency codes.

Each action runs in one transaction with its audit row. The bulk writes of a
reorganisation are the registry's hand-over (units/bulk.py).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path

from django.db import transaction
from django.utils.translation import gettext as _

from haicap.core import audit
from haicap.core.actors import Actor
from haicap.core.tables import read_table
from haicap.units import cache as registry_cache
from haicap.units.agency_codes import ALLOWED, assign_defaults
from haicap.units.centres import centre_code, ensure_service_centres
from haicap.units.loader import LoadResult, load
from haicap.units.models import AdminUnit, ServiceCenter, ServiceCenterKind
from haicap.units.source import Dataset


def do_load_registry(dataset: Dataset, *, actor: Actor, progress: bool = False) -> LoadResult:
    """Bring the registry in line with the reference package (changing only what differs)."""
    return load(dataset, actor=actor, progress=progress)


def do_ensure_service_centres(*, actor: Actor, on: dt.date | None = None) -> int:
    """The missing centres of the units in force (one per province and commune)."""
    with transaction.atomic():
        created = ensure_service_centres(on)
        if created:
            audit.record(
                "units.centres_created",
                actor=actor,
                subject_type="registry",
                after={"created": created},
            )
    return created


def do_derive_agency_codes(*, actor: Actor) -> int:
    """A derived agency code for every unit without one."""
    with transaction.atomic():
        derived = assign_defaults()
        if derived:
            audit.record(
                "units.agency_codes_derived",
                actor=actor,
                subject_type="registry",
                after={"derived": derived},
            )
    return derived


# What a province may change of its service centres (the registry's units come from the
# reference package and from reorganisation plans, never from hand edits).
CENTRE_FIELDS = (
    "name",
    "address",
    "phone",
    "email",
    "opening_hours",
    "latitude",
    "longitude",
    "is_active",
)


def do_update_service_centre(
    centre: ServiceCenter, *, changed: list[str], actor: Actor
) -> ServiceCenter:
    """Save the edited fields of a centre (as the admin's form left them), audited."""
    fields = [name for name in changed if name in CENTRE_FIELDS]
    if not fields:
        return centre
    with transaction.atomic():
        before = ServiceCenter.objects.select_for_update().get(pk=centre.pk)
        centre.save(update_fields=fields)
        audit.record(
            "units.centre_update",
            actor=actor,
            subject_type="service_centre",
            subject_id=centre.code,
            unit_id=centre.unit_id,
            before={name: str(getattr(before, name)) for name in fields},
            after={name: str(getattr(centre, name)) for name in fields},
        )
        transaction.on_commit(registry_cache.bump)
    return centre


@dataclass
class CodeImport:
    updated: int = 0
    centres: int = 0  # centres renamed with their unit
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
        elif not agency or len(agency) > 40 or not set(agency) <= ALLOWED:
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
        report.centres = _centres_follow(wanted, units_by_pk={u.pk: u for u in units.values()})
        audit.record(
            "units.agency_codes",
            actor=actor,
            subject_type="registry",
            subject_id=path.name[:60],
            after={"updated": report.updated, "centres": report.centres},
        )
    registry_cache.bump()
    return report


def _centres_follow(wanted: dict[int, str], *, units_by_pk: dict[int, AdminUnit]) -> int:
    """A unit's own centre that still carries the code derived from its old agency code takes
    the new one (a code the province set by hand stays). Dossier codes already issued keep
    theirs; the centre's daily sequence goes on."""
    renamed = 0
    taken = set(ServiceCenter.objects.values_list("code", flat=True))
    centres = ServiceCenter.objects.select_for_update().filter(
        unit_id__in=wanted, kind__in=[ServiceCenterKind.COMMUNE, ServiceCenterKind.PROVINCIAL]
    )
    for centre in centres:
        unit = units_by_pk[centre.unit_id]
        if centre.code != centre_code(unit):
            continue
        unit.agency_code = wanted[unit.pk]
        new = centre_code(unit)
        if new not in taken:
            taken |= {new}
            centre.code = new
            centre.save(update_fields=["code"])
            renamed += 1
    return renamed
