"""/api/v1/indicators: the indicators and service index of a unit, a province or the nation,
and the ranking of a province's communes. For officers (bearer token or signed in)."""

from __future__ import annotations

import datetime as dt
from typing import Any, Literal

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Field, P, QueryEx, Router, Schema
from ninja.security import django_auth

from haicap.core.errors import Forbidden, Invalid
from haicap.reports import index
from haicap.reports.indicators import (
    check_range,
    describe,
    scope_for,
    series,
    totals,
    unit_ranking,
)
from haicap.staff.access import scope_of
from haicap.staff.auth import TokenAuth
from haicap.units.models import AdminUnit, Tier

router = Router(tags=["indicators"], auth=[TokenAuth(), django_auth])


class ReportUnitBrief(Schema):
    code: str
    name: str


class CriterionOut(Schema):
    group: str
    share: float | None = Field(description="None: not measured, or nothing to measure")
    points: float | None
    max: float
    threshold: float = Field(description="full marks at or above this share")


class IndexOut(Schema):
    total: float | None = Field(description="0-100; None without any dossier in the range")
    transparency: float | None
    progress: float | None
    online: float | None
    digitisation: float | None
    satisfaction: float | None
    criteria: dict[str, CriterionOut]


class Figures(Schema):
    received: int
    received_online: int
    finished: int
    on_time: int = Field(description="finished by the legal deadline (early ones included)")
    early: int = Field(description="finished before the day of the legal deadline")
    late: int
    apologised: int
    on_time_share: float | None
    avg_working_days: float | None
    p90_working_days: float | None
    online_share: float | None
    e_result_share: float | None
    digitised_share: float | None
    online_payment_share: float | None
    rated: int
    satisfaction: float | None
    feedback_within_15_days: float | None
    index: IndexOut


# "from" is a Python keyword: the field is start (the name the handlers build it with), and
# the by_alias routes write and document it as "from".
class Point(Figures):
    start: dt.date = Field(serialization_alias="from")
    to: dt.date


class IndicatorsOut(Figures):
    unit: ReportUnitBrief | None = Field(description="None: the nation")
    start: dt.date = Field(serialization_alias="from")
    to: dt.date
    series: list[Point] | None = None


class Ranked(Figures):
    """A ranked unit's figures; rankings give no ``p90_working_days`` (always None)."""

    rank: int | None = Field(description="None: no dossier in the range")
    unit: ReportUnitBrief


class RankingOut(Schema):
    province: ReportUnitBrief
    start: dt.date = Field(serialization_alias="from")
    to: dt.date
    items: list[Ranked]


def _officers_only(request: HttpRequest) -> None:
    if not scope_of(request.user).is_staff:
        raise Forbidden(_("Indicators are for officers."))


def _brief(unit: AdminUnit) -> ReportUnitBrief:
    return ReportUnitBrief(code=unit.code, name=unit.name)


def _point(point: dict[str, Any]) -> Point:
    """A point of indicators.series, whose "from" is the schema's start."""
    figures = {key: value for key, value in point.items() if key not in {"from", "to"}}
    return Point(start=point["from"], to=point["to"], **figures)


FromDate = QueryEx[dt.date | None, P(alias="from", description="first day (default: the 1st)")]
ToDate = QueryEx[dt.date | None, P(description="last day (default: today)")]


@router.get(
    "",
    summary="Indicators and the service index of a unit, a province or the nation",
    response=IndicatorsOut,
    by_alias=True,
)
def indicators(
    request: HttpRequest,
    unit: QueryEx[str | None, P(description="unit or province code; none: the nation")] = None,
    start: FromDate = None,
    to: ToDate = None,
    period: QueryEx[
        Literal["day", "month", "quarter", "year"] | None,
        P(description="also a series, one point per period"),
    ] = None,
) -> IndicatorsOut:
    _officers_only(request)
    first, last = check_range(start, to)
    scope = scope_for(unit, last)
    facts = index.catalogue()
    return IndicatorsOut(
        unit=_brief(scope.unit) if scope.unit is not None else None,
        start=first,
        to=last,
        # describe's figures (also the pages'), validated here once as ninja did.
        **describe(totals(scope, first, last), facts, with_index=True),
        series=(
            [_point(point) for point in series(scope, first, last, period, facts)]
            if period
            else None
        ),
    )


@router.get(
    "/ranking",
    summary="A province's communes, wards and special zones ranked by the service index",
    response=RankingOut,
    by_alias=True,
)
def ranking(
    request: HttpRequest,
    province: QueryEx[str, P(description="province code")],
    start: FromDate = None,
    to: ToDate = None,
) -> RankingOut:
    _officers_only(request)
    first, last = check_range(start, to)
    scope = scope_for(province, last)
    if scope.unit is None or scope.unit.tier != Tier.PROVINCE:
        raise Invalid(_("%(code)s is not a province.") % {"code": province}, field="province")
    rows = unit_ranking(scope.unit, first, last, index.catalogue())
    return RankingOut(
        province=_brief(scope.unit),
        start=first,
        to=last,
        items=[
            Ranked(
                rank=row["rank"],
                unit=_brief(row["unit"]),
                **{k: v for k, v in row.items() if k not in {"rank", "unit", "totals"}},
            )
            for row in rows
        ],
    )
