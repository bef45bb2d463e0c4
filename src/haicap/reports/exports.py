"""Downloads of the dashboards and of the dossiers behind a figure: Vietnamese headers (the
columns' names on the page), shares as percentages, days as numbers with one decimal."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

from django.http import HttpResponse
from django.utils import translation
from django.utils.translation import gettext as _

from haicap.core.calendar import ZONE, calendar
from haicap.core.tables import table_response
from haicap.dossiers.models import Dossier, Status
from haicap.reports import index
from haicap.reports.indicators import Scope

FIELDS = (
    "received",
    "received_online",
    "finished",
    "on_time",
    "early",
    "late",
    "on_time_share",
    "avg_working_days",
    "p90_working_days",
    "online_share",
    "e_result_share",
    "digitised_share",
    "online_payment_share",
    "satisfaction",
)
MAX_DOSSIER_ROWS = 20_000


def headers() -> dict[str, str]:
    """Each column's header, in the language of the request (Vietnamese by default)."""
    return {
        "received": _("Received"),
        "received_online": _("Filed online"),
        "finished": _("Finished"),
        "on_time": _("On time"),
        "early": _("Early"),
        "late": _("Late"),
        "on_time_share": _("On time (%)"),
        "avg_working_days": _("Average working days"),
        "p90_working_days": _("Working days, 90th percentile"),
        "online_share": _("Filed online (%)"),
        "e_result_share": _("Electronic results (%)"),
        "digitised_share": _("Digitised (%)"),
        "online_payment_share": _("Paid online (%)"),
        "satisfaction": _("Satisfied (%)"),
        "late_share": _("Late (%)"),
        "total": _("Service index (0-100)"),
    }


def _value(field: str, value: Any) -> Any:
    """Shares (0 to 1) as percentages with one decimal; days with one decimal."""
    if value is None:
        return None
    if field.endswith("_share") or field == "satisfaction":
        return round(float(value) * 100, 1)
    if field.endswith("_days"):
        return round(float(value), 1)
    return value


def _group(name: str) -> str:
    return _("Index: %(group)s") % {"group": index.GROUP_LABELS[name]}


def dashboard_table(
    fmt: str,
    table: str,
    scope: Scope,
    start: dt.date,
    end: dt.date,
    summary: dict[str, Any],
    trend: list[dict[str, Any]],
    ranking: list[dict[str, Any]],
    procedures: list[dict[str, Any]],
) -> HttpResponse:
    name = f"{scope.code or 'VN'}-{start:%Y%m%d}-{end:%Y%m%d}-{table}"
    head = headers()
    fields = [head[f] for f in FIELDS]
    groups = list(index.GROUPS)
    if table == "trend":
        return table_response(
            fmt,
            name,
            [_("From"), _("To"), *fields, head["total"]],
            [
                [p["from"], p["to"], *(_value(f, p[f]) for f in FIELDS), p["index"]["total"]]
                for p in trend
            ],
        )
    if table == "ranking":
        return table_response(
            fmt,
            name,
            [_("Rank"), _("Code"), _("Unit"), *fields, head["total"], *map(_group, groups)],
            [
                [r["rank"], r["unit"].code, r["unit"].name, *(_value(f, r[f]) for f in FIELDS)]
                + [r["index"][g] for g in ["total", *groups]]
                for r in ranking
            ],
        )
    if table == "procedures":
        return table_response(
            fmt,
            name,
            [
                _("Code"),
                _("Procedure"),
                head["finished"],
                head["late"],
                head["late_share"],
                head["avg_working_days"],
            ],
            [
                [
                    r["procedure"]["code"],
                    r["procedure"]["name"],
                    r["finished"],
                    r["late"],
                    _value("late_share", r["late_share"]),
                    _value("avg_working_days", r["avg_working_days"]),
                ]
                for r in procedures
            ],
        )
    rows: list[list[Any]] = [[head[f], _value(f, summary[f])] for f in FIELDS]
    rows.append([head["total"], summary["index"]["total"]])
    rows += [[_group(g), summary["index"][g]] for g in groups]
    rows += [
        [index.CRITERION_LABELS[key] + " (%)", _value("share", value["share"])]
        for key, value in summary["index"]["criteria"].items()
    ]
    return table_response(fmt, name, [_("Indicator"), _("Value")], rows)


def days_late(dossier: Dossier, now: dt.datetime) -> float | None:
    """Working days past the legal deadline (at the end, or now while open); None if not late."""
    due = dossier.legal_due_at or dossier.due_at
    if due is None:
        return None
    end = dossier.finished_at or now
    if end <= due:
        return None
    cal = calendar()
    return round(cal.working_seconds(due, end) / cal.seconds_per_day, 1)


def dossier_rows(dossiers: Iterable[Dossier], now: dt.datetime) -> list[list[Any]]:
    def at(value: dt.datetime | None) -> str:
        return f"{value.astimezone(ZONE):%d/%m/%Y %H:%M}" if value else ""

    with translation.override(translation.get_language()):
        return [
            [
                d.code,
                d.procedure.name,
                d.responsible_unit.name,
                str(Status(d.status).label),
                at(d.received_at),
                at(d.legal_due_at or d.due_at),
                at(d.finished_at),
                days_late(d, now),
            ]
            for d in dossiers
        ]


def dossier_table(fmt: str, name: str, rows: list[list[Any]]) -> HttpResponse:
    return table_response(
        fmt,
        name,
        [
            _("Code"),
            _("Procedure"),
            _("Unit"),
            _("Status"),
            _("Received"),
            _("Legal deadline"),
            _("Finished"),
            _("Working days late"),
        ],
        rows,
    )
