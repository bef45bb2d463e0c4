from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DossiersConfig(AppConfig):
    name = "haicap.dossiers"
    verbose_name = _("Dossiers")
    page_urls = (("staff/", "haicap.dossiers.urls"), ("payments/", "haicap.dossiers.payment_urls"))
    api_routers = (("/dossiers", "haicap.dossiers.api:router"),)

    def ready(self) -> None:
        from haicap.core import handover, nav
        from haicap.dossiers.bulk import DossierHandOver
        from haicap.staff import nav as shown
        from haicap.staff.models import Role

        nav.register(
            nav.NavLink("staff:queues", _("Work queues"), 50, shown.officers),
            nav.NavLink("staff:registers", _("Desk registers"), 56, shown.officers),
            nav.NavLink(
                "staff:intake",
                _("Receive a dossier"),
                55,
                shown.holding(Role.RECEIVER, Role.PROVINCE_ADMIN),
            ),
        )
        handover.register(DossierHandOver())
