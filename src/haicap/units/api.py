"""/api/v1/units: the registry, every lookup at a date (today by default)."""

from __future__ import annotations

import datetime as dt
from typing import Literal

from django.http import HttpRequest
from django.utils.translation import get_language
from ninja import P, PathEx, QueryEx, Router, Schema

from haicap.core.pagination import MAX_PAGE_SIZE, paginate
from haicap.units import queries
from haicap.units.cache import cached
from haicap.units.models import AdminUnit, Succession

router = Router(tags=["units"])

CODE_PATTERN = r"^[0-9A-Za-z.]{1,10}$"


class UnitRef(Schema):
    code: str
    name: str
    tier: str
    valid_from: dt.date | None
    valid_to: dt.date | None


class UnitOut(UnitRef):
    short_name: str
    kind: str
    kind_label: str
    latitude: float | None
    longitude: float | None
    area_km2: float | None
    parent: UnitRef | None
    province: UnitRef | None


class UnitPage(Schema):
    count: int
    page: int
    pages: int
    page_size: int
    items: list[UnitOut]


class SuccessionOut(Schema):
    unit: UnitRef
    kind: str
    is_default: bool
    effective_date: dt.date
    legal_basis: str


class UnitDetail(UnitOut):
    successors: list[SuccessionOut]
    predecessors: list[SuccessionOut]


class ResolvedUnit(UnitOut):
    is_default: bool


class Resolution(Schema):
    code: str
    on: dt.date
    source: UnitRef
    units: list[ResolvedUnit]


def unit_ref(unit: AdminUnit) -> UnitRef:
    return UnitRef(
        code=unit.code,
        name=unit.name,
        tier=unit.tier,
        valid_from=unit.valid_from,
        valid_to=unit.valid_to,
    )


def unit_out(unit: AdminUnit) -> UnitOut:
    """A unit with its parent and province; expects both select_related."""
    is_province = unit.province_id == unit.pk
    return UnitOut(
        code=unit.code,
        name=unit.name,
        tier=unit.tier,
        valid_from=unit.valid_from,
        valid_to=unit.valid_to,
        short_name=unit.short_name,
        kind=unit.kind,
        kind_label=str(unit.get_kind_display()),
        latitude=unit.latitude,
        longitude=unit.longitude,
        area_km2=unit.area_km2,
        parent=unit_ref(unit.parent) if unit.parent else None,
        province=unit_ref(unit.province) if unit.province and not is_province else None,
    )


def _succession(succession: Succession, unit: AdminUnit) -> SuccessionOut:
    return SuccessionOut(
        unit=unit_ref(unit),
        kind=succession.kind,
        is_default=succession.is_default,
        effective_date=succession.effective_date,
        legal_basis=succession.legal_basis,
    )


@router.get("", response=UnitPage, summary="Units in force on a date, searchable")
def list_units(
    request: HttpRequest,
    q: QueryEx[str, P(description="search words; diacritics optional")] = "",
    province: QueryEx[str | None, P(description="province code: units under it")] = None,
    tier: QueryEx[Literal["province", "district", "commune"] | None, P()] = None,
    on: QueryEx[dt.date | None, P(description="YYYY-MM-DD; default today")] = None,
    page: QueryEx[int, P(ge=1)] = 1,
    page_size: QueryEx[int, P(ge=1, le=MAX_PAGE_SIZE)] = 50,
) -> UnitPage:
    found = queries.units(on=on, query=q, province=province, tier=tier)
    result = paginate(found, page, page_size)
    return UnitPage(
        **result.fields(),
        items=[unit_out(unit) for unit in result.items],
    )


@router.get("/resolve", response=Resolution, summary="What an old unit became")
def resolve_unit(
    request: HttpRequest,
    code: QueryEx[str, P(pattern=CODE_PATTERN)],
    on: QueryEx[dt.date | None, P(description="the date to resolve to; default today")] = None,
    was: QueryEx[dt.date | None, P(description="a day the old code was in use")] = None,
) -> Resolution:
    day = on or queries.today()
    resolution = queries.resolve(code, day, was=was)
    return Resolution(
        code=code,
        on=day,
        source=unit_ref(resolution.source),
        units=[
            ResolvedUnit(**dict(unit_out(unit)), is_default=is_default)
            for unit, is_default in resolution.units
        ],
    )


@router.get("/{code}", response=UnitDetail, summary="One unit, with what it came from and became")
def get_unit(
    request: HttpRequest,
    code: PathEx[str, P(pattern=CODE_PATTERN)],
    on: QueryEx[dt.date | None, P(description="YYYY-MM-DD; default today")] = None,
) -> UnitDetail:
    day = on or queries.today()

    def detail() -> UnitDetail:
        unit = queries.unit_by_code(code, day)
        # UnitOut's fields as built by unit_out (its nested refs pass through), and the rest.
        return UnitDetail(
            **dict(unit_out(unit)),
            successors=[_succession(s, s.successor) for s in queries.successions_from(unit)],
            predecessors=[_succession(s, s.predecessor) for s in queries.successions_into(unit)],
        )

    # The schema instance is cached (it pickles); under a new name, so that no dict cached by
    # an earlier release is served as one.
    return cached("unit-detail", detail, code, day, get_language())


@router.get("/{code}/successors", response=list[SuccessionOut], summary="What the unit became")
def unit_successors(
    request: HttpRequest,
    code: PathEx[str, P(pattern=CODE_PATTERN)],
    on: QueryEx[dt.date | None, P(description="YYYY-MM-DD; default today")] = None,
) -> list[SuccessionOut]:
    unit = queries.unit_by_code(code, on)
    return [_succession(s, s.successor) for s in queries.successions_from(unit)]


@router.get("/{code}/predecessors", response=list[SuccessionOut], summary="What it came from")
def unit_predecessors(
    request: HttpRequest,
    code: PathEx[str, P(pattern=CODE_PATTERN)],
    on: QueryEx[dt.date | None, P(description="YYYY-MM-DD; default today")] = None,
) -> list[SuccessionOut]:
    unit = queries.unit_by_code(code, on)
    return [_succession(s, s.predecessor) for s in queries.successions_into(unit)]
