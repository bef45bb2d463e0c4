"""Who may see and run reorganisation plans: national administrators (superusers) the whole
plan, provincial administrators the part that lands in their province. Missing and forbidden
both raise NotFound."""

from __future__ import annotations

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.db.models import QuerySet
from django.utils.translation import gettext as _

from haicap.core.errors import NotFound
from haicap.reorg.models import ReorgPlan
from haicap.staff.access import scope_of
from haicap.units.models import AdminUnit, Tier

User = AbstractBaseUser | AnonymousUser


def is_national(user: User) -> bool:
    return scope_of(user).everything


def admin_provinces(user: User) -> set[int]:
    """Provinces where the user is provincial administrator."""
    return scope_of(user).administered_provinces


def plans_for(user: User) -> QuerySet[ReorgPlan]:
    """Every plan for a national administrator; plans reaching their province for the others."""
    if is_national(user):
        return ReorgPlan.objects.all()
    provinces = admin_provinces(user)
    if not provinces:
        return ReorgPlan.objects.none()
    return ReorgPlan.objects.filter(successions__successor__province_id__in=provinces).distinct()


def get_plan_for(user: User, pk: int) -> ReorgPlan:
    plan = plans_for(user).filter(pk=pk).first()
    if plan is None:
        raise NotFound(_("No reorganisation plan %(id)s.") % {"id": pk})
    return plan


def province_part(user: User, code: str | None) -> AdminUnit | None:
    """The province whose part of a plan the user works on (None: the whole plan).

    A provincial administrator always works on a province of theirs (the one asked for, or
    their first); a national administrator on the whole plan unless a province is asked for.
    """
    current = AdminUnit.objects.filter(tier=Tier.PROVINCE, valid_to__isnull=True)
    if is_national(user):
        return current.filter(code=code).first() if code else None
    provinces = current.filter(pk__in=admin_provinces(user)).order_by("code")
    chosen = provinces.filter(code=code).first() if code else None
    province = chosen or provinces.first()
    if province is None:
        raise NotFound(_("You administer no province."))
    return province


def may_delete(user: User, plan: ReorgPlan) -> bool:
    """National administrators delete any plan; a province's administrator only a plan that
    reaches no other province (a national plan is not theirs to delete)."""
    if is_national(user):
        return True
    provinces = admin_provinces(user)
    if not provinces:
        return False
    return not plan.successions.exclude(successor__province_id__in=provinces).exists()
