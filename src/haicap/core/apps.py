from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "haicap.core"
    verbose_name = _("Core")

    def ready(self) -> None:
        # Registers the system checks.
        from haicap.core import checks  # noqa: F401
        from haicap.core.outage import retry_connections_every_second

        retry_connections_every_second()
