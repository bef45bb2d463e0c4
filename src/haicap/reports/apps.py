from __future__ import annotations

from typing import Any

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReportsConfig(AppConfig):
    name = "haicap.reports"
    verbose_name = _("Indicators and reports")
    page_urls = (
        ("staff/reports/", "haicap.reports.urls"),
        ("reports/", "haicap.reports.public_urls"),
    )
    api_routers = (("/indicators", "haicap.reports.api:router"),)

    def ready(self) -> None:
        from haicap.core import nav
        from haicap.reports import tasks  # noqa: F401  (registers the periodic refresh)
        from haicap.staff import nav as shown

        nav.register(
            nav.NavLink("public_index", _("Service index"), 45),
            nav.NavLink("reports:nation", _("Indicators"), 60, shown.officers),
        )

    def setup_reference_data(self, out: Any, *, progress: bool) -> None:
        """Build the daily figures once if dossiers exist but were never counted."""
        from haicap.dossiers.models import Dossier
        from haicap.reports.aggregate import rebuild
        from haicap.reports.models import UnitDay

        if UnitDay.objects.exists() or not Dossier.objects.exists():
            return
        result = rebuild()
        out.write(f"reports: daily figures built ({result.rows} rows, {result.seconds:.1f} s)")
