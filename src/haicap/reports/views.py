"""Dashboards (nation, province, unit) for officers, the public index per province, the
dossiers behind a number, exports and the periodic report as PDF."""

from __future__ import annotations

import datetime as dt
from typing import Any
from urllib.parse import urlencode

from django.contrib import messages
from django.db.models import F
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBadRequest
from django.shortcuts import render
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from haicap.core import audit
from haicap.core.errors import DomainError, Invalid
from haicap.core.http import cache_for_anonymous
from haicap.core.pagination import page_number, paginate
from haicap.core.tables import FORMATS, table_response
from haicap.dossiers.access import visible_dossiers
from haicap.dossiers.models import CLOCK_STATUSES
from haicap.reports import charts, exports, index
from haicap.reports.drill import METRICS, dossiers_behind
from haicap.reports.indicators import (
    Scope,
    check_range,
    date_bounds,
    describe,
    late_by_procedure,
    province_ranking,
    scope_for,
    series,
    totals,
    unit_ranking,
)
from haicap.reports.models import RefreshRun
from haicap.reports.pdf import periodic_report
from haicap.reports.windows import ReportKind, reporting_window
from haicap.staff.http import officers_only
from haicap.units.queries import today

PUBLIC_PAGE_SECONDS = 300


def _date(request: HttpRequest, name: str) -> dt.date | None:
    raw = request.GET.get(name, "").strip()
    if not raw:
        return None
    try:
        return dt.date.fromisoformat(raw)
    except ValueError:
        raise Invalid(
            _("%(name)s is not a date (YYYY-MM-DD).") % {"name": name}, field=name
        ) from None


def _range(request: HttpRequest, default_start: dt.date | None = None) -> tuple[dt.date, dt.date]:
    """The range asked for; a bad one is said on the page and the default range shown."""
    try:
        return check_range(_date(request, "from") or default_start, _date(request, "to"))
    except DomainError as exc:
        messages.error(request, exc.message)
        return check_range(default_start, None)


def _presets(end: dt.date) -> list[dict[str, Any]]:
    """Quick ranges, each named for what it covers: the last 30 days, this month so far
    (on the 1st, one day), the last complete monthly reporting window (15th to 14th), this
    quarter, this year."""
    quarter = dt.date(end.year, 3 * ((end.month - 1) // 3) + 1, 1)
    year, month = (end.year, end.month) if end.day >= 15 else (end.year, end.month - 1)
    if month == 0:
        year, month = year - 1, 12
    window = reporting_window(ReportKind.MONTHLY, year, month)
    return [
        {"label": _("Last 30 days"), "from": end - dt.timedelta(days=29), "to": end},
        {"label": _("This month so far"), "from": end.replace(day=1), "to": end},
        {"label": _("Last monthly report (15th to 14th)"), "from": window[0], "to": window[1]},
        {"label": _("This quarter"), "from": quarter, "to": end},
        {"label": _("This year"), "from": dt.date(end.year, 1, 1), "to": end},
    ]


def _range_label(start: dt.date, end: dt.date) -> str:
    """What the page shows, in words: a preset's name when the range is one."""
    for preset in _presets(today()):
        if (preset["from"], preset["to"]) == (start, end):
            return f"{preset['label']} ({start:%d/%m/%Y} – {end:%d/%m/%Y})"
    return _("From %(start)s to %(end)s") % {
        "start": f"{start:%d/%m/%Y}",
        "end": f"{end:%d/%m/%Y}",
    }


def _scope(code: str | None, on: dt.date) -> Scope:
    try:
        return scope_for(code, on)
    except DomainError as exc:
        raise Http404(exc.message) from exc


def _drill(scope: Scope, metric: str, start: dt.date, end: dt.date, **extra: str) -> str:
    query = {"metric": metric, "from": start.isoformat(), "to": end.isoformat(), **extra}
    if scope.unit is not None:
        query["scope"] = scope.code
    return f"{reverse('reports:dossiers')}?{urlencode(query)}"


def _last_refresh() -> RefreshRun | None:
    return RefreshRun.objects.order_by("-started_at", "-id").first()


@officers_only()
def dashboard(request: HttpRequest, code: str | None = None) -> HttpResponse:
    # By default the last 30 days: "this month" on the 1st would be a single day.
    start, end = _range(request, default_start=today() - dt.timedelta(days=29))
    scope = _scope(code, end)
    facts = index.catalogue()
    summary = describe(totals(scope, start, end), facts, with_index=True)
    period = "day" if (end - start).days <= 62 else "month"
    trend = series(scope, start, end, period, facts)
    ranking: list[dict[str, Any]] = []
    if scope.kind == "nation":
        ranking = province_ranking(start, end, facts)
    elif scope.kind == "province" and scope.unit is not None:
        ranking = unit_ranking(scope.unit, start, end, facts)
    # Units with no dossier in the period are hidden unless asked for (a province has many).
    show_empty = request.GET.get("empty") == "1"
    empty = [row for row in ranking if not row["received"] and not row["finished"]]
    if not show_empty and request.GET.get("export") is None:
        ranking = [row for row in ranking if row["received"] or row["finished"]]
    procedures = late_by_procedure(scope, start, end)
    for point in trend:
        point["received_link"] = _drill(scope, "received", point["from"], point["to"])
        point["late_link"] = _drill(scope, "late", point["from"], point["to"])
    for row in procedures:
        row["late_link"] = _drill(scope, "late", start, end, procedure=row["procedure"]["code"])
    export = request.GET.get("export")
    if export in FORMATS:
        return exports.dashboard_table(
            export,
            request.GET.get("table", "summary"),
            scope,
            start,
            end,
            summary,
            trend,
            ranking,
            procedures,
        )
    context = {
        "scope": scope,
        "start": start,
        "end": end,
        "presets": _presets(today()),
        "summary": summary,
        "groups": [
            (name, index.GROUP_LABELS[name], summary["index"][name], points)
            for name, (points, _members) in index.GROUPS.items()
        ],
        "criteria": {
            key: {**value, "label": index.CRITERION_LABELS[key]}
            for key, value in summary["index"]["criteria"].items()
        },
        "trend": trend,
        "trend_chart": charts.columns(
            _("Dossiers received"),
            _("Dossiers received per %(period)s from %(start)s to %(end)s")
            % {"period": _("day") if period == "day" else _("month"), "start": start, "end": end},
            [
                charts.Bar(
                    point["from"].strftime("%d/%m" if period == "day" else "%m/%Y"),
                    point["received"],
                )
                for point in trend
            ],
        ),
        "ranking": ranking,
        "empty_units": len(empty),
        "show_empty": show_empty,
        "range_label": _range_label(start, end),
        "ranking_chart": charts.bars(
            _("Service index"),
            _("Service index (0 to 100) of each unit, best first"),
            [
                charts.Bar(
                    row["unit"].name,
                    row["index"]["total"],
                    text=formats.number_format(row["index"]["total"], 1),
                )
                for row in ranking[:40]
                if row["index"]["total"] is not None
            ],
        ),
        "procedures": procedures,
        "procedures_chart": charts.bars(
            _("Late dossiers by procedure"),
            _("Dossiers finished after the legal deadline, by procedure"),
            [
                charts.Bar(
                    row["procedure"]["name"],
                    row["late"],
                )
                for row in procedures[:15]
            ],
        )
        if procedures
        else "",
        "overdue_now": _overdue_now(request, scope),
        "links": {metric: _drill(scope, metric, start, end) for metric in METRICS},
        "refreshed": _last_refresh(),
        "kinds": ReportKind.choices,
        "this_year": today().year,
    }
    return render(request, "reports/dashboard.html", context)


def _overdue_now(request: HttpRequest, scope: Scope) -> int | None:
    """Open dossiers past their legal deadline now (a province or unit; the nation is big)."""
    if scope.kind == "nation":
        return None
    filters = scope.filters()
    open_late = visible_dossiers(request.user).filter(
        status__in=CLOCK_STATUSES, legal_due_at__lt=timezone.now()
    )
    if "provinces" in filters:
        open_late = open_late.filter(province_id__in=filters["provinces"])
    else:
        open_late = open_late.filter(responsible_unit_id__in=filters["units"])
    return open_late.count()


@officers_only()
def dossiers(request: HttpRequest) -> HttpResponse:
    """The dossiers behind one figure, among those the officer may see."""
    metric = request.GET.get("metric", "")
    if metric not in METRICS:
        raise Http404
    start, end = _range(request, default_start=today() - dt.timedelta(days=29))
    scope = _scope(request.GET.get("scope") or None, end)
    procedure = request.GET.get("procedure", "").strip()[:60] or None
    unit = request.GET.get("unit", "").strip()[:20] or None
    found = (
        dossiers_behind(
            visible_dossiers(request.user, archive=True),
            scope,
            metric,
            start,
            end,
            procedure=procedure,
        )
        .select_related("procedure", "responsible_unit")
        .order_by(F("received_at").desc(nulls_last=True), "code")
    )
    if unit:
        found = found.filter(responsible_unit__code=unit)
    now = timezone.now()
    export = request.GET.get("export")
    if export in FORMATS:
        audit.record(
            "dossier.export",
            actor=request.user,
            subject_type="dossier",
            after={"report": metric, "scope": scope.code, "from": str(start), "to": str(end)},
        )
        rows = exports.dossier_rows(found[: exports.MAX_DOSSIER_ROWS], now)
        name = f"{metric}-{scope.code or 'VN'}-{start:%Y%m%d}-{end:%Y%m%d}"
        return exports.dossier_table(export, name, rows)
    page = paginate(found, page_number(request), 50)
    late = {d.pk: exports.days_late(d, now) for d in page.items}
    audit.record(
        "dossier.search",
        actor=request.user,
        subject_type="dossier",
        after={"report": metric, "scope": scope.code, "from": str(start), "to": str(end)},
    )
    return render(
        request,
        "reports/dossiers.html",
        {
            "scope": scope,
            "metric": metric,
            "start": start,
            "end": end,
            "procedure": procedure,
            "unit": unit,
            "page": page,
            "late": late,
            "query": urlencode(
                {k: v for k, v in request.GET.items() if k not in {"page", "export"} and v}
            ),
        },
    )


@officers_only()
def report_pdf(request: HttpRequest) -> HttpResponse:
    """The periodic report of Decree 09/2019 for a scope: its window runs 15th to 14th."""
    kind = request.GET.get("kind", ReportKind.MONTHLY)
    try:
        year = int(request.GET.get("year", str(today().year)))
        number = int(request.GET.get("number", "1"))
        first, last = date_bounds()
        if not first.year <= year <= last.year:
            raise ValueError(
                _("The year is between %(first)s and %(last)s.")
                % {"first": first.year, "last": last.year}
            )
        start, end = reporting_window(kind, year, number)
    except ValueError as exc:
        return HttpResponseBadRequest(str(exc), content_type="text/plain; charset=utf-8")
    scope = _scope(request.GET.get("scope") or None, min(end, today()))
    pdf = periodic_report(scope, ReportKind(kind), year, number, start, end)
    response = HttpResponse(pdf, content_type="application/pdf")
    name = f"bao-cao-{kind}-{year}-{number}-{scope.code or 'VN'}.pdf"
    response["Content-Disposition"] = f'inline; filename="{name}"'
    return response


def _group_header(name: str) -> str:
    return _("Index: %(group)s") % {"group": index.GROUP_LABELS[name]}


@cache_for_anonymous(PUBLIC_PAGE_SECONDS)
def public_index(request: HttpRequest) -> HttpResponse:
    """The service index of every province, for everyone (no dossier is shown)."""
    end = today()
    start, end = _range(request, default_start=dt.date(end.year, 1, 1))
    facts = index.catalogue()
    ranking = province_ranking(start, end, facts)
    export = request.GET.get("export")
    if export in FORMATS:
        groups = ["total", *index.GROUPS]
        return table_response(
            export,
            f"chi-so-phuc-vu-{start:%Y%m%d}-{end:%Y%m%d}",
            [
                _("Rank"),
                _("Code"),
                _("Province"),
                *(exports.headers()["total"] if g == "total" else _group_header(g) for g in groups),
                exports.headers()["received"],
                exports.headers()["on_time_share"],
                exports.headers()["satisfaction"],
            ],
            [
                [
                    r["rank"],
                    r["unit"].code,
                    r["unit"].name,
                    *(r["index"][g] for g in groups),
                    r["received"],
                    round(r["on_time_share"] * 100, 1) if r["on_time_share"] is not None else None,
                    round(r["satisfaction"] * 100, 1) if r["satisfaction"] is not None else None,
                ]
                for r in ranking
            ],
        )
    return render(
        request,
        "reports/public.html",
        {
            "start": start,
            "end": end,
            "ranking": ranking,
            "groups": [
                (name, index.GROUP_LABELS[name], points)
                for name, (points, _members) in index.GROUPS.items()
            ],
            "years": range(2025, today().year + 1),
        },
    )
