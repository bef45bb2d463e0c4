from __future__ import annotations

from typing import Any

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ProceduresConfig(AppConfig):
    name = "haicap.procedures"
    verbose_name = _("Procedures")
    api_routers = (("/procedures", "haicap.procedures.api:router"),)

    def setup_reference_data(self, out: Any, *, progress: bool) -> None:
        """Seed the catalogue with the procedures it lacks, and load newer shipped e-forms."""
        from haicap.core.actors import SYSTEM
        from haicap.procedures.actions import do_load_shipped_forms, do_seed_catalogue
        from haicap.procedures.models import Procedure

        added = do_seed_catalogue(actor=SYSTEM)
        out.write(f"procedures: {added} added, {Procedure.objects.count()} in the catalogue")
        forms = do_load_shipped_forms(actor=SYSTEM)
        out.write(f"procedures: {forms} e-form versions loaded")
