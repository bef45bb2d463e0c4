from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class StaffConfig(AppConfig):
    name = "haicap.staff"
    label = "staff"
    verbose_name = _("Staff")

    def ready(self) -> None:
        from django.contrib.auth.signals import user_logged_in

        from haicap.core import handover
        from haicap.staff.bulk import RoleAssignmentHandOver
        from haicap.staff.sessions import shorten_staff_session

        handover.register(RoleAssignmentHandOver())
        user_logged_in.connect(shorten_staff_session, dispatch_uid="staff-session-age")
