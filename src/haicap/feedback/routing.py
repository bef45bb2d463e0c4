"""Where a report goes: the commune in force that serves the place the citizen named.

Three ways in (docs/feedback.md#location): a unit from the registry (an abolished one goes to
its default successor), an address in old or new units (parsed and converted by
``vietnamadminunits``), or coordinates (the commune in force with the nearest centroid, a
suggestion an officer confirms). The category then says whether the commune or the province
handles it.
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass

from django.db.models import F, Value
from django.db.models.functions import Power
from django.utils.translation import gettext as _
from vietnamadminunits import convert_address, parse_address
from vietnamadminunits.parser import ParseMode

from haicap.core.errors import Invalid, NotFound
from haicap.feedback.models import Category, HandlerTier, Located
from haicap.units.models import AdminUnit, Tier
from haicap.units.queries import resolve, today, unit_by_code


@dataclass(frozen=True)
class Place:
    """The commune (or province) found, how, and what the citizen named."""

    unit: AdminUnit
    located: str
    confirmed: bool = True
    named_unit: AdminUnit | None = None

    @property
    def province(self) -> AdminUnit:
        return self.unit.province or self.unit


def _in_force(unit: AdminUnit, day: dt.date) -> Place:
    """The unit itself if in force, else its default successor (what was named is kept)."""
    if unit.in_force_on(day):
        return Place(unit, Located.REGISTRY)
    found = resolve(unit.code, day, was=unit.valid_to or unit.valid_from)
    default = next((u for u, is_default in found.units if is_default), None)
    if default is None:
        raise Invalid(
            _("%(name)s no longer exists and has no successor; choose today's commune.")
            % {"name": unit.name},
            field="unit",
        )
    return Place(default, Located.SUCCESSOR, named_unit=unit)


def from_registry(
    unit_id: int | None = None, *, code: str = "", on: dt.date | None = None
) -> Place:
    """A unit chosen by id, or by code (today's, else the last unit that had it)."""
    day = on or today()
    if unit_id is not None:
        unit = AdminUnit.objects.select_related("province").filter(pk=unit_id).first()
        if unit is None:
            raise NotFound(_("No such unit."), field="unit")
        return _in_force(unit, day)
    try:
        return Place(unit_by_code(code, day), Located.REGISTRY)
    except NotFound:
        found = resolve(code, day)
        return _in_force(found.source, day)


def _commune(code: str | None, province_code: str | None, day: dt.date) -> AdminUnit | None:
    if not code:
        return None
    unit = (
        AdminUnit.objects.in_force_on(day)
        .select_related("province")
        .filter(code=code, tier=Tier.COMMUNE)
        .first()
    )
    if unit is None or (province_code and unit.province and unit.province.code != province_code):
        return None
    return unit


def from_address(address: str, *, on: dt.date | None = None) -> Place:
    """An address in the old units (ward, district, province) or the new (ward, province).

    The street is dropped before converting: with a street, the package would geocode an
    address of a split ward over the network, and the commune is all that is needed here.
    """
    day = on or today()
    text = address.strip()
    if not text:
        raise Invalid(_("Write the address of the place."), field="address_string")
    try:
        old = parse_address(text, mode=ParseMode.LEGACY, keep_street=False, level=3)
        if old.ward_key and old.district_key:
            # Phường Trúc Bạch, Quận Ba Đình, Hà Nội → Phường Ba Đình.
            legacy = ", ".join(part for part in (old.ward, old.district, old.province) if part)
            new = convert_address(legacy)
            unit = _commune(new.ward_code, new.province_code, day)
            if unit is not None:
                return Place(unit, Located.ADDRESS_OLD)
        current = parse_address(text, mode=ParseMode.FROM_2025, keep_street=False, level=2)
        unit = _commune(current.ward_code, current.province_code, day)
        if unit is not None:
            return Place(unit, Located.ADDRESS_NEW)
    except (KeyError, ValueError, TypeError, AttributeError, IndexError):
        # The package's tables have gaps (islands, odd spellings): not recognised, below.
        pass
    raise Invalid(
        _(
            "The commune of this address was not recognised; write the ward or commune and "
            "the province, e.g. “Phường Trúc Bạch, Quận Ba Đình, Hà Nội”."
        ),
        field="address_string",
    )


def from_coordinates(
    latitude: float,
    longitude: float,
    *,
    province: AdminUnit | None = None,
    on: dt.date | None = None,
) -> Place:
    """The commune in force with the nearest centroid. With ``province`` given (Open311's
    jurisdiction_id), coordinates nearest a commune of another province are refused: a
    report is never routed a hundred kilometres from where it was made."""
    if not (-90 <= latitude <= 90 and -180 <= longitude <= 180):
        raise Invalid(_("The coordinates are out of range."), field="lat")
    # Viet Nam and its islands, with a margin: anything else is not ours.
    if not (7 <= latitude <= 24.5 and 101 <= longitude <= 118):
        raise Invalid(_("These coordinates are outside Viet Nam."), field="lat")
    day = on or today()
    communes = AdminUnit.objects.in_force_on(day).filter(
        tier=Tier.COMMUNE, latitude__isnull=False, longitude__isnull=False
    )
    # Equirectangular distance: exact enough between neighbouring centroids.
    scale = math.cos(math.radians(latitude))
    nearest = (
        communes.annotate(
            distance=Power(F("latitude") - Value(latitude), 2)
            + Power((F("longitude") - Value(longitude)) * Value(scale), 2),
        )
        .select_related("province")
        .order_by("distance")
        .first()
    )
    if nearest is None:
        raise Invalid(_("No commune was found near these coordinates."), field="lat")
    if province is not None and nearest.province_id != province.pk:
        raise Invalid(
            _("These coordinates lie in %(found)s, not in %(asked)s.")
            % {"found": nearest.province.name if nearest.province else "?", "asked": province.name},
            field="lat",
        )
    return Place(nearest, Located.COORDINATES, confirmed=False)


def handling_unit(place: Place, category: Category) -> AdminUnit:
    """The commune, or its province for the categories a provincial agency handles."""
    if category.handler_tier == HandlerTier.PROVINCE:
        return place.province
    return place.unit
