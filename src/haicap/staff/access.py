"""What an officer's role assignments reach: units, whole provinces, and roles per unit."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.contrib.auth.models import AbstractBaseUser

from haicap.core.actors import Actor
from haicap.staff.models import Role, RoleAssignment
from haicap.units.models import Tier

_CACHE_ATTRIBUTE = "_haicap_scope"


@dataclass(frozen=True)
class Scope:
    """An officer's reach. ``everything`` is a superuser's."""

    everything: bool = False
    # Units (communes) where the officer has a role: unit id -> roles.
    units: dict[int, frozenset[str]] = field(default_factory=dict)
    # Provinces where the officer has a role at the province itself: province id -> roles.
    provinces: dict[int, frozenset[str]] = field(default_factory=dict)

    @property
    def is_staff(self) -> bool:
        return self.everything or bool(self.units or self.provinces)

    def has_role(self, *roles: str) -> bool:
        """Whether the officer holds any of ``roles`` somewhere."""
        if self.everything:
            return True
        held = set().union(*self.units.values(), *self.provinces.values())
        return bool(held & set(roles))

    @property
    def administered_provinces(self) -> set[int]:
        """Provinces where the officer is provincial administrator."""
        return {p for p, roles in self.provinces.items() if Role.PROVINCE_ADMIN in roles}

    @property
    def is_administrator(self) -> bool:
        """National (superuser) or provincial administrator: runs reorganisation plans."""
        return self.everything or bool(self.administered_provinces)

    def roles_for(self, unit_id: int, province_id: int) -> frozenset[str]:
        """Roles that apply to work of ``unit_id`` (a commune or the province itself)."""
        if self.everything:
            return frozenset(Role.values)
        roles = set(self.units.get(unit_id, frozenset()))
        province_roles = self.provinces.get(province_id, frozenset())
        if Role.PROVINCE_ADMIN in province_roles:
            roles |= province_roles | {Role.PROVINCE_ADMIN}
        elif unit_id == province_id:
            roles |= province_roles
        return frozenset(roles)

    def sees(self, unit_ids: tuple[int, ...], province_id: int) -> bool:
        return (
            self.everything
            or province_id in self.provinces
            or any(unit_id in self.units for unit_id in unit_ids)
        )


def scope_of(user: Actor | None) -> Scope:
    """The user's scope, computed once per request (kept on the user object)."""
    if user is None or not user.is_authenticated:
        return Scope()
    cached: Scope | None = getattr(user, _CACHE_ATTRIBUTE, None)
    if cached is not None:
        return cached
    if getattr(user, "is_superuser", False):
        scope = Scope(everything=True)
    else:
        units: dict[int, set[str]] = {}
        provinces: dict[int, set[str]] = {}
        assignments = RoleAssignment.objects.filter(user_id=user.pk, is_active=True).values_list(
            "unit_id", "unit__tier", "role"
        )
        for unit_id, tier, role in assignments:
            target = provinces if tier == Tier.PROVINCE else units
            target.setdefault(unit_id, set()).add(role)
        scope = Scope(
            units={key: frozenset(value) for key, value in units.items()},
            provinces={key: frozenset(value) for key, value in provinces.items()},
        )
    setattr(user, _CACHE_ATTRIBUTE, scope)
    return scope


def forget_scope(user: AbstractBaseUser) -> None:
    """Drop the cached scope after changing the user's roles."""
    if hasattr(user, _CACHE_ATTRIBUTE):
        delattr(user, _CACHE_ATTRIBUTE)
