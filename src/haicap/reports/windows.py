"""Periods of time: calendar periods for series, and the reporting windows of Decree
09/2019/NĐ-CP, whose data run from the 15th of the previous period to the 14th."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

from django.db import models
from django.utils.translation import gettext_lazy as _

PERIODS = ("day", "month", "quarter", "year")


class ReportKind(models.TextChoices):
    MONTHLY = "monthly", _("Monthly")
    QUARTERLY = "quarterly", _("Quarterly")
    SIX_MONTHS = "six_months", _("Six months")
    NINE_MONTHS = "nine_months", _("Nine months")
    ANNUAL = "annual", _("Annual")


def _last_month(report: ReportKind, number: int) -> int:
    """The last month of a report's window, by the window's number (1-based)."""
    if report == ReportKind.MONTHLY:
        return number
    if report == ReportKind.QUARTERLY:
        return 3 * number
    return {ReportKind.SIX_MONTHS: 6, ReportKind.NINE_MONTHS: 9}.get(report, 12)


_NUMBERS = {
    ReportKind.MONTHLY: 12,
    ReportKind.QUARTERLY: 4,
    ReportKind.SIX_MONTHS: 1,
    ReportKind.NINE_MONTHS: 1,
    ReportKind.ANNUAL: 1,
}


def _month_before(year: int, month: int) -> tuple[int, int]:
    return (year - 1, 12) if month == 1 else (year, month - 1)


def reporting_window(kind: str, year: int, number: int = 1) -> tuple[dt.date, dt.date]:
    """The data window of a periodic report: the 15th before it starts to the 14th it ends.

    Monthly n: 15th of month n-1 to the 14th of month n; quarterly q: from the 15th of the
    month before the quarter to the 14th of its last month; six-month, nine-month and annual
    reports start on 15 December of the previous year.
    """
    report = ReportKind(kind)
    if not 1 <= number <= _NUMBERS[report]:
        raise ValueError(f"a {report.value} report is numbered 1 to {_NUMBERS[report]}")
    last = _last_month(report, number)
    if report in {ReportKind.MONTHLY, ReportKind.QUARTERLY}:
        first = last - (0 if report == ReportKind.MONTHLY else 2)
    else:
        first = 1
    start_year, start_month = _month_before(year, first)
    return dt.date(start_year, start_month, 15), dt.date(year, last, 14)


def period_start(day: dt.date, period: str) -> dt.date:
    if period == "day":
        return day
    if period == "month":
        return day.replace(day=1)
    if period == "quarter":
        return dt.date(day.year, 3 * ((day.month - 1) // 3) + 1, 1)
    if period == "year":
        return dt.date(day.year, 1, 1)
    raise ValueError(f"period is one of {', '.join(PERIODS)}")


def _next_start(start: dt.date, period: str) -> dt.date:
    if period == "day":
        return start + dt.timedelta(days=1)
    months = {"month": 1, "quarter": 3, "year": 12}[period]
    month = start.month - 1 + months
    return dt.date(start.year + month // 12, month % 12 + 1, 1)


def periods(start: dt.date, end: dt.date, period: str) -> Iterator[tuple[dt.date, dt.date]]:
    """The calendar periods covering [start, end], each clipped to it."""
    current = period_start(start, period)
    while current <= end:
        following = _next_start(current, period)
        yield max(current, start), min(following - dt.timedelta(days=1), end)
        current = following
