"""Roles held in something other than a unit: the agencies of the political system.

A role assignment (staff app) names a unit, and means that role in the unit's People's
Committee. An officer of the unit's Party committee or Fatherland Front holds the role in
that agency instead; the app that knows agencies (documents, above staff) registers a
granter here in its ``ready()``, so `haicap staff add --agency CODE` works while staff
imports nothing above it.
"""

from __future__ import annotations

from typing import Protocol

from django.contrib.auth.models import AbstractBaseUser

from haicap.core.actors import Actor


class Granter(Protocol):
    def __call__(
        self, user: AbstractBaseUser, code: str, roles: list[str], *, actor: Actor
    ) -> list[str]:
        """Give ``roles`` in the target ``code``; the roles newly given. Raises DomainError."""
        ...


_GRANTERS: dict[str, Granter] = {}


def register(kind: str, granter: Granter) -> None:
    """Called from an app's ready(); a kind registered again replaces the earlier one."""
    _GRANTERS[kind] = granter


def granter(kind: str) -> Granter | None:
    return _GRANTERS.get(kind)
