"""Figures for officers: reports per category, per unit and by deadline over a period, as
bar charts (SVG, with the same numbers in tables) and as a CSV or XLSX download."""

from __future__ import annotations

import datetime as dt

from django.db.models import Count, F, Q, QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.dateparse import parse_date
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _

from haicap.core.tables import FORMATS, table_response
from haicap.feedback.access import visible_reports
from haicap.feedback.models import OPEN, Report
from haicap.staff.http import officers_only

FIRST_DAY = dt.date(2000, 1, 1)


def bars(title: str, rows: list[tuple[str, int]]) -> SafeString:
    """A horizontal bar chart, legible on a phone; its numbers are also in the table beside it."""
    top = max((n for _label, n in rows), default=0) or 1
    step = 34
    height = step * len(rows) + 8
    body = format_html_join(
        "",
        '<text x="0" y="{}" font-size="20">{}</text>'
        '<rect x="330" y="{}" width="{}" height="22" fill="#1d5fa8"></rect>'
        '<text x="{}" y="{}" font-size="20">{}</text>',
        (
            (
                step * i + 26,
                label[:28],
                step * i + 9,
                round(240 * n / top),
                338 + round(240 * n / top),
                step * i + 26,
                n,
            )
            for i, (label, n) in enumerate(rows)
        ),
    )
    return format_html(
        '<svg class="chart" viewBox="0 0 640 {}" role="img" aria-label="{}">{}</svg>',
        height,
        title,
        body,
    )


def _range(request: HttpRequest) -> tuple[dt.date, dt.date, str]:
    today = timezone.localdate()
    error = ""
    try:
        start = parse_date(request.GET.get("from", "")[:10]) if request.GET.get("from") else None
        end = parse_date(request.GET.get("to", "")[:10]) if request.GET.get("to") else None
    except ValueError:  # 2026-13-45: the right shape, not a day
        start = end = dt.date.min
    start, end = start or today.replace(day=1), end or today
    last = dt.date(today.year + 1, 12, 31)
    if not (FIRST_DAY <= start <= last and FIRST_DAY <= end <= last) or start > end:
        error = _("Choose dates from 01/01/2000 to 31/12/%(year)s, the start before the end.") % {
            "year": last.year
        }
        start, end = today.replace(day=1), today
    return start, end, error


def _figures(found: QuerySet[Report]) -> dict[str, list[tuple[str, int]]]:
    now = timezone.now()
    deadline = found.aggregate(
        on_time=Count("id", filter=Q(answered_at__isnull=False, answered_at__lte=F("due_at"))),
        late=Count("id", filter=Q(answered_at__isnull=False, answered_at__gt=F("due_at"))),
        open_ok=Count("id", filter=Q(status__in=OPEN, due_at__gte=now)),
        open_late=Count("id", filter=Q(status__in=OPEN, due_at__lt=now)),
    )
    by_category = found.values("category__name").annotate(n=Count("id")).order_by("-n")
    by_unit = found.values("unit__name").annotate(n=Count("id")).order_by("-n")[:30]
    return {
        "category": [(row["category__name"], row["n"]) for row in by_category],
        "unit": [(row["unit__name"], row["n"]) for row in by_unit],
        "deadline": [
            (_("Answered on time"), deadline["on_time"]),
            (_("Answered late"), deadline["late"]),
            (_("Open, within the deadline"), deadline["open_ok"]),
            (_("Open, overdue"), deadline["open_late"]),
        ],
    }


@officers_only()
def figures(request: HttpRequest) -> HttpResponse:
    start, end, error = _range(request)
    found = visible_reports(request.user).filter(
        received_at__date__gte=start, received_at__date__lte=end
    )
    figures = _figures(found)
    fmt = request.GET.get("format", "")
    if fmt in FORMATS:
        rows = [[group, label, n] for group, items in figures.items() for label, n in items]
        return table_response(fmt, "so-lieu-phan-anh", [_("Group"), _("Item"), _("Reports")], rows)
    charts = [
        (
            _("By category"),
            figures["category"],
            bars(_("Reports by category"), figures["category"]),
        ),
        (_("By unit"), figures["unit"], bars(_("Reports by unit"), figures["unit"])),
        (
            _("By deadline"),
            figures["deadline"],
            bars(_("Reports by deadline"), figures["deadline"]),
        ),
    ]
    return render(
        request,
        "feedback/figures.html",
        {"charts": charts, "start": start, "end": end, "error": error},
        status=400 if error else 200,
    )
