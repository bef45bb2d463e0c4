from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class StaffConfig(AppConfig):
    name = "haicap.staff"
    label = "staff"
    verbose_name = _("Staff")

    def ready(self) -> None:
        from haicap.core import handover
        from haicap.staff.bulk import RoleAssignmentHandOver

        handover.register(RoleAssignmentHandOver())
