from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class StaffConfig(AppConfig):
    name = "haicap.staff"
    label = "staff"
    verbose_name = _("Staff")
    # The sign-in page with its throttle, ahead of Django's other auth pages.
    page_urls = (("accounts/", "haicap.staff.urls"),)

    def ready(self) -> None:
        from django.contrib.auth.signals import user_logged_in, user_login_failed

        from haicap.core import handover
        from haicap.staff import signin
        from haicap.staff.bulk import RoleAssignmentHandOver
        from haicap.staff.sessions import shorten_staff_session

        handover.register(RoleAssignmentHandOver())
        user_login_failed.connect(signin.on_failure, dispatch_uid="haicap-signin-failure")
        user_logged_in.connect(signin.on_success, dispatch_uid="haicap-signin-success")
        user_logged_in.connect(shorten_staff_session, dispatch_uid="staff-session-age")
