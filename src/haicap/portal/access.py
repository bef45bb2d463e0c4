"""How the public reaches a dossier: with its code and its lookup secret, or as its owner.

A wrong secret and an unknown code answer the same NotFound, so codes cannot be enumerated.
Every route that takes a lookup secret (the API, the lookup page, the receipt, results, the
rating and supplement forms) passes ``guard`` first: one shared limiter counts the client's
attempts, and the wrong secrets given for each code from any client.
"""

from __future__ import annotations

import hmac
from collections.abc import Iterator
from contextlib import contextmanager

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext as _

from haicap.core import ratelimit
from haicap.core.errors import NotFound
from haicap.dossiers.models import Dossier

MISSES = "lookup-miss"
MISSED_BY = "lookup-miss-client"


def not_found() -> NotFound:
    return NotFound(_("No dossier matches this code and secret."))


def guard(request: HttpRequest, code: str) -> None:
    """Count this attempt; TooManyRequests for a client past its limit, or for a client that
    has itself given a wrong secret for a code past the code's limit. The code's owner, who
    never missed, still gets in with the right secret: a stranger who knows the code (it is
    printed on receipts) cannot lock them out by guessing, and each guessing client is
    refused after its first miss."""
    ratelimit.check(request, "lookup", settings.RATE_LIMIT_LOOKUP)
    wait = ratelimit.over(MISSES, code.strip(), settings.RATE_LIMIT_LOOKUP_MISSES)
    if wait is not None and ratelimit.count(
        MISSED_BY, _missed_by(request, code), settings.RATE_LIMIT_LOOKUP_MISSES
    ):
        raise ratelimit.too_many(
            wait, _("Too many wrong secrets were given for this dossier; try again later.")
        )


def _missed_by(request: HttpRequest, code: str) -> str:
    return f"{ratelimit.client_of(request)} {code.strip()}"


@contextmanager
def counting_misses(request: HttpRequest, code: str) -> Iterator[None]:
    """A wrong secret inside the block counts against the code (from any client) and
    against this client for the code; past the code's limit it answers TooManyRequests."""
    try:
        yield
    except NotFound:
        rule = settings.RATE_LIMIT_LOOKUP_MISSES
        wait = ratelimit.over(MISSES, code.strip(), rule)
        ratelimit.note(MISSED_BY, _missed_by(request, code), rule)
        ratelimit.note(MISSES, code.strip(), rule)
        if wait is not None:
            raise ratelimit.too_many(
                wait, _("Too many wrong secrets were given for this dossier; try again later.")
            ) from None
        raise


def public_dossier(request: HttpRequest, code: str, secret: str) -> Dossier:
    """The dossier if ``secret`` is its lookup secret, through the shared limiter."""
    guard(request, code)
    with counting_misses(request, code):
        return matching(code, secret)


def matching(code: str, secret: str) -> Dossier:
    """The dossier if ``secret`` is its lookup secret (compared in constant time); callers
    pass ``guard`` first."""
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


def dossier_for(request: HttpRequest, code: str, secret: str) -> Dossier:
    """By secret, or the signed-in owner's own dossier without it."""
    if secret:
        return public_dossier(request, code, secret)
    dossier = (
        citizen_dossiers(request.user)
        .select_related("procedure", "receiving_centre", "responsible_unit")
        .filter(code=code)
        .first()
    )
    if dossier is None:
        raise not_found()
    return dossier
