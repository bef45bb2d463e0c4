"""How officers are named to people: full name and title, never the username.

Titles are the roles' printed names on the forms of Circular 03/2025 ("Công chức tiếp nhận
và trả kết quả", "Lãnh đạo", …): the highest role the officer holds in the given units.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.contrib.auth import get_user_model
from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _

from haicap.staff.models import Role, RoleAssignment

# The order titles are chosen in when an officer holds several roles.
TITLES: dict[str, Any] = {
    Role.LEADER: _("Leader"),
    Role.PROVINCE_ADMIN: _("Provincial administrator"),
    Role.SPECIALIST: _("Specialist officer"),
    Role.RECEIVER: _("Receiving and returning officer"),
    Role.CLERK: _("Clerk"),
    Role.AUDITOR: _("Auditor"),
}


def full_name(user: Any) -> str:
    """The officer's full name, or their username when the account has none."""
    if user is None:
        return ""
    name = str(user.get_full_name()).strip() if hasattr(user, "get_full_name") else ""
    return name or str(user.get_username())


def titles_of(
    user_ids: Iterable[int], unit_ids: Iterable[int], *, prefer: str | None = None
) -> dict[int, str]:
    """Each officer's title in these units (one query); ``prefer`` is the role the form is
    signed in (the receiving officer signs the receipt as such), when they hold it."""
    held: dict[int, set[str]] = {}
    rows = RoleAssignment.objects.filter(
        user_id__in=set(user_ids), unit_id__in=set(unit_ids), is_active=True
    ).values_list("user_id", "role")
    for user_id, role in rows:
        held.setdefault(user_id, set()).add(role)
    order = [prefer, *TITLES] if prefer else list(TITLES)
    return {
        user_id: str(TITLES[next(role for role in order if role in roles)])
        for user_id, roles in held.items()
    }


def working_officers(unit_ids: Iterable[int], *, limit: int = 300) -> QuerySet[Any]:
    """Active officers with a working role (not only auditor) in the units, by full name."""
    ids = sorted(set(unit_ids))
    assigned = (
        RoleAssignment.objects.filter(is_active=True, unit_id__in=ids)
        .exclude(role=Role.AUDITOR)
        .values("user_id")
    )
    return (
        get_user_model()
        .objects.filter(Q(pk__in=assigned), is_active=True)
        # Vietnamese names sort by the given name (the last word), then the family name.
        .order_by("last_name", "first_name", "username")[:limit]
    )
