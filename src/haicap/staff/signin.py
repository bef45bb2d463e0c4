"""Sign-in throttling, per account and per client, through the shared limiter.

Failed sign-ins are counted per account (any client) and per client (any account). Past the
account's limit the account is locked for ``SIGNIN_LOCKOUT_SECONDS``, until an administrator
lifts it (`haicap staff unlock USER`, or the admin's user list); past the client's limit that
client waits until its window ends. ``Gate`` is the first authentication backend, so the
admin's sign-in is held by the same rule as the site's.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib.auth.backends import ModelBackend
from django.contrib.auth.models import User
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest
from django.utils.translation import gettext as _

from haicap.core import ratelimit

ACCOUNT = "signin-account"
CLIENT = "signin-client"
WAIT = "haicap.signin_wait"  # request.META: the gate refused this attempt


def account_key(username: str) -> str:
    return username.strip().lower()


def wait_for(request: HttpRequest | None, username: str) -> int | None:
    """Seconds before this account (or this client) may try again, or None."""
    waits = [ratelimit.locked(ACCOUNT, account_key(username))]
    if request is not None:
        waits.append(
            ratelimit.over(CLIENT, ratelimit.client_of(request), settings.SIGNIN_FAILURES_CLIENT)
        )
    found = [wait for wait in waits if wait is not None]
    return max(found) if found else None


def refusal(wait: int) -> str:
    minutes = max(1, (wait + 59) // 60)
    return _(
        "Too many failed sign-ins. Try again in %(minutes)s minutes, or ask an administrator "
        "to unlock the account."
    ) % {"minutes": minutes}


def note_failure(request: HttpRequest | None, username: str) -> None:
    key = account_key(username)
    failures = ratelimit.note(ACCOUNT, key, settings.SIGNIN_FAILURES_ACCOUNT)
    limit = ratelimit.parse(settings.SIGNIN_FAILURES_ACCOUNT)
    if limit is not None and failures >= limit[0]:
        ratelimit.lock(ACCOUNT, key, settings.SIGNIN_LOCKOUT_SECONDS)
    if request is not None:
        ratelimit.note(CLIENT, ratelimit.client_of(request), settings.SIGNIN_FAILURES_CLIENT)


def note_success(username: str) -> None:
    ratelimit.clear(ACCOUNT, account_key(username), settings.SIGNIN_FAILURES_ACCOUNT)


def lift(username: str) -> bool:
    """Lift an account's lockout and forget its failures; True if it was locked."""
    return ratelimit.clear(ACCOUNT, account_key(username), settings.SIGNIN_FAILURES_ACCOUNT)


def is_locked(username: str) -> bool:
    return ratelimit.locked(ACCOUNT, account_key(username)) is not None


class Gate(ModelBackend):
    """Django's check behind the throttle: a locked account or a throttled client is refused
    before any password is compared. A wrong password ends the backend chain here, so the
    plain ModelBackend listed after it (for sessions that name it) never hashes it twice."""

    def authenticate(
        self,
        request: HttpRequest | None,
        username: str | None = None,
        password: str | None = None,
        **kwargs: Any,
    ) -> User | None:
        wait = wait_for(request, str(username or ""))
        if wait is not None:
            if request is not None:
                request.META[WAIT] = wait
            raise PermissionDenied(refusal(wait))
        user = super().authenticate(request, username=username, password=password, **kwargs)
        if user is None:
            raise PermissionDenied
        return user


def on_failure(sender: Any, credentials: dict[str, Any], request: Any = None, **_: Any) -> None:
    if request is not None and request.META.get(WAIT):
        return  # refused by the gate: already counted when it was locked
    note_failure(request, str(credentials.get("username") or ""))


def on_success(sender: Any, request: Any, user: Any, **_: Any) -> None:
    note_success(user.get_username())
