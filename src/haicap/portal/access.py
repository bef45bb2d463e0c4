"""How the public reaches a dossier: with its code and its lookup secret, or as its owner.

A wrong secret and an unknown code answer the same NotFound, so codes cannot be enumerated.
"""

from __future__ import annotations

import hmac

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.db.models import QuerySet
from django.utils.translation import gettext as _

from haicap.core.errors import NotFound
from haicap.dossiers.models import Dossier


def not_found() -> NotFound:
    return NotFound(_("No dossier matches this code and secret."))


def public_dossier(code: str, secret: str) -> Dossier:
    """The dossier if ``secret`` is its lookup secret (compared in constant time)."""
    dossier = (
        Dossier.objects.select_related("procedure", "receiving_centre", "responsible_unit")
        .filter(code=code.strip())
        .first()
    )
    given = secret.strip().upper().encode()
    expected = dossier.secret.encode() if dossier else b"-" * 8
    if not hmac.compare_digest(given, expected) or dossier is None:
        raise not_found()
    return dossier


def citizen_dossiers(user: AbstractBaseUser | AnonymousUser) -> QuerySet[Dossier]:
    """A signed-in citizen's own dossiers (filed while signed in)."""
    if not user.is_authenticated:
        return Dossier.objects.none()
    return Dossier.objects.filter(applicant_user_id=user.pk)


def dossier_for(user: AbstractBaseUser | AnonymousUser, code: str, secret: str) -> Dossier:
    """By secret, or the signed-in owner's own dossier without it."""
    if secret:
        return public_dossier(code, secret)
    dossier = (
        citizen_dossiers(user)
        .select_related("procedure", "receiving_centre", "responsible_unit")
        .filter(code=code)
        .first()
    )
    if dossier is None:
        raise not_found()
    return dossier
