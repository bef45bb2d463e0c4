"""The agencies of each unit: their codes, names and abbreviations, created in bulk for
`haicap setup` and one by one through ``do_add_agency``; lookups by code and date."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser
from django.db import IntegrityError, connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from haicap.core import audit
from haicap.core.actors import Actor
from haicap.core.errors import Invalid, NotFound
from haicap.documents.models import Agency, AgencyKind, AgencyRole
from haicap.units.models import AdminUnit, Kind, Tier
from haicap.units.queries import unit_by_code

ALLOWED_CODE = set("ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789.-")


@dataclass(frozen=True)
class KindRule:
    abbreviation: str
    # The agency's name before the unit's (the kind word of the unit in lower case).
    prefix: str


RULES: dict[str, KindRule] = {
    AgencyKind.PEOPLES_COMMITTEE: KindRule("UBND", "Ủy ban nhân dân"),
    AgencyKind.PEOPLES_COUNCIL: KindRule("HĐND", "Hội đồng nhân dân"),
    AgencyKind.PARTY: KindRule("ĐU", "Đảng ủy"),
    AgencyKind.FRONT: KindRule("MTTQ", "Ủy ban Mặt trận Tổ quốc Việt Nam"),
}

# A province's Party committee is the Tỉnh ủy (TU) or, in a centrally-run city, Thành ủy.
PROVINCE_PARTY = {Kind.PROVINCE: ("TU", "Tỉnh ủy"), Kind.CITY: ("TU", "Thành ủy")}

CREATE_COMMITTEES = """
INSERT INTO documents_agency (unit_id, kind, code, name, abbreviation, valid_from, valid_to)
SELECT u.id, 'committee', u.agency_code,
       'Ủy ban nhân dân ' || lower(left(u.name, 1)) || substr(u.name, 2), 'UBND',
       u.valid_from, u.valid_to
FROM units_adminunit u
WHERE u.agency_code <> '' AND u.tier IN ('province', 'commune')
  AND (u.valid_from IS NULL OR u.valid_from <= %(day)s)
  AND (u.valid_to IS NULL OR u.valid_to >= %(day)s)
  AND NOT EXISTS (SELECT 1 FROM documents_agency a
                  WHERE a.unit_id = u.id AND a.kind = 'committee')
ON CONFLICT DO NOTHING
"""


def lower_first(name: str) -> str:
    return name[:1].lower() + name[1:]


def default_code(unit: AdminUnit, kind: str) -> str:
    """The People's Committee carries the unit's code; the other agencies a suffix to it."""
    if kind == AgencyKind.PEOPLES_COMMITTEE:
        return unit.agency_code
    suffix = settings.DOCUMENTS_AGENCY_SUFFIXES.get(kind)
    if not suffix:
        raise Invalid(_("Give this agency its identifier code."), field="code")
    return f"{unit.agency_code}{suffix}"


def default_name(unit: AdminUnit, kind: str) -> tuple[str, str]:
    """(name, abbreviation) of the unit's agency of ``kind``."""
    if kind == AgencyKind.PARTY and unit.tier == Tier.PROVINCE and unit.kind in PROVINCE_PARTY:
        abbreviation, word = PROVINCE_PARTY[Kind(unit.kind)]
        return f"{word} {unit.short_name}", abbreviation
    rule = RULES.get(kind)
    if rule is None:
        raise Invalid(_("Give this agency its name and abbreviation."), field="name")
    return f"{rule.prefix} {lower_first(unit.name)}", rule.abbreviation


def create_committees(day: dt.date | None = None) -> int:
    """The People's Committee of every province and commune in force (idempotent, one SQL)."""
    with connection.cursor() as cursor:
        cursor.execute(CREATE_COMMITTEES, {"day": day or timezone.localdate()})
        return int(cursor.rowcount)


def ensure_agency(unit: AdminUnit, kind: str) -> Agency:
    """The unit's agency of ``kind`` with the default code and name, made if missing."""
    found = Agency.objects.filter(unit=unit, kind=kind).order_by("-id").first()
    if found is not None:
        return found
    name, abbreviation = default_name(unit, kind)
    agency, _created = Agency.objects.get_or_create(
        unit=unit,
        kind=kind,
        defaults={
            "code": default_code(unit, kind),
            "name": name[:200],
            "abbreviation": abbreviation,
            "valid_from": unit.valid_from,
            "valid_to": unit.valid_to,
        },
    )
    return agency


def clean_code(code: str) -> str:
    code = code.strip().upper()
    if not code or len(code) > 40 or not set(code) <= ALLOWED_CODE:
        raise Invalid(
            _("An agency code has letters, digits, dots and dashes (at most 40)."), field="code"
        )
    return code


def do_add_agency(
    unit_code: str,
    kind: str,
    *,
    actor: Actor,
    code: str = "",
    name: str = "",
    abbreviation: str = "",
) -> Agency:
    """Add an agency to a unit in force (a Party committee, a department, …)."""
    if kind not in AgencyKind.values:
        raise Invalid(
            _("Unknown kind of agency %(kind)s; kinds are %(kinds)s.")
            % {"kind": kind, "kinds": ", ".join(AgencyKind.values)},
            field="kind",
        )
    unit = unit_by_code(unit_code)
    if kind == AgencyKind.DEPARTMENT and unit.tier != Tier.PROVINCE:
        raise Invalid(_("Departments belong to a province."), field="kind")
    code = clean_code(code) if code else default_code(unit, kind)
    if name or abbreviation:
        name, abbreviation = " ".join(name.split()), abbreviation.strip()
        if not name or not abbreviation:
            raise Invalid(_("Give both the name and the abbreviation."), field="name")
    else:
        name, abbreviation = default_name(unit, kind)
    if len(name) > 200 or len(abbreviation) > 30:
        raise Invalid(_("The name or the abbreviation is too long."), field="name")
    try:
        with transaction.atomic():
            agency = Agency.objects.create(
                unit=unit,
                kind=kind,
                code=code,
                name=name,
                abbreviation=abbreviation,
                valid_from=unit.valid_from,
                valid_to=unit.valid_to,
            )
            audit.record(
                "agency.add",
                actor=actor,
                subject_type="agency",
                subject_id=agency.pk,
                unit_id=unit.pk,
                after={"code": code, "kind": kind, "name": name},
            )
    except IntegrityError:
        raise Invalid(
            _("An agency in force already has code %(code)s.") % {"code": code}, field="code"
        ) from None
    return agency


def agency_by_code(code: str, *, on: dt.date | None = None) -> Agency:
    """The agency with ``code`` in force on ``on`` (today), else the last one that had it."""
    day = on or timezone.localdate()
    found = list(
        Agency.objects.select_related("unit", "successor").filter(code=code.strip().upper())
    )
    if not found:
        raise NotFound(_("No agency has code %(code)s.") % {"code": code[:40]}, field="agency")
    in_force = [agency for agency in found if agency.in_force_on(day)]
    if in_force:
        return in_force[0]
    return max(found, key=lambda agency: agency.valid_to or dt.date.max)


def agencies_of(unit: AdminUnit) -> list[Agency]:
    return list(Agency.objects.filter(unit=unit).order_by("kind", "code"))


def final_successor(agency: Agency, *, on: dt.date | None = None) -> Agency:
    """Where a document addressed to ``agency`` goes: itself in force, else its successor's
    successor … (at most ten steps: reorganisations do not chain further)."""
    day = on or timezone.localdate()
    current = agency
    for _step in range(10):
        if current.in_force_on(day) or current.successor_id is None:
            return current
        current = Agency.objects.select_related("unit", "successor").get(pk=current.successor_id)
    return current


def grant_agency_roles(
    user: AbstractBaseUser, code: str, roles: list[str], *, actor: Actor
) -> list[str]:
    """`haicap staff add USER --agency CODE --role …`: roles in that agency (core.role_targets)."""
    from haicap.documents.access import forget_agency_roles

    agency = agency_by_code(code)
    if not agency.in_force_on(timezone.localdate()):
        raise Invalid(
            _("%(agency)s is no longer in force.") % {"agency": agency.name}, field="agency"
        )
    added = []
    for role in roles:
        _role, made = AgencyRole.objects.update_or_create(
            user_id=user.pk, agency=agency, role=role, defaults={"is_active": True}
        )
        if made:
            added.append(role)
    forget_agency_roles(user)
    return added
