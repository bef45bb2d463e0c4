from __future__ import annotations

import time
from typing import Any

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class UnitsConfig(AppConfig):
    name = "haicap.units"
    verbose_name = _("Administrative units")
    page_urls = (("units/", "haicap.units.urls"),)
    api_routers = (("/units", "haicap.units.api:router"),)

    def ready(self) -> None:
        from haicap.core import handover, nav
        from haicap.units import signals  # noqa: F401  (connects the cache invalidation)
        from haicap.units.bulk import ServiceCentreHandOver

        nav.register(nav.NavLink("units:index", _("Administrative units"), 40))
        handover.register(ServiceCentreHandOver())

    def setup_reference_data(self, out: Any, *, progress: bool) -> None:
        """Load the registry from vietnamadminunits and create the service centres."""
        from haicap.units.agency_codes import assign_defaults
        from haicap.units.centres import ensure_service_centres
        from haicap.units.loader import load
        from haicap.units.source import read_package

        started = time.monotonic()
        dataset = read_package()
        result = load(dataset, progress=progress)
        created = ensure_service_centres()
        coded = assign_defaults()
        out.write(
            f"units: {dataset.source}, {result.units_created} created, "
            f"{result.units_updated} updated, {result.units_unchanged} unchanged; "
            f"{result.successions_created + result.successions_updated} successions written; "
            f"{created} service centres created; {coded} agency codes derived "
            f"({time.monotonic() - started:.1f} s)"
        )
