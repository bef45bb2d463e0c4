from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReorgConfig(AppConfig):
    name = "haicap.reorg"
    verbose_name = _("Reorganisation")
    page_urls = (("staff/reorg/", "haicap.reorg.urls"),)

    def ready(self) -> None:
        from haicap.core import nav
        from haicap.staff import nav as shown

        nav.register(nav.NavLink("reorg:plans", _("Reorganisation"), 80, shown.administrators))
