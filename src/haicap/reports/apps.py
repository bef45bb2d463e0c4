from __future__ import annotations

from typing import Any

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReportsConfig(AppConfig):
    name = "haicap.reports"
    verbose_name = _("Indicators and reports")

    def ready(self) -> None:
        from haicap.reports import tasks  # noqa: F401  (registers the periodic refresh)

    def setup_reference_data(self, out: Any, *, progress: bool) -> None:
        """Build the daily figures once if dossiers exist but were never counted."""
        from haicap.dossiers.models import Dossier
        from haicap.reports.aggregate import rebuild
        from haicap.reports.models import UnitDay

        if UnitDay.objects.exists() or not Dossier.objects.exists():
            return
        result = rebuild()
        out.write(f"reports: daily figures built ({result.rows} rows, {result.seconds:.1f} s)")
