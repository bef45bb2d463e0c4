"""Officers' sessions are short (STAFF_SESSION_AGE): they reach many citizens' data."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.http import HttpRequest

from haicap.staff.access import scope_of


def shorten_staff_session(sender: Any, request: HttpRequest, user: Any, **kwargs: Any) -> None:
    """On sign-in (user_logged_in): an officer's session ends after STAFF_SESSION_AGE."""
    if user.is_superuser or scope_of(user).is_staff:
        request.session.set_expiry(min(settings.STAFF_SESSION_AGE, settings.SESSION_COOKIE_AGE))
