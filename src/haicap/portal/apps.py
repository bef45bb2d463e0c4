from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PortalConfig(AppConfig):
    name = "haicap.portal"
    verbose_name = _("Citizen portal")
    page_urls = (("", "haicap.portal.urls"),)
    api_routers = (("/public", "haicap.portal.api:router"),)

    def ready(self) -> None:
        from haicap.core import nav
        from haicap.staff import nav as shown

        nav.register(
            nav.NavLink("portal:catalogue", _("Procedures"), 10),
            nav.NavLink("portal:lookup", _("Track a dossier"), 15),
            nav.NavLink("portal:centres", _("Service centres"), 20),
            nav.NavLink("portal:verify", _("Check a result"), 25),
            nav.NavLink("portal:my_dossiers", _("My dossiers"), 90, shown.citizens),
        )
