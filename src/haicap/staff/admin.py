"""The admin's user list gains one action: lift a sign-in lockout (audited, staff/actions)."""

from __future__ import annotations

from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin
from django.contrib.auth.models import User
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from haicap.staff.actions import do_unlock_sign_in


@admin.action(description=gettext_lazy("Lift the sign-in lockout"))
def lift_lockout(
    modeladmin: UserAdmin[User], request: HttpRequest, queryset: QuerySet[User]
) -> None:
    lifted = [
        user.get_username()
        for user in queryset
        if do_unlock_sign_in(user.get_username(), actor=request.user)
    ]
    if lifted:
        messages.success(request, _("Lockout lifted: %(users)s.") % {"users": ", ".join(lifted)})
    else:
        messages.info(request, _("None of these accounts was locked out."))


class StaffUserAdmin(UserAdmin[User]):
    actions = [lift_lockout]


admin.site.unregister(User)
admin.site.register(User, StaffUserAdmin)
