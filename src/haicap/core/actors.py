"""Who does a change: a signed-in person, an anonymous visitor, or the platform itself.

``SYSTEM`` is the platform acting on its own (a command, a job, a reorganisation): it is
named in the audit trail as "system" and passes role checks, because the caller decided.
An anonymous visitor (Django's ``AnonymousUser``) is a citizen without an account and never
passes a role check. Nothing is done by ``None``.
"""

from __future__ import annotations

from typing import Final, Literal

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser


class SystemActor:
    """The platform itself; there is one, ``SYSTEM``."""

    pk: Final = None
    is_authenticated: Final[Literal[False]] = False
    label: Final = "system"

    def __repr__(self) -> str:
        return "SYSTEM"


SYSTEM: Final = SystemActor()

Actor = AbstractBaseUser | AnonymousUser | SystemActor


def is_system(actor: Actor) -> bool:
    return actor is SYSTEM


def person_id(actor: Actor) -> int | None:
    """The signed-in person's user id; None for the system and anonymous visitors."""
    return actor.pk if isinstance(actor, AbstractBaseUser) and actor.is_authenticated else None
