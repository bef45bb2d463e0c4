"""The periodic report (Decree 09/2019/NĐ-CP) as PDF: the indicators and the service index
of a scope over the report's window, with its ranking and late procedures."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import timezone, translation

from haicap.reports import index
from haicap.reports.indicators import (
    Scope,
    describe,
    late_by_procedure,
    province_ranking,
    totals,
    unit_ranking,
)
from haicap.reports.windows import ReportKind

TITLES = {
    ReportKind.MONTHLY: "Báo cáo tháng {number}/{year}",
    ReportKind.QUARTERLY: "Báo cáo quý {number}/{year}",
    ReportKind.SIX_MONTHS: "Báo cáo 6 tháng đầu năm {year}",
    ReportKind.NINE_MONTHS: "Báo cáo 9 tháng năm {year}",
    ReportKind.ANNUAL: "Báo cáo năm {year}",
}


def periodic_report(
    scope: Scope, kind: ReportKind, year: int, number: int, start: dt.date, end: dt.date
) -> bytes:
    """The report in Vietnamese, the language of official reports."""
    from weasyprint import HTML

    facts = index.catalogue()
    ranking = []
    if scope.kind == "nation":
        ranking = province_ranking(start, end, facts)
    elif scope.kind == "province" and scope.unit is not None:
        ranking = unit_ranking(scope.unit, start, end, facts)
    with translation.override("vi"):
        html = render_to_string(
            "reports/pdf/periodic.html",
            {
                "title": TITLES[kind].format(number=number, year=year),
                "scope": scope,
                "start": start,
                "end": end,
                "summary": describe(totals(scope, start, end), facts, with_index=True),
                "groups": [(name, points) for name, (points, _m) in index.GROUPS.items()],
                "ranking": ranking,
                "procedures": late_by_procedure(scope, start, end)[:15],
                "made_at": timezone.localtime(),
            },
        )
    pdf: bytes = HTML(string=html, base_url=str(settings.PACKAGE_DIR)).write_pdf()
    return pdf
