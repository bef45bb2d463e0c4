from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "haicap.core"
    verbose_name = _("Core")

    def ready(self) -> None:
        # Registers the system checks.
        from django.db.models.signals import post_migrate

        from haicap.core import checks  # noqa: F401
        from haicap.core.dbroles import after_migrate
        from haicap.core.outage import retry_connections_every_second

        retry_connections_every_second()
        post_migrate.connect(after_migrate, dispatch_uid="haicap-grant-app-role")
