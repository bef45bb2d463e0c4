from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "haicap.core"
    verbose_name = _("Core")

    def ready(self) -> None:
        # Registers the system checks and the calendar cache invalidation.
        from haicap.core import checks, signals  # noqa: F401
