"""The indicators of a scope (the nation, a province, a unit) over a date range: totals,
series, rankings and late dossiers by procedure, with the service index.

A province's figures are read from the province table, a unit's from the unit table, each
over the lineage of the scope (units/lineage.py), so a merged province or commune shows its
predecessors' history too.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, replace
from typing import Any

from django.utils.translation import gettext as _

from haicap.core.errors import Invalid
from haicap.procedures.models import Procedure
from haicap.reports import feedback, index
from haicap.reports.figures import Totals, query, regroup
from haicap.reports.windows import PERIODS, period_start, periods
from haicap.units.lineage import lineage, owners
from haicap.units.models import AdminUnit, Tier
from haicap.units.queries import today, unit_by_code

# A long range is cut into at most this many points of a series.
MAX_POINTS = 400
# No figures come before this day.
FIRST_DAY = dt.date(2000, 1, 1)


@dataclass(frozen=True)
class Scope:
    """What the figures are about: ``unit`` None is the nation."""

    unit: AdminUnit | None

    @property
    def kind(self) -> str:
        if self.unit is None:
            return "nation"
        return "province" if self.unit.tier == Tier.PROVINCE else "unit"

    @property
    def code(self) -> str:
        return self.unit.code if self.unit is not None else ""

    @property
    def name(self) -> str:
        return self.unit.name if self.unit is not None else _("Viet Nam")

    def filters(self) -> dict[str, Any]:
        """The figures table and the ids it is read for."""
        if self.unit is None:
            return {"table": "province"}
        ids = lineage(self.unit)
        if self.kind == "province":
            return {"table": "province", "provinces": ids}
        return {"table": "unit", "units": ids}


def scope_for(code: str | None, on: dt.date | None = None) -> Scope:
    """The nation (no code, or "VN"), or the unit with ``code`` in force on ``on``."""
    if not code or code.upper() == "VN":
        return Scope(None)
    return Scope(unit_by_code(code, on))


def date_bounds() -> tuple[dt.date, dt.date]:
    """The days a range may name: a date far outside (9999-12-31) is a typing error."""
    return FIRST_DAY, dt.date(today().year + 1, 12, 31)


def check_range(start: dt.date | None, end: dt.date | None) -> tuple[dt.date, dt.date]:
    """Defaults (this month so far), bounds and order: Invalid names the bad field."""
    end = end or today()
    start = start or end.replace(day=1)
    first, last = date_bounds()
    for field, day in (("from", start), ("to", end)):
        if not first <= day <= last:
            raise Invalid(
                _("Choose dates from %(first)s to %(last)s.")
                % {"first": f"{first:%d/%m/%Y}", "last": f"{last:%d/%m/%Y}"},
                field=field,
            )
    if start > end:
        raise Invalid(_("The start date is after the end date."), field="from")
    return start, end


def _with_feedback(found: Totals, counted: feedback.FeedbackTotals | None) -> Totals:
    if counted is None:
        return found
    return replace(
        found,
        feedback_due=counted.due,
        feedback_in_time=counted.in_time,
        complaints=counted.complaints,
    )


def _feedback_filters(scope: Scope) -> dict[str, Any]:
    filters = scope.filters()
    return {key: value for key, value in filters.items() if key in ("units", "provinces")}


def totals(scope: Scope, start: dt.date, end: dt.date) -> Totals:
    counted = feedback.counts(start=start, end=end, **_feedback_filters(scope))
    return _with_feedback(query(start=start, end=end, **scope.filters())[None], counted.get(None))


def series(
    scope: Scope, start: dt.date, end: dt.date, period: str, facts: index.Catalogue
) -> list[dict[str, Any]]:
    """One point per calendar period in the range (each clipped to it)."""
    if period not in PERIODS:
        raise Invalid(
            _("period is one of %(periods)s.") % {"periods": ", ".join(PERIODS)}, field="period"
        )
    spans = list(periods(start, end, period))
    if len(spans) > MAX_POINTS:
        raise Invalid(
            _("That is more than %(n)s points; choose a longer period.") % {"n": MAX_POINTS},
            field="period",
        )
    found = query(start=start, end=end, group=period, **scope.filters())
    counted = feedback.counts(start=start, end=end, group=period, **_feedback_filters(scope))
    points = []
    for first, last in spans:
        key = period_start(first, period)
        point_totals = _with_feedback(found.get(key, Totals()), counted.get(key))
        points.append({"from": first, "to": last, **describe(point_totals, facts, with_index=True)})
    return points


def describe(totals: Totals, facts: index.Catalogue, *, with_index: bool) -> dict[str, Any]:
    """The indicators of some totals, as the API and the pages show them."""
    described: dict[str, Any] = {
        "received": totals.received,
        "received_online": totals.received_online,
        "finished": totals.finished,
        "on_time": totals.on_time,
        "early": totals.early,
        "late": totals.late,
        "apologised": totals.apologised,
        "on_time_share": totals.on_time_share,
        "avg_working_days": totals.avg_working_days,
        "p90_working_days": totals.p90_working_days,
        "online_share": totals.online_share,
        "e_result_share": totals.e_result_share,
        "digitised_share": totals.digitised_share,
        "online_payment_share": totals.online_payment_share,
        "rated": totals.rated,
        "satisfaction": totals.satisfaction,
        "feedback_within_15_days": totals.feedback_share,
        "complaints": totals.complaints,
    }
    if with_index:
        described["index"] = index.score(totals, facts)
    return described


def unit_ranking(
    province: AdminUnit, start: dt.date, end: dt.date, facts: index.Catalogue
) -> list[dict[str, Any]]:
    """The province's communes, wards and special zones, best index first."""
    found = query(
        "unit",
        start=start,
        end=end,
        provinces=lineage(province),
        group="unit_id",
        histograms=False,
    )
    counted = feedback.counts(start=start, end=end, provinces=lineage(province), group="unit_id")
    by_unit = regroup(
        {
            key: _with_feedback(found.get(key, Totals()), counted.get(key))
            for key in {*found, *counted}
        },
        owners(),
    )
    communes = {
        unit.pk: unit
        for unit in AdminUnit.objects.in_force_on(today()).filter(
            province=province, tier=Tier.COMMUNE
        )
    }
    return _ranked([(communes[pk], by_unit.get(pk, Totals())) for pk in communes], facts)


def province_ranking(start: dt.date, end: dt.date, facts: index.Catalogue) -> list[dict[str, Any]]:
    """The provinces and centrally-run cities, best index first."""
    found = query("province", start=start, end=end, group="province_id", histograms=False)
    counted = feedback.counts(start=start, end=end, group="province_id")
    by_province = regroup(
        {
            key: _with_feedback(found.get(key, Totals()), counted.get(key))
            for key in {*found, *counted}
        },
        owners(),
    )
    provinces = AdminUnit.objects.in_force_on(today()).filter(tier=Tier.PROVINCE)
    return _ranked(
        [(province, by_province.get(province.pk, Totals())) for province in provinces], facts
    )


def _ranked(rows: list[tuple[AdminUnit, Totals]], facts: index.Catalogue) -> list[dict[str, Any]]:
    described = [
        {"unit": unit, "totals": totals, **describe(totals, facts, with_index=True)}
        for unit, totals in rows
    ]
    # Units with no dossier in the range have no index: last, by name.
    described.sort(
        key=lambda row: (
            row["index"]["total"] is None,
            -(row["index"]["total"] or 0),
            row["unit"].name,
        )
    )
    for rank, row in enumerate(described, start=1):
        row["rank"] = rank if row["index"]["total"] is not None else None
    return described


def late_by_procedure(scope: Scope, start: dt.date, end: dt.date) -> list[dict[str, Any]]:
    """Procedures with the most late dossiers (nation or province scope)."""
    filters = scope.filters()
    if filters["table"] != "province":
        return []
    found = query(
        "procedure",
        start=start,
        end=end,
        provinces=filters.get("provinces"),
        group="procedure_id",
        histograms=False,
    )
    named = {
        pk: {"code": code, "name": name}
        for pk, code, name in Procedure.objects.filter(pk__in=list(found)).values_list(
            "pk", "code", "name"
        )
    }
    ordered = sorted(
        ((pk, value) for pk, value in found.items() if value.finished),
        key=lambda item: (-item[1].late, -(item[1].late_share or 0)),
    )
    return [
        {
            "procedure": named.get(pk, {"code": "", "name": ""}),
            "finished": value.finished,
            "late": value.late,
            "late_share": value.late_share,
            "avg_working_days": value.avg_working_days,
        }
        for pk, value in ordered
    ]
