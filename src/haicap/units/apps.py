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
        from haicap.core.actors import SYSTEM
        from haicap.units.actions import (
            do_derive_agency_codes,
            do_ensure_service_centres,
            do_load_registry,
        )
        from haicap.units.source import read_package

        started = time.monotonic()
        dataset = read_package()
        result = do_load_registry(dataset, actor=SYSTEM, progress=progress)
        coded = do_derive_agency_codes(actor=SYSTEM)
        created = do_ensure_service_centres(actor=SYSTEM)  # named by the agency codes
        out.write(
            f"units: {dataset.source}, {result.units_created} created, "
            f"{result.units_updated} updated, {result.units_unchanged} unchanged; "
            f"{result.successions_created + result.successions_updated} successions written; "
            f"{created} service centres created; {coded} agency codes derived "
            f"({time.monotonic() - started:.1f} s)"
        )
